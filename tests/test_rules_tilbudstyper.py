"""The tilbudstype catalogue and deterministic free-text resolution (errors list candidates, never guess)."""

from __future__ import annotations

import pytest

from kb.errors import KbError
from kb.rules import find_tilbudstyper, resolve_tilbudstype, tilbudstyper
from kb.rules.model import ancestors, descendants

IDS = {
    "opholdssted", "doegninstitution", "sikret_doegninstitution", "delvis_lukket_doegninstitution", "aflastning",
    "efterskole", "ambulant_alkoholbehandling", "ambulant_stofmisbrugsbehandling", "krisecenter", "forsorgshjem",
    "botilbud_107", "botilbud_108",
}


def test_catalogue_has_the_types_the_notes_name_with_their_legal_basis():
    by_id = {t.id: t for t in tilbudstyper()}
    assert set(by_id) == IDS
    expected_hjemmel = {
        "opholdssted": "§ 66, stk. 1, nr. 5",
        "doegninstitution": "§ 66, stk. 1, nr. 6",
        "sikret_doegninstitution": "§ 66, stk. 1, nr. 6",
        "aflastning": "§ 52, stk. 3, nr. 5",
        "efterskole": "§ 66, stk. 1, nr. 7",
        "ambulant_alkoholbehandling": "Sundhedslovens § 141",
        "ambulant_stofmisbrugsbehandling": "§ 101 og § 101 a",
        "krisecenter": "§ 109",
        "forsorgshjem": "§ 110",
        "botilbud_107": "§ 107",
        "botilbud_108": "§ 108",
    }
    for tid, hjemmel in expected_hjemmel.items():
        assert hjemmel in by_id[tid].hjemmel, tid
    for t in tilbudstyper():
        assert t.navn and t.aliaser and t.to_json() == {"id": t.id, "navn": t.navn, "hjemmel": t.hjemmel}


def test_narrower_types_are_kinds_of_broader_ones():
    assert ancestors("sikret_doegninstitution") == {"doegninstitution"}
    assert ancestors("aflastning") == {"opholdssted", "doegninstitution"}
    assert descendants("doegninstitution") == {
        "sikret_doegninstitution", "delvis_lukket_doegninstitution", "aflastning"
    }
    assert descendants("krisecenter") == set()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("krisecenter", "krisecenter"),
        ("Krisecentret", "krisecenter"),
        ("kvindekrisecentre", "krisecenter"),
        ("§ 109", "krisecenter"),
        ("§ 110", "forsorgshjem"),
        ("§110", "forsorgshjem"),
        ("paragraf 110", "forsorgshjem"),
        ("herberg", "forsorgshjem"),
        ("herberget", "forsorgshjem"),
        ("boform efter servicelovens § 110", "forsorgshjem"),
        ("sikret døgninstitution", "sikret_doegninstitution"),
        ("sikrede doegninstitutioner", "sikret_doegninstitution"),
        ("døgninstitution", "doegninstitution"),
        ("delvis lukket afdeling på en døgninstitution", "delvis_lukket_doegninstitution"),
        ("opholdssted", "opholdssted"),
        ("opholdssted alene godkendt til aflastning", "aflastning"),
        ("§ 52, stk. 3, nr. 5", "aflastning"),
        ("efterskole der er anbringelsessted", "efterskole"),
        ("frie fagskoler", "efterskole"),
        ("fri grundskole med kostafdeling", "efterskole"),
        ("§ 66, stk. 1, nr. 7", "efterskole"),
        ("ambulant alkoholbehandling efter sundhedslovens § 141", "ambulant_alkoholbehandling"),
        ("ambulant stofmisbrugsbehandling", "ambulant_stofmisbrugsbehandling"),
        ("§ 101 a", "ambulant_stofmisbrugsbehandling"),
        ("midlertidigt botilbud", "botilbud_107"),
        ("§ 107", "botilbud_107"),
        ("længerevarende botilbud", "botilbud_108"),
        ("laengerevarende botilbud", "botilbud_108"),
    ],
)
def test_free_text_resolves_deterministically(text, expected):
    assert resolve_tilbudstype(text).id == expected


@pytest.mark.parametrize("tid", sorted(IDS))
def test_exact_id_is_accepted(tid):
    assert resolve_tilbudstype(tid).id == tid
    assert resolve_tilbudstype(tid.upper()).id == tid


@pytest.mark.parametrize(
    "text,candidates",
    [
        ("botilbud", {"botilbud_107", "botilbud_108"}),
        ("bosted", {"botilbud_107", "botilbud_108"}),
        ("§ 66", {"opholdssted", "doegninstitution", "efterskole"}),
        ("stofmisbrugsbehandling", {"ambulant_stofmisbrugsbehandling"}),
        ("krisecenter eller herberg", {"krisecenter", "forsorgshjem"}),
        # A word inside the catalogue's compounds is a candidate too, never a guess.
        ("institution", {"doegninstitution", "sikret_doegninstitution", "aflastning"}),
    ],
)
def test_ambiguous_text_is_an_error_listing_the_candidates(text, candidates):
    with pytest.raises(KbError) as err:
        resolve_tilbudstype(text)
    message = str(err.value)
    assert f"»{text}«" in message and "Mulige tilbudstyper" in message
    listed = {tid for tid in IDS if f"- {tid}:" in message}
    assert listed == candidates


@pytest.mark.parametrize("text", ["xyz", "plejefamilie", "privat tilbud med en bestyrelse"])
def test_unknown_text_is_an_error_listing_all_types(text):
    with pytest.raises(KbError, match="Ukendt tilbudstype") as err:
        resolve_tilbudstype(text)
    assert all(f"- {tid}:" in str(err.value) for tid in IDS)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_text_is_an_error(text):
    with pytest.raises(KbError, match="Angiv en tilbudstype"):
        resolve_tilbudstype(text)


def test_find_in_a_question_never_raises():
    assert [t.id for t in find_tilbudstyper("Gælder 3.c for et krisecenter?")] == ["krisecenter"]
    assert [t.id for t in find_tilbudstyper("gælder 14.c for et botilbud")] == ["botilbud_107", "botilbud_108"]
    assert find_tilbudstyper("Hvad er vejret?") == []
    assert find_tilbudstyper("") == []
