"""Search on the real committed index with the real embedder."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from kb import search as search_module
from kb.errors import KbError
from kb.search import PARAGRAPH_REFERENCE_BOOST, REFERENCE_BOOST
from kb.sources import Source
from kb.text import norm_match


def top_sources(engine, query, k=3, **kw):
    return [h.source for h in engine.search(query, top_k=k, **kw)]


@pytest.mark.parametrize(
    ("query", "source", "within"),
    [
        # VIVE's own definition of "særlige tilbud" (its search terms) competes with the guidance's
        # rule; the guidance must still be on the first screen, right after it at worst.
        ("hvad tæller som særligt tilbud?", "vejledning", 2),
        ("hvordan scorer jeg 1.b når borgerne er på folkepension?", "vejledning", 1),
        ("gælder indikator 3.c for et krisecenter?", "kvalitetsmodel", 1),
        ("mentorordninger i Billund Kommune", "billund", 1),
        ("litteraturstudie om kvalitet i bostøtte til mennesker med psykiske vanskeligheder", "bostoette", 1),
        ("Skibbyhøj recovery-fortælling", "vive", 1),
    ],
)
def test_canonical_queries_find_the_right_source(engine, query, source, within):
    assert source in top_sources(engine, query, k=within)


@pytest.mark.parametrize(
    ("query", "must_contain"),
    [
        ("§ 104, stk. 2", "§ 104, stk. 2"),
        ("§ 104", "§ 104"),
        ("indikator 3.c", "3.c"),
        ("1b", "1.b"),
        ("2b sikret døgninstitution", "Indikator 2.b gælder ikke sikrede døgninstitutioner"),
    ],
)
def test_exact_references_win(engine, query, must_contain):
    hits = engine.search(query, top_k=3)
    assert norm_match(must_contain) in norm_match(hits[0].text)


def test_a_passage_bears_on_the_references_its_questions_name(engine):
    """The vejledning's section on borgere med folkepension is about indicator 1.b without saying
    "1.b"; the questions it answers say it, so a question naming 1.b gets the reference boost there."""
    i = next(k for k, c in enumerate(engine.chunks) if c.section[-1] == "Borgere med folkepension")
    assert "1.b" not in engine.chunks[i].text and "1b" not in engine.chunks[i].text
    assert "ind1b" in engine.chunk_refs[i]
    assert engine._reference_boost("Hvordan scorer jeg 1.b?")[i] > 0


@pytest.mark.parametrize(
    ("folded", "danish"),
    [
        ("boligstoette til psykisk saarbare", "boligstøtte til psykisk sårbare"),
        ("borgere paa folkepension", "borgere på folkepension"),
        ("aeldre borgere og beskaeftigelse", "ældre borgere og beskæftigelse"),
        # The plain letters of a foreign keyboard.
        ("hvad er peer stotte i bostotten", "hvad er peer støtte i bostøtten"),
        ("ogsa de medfolgende born pa krisecentret", "også de medfølgende børn på krisecentret"),
        ("ambulant behandling og dognbehandling", "ambulant behandling og døgnbehandling"),
    ],
)
def test_queries_without_danish_letters(engine, folded, danish):
    assert engine.interpret(folded) == danish
    a = [h.chunk_id for h in engine.search(folded, top_k=5)]
    b = [h.chunk_id for h in engine.search(danish, top_k=5)]
    assert a[:3] == b[:3]


@pytest.mark.parametrize(
    ("plain", "word"),
    [
        ("born", "børn"),  # an English word too, but a rare one in Danish
        ("forlob", "forløb"),
        ("bedommer", "bedømmer"),  # not in the corpus; an inflection Danish knows
        ("taeller", "tæller"),
        ("koere", "køre"),
    ],
)
def test_plain_letters_are_respelt(engine, plain, word):
    assert engine.lexical.analyzer.restore(plain) == word


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("beboerraad", "beboerråd"),  # beboer + råd: only the respelt word is made of words
        ("doegninstitution", "døgninstitution"),
        ("haandboeger", "håndbøger"),  # every ae/oe/aa respelt, not only the first
        ("personaleomsaetning", "personaleomsætning"),
    ],
)
def test_compounds_without_danish_letters_are_respelt(engine, typed, word):
    assert engine.lexical.analyzer.restore(typed) == word


@pytest.mark.parametrize("word", ["beboergruppen", "casebeskrivelser", "kontrakt", "flygtet", "teenager"])
def test_words_danish_knows_are_neither_respelt_nor_mended(engine, word):
    """"beboergruppen" is beboer + gruppen as typed (not "bebørgruppen"); "kontrakt" is no slip for
    "kontakt", nor "flygtet" for "flyttet": Danish knows them though the corpus does not."""
    assert engine.lexical.analyzer.restore(word) == word


@pytest.mark.parametrize("word", ["ham", "vagt", "far", "markeret", "rod", "hjalp", "mand"])
def test_real_words_in_plain_letters_stay(engine, word):
    """"ham" is no "hæm" and "vagt" no "vægt": Danish uses the word as typed as much as the respelling."""
    assert engine.lexical.analyzer.restore(word) == word


def test_source_filter(engine):
    hits = engine.search("uddannelse og beskæftigelse", top_k=10, kilder=["billund", "bostoette"])
    assert hits and {h.source for h in hits} <= {"billund", "bostoette"}
    with pytest.raises(KbError, match="Ukendt kilde"):
        engine.search("uddannelse", kilder=["findes-ikke"])


def test_citation_in_danish_style(engine):
    hit = engine.search("Aktiviteter som tilbuddene selv iværksætter, fx recovery-skole", top_k=1)[0]
    assert hit.citation == (
        "Social- og Boligstyrelsen (2024): Faglig vejledning om kvalitetsvurdering af tema uddannelse og "
        "beskæftigelse, 2. udg., afsnit »Sociale tilbuds egne aktiviteter er ikke omfattet«, s. 17."
    )
    assert hit.best_sentence and hit.best_sentence in hit.text


def test_a_passage_of_a_table_is_cited_by_the_tables_number_and_title(engine):
    hit = engine.search("Hvordan virker mentorordninger i regi af jobcentret for unge?", top_k=1)[0]
    assert hit.section.endswith("Bilagstabel 8.1 Mentorordninger i regi af jobcenter")
    assert hit.citation.endswith(
        "Analyse af ungeindsatsen i Billund Kommune, Bilagstabel 8.1 »Mentorordninger i regi af jobcenter«."
    )
    # As the source prints it, misprint included.
    hits = engine.search("Hvilke 10 studier indgår i VIVEs litteraturkortlægning?", top_k=3)
    hit = next(h for h in hits if h.section.endswith("Tablet 4.1 De 10 studier, som indgår i kortlægningen"))
    assert "Tablet 4.1 »De 10 studier, som indgår i kortlægningen«, s. 34" in hit.citation


def test_context_shows_the_section_around_the_passage(engine):
    hit = engine.search("Borgere med førtidspension må gerne arbejde", top_k=1)[0]
    ctx = engine.context(hit)
    assert ctx["passage"] == engine.document_text(hit.source)[hit.start : hit.end]
    assert norm_match(hit.text) in norm_match(ctx["passage"])


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_is_a_clear_error(engine, query):
    with pytest.raises(KbError, match="tom"):
        engine.search(query)


def test_very_long_query_is_refused_cleanly(engine):
    with pytest.raises(KbError, match="for langt"):
        engine.search("særligt tilbud " * 700)


def test_top_k_bounds(engine):
    assert len(engine.search("tilbud", top_k=7)) == 7
    with pytest.raises(KbError):
        engine.search("tilbud", top_k=0)


def test_a_repeated_question_reuses_its_embedding(engine):
    """Changing only the source filter or the number of results must not embed the question again."""
    q = "hvordan støtter et bosted beboerne i at finde et job?"
    first = engine.query_vector(q)
    assert engine.query_vector(q) is first
    assert not first.flags.writeable
    assert engine.query_vector(q, expand=False) is not first  # the plain question is its own entry
    a = engine.search(q, top_k=5, kilder=["vejledning"])
    b = engine.search(q, top_k=3, kilder=["vejledning"])
    assert [h.chunk_id for h in a[:3]] == [h.chunk_id for h in b]


@pytest.mark.parametrize(
    ("slip", "word"),
    [
        ("beskfætigelse", "beskæftigelse"),  # two letters swapped
        ("folkepesnion", "folkepension"),
        ("supervison", "supervision"),  # a letter missing (a word the corpus has once)
        ("arbejdsmarkkedet", "arbejdsmarkedet"),  # a letter too many
        ("beskæftigekse", "beskæftigelse"),  # a wrong letter
        ("bsoted", "bosted"),  # short words too, now that the words Danish knows are left alone
        ("tilbdu", "tilbud"),
    ],
)
def test_typing_slips_are_mended_from_the_corpus_words(engine, slip, word):
    assert engine.lexical.analyzer.restore(slip) == word
    assert engine.interpret(f"Hvad siger vejledningen om {slip}?") == f"Hvad siger vejledningen om {word}?"


@pytest.mark.parametrize(
    "word",
    [
        "beboeren",  # an inflection of a corpus word (same stem): a real word, left alone
        "skolebørn",  # a compound of corpus words
        "tælles",  # short words are too often real words the corpus lacks
        "undgår",
        "xylofonspiller",  # nothing in the corpus is one edit away
        "hjemmel",  # one letter from "hjemmet", but l and t are not neighbouring keys
        "lærling",  # one letter from "læring", but an extra l after r is no slip
        "uafklaret",  # one letter from "afklaret" (the opposite!), but the first letter is as typed
    ],
)
def test_real_words_are_not_mended(engine, word):
    assert engine.lexical.analyzer.restore(word) == word


def test_a_slip_finds_what_the_correct_spelling_finds(engine):
    right = engine.search("hvordan scorer jeg 1.b når borgerne er på folkepension?", top_k=3)
    slipped = engine.search("hvordan scorer jeg 1.b når borgerne er på folkepesnion?", top_k=3)
    assert [h.chunk_id for h in slipped] == [h.chunk_id for h in right]
    assert "folkepension" in right[0].text.lower()


def test_a_question_typed_in_lower_case_is_embedded_like_the_written_one(engine):
    """e5 ranks a lower-case question, or one without its question mark, worse than the written one."""
    written = engine.query_vector("Hvad tæller som særligt tilbud?")
    assert engine.query_vector("hvad tæller som særligt tilbud?") is written
    assert engine.query_vector("hvad tæller som særligt tilbud") is written
    assert engine.query_vector("Hvad tæller som særligt tilbud.") is not written  # a full stop is kept
    assert engine.interpret("boligstoette i Billund") == "boligstøtte i Billund"
    assert engine.interpret("Boligstoette") == "Boligstøtte"


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("§§ 107-108", ["§107", "§108"]),
        ("§ 107 og 108", ["§107", "§108"]),
        ("§§ 8-11", ["§8", "§9", "§10", "§11"]),
        ("§§ 85 og 107", ["§85", "§107"]),
        ("§ 85 og 3 borgere", ["§85"]),  # after a single §, a far number is not another paragraph
        ("§ 104, stk. 2", ["§104", "stk2"]),
        ("§ 104a og 105", ["§104a", "§104", "§105"]),
        ("indikator 3.c og 1b", ["ind3c", "ind1b"]),
        ("§ 85 i serviceloven", ["§85"]),  # "i" is the word, not a sub-paragraph § 85 i
        ("§ 81a og § 85", ["§81a", "§81", "§85"]),  # and "81a" after a § is no indicator 81.a
        ("Tlf: 72 42 37 00\n\nE-mail", []),  # nor is a phone number's "00" an indicator 00.e
        ("(Slade et al., 2015: s. 9f.)", []),  # nor page 9 and the next
    ],
)
def test_reference_tokens_name_every_paragraph_of_a_list(text, tokens):
    from kb.lexical import reference_tokens

    assert reference_tokens(text) == tokens


def test_a_paragraph_named_in_a_list_counts_as_an_exact_reference(engine):
    """"§ 108" finds the passages that say "§ 107 og 108" as exact matches, not only by its digits."""
    listed = [i for i, c in enumerate(engine.chunks) if "§ 107 og 108" in c.text or "§§ 107 og 108" in c.text]
    assert listed
    boost = engine._reference_boost("§ 108")
    assert all(boost[i] == pytest.approx(REFERENCE_BOOST) for i in listed)
    assert (boost > 0).sum() > len(listed)  # and the passages that say "§ 108" themselves


@pytest.mark.parametrize("query", ["§ 108", "servicelovens § 108", "SEL § 108", "§§ 107 og 108"])
def test_a_search_for_a_paragraph_alone_boosts_it_fully(engine, query):
    """A query of references alone asks for them; the same § inside a question only says where."""
    named = [i for i, r in enumerate(engine.chunk_refs) if "§108" in r]
    alone = engine._reference_boost(query)
    as_context = engine._reference_boost(f"Hvordan arbejder et {query}-botilbud med beboernes job?")
    assert alone[named].max() == pytest.approx(REFERENCE_BOOST)
    assert as_context[named].max() == pytest.approx(PARAGRAPH_REFERENCE_BOOST)


def test_an_indicator_id_weighs_more_than_a_paragraph_named_as_context(engine):
    """"1.b på et § 108-botilbud" asks about 1.b; the § number says where, so it only breaks ties."""
    boost = engine._reference_boost("Hvordan bedømmes indikator 1.b på et § 108-botilbud?")
    refs = engine.chunk_refs
    on_indicator = [i for i, r in enumerate(refs) if "ind1b" in r and "§108" not in r]
    on_paragraph = [i for i, r in enumerate(refs) if "§108" in r and "ind1b" not in r]
    both = [i for i, r in enumerate(refs) if {"ind1b", "§108"} <= r]
    assert on_indicator and on_paragraph
    assert min(boost[on_indicator]) > 4 * max(boost[on_paragraph]) > 0
    assert all(boost[i] > max(boost[on_indicator]) for i in both)
    assert not boost[[i for i, r in enumerate(refs) if not r & {"ind1b", "§108"}]].any()



def test_reference_lists_and_search_protocols_are_recognised(engine):
    flagged = {engine.chunks[i].section_path for i, a in enumerate(engine.apparatus) if a}
    assert any("Søgeprotokol" in s for s in flagged)  # bostøtte's search protocol
    assert any("Bilag 6 Litteratur" in s for s in flagged)  # Billund's table of references
    assert "Referencer" in flagged and "Litteratur" in flagged  # the vejledning's and VIVE's reference lists
    billund_strings = [c for c, a in zip(engine.chunks, engine.apparatus, strict=True) if a and "#1 (lem=" in c.text]
    assert billund_strings  # a search string by its numbered search sets, whatever its heading
    # VIVE's chapter "2.1 Litteratur" sums up what the literature says: text, not apparatus.
    chapter = [a for c, a in zip(engine.chunks, engine.apparatus, strict=True) if c.section[-1:] == ["2.1 Litteratur"]]
    assert chapter and not any(chapter)
    assert engine.apparatus.sum() < 0.15 * len(engine.chunks)


def test_summaries_are_recognised(engine):
    flagged = [engine.chunks[i] for i in np.nonzero(engine.summary)[0]]
    assert {("vive", "Sammenfatning"), ("billund", "Resumé")} <= {(c.source, c.section[0]) for c in flagged}
    assert any(c.source == "bostoette" and "Opsummering" in c.section_path for c in flagged)
    # The guidance and the Kvalitetsmodel have no summaries, and a body chapter is not one.
    assert not any(c.source in ("vejledning", "kvalitetsmodel") for c in flagged)
    body = [c for c in engine.chunks if c.source == "vive" and c.section_path.startswith("3 Erfaringer")]
    assert body and not any(c in flagged for c in body)
    assert any(c.section[0] == "2 Sammenfatning af vidensgrundlag" for c in flagged)
    assert engine.summary.sum() < 0.1 * len(engine.chunks)


def test_a_summary_gives_way_to_the_passage_it_restates_in_a_close_call(engine, monkeypatch):
    """VIVE's summary retells its five cases; where it and the chapter that tells them score alike,
    the chapter (the full account, the one to cite) comes first, and the summary stays in the list."""
    question = "Kan en borger beholde arbejdet i værkstedet efter udflytning fra forsorgshjemmet?"
    monkeypatch.setattr(search_module, "SUMMARY_PENALTY", 0.0)
    plain = engine.search(question, top_k=10)
    monkeypatch.undo()
    hits = engine.search(question, top_k=10)
    is_summary = {c.id: bool(engine.summary[i]) for i, c in enumerate(engine.chunks)}
    assert is_summary[plain[0].chunk_id]  # without the rule the summary is first
    assert plain[0].score - plain[1].score < search_module.SUMMARY_PENALTY
    assert not is_summary[hits[0].chunk_id] and hits[0].source == plain[0].source
    assert hits[0].section.startswith("3 Erfaringer med at understøtte")
    assert plain[0].chunk_id in {h.chunk_id for h in hits[:3]}  # behind it, not buried


def test_a_summary_that_answers_clearly_keeps_its_lead(engine):
    """Asked for the five cases' experiences as a whole, the summary that sums them up is the answer:
    the penalty only decides close calls."""
    hits = engine.search("Hvad er erfaringerne fra de fem tilbud med job og uddannelse?", top_k=5)
    assert hits[0].section == "Sammenfatning › Erfaringer fra fem sociale tilbud"
    assert any(h.section.startswith("3 Erfaringer med at understøtte") for h in hits[1:])


def test_a_summary_without_its_body_among_the_candidates_keeps_its_place(engine):
    scores = np.linspace(0.0, 1.0, len(engine.chunks), dtype=np.float32)
    summary = int(np.nonzero(engine.summary)[0][0])
    source = engine.chunks[summary].source
    others = [i for i, c in enumerate(engine.chunks) if c.source != source][: search_module.SUMMARY_CANDIDATES]
    scores[summary] = 3.0
    scores[others] = 2.0
    assert not engine._restating(scores).any()
    body = next(i for i, c in enumerate(engine.chunks) if c.source == source and not engine.summary[i])
    scores[body] = 2.5
    assert np.nonzero(engine._restating(scores))[0].tolist() == [summary]


def test_reference_lists_give_way_to_text_unless_asked_for(engine):
    hits = engine.search("Hvad tæller som særligt tilbud på indikator 1.b?", top_k=10)
    assert not any(h.section in ("Referencer", "Litteratur") for h in hits)
    # Asked for by its authors, the passages citing the study come first, the vejledning's reference
    # entry among them.
    top = engine.search("Benjaminsen, Henriksen og Gliese 2015", top_k=3)
    assert all("Benjaminsen" in h.text for h in top)
    assert any(h.section == "Referencer" and "18. Benjaminsen, Lars" in h.text for h in top)


def test_search_strings_give_way_to_text_unless_asked_for(engine):
    top = engine.search("recovery og bostøtte", top_k=1)[0]
    assert "Søgeprotokol" not in top.section and "OR" not in top.text
    named = engine.search("søgeprotokol bostøtte Netpunkt", top_k=1)[0]
    assert "Søgeprotokol" in named.section


@pytest.mark.parametrize(
    ("question", "weight"),
    [
        ("Hvordan bedømmer jeg samarbejdet med jobcentret?", 0.2),
        ("hvordan bedoemmer jeg maal, og taeller praktik?", 0.2),
        ("Hvad er recovery?", 0.1),
        ("Hvad siger rapporten om samarbejdet med jobcentret?", 0.0),
        ("Hvordan vurderer VIVE tilbuddenes arbejde?", 0.0),  # research named: the report answers
        ("Hvad anbefaler KORA for de unge?", 0.0),
    ],
)
def test_the_authority_prior_follows_what_the_question_asks_about(engine, question, weight):
    assert engine._authority_weight(question) == pytest.approx(weight)


def test_the_guidance_answers_assessment_questions_and_the_reports_research_questions(engine):
    """The same topic, asked as an assessment or as a question about the research."""
    assessed = engine.search("Hvordan bedømmer jeg samarbejdet med jobcentret?", top_k=2)
    assert [h.source for h in assessed] == ["vejledning", "vejledning"]
    researched = engine.search("Hvad siger rapporten om samarbejdet med jobcentret?", top_k=3)
    assert researched[0].source != "vejledning"


def test_a_research_source_is_named_by_its_publishers_acronym(engine):
    question = "Hvad fandt SFI om bostøtte?"
    assert engine._authority_weight(question) == pytest.approx(0.1)
    sfi = Source(id="sfi", title="Bostøtte", publisher="SFI – Det Nationale Forskningscenter", file="sfi.txt")
    with_sfi = dataclasses.replace(engine, sources=[*engine.sources, sfi])
    assert with_sfi._authority_weight(question) == 0.0


def _hit_with(engine, query, phrase):
    hits = engine.search(query, top_k=20)
    found = [h for h in hits if phrase in h.text]
    assert found, f"no hit for {query!r} contains {phrase!r}"
    return found[0]


def test_a_recurring_section_title_is_cited_so_that_it_can_be_found(engine):
    """VIVE has four sections called "Virkning" and five called "Tilgang og aktiviteter"; a citation
    names which one: the unnumbered with the heading it belongs to, the numbered by its number."""
    dusoer = _hit_with(engine, "virkningen af lønnede arbejdsopgaver på sociale tilbud", "har evalueret virkningen")
    assert "afsnit »”Dusørjob”/lønnede arbejdsopgaver på bostedet › Virkning«" in dusoer.citation
    aars = next(
        (i for i, c in enumerate(engine.chunks) if c.section[-1:] == ["3.1.2.2 Tilgang og aktiviteter"]), None
    )
    assert aars is not None
    assert "afsnit »3.1.2.2 Tilgang og aktiviteter«" in engine._hit(1, aars, 1.0, "Bostedet Aars", None).citation
    # A title found once in its source is cited as before: its words, without number or parent.
    pension = _hit_with(engine, "borgere på folkepension", "folkepension")
    assert "afsnit »Borgere med folkepension«" in pension.citation


def test_a_question_in_the_source_is_not_the_emphasised_sentence(engine):
    """KORA's appendix asks "Hvilken målgruppe bør prioriteres til mentorindsatser?" in a line the text
    kept as a sentence; asked just that, the hit emphasises the sentence that answers it."""
    hit = engine.search("Hvilken målgruppe bør prioriteres til mentorindsatser?", top_k=1)[0]
    assert "Hvilken målgruppe bør prioriteres til mentorindsatser?" in hit.text
    assert hit.best_sentence and not hit.best_sentence.endswith("?"), hit.best_sentence


def test_the_emphasised_sentence_of_a_list_is_the_item_asked_about(engine):
    """The Kvalitetsmodel lists the tilbud an indikator does not apply to, one per line; asked about
    krisecentre, the hit emphasises their item, not the whole list or its neighbour (forsorgshjem)."""
    hit = engine.search("gælder indikator 3.c for et krisecenter?", top_k=1)[0]
    assert hit.section.endswith("Indikator 3.c")
    assert hit.best_sentence == "- Krisecentre oprettet efter servicelovens § 109."


def test_the_emphasised_sentence_is_the_one_a_near_question_asks_about(engine, monkeypatch):
    """Each question a passage answers quotes one sentence (its anchor). Asked something near it, the hit
    emphasises that sentence, where the sentence's own similarity to the query picks another."""
    from kb.evaluate import load_questions, sentence_holds_gold

    wanted = {"b008", "b017", "b081"}
    bench = Path(__file__).resolve().parent.parent / "bench" / "questions.jsonl"
    cases = [q for q in load_questions(bench) if q["id"] in wanted]
    assert len(cases) == len(wanted)
    for q in cases:
        hit = engine.search(q["question"], top_k=1)[0]
        assert sentence_holds_gold(q["gold"], hit.best_sentence), (q["id"], hit.best_sentence)
        monkeypatch.setattr(search_module, "BEST_SENTENCE_QUESTION_WEIGHT", 0.0)
        plain = engine.search(q["question"], top_k=1)[0]
        monkeypatch.undo()
        assert plain.chunk_id == hit.chunk_id and not sentence_holds_gold(q["gold"], plain.best_sentence)
