"""The character n-gram side of lexical search, on the real committed index."""

from __future__ import annotations

import numpy as np

from kb.ngrams import char_ngrams


def test_words_become_padded_grams_of_three_to_five():
    assert char_ngrams("STU") == ["_st", "stu", "tu_", "_stu", "stu_", "_stu_"]
    assert char_ngrams("i") == ["_i_", "_i_", "_i_"]
    assert char_ngrams("") == []


def test_danish_letters_and_their_typed_spellings_give_the_same_grams():
    assert char_ngrams("bostøtte på bosted") == char_ngrams("bostoette paa bosted")
    assert char_ngrams("Særlige") == char_ngrams("saerlige")


def test_inflections_and_compound_parts_share_grams():
    """What stemming misses: "skolebørn" meets "grundskole" through the grams of "skole"."""
    shared = set(char_ngrams("skolebørn")) & set(char_ngrams("grundskoletilbud"))
    assert {"skol", "kole", "skole"} <= shared


def _top_text(engine, scores):
    return engine.chunks[int(np.argmax(scores))].text


def test_ngram_search_finds_a_word_typed_without_danish_letters(engine):
    top = _top_text(engine, engine.ngram_scores("personalegennemstroemning"))
    assert "Personalegennemstrømningen" in top


def test_ngram_search_finds_a_compound_from_its_parts(engine):
    """The Kvalitetsmodel writes "personalegennemstrømning"; a consultant may write the parts."""
    scores = engine.ngram_scores("gennemstrømning af personale")
    order = np.argsort(-scores)[:3]
    assert any("Personalegennemstrømningen" in engine.chunks[i].text for i in order)


def test_thesaurus_terms_raise_passages_in_the_sources_words(engine):
    """"bosted" is the consultants' word; the expansion brings in the sources' "botilbud"."""
    plain = engine.ngram_lexical.scores(char_ngrams("bosted"))
    expanded = engine.ngram_scores("bosted")
    botilbud = np.array(["botilbud" in c.text.lower() and "bosted" not in c.text.lower() for c in engine.chunks])
    assert botilbud.any()
    assert expanded[botilbud].max() > plain[botilbud].max()


def test_query_embedding_carries_the_thesaurus_terms(engine):
    """"bosted" is embedded with the sources' "botilbud" beside it, which moves it towards them."""
    plain = engine.query_vector("hvad er et bosted", expand=False)
    expanded = engine.query_vector("hvad er et bosted")
    assert float(plain @ expanded) < 0.999
    botilbud = engine.embedder().embed_query("hvad er et botilbud")
    assert float(expanded @ botilbud) > float(plain @ botilbud)
    # A question the thesaurus knows nothing of is embedded as written.
    unknown = "Skibbyhøj og Dalhoffsminde"
    assert engine.thesaurus_terms(unknown) == []
    assert np.allclose(engine.query_vector(unknown), engine.query_vector(unknown, expand=False))


def test_embedding_text_is_a_question_with_terms_up_to_the_length_cap(engine):
    from kb.search import QUERY_EXPANSION_MAX_CHARS, QUERY_EXPANSION_TERMS

    short = engine.embedding_text("må beboeren på bostedet have et job")
    assert short.startswith("Må beboeren på bostedet have et job? (")
    terms = short[short.index("(") + 1 : -1].split(", ")
    assert len(terms) == QUERY_EXPANSION_TERMS and "botilbud" in terms
    # A long question keeps only the terms that fit, and past the cap none: it carries its own context.
    longer = (
        "En beboer på et bosted arbejder et par timer om ugen i en lokal butik; tæller han så som værende i job på 1.b"
    )
    text = engine.embedding_text(longer)
    assert len(text) <= QUERY_EXPANSION_MAX_CHARS and text.startswith(longer) and "(" in text
    assert len(text[text.index("(") :].split(", ")) < QUERY_EXPANSION_TERMS
    longest = longer + ", også når han er sygemeldt en periode og bostedet selv har skaffet jobbet?"
    assert engine.embedding_text(longest) == longest
    assert engine.embedding_text("hvad er et bosted", expand=False) == "Hvad er et bosted?"


def test_sparse_scoring_equals_bm25s_including_repeated_tokens(engine):
    """The one-product scoring must give bm25s' own scores, a repeated gram counting twice."""
    for index, tokens in (
        (engine.ngram_lexical, char_ngrams("hvad tæller som særligt tilbud? tilbud")),
        (engine.lexical, engine.lexical.analyzer.tokens("beboere på bosted i job, job og job")),
    ):
        known = [t for t in tokens if t in index.bm25.vocab_dict]
        assert len(known) > len(set(known))
        expected = np.asarray(index.bm25.get_scores(known), dtype=np.float32)
        assert np.allclose(index.scores(tokens), expected, rtol=1e-5, atol=1e-6)
    assert not engine.ngram_lexical.scores(["ordet-findes-ikke"]).any()


def test_a_typo_still_finds_the_word(engine):
    """Two swapped letters leave most of a long word's grams intact (README promises small typos)."""
    hit = engine.search("personalegennemstrømnign", top_k=1)[0]
    assert "Personalegennemstrømningen" in hit.text
    # The grams alone, before the query's spelling is mended, already find the word.
    best = int(np.argmax(engine.ngram_lexical.scores(char_ngrams("kriseceter"))))
    assert "krisecent" in engine.chunks[best].text.lower()
    # And mended, the slip finds exactly what the right spelling finds.
    assert [h.chunk_id for h in engine.search("kriseceter", top_k=3)] == [
        h.chunk_id for h in engine.search("krisecenter", top_k=3)
    ]
