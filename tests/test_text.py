"""Sentence splitting, on the sources' own citation style."""

from __future__ import annotations

from kb.text import says_nothing, split_sentences


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


def test_a_list_item_is_a_sentence_of_its_own_even_after_an_abbreviation(chunks):
    """The Kvalitetsmodel lists the tilbud an indikator does not apply to; "§ 101 a." ends an item with
    an abbreviation and the next item is still its own sentence, so asked about krisecentre the app
    emphasises the item that names them, not its neighbour."""
    passage = next(
        c.text for c in chunks["kvalitetsmodel"] if "Indikator 3.c. gælder ikke:" in c.text and "§ 109" in c.text
    )
    units = sentences(passage)
    assert "- Ambulante stofmisbrugsbehandlingstilbud efter servicelovens § 101 og § 101 a." in units
    assert "- Krisecentre oprettet efter servicelovens § 109." in units


def test_a_blank_line_ends_a_sentence_and_a_heading_stays_with_its_paragraph():
    text = "Borgeren deltager i aktiviteter, jf. nr. 7.\n\nIndikator 6.a: Borgerne har kontakt til familien."
    assert sentences(text) == [
        "Borgeren deltager i aktiviteter, jf. nr. 7.",
        "Indikator 6.a: Borgerne har kontakt til familien.",
    ]
    text = "Recovery\n\nRecovery henviser til en praksis med håb. Den bygger på borgerens egne ønsker."
    assert sentences(text) == [
        "Recovery\n\nRecovery henviser til en praksis med håb.",
        "Den bygger på borgerens egne ønsker.",
    ]


def test_a_closing_quote_belongs_to_the_sentence_it_closes():
    text = "Tilbuddet kalder det »dusørjob.« Borgerne får en lille løn."
    assert sentences(text) == ["Tilbuddet kalder det »dusørjob.«", "Borgerne får en lille løn."]


def test_questions_and_footnotes_say_nothing():
    text = (
        "Hvem er målgruppen?\nMålgruppen er unge under 30 år uden uddannelse.\n\n"
        "¹ Se: <https://socialstyrelsen.dk>"
    )
    units = sentences(text)
    assert units == [
        "Hvem er målgruppen?",
        "Målgruppen er unge under 30 år uden uddannelse.",
        "¹ Se: <https://socialstyrelsen.dk>",
    ]
    assert says_nothing(units) == [True, False, True]
