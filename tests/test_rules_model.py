"""The Kvalitetsmodel data against the source text: structure, exact wording, every applicability note."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.errors import KbError
from kb.rules import load_model, tilbudstyper
from kb.rules.kilder import norm
from kb.rules.model import PRIVAT_MED_BESTYRELSE, egenskaber

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (ROOT / "kilder" / "socialstyrelsen-kvalitetsmodel-socialtilsyn.txt").read_text(encoding="utf-8")
LINES = [line.strip() for line in SOURCE.splitlines()]

TEMAER = [
    "Uddannelse og beskæftigelse",
    "Selvstændighed og relationer",
    "Målgruppe, metoder og resultater",
    "Sundhed og trivsel",
    "Organisation og ledelse",
    "Kompetencer",
    "Fysiske rammer",
]
KRITERIER = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "14"]
# The issue lists these ids (it says "31", but the list and the source both have 30).
INDIKATORER = (
    "1.a 1.b 1.d 2.a 2.b 2.c 2.f 3.a 3.b 3.c 3.d 4.a 4.b 5.a 5.b 5.c 6.a 6.b 7.a "
    "8.a 8.b 8.c 9.a 9.b 9.c 10.a 10.b 14.a 14.b 14.c"
).split()


def _clean(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def test_structure_matches_the_published_model():
    model = load_model()
    assert [t.navn for t in model.temaer] == TEMAER
    assert [k.id for k in model.kriterier()] == KRITERIER
    assert [i.id for i in model.indikatorer()] == INDIKATORER
    # Source headings in the same order.
    assert [line[len("Tema: "):] for line in LINES if line.startswith("Tema: ")] == TEMAER
    assert re.findall(r"^Kriterium (\d+):", SOURCE, re.M) == KRITERIER
    assert "Økonomi" in SOURCE and "Økonomi" not in TEMAER


def test_every_indicator_line_of_the_source_is_in_the_data_word_for_word():
    """Parse "Indikator X: tekst" (and "Kriterium 7.a: …") from the source; compare the whole wording."""
    found = {
        m.group(2): _clean(m.group(3))
        for m in re.finditer(r"^(Indikator|Kriterium) (\d+\.[a-z]):\s*(.+)$", SOURCE, re.M)
    }
    model = load_model()
    assert sorted(found) == sorted(INDIKATORER)
    for ind in model.indikatorer():
        assert _clean(ind.tekst) == found[ind.id], ind.id


def test_every_kriterium_line_is_in_the_data_word_for_word():
    found = {m.group(1): _clean(m.group(2)) for m in re.finditer(r"^Kriterium (\d+):\s*(.+)$", SOURCE, re.M)}
    for krit in load_model().kriterier():
        assert _clean(krit.tekst) == found[krit.id], krit.id
        assert [i.kriterium_id for i in krit.indikatorer] == [krit.id] * len(krit.indikatorer)
        assert all(i.id.startswith(krit.id + ".") for i in krit.indikatorer)


def test_tema_descriptions_are_the_whole_text_between_heading_and_first_kriterium():
    model = load_model()
    for tema in model.temaer:
        start = SOURCE.index(f"Tema: {tema.navn}") + len(f"Tema: {tema.navn}")
        end = SOURCE.index("Kriterium ", start)
        assert norm(tema.beskrivelse) == norm(SOURCE[start:end]), tema.navn


def test_7a_is_an_indicator_although_the_source_calls_it_kriterium():
    ind = load_model().indikator("7.a")
    assert ind.kriterium_id == "7" and ind.tema_navn == "Sundhed og trivsel"
    assert ind.kilde_betegnelse == "Kriterium 7.a"
    assert "Kriterium 7.a: Tilbuddets pædagogiske indsats" in ind.kilde()["citat"]
    assert "Kriterium 7.a:" in SOURCE


def _source_notes() -> list[tuple[str, str, list[str]]]:
    """(subject, lead-in sentence, bullets) for every "gælder ikke/kun" note printed in the source."""
    notes = []
    for i, line in enumerate(LINES):
        m = re.match(r"^(Indikator (\d+\.[a-z])\.?|Temaet (.+?)) gælder (ikke|kun)", line)
        if not m:
            continue
        subject = m.group(2) or m.group(3).strip()
        bullets = []
        if line.endswith(":"):
            j = i + 1
            while j < len(LINES) and (not LINES[j] or LINES[j].startswith("-")):
                if LINES[j]:
                    bullets.append(_clean(LINES[j][1:]))
                j += 1
        notes.append((subject, line, bullets))
    return notes


def test_source_has_the_expected_notes():
    subjects = [s for s, _, _ in _source_notes()]
    assert subjects == [
        "1.b", "1.d", "2.b", "2.c", "2.f", "3.c", "5.b", "6.a", "6.b", "Organisation og ledelse", "8.c", "14.c"
    ]


@pytest.mark.parametrize("subject,lead,bullets", _source_notes(), ids=lambda v: str(v)[:20])
def test_every_applicability_note_is_in_the_data(subject, lead, bullets):
    model = load_model()
    if subject[0].isdigit():
        noter = model.indikator(subject).noter
    else:
        noter = model.tema(subject).noter
    assert len(noter) == 1
    note = noter[0]
    assert note.kind == ("gaelder_kun" if " gælder kun " in lead else "gaelder_ikke")
    assert _clean(note.indledning) == _clean(lead)
    assert [_clean(p.tekst) for p in note.punkter] == bullets
    assert norm(note.citat) == norm(lead + " ".join(bullets))
    assert note.tilbudstyper, "a note must name what it applies to"


def test_notes_only_name_known_tilbudstyper_or_the_bestyrelse_property():
    known = {t.id for t in tilbudstyper()} | set(egenskaber())
    assert set(egenskaber()) == {PRIVAT_MED_BESTYRELSE}
    model = load_model()
    noter = [n for t in model.temaer for n in t.noter] + [n for i in model.indikatorer() for n in i.noter]
    assert len(noter) == 12
    for note in noter:
        assert set(note.tilbudstyper) <= known
        for punkt in note.punkter:
            assert punkt.tekst in note.citat and punkt.tilbudstyper
    assert model.indikator("8.c").noter[0].tilbudstyper == [PRIVAT_MED_BESTYRELSE]
    assert model.tema("Organisation og ledelse").noter[0].tilbudstyper == ["efterskole"]


@pytest.mark.parametrize("text", ["1.b", "1b", "1. b", "Indikator 1.b", " 1.B "])
def test_indikator_lookup_accepts_common_spellings(text):
    assert load_model().indikator(text).id == "1.b"


@pytest.mark.parametrize("text", ["1.c", "15.a", "", "b", "kriterium 1"])
def test_unknown_indikator_is_a_danish_error(text):
    with pytest.raises(KbError, match="Ukendt indikator"):
        load_model().indikator(text)


def test_kriterium_and_tema_lookup():
    model = load_model()
    assert model.kriterium("14").indikatorer[-1].id == "14.c"
    assert model.kriterium("Kriterium 7").tekst == "Tilbuddet forebygger vold og overgreb"
    with pytest.raises(KbError, match="Ukendt kriterium"):
        model.kriterium("11")
    with pytest.raises(KbError, match="Ukendt tema"):
        model.tema("Økonomi")
