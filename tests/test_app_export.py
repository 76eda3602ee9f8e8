"""Downloads: results with citations as Markdown and Word, scores as Danish CSV (real index, real rules)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from kb.app.export import results_docx, results_markdown, scores_csv
from kb.app.highlight import escape_md
from kb.rules import rule_cards

QUESTION = "hvad tæller som særligt tilbud?"


def cite(kilde: dict) -> str:
    return f"{kilde['source']}, afsnit »{kilde['section']}«."


@pytest.fixture(scope="module")
def results(engine):
    return rule_cards(QUESTION), engine.search(QUESTION, top_k=5)


def test_markdown_export_has_cards_passages_and_citations(results):
    cards, hits = results
    md = results_markdown(QUESTION, cards, hits, cite, ["Alle"])
    assert md.startswith("# Søgeresultater")
    assert "## Regler" in md and "## Tekststykker" in md
    for hit in hits:
        assert f"Kildehenvisning: {escape_md(hit.citation)}" in md
    assert md.count("Kildehenvisning: ") == len(hits)
    assert "> " in md  # passages and quotes are block quotes
    # Each passage names the sentence that answers, as the app sets it in bold.
    for hit in hits:
        assert f"**Svarer bedst:** »{escape_md(hit.best_sentence)}«" in md


def test_word_export_opens_and_carries_every_citation(results):
    cards, hits = results
    data = results_docx(QUESTION, cards, hits, cite, [])
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert QUESTION in text
    for card in cards:
        assert card["titel"] in text
    for hit in hits:
        assert hit.citation in text and f"Svarer bedst: »{hit.best_sentence}«" in text
    assert doc.core_properties.language == "da-DK"


def test_scores_csv_is_semicolon_separated_with_decimal_comma_and_bom():
    data = scores_csv(
        [
            {
                "niveau": "Indikator",
                "id": "1.a",
                "tekst": "Mål; opfølgning",
                "tema": "Uddannelse",
                "score": 4,
            },
            {"niveau": "Kriterium", "id": "1", "tekst": "Kriterium 1", "tema": "Uddannelse", "score": 3.5},
        ]
    )
    text = data.decode("utf-8")
    assert text.startswith("\ufeffNiveau;Id;Tekst;Tema;Score")
    lines = text.strip("\ufeff").splitlines()
    assert lines[1] == 'Indikator;1.a;"Mål; opfølgning";Uddannelse;4'
    assert lines[2] == "Kriterium;1;Kriterium 1;Uddannelse;3,50"
