"""Every quote kb shows must stand in its source: data files and everything the engine returns.

norm(citat) (NFKC, lowercase, letters and digits only) must be a substring of norm(source text).
Page numbers for the vejledning must be the printed page of the quote's section in its table of contents.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from kb.rules import (
    GODKENDELSE_VALG,
    applicability,
    godkendelse,
    load_model,
    practice_cases,
    rule_cards,
    saerligt_overview,
    saerligt_tilbud,
    score_1b,
    spindelvaev,
    tilbudstyper,
)
from kb.rules.kilder import SOURCE_FILES, norm

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {sid: norm((ROOT / "kilder" / f).read_text(encoding="utf-8")) for sid, f in SOURCE_FILES.items()}
VEJLEDNING_RAW = (ROOT / "kilder" / SOURCE_FILES["vejledning"]).read_text(encoding="utf-8")


def data(name: str) -> dict:
    with resources.files("kb").joinpath("data", name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def in_source(source: str, citat: str) -> bool:
    return bool(norm(citat)) and norm(citat) in SOURCES[source]


def walk(obj, path=""):
    """Yield (path, dict) for every dict anywhere in a JSON/YAML structure."""
    if isinstance(obj, dict):
        yield path, obj
        for k, v in obj.items():
            yield from walk(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from walk(v, f"{path}[{i}]")


def kilder_in(obj) -> list[dict]:
    return [d for _, d in walk(obj) if {"source", "citat"} <= d.keys()]


# --- the data files --------------------------------------------------------------------------------


def test_every_citat_in_the_model_data_file():
    model_data = data("kvalitetsmodel.yaml")
    citater = [d["citat"] for _, d in walk(model_data) if "citat" in d]
    citater += [v for _, d in walk(model_data) for k, v in d.items() if k.startswith("citat_")]
    assert len(citater) >= 17
    for citat in citater:
        assert in_source("kvalitetsmodel", citat), citat


def test_every_wording_in_the_model_data_file():
    model = load_model()
    for tema in model.temaer:
        assert in_source("kvalitetsmodel", f"Tema: {tema.navn} {tema.beskrivelse}"), tema.navn
        for krit in tema.kriterier:
            assert in_source("kvalitetsmodel", krit.kilde()["citat"]), krit.id
            for ind in krit.indikatorer:
                assert in_source("kvalitetsmodel", ind.kilde()["citat"]), ind.id
                for note in ind.noter:
                    assert in_source("kvalitetsmodel", note.citat)
                    for punkt in note.punkter:
                        assert in_source("kvalitetsmodel", punkt.tekst)
    for skala in data("kvalitetsmodel.yaml")["drift"]["skala"]:
        assert in_source("kvalitetsmodel", f"{skala['tekst']} ({skala['score']})")
    for valg in GODKENDELSE_VALG:
        assert in_source("kvalitetsmodel", valg), valg


def test_every_citat_in_the_tilbudstype_catalogue():
    for t in tilbudstyper():
        assert in_source("kvalitetsmodel", t.kilde()["citat"]), t.id
    for e in data("tilbudstyper.yaml")["egenskaber"]:
        assert in_source("kvalitetsmodel", e["kilde"]["citat"])


def test_every_citat_in_the_vejledning_data_file():
    citater = data("vejledning.yaml")["citater"]
    assert len(citater) >= 25
    for key, entry in citater.items():
        assert in_source("vejledning", entry["citat"]), key
        assert not in_source("kvalitetsmodel", entry["citat"]), key


def test_rule_files_only_refer_to_existing_quotes():
    keys = set(data("vejledning.yaml")["citater"])
    saerlige = data("saerlige_tilbud.yaml")
    refs = [c["kilde"] for c in saerlige["kategorier"] + saerlige["uafklarede"]]
    refs += [k for c in saerlige["kategorier"] for k in c.get("kilder", [])]
    refs += [r["kilde"] for r in saerlige["saerregler"]]
    refs += [lvl["citat"] for lvl in data("score_1b.yaml")["niveauer"]]
    for ref in refs:
        assert ref in keys or ref.startswith("kvalitetsmodel:"), ref


def _toc() -> dict[str, int]:
    """Section title -> printed page, from the vejledning's table of contents."""
    toc = {}
    for line in VEJLEDNING_RAW.split("# Indledning")[0].splitlines():
        m = re.match(r"^(?:<b>)?(.+?)\s*\.{3,}(?:</b>)?\s*(?:<b>)?(\d+)(?:</b>)?\s*$", line.strip())
        if m:
            toc[m.group(1).strip()] = int(m.group(2))
    return toc


def _section_text(title: str, toc: dict[str, int]) -> str:
    """The body text from the heading ``title`` to the next heading that has its own TOC entry."""
    body = VEJLEDNING_RAW.split("# Indledning", 1)[1]
    headings = [(m.start(), norm(m.group(1))) for m in re.finditer(r"^#+\s*(.+?)\s*$", body, re.M)]
    toc_norms = {norm(t) for t in toc}
    start = next(pos for pos, h in headings if h == norm(title))
    end = next((pos for pos, h in headings if pos > start and h in toc_norms), len(body))
    return body[start:end]


