"""Every applicability note of the Kvalitetsmodel, checked against the evaluator for every tilbudstype.

The expected matrix is written out here from the source notes, independently of the data file.
"""

from __future__ import annotations

import json

import pytest

from kb.errors import KbError
from kb.rules import applicability, indikator_status, load_model, tilbudstyper

ALL = {t.id for t in tilbudstyper()}
ANBRINGELSE = {
    "opholdssted", "doegninstitution", "sikret_doegninstitution", "delvis_lukket_doegninstitution", "aflastning",
    "efterskole",
}
AMBULANT = {"ambulant_alkoholbehandling", "ambulant_stofmisbrugsbehandling"}
KRISE_FORSORG = {"krisecenter", "forsorgshjem"}

# From the source: "Indikator X gælder ikke …" / "gælder kun …" / "Temaet Organisation og ledelse gælder ikke …"
EXCLUDED = {
    "1.b": {"efterskole"},
    "1.d": ALL - ANBRINGELSE,  # gælder kun § 66, stk. 1, nr. 5 og 6 (incl. narrower types) and nr. 7
    "2.b": {"sikret_doegninstitution"},
    "2.c": AMBULANT | {"aflastning"},
    "2.f": ALL - ANBRINGELSE,
    "3.c": AMBULANT | KRISE_FORSORG,
    "5.b": {"aflastning"},
    "6.a": AMBULANT | KRISE_FORSORG | {"efterskole"},
    "6.b": AMBULANT | KRISE_FORSORG | {"efterskole"},
    "8.a": {"efterskole"},
    "8.b": {"efterskole"},
    "8.c": {"efterskole"},
    "9.a": {"efterskole"},
    "9.b": {"efterskole"},
    "9.c": {"efterskole"},
    "14.c": AMBULANT | KRISE_FORSORG | {"sikret_doegninstitution", "aflastning", "efterskole"},
}
# A broader type whose narrower type is excluded: it depends on which kind of tilbud it is.
CONDITIONAL = {
    "2.b": {"doegninstitution"},
    "2.c": {"opholdssted", "doegninstitution"},
    "5.b": {"opholdssted", "doegninstitution"},
    "14.c": {"opholdssted", "doegninstitution"},
}


def expected(ind: str, tid: str, privat: bool) -> str:
    if tid in EXCLUDED.get(ind, set()):
        return "gaelder_ikke"
    if tid in CONDITIONAL.get(ind, set()):
        return "betinget"
    if ind == "8.c" and not privat:  # gælder kun for private tilbud med en bestyrelse
        return "betinget"
    return "gaelder"


@pytest.mark.parametrize("privat", [False, True])
@pytest.mark.parametrize("tid", sorted(ALL))
def test_every_note_for_every_tilbudstype(tid, privat):
    result = applicability(tid, privat_med_bestyrelse=privat)
    got = {i: "gaelder" for i in result["gaelder"]}
    got |= {x["indikator"]: "gaelder_ikke" for x in result["gaelder_ikke"]}
    got |= {x["indikator"]: "betinget" for x in result["betinget"]}
    ids = [i.id for i in load_model().indikatorer()]
    assert len(result["gaelder"]) + len(result["gaelder_ikke"]) + len(result["betinget"]) == len(ids)
    assert got == {i: expected(i, tid, privat) for i in ids}
    assert result["gaelder"] == [i for i in ids if got[i] == "gaelder"]  # model order


def test_output_shape_is_the_cli_contract():
    result = applicability("krisecenter")
    assert set(result) >= {"tilbudstype", "gaelder", "gaelder_ikke", "betinget"}
    assert result["tilbudstype"] == {"id": "krisecenter", "navn": "Krisecenter", "hjemmel": "Servicelovens § 109"}
    for item in result["gaelder_ikke"]:
        assert set(item) == {"indikator", "grund", "kilde"}
    for item in result["betinget"]:
        assert set(item) == {"indikator", "betingelse", "kilde"}
    json.dumps(result, ensure_ascii=False)


def test_reason_quotes_the_bullet_that_names_the_tilbudstype():
    items = {x["indikator"]: x for x in applicability("krisecenter")["gaelder_ikke"]}
    assert items["3.c"]["grund"] == "Indikator 3.c. gælder ikke: Krisecentre oprettet efter servicelovens § 109."
    assert items["3.c"]["kilde"]["citat"].startswith("Indikator 3.c. gælder ikke:")
    assert items["3.c"]["kilde"]["source"] == "kvalitetsmodel" and items["3.c"]["kilde"]["page"] is None
    forsorg = {x["indikator"]: x for x in applicability("herberg")["gaelder_ikke"]}
    assert forsorg["14.c"]["grund"].endswith("Forsorgshjem oprettet efter servicelovens § 110.")
    assert "gælder kun" in forsorg["1.d"]["grund"] and "gælder kun" in forsorg["1.d"]["kilde"]["citat"]


def test_whole_tema_organisation_og_ledelse_is_excluded_for_efterskoler():
    items = {x["indikator"]: x for x in applicability("efterskole")["gaelder_ikke"]}
    for ind in ["8.a", "8.b", "8.c", "9.a", "9.b", "9.c"]:
        assert items[ind]["kilde"]["citat"].startswith("Temaet Organisation og ledelse gælder ikke")
        assert items[ind]["kilde"]["section"] == "Tema: Organisation og ledelse"


def test_conditions_say_what_decides():
    betinget = {x["indikator"]: x for x in applicability("døgninstitution")["betinget"]}
    assert "Sikret døgninstitution" in betinget["2.b"]["betingelse"]
    assert "Sikret døgninstitution" in betinget["14.c"]["betingelse"]
    assert "aflastning" in betinget["14.c"]["betingelse"]
    assert "privat tilbud med en bestyrelse" in betinget["8.c"]["betingelse"]
    assert betinget["8.c"]["kilde"]["citat"] == "Indikator 8.c gælder kun for private tilbud med en bestyrelse."


def test_bestyrelse_is_a_property_not_a_type():
    assert "8.c" in applicability("§ 108", privat_med_bestyrelse=True)["gaelder"]
    assert "8.c" in [x["indikator"] for x in applicability("§ 108")["betinget"]]
    assert "8.c" in [x["indikator"] for x in applicability("efterskole", True)["gaelder_ikke"]]


def test_indicator_without_notes_cites_the_general_rule():
    s = indikator_status("3.a", "krisecenter")
    assert s.status == "gaelder"
    assert s.kilde["citat"].startswith("Indikatorerne og kriterierne er gældende for alle de tilbudstyper")


def test_errors_are_danish():
    with pytest.raises(KbError, match="Ukendt tilbudstype"):
        applicability("plejefamilie")
    with pytest.raises(KbError, match="Ukendt indikator"):
        indikator_status("3.x", "krisecenter")
