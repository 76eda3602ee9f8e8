"""Sentence splitting, on the sources' own citation style."""

from __future__ import annotations

from kb.text import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_a_page_reference_in_brackets_does_not_end_a_sentence():
    text = "Brugerne er tilfredse med støtten (s. 13). Samtidig peger undersøgelsen på noget andet (jf. Bilag 2)."
    assert sentences(text) == [
        "Brugerne er tilfredse med støtten (s. 13).",
        "Samtidig peger undersøgelsen på noget andet (jf. Bilag 2).",
    ]
    assert sentences("Det fremgår af vejledningen (fx. Tabel 3). Næste sætning.") == [
        "Det fremgår af vejledningen (fx. Tabel 3).",
        "Næste sætning.",
    ]


def test_no_sentence_of_the_sources_ends_inside_a_page_reference(chunks):
    broken = [
        s for doc in chunks.values() for c in doc for s in sentences(c.text) if s.rstrip().endswith(("(s.", "(jf."))
    ]
    assert broken == []