def test_vejledning_pages_come_from_the_table_of_contents():
    toc = _toc()
    assert toc["2. Sociale tilbuds egne aktiviteter er ikke omfattet"] == 17
    assert toc["Anbefalinger til bedømmelse af indikatorerne"] == 18
    with_page = {k: e for k, e in data("vejledning.yaml")["citater"].items() if e["page"] is not None}
    assert len(with_page) >= 10
    for key, entry in with_page.items():
        assert toc.get(entry["section"]) == entry["page"], key
        # The quote stands inside that section, before the next section the TOC lists.
        assert norm(entry["citat"]) in norm(_section_text(entry["section"], toc)), key


def test_quotes_without_page_stand_under_their_section_heading():
    body = VEJLEDNING_RAW.split("# Indledning", 1)[1]
    headings = [(m.start(), norm(m.group(1))) for m in re.finditer(r"^#+\s*(.+?)\s*$", body, re.M)]
    for key, entry in data("vejledning.yaml")["citater"].items():
        if entry["page"] is not None:
            continue
        if entry["section"].startswith("Kolofon"):
            assert "2. udgave" in VEJLEDNING_RAW.split("# Referencer")[1]
            continue
        start = next(pos for pos, h in headings if h == norm(entry["section"]))
        end = next((pos for pos, _ in headings if pos > start), len(body))
        assert norm(entry["citat"]) in norm(body[start:end]), key


def test_1b_recommendation_quotes_have_no_page():
    for key in ["score_1", "score_3", "score_5", "folkepension", "foertidspension", "midlertidigt_fravaer",
                "medfoelgende_boern", "ib_rammer"]:
        assert data("vejledning.yaml")["citater"][key]["page"] is None, key


# --- everything the engine returns -------------------------------------------------------------------

QUESTIONS = [
    "Hvad tæller som særligt tilbud?",
    "Gælder indikator 3.c for et krisecenter?",
    "Gælder 14.c for en døgninstitution?",
    "Hvilke indikatorer gælder for et herberg?",
    "Tæller recovery-skole på 1.b?",
    "Hvordan scorer jeg 1.b når 6 af 10 borgere er i job og 2 er på folkepension?",
    "Hvilken score skal 1.b have?",
    "førtidspension og midlertidigt fraværende",
    "medfølgende børn på krisecenter",
    "indikator 7.a",
]
ACTIVITIES = [
    "STU", "§ 103", "§ 104", "§ 104, stk. 2", "recovery-skole", "kommunens recovery-skole", "ADL-træning",
    "fleksjob 5 timer om ugen", "gymnasiet", "frivilligt arbejde", "virksomhedspraktik", "værested",
    "Barnet går i folkeskole", "Barnet går i folkeskole med nedsat skema", "Barnet passes af moren",
    "sygemeldt fra job", "sygemeldt", "ønsker at komme i job", "kursus", "xyz", "Barnet",
    "særligt beskæftigelsestilbud for unge efter beskæftigelsesloven", "intern undervisning på bostedet",
]


def engine_outputs():
    for t in tilbudstyper():
        for privat in (False, True):
            yield f"applicability {t.id} {privat}", applicability(t.id, privat)
    for text in ACTIVITIES:
        yield f"saerligt {text}", saerligt_tilbud(text)
    yield "overview", saerligt_overview()
    for counts in [(10, 10, 0), (10, 6, 2), (10, 5, 0), (20, 1, 0), (7, 3, 0)]:
        yield f"score {counts}", score_1b(*counts)
    yield "spindelvaev", spindelvaev({"1.a": 3, "3.c": 4}, tilbudstype="krisecenter")
    yield "godkendelse", godkendelse({"1.a": True, "1.b": False}, tilbudstype="efterskole")
    for q in QUESTIONS:
        yield f"cards {q}", rule_cards(q)
    yield "practice", practice_cases()


@pytest.mark.parametrize("name,output", list(engine_outputs()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_kilde_the_engine_returns_is_verbatim(name, output):
    kilder = kilder_in(output)
    if name.startswith("applicability"):  # one kilde per excluded or conditional indicator
        assert len(kilder) == len(output["gaelder_ikke"]) + len(output["betinget"])
    else:
        assert kilder, f"{name}: no kilde"
    for kilde in kilder:
        assert set(kilde) == {"source", "section", "page", "citat"}, kilde
        assert kilde["source"] in SOURCES
        assert kilde["page"] is None or isinstance(kilde["page"], int)
        if kilde["source"] == "kvalitetsmodel":
            assert kilde["page"] is None
        assert isinstance(kilde["section"], str) and kilde["section"]
        assert in_source(kilde["source"], kilde["citat"]), (name, kilde["citat"])
