"""Averages, the spindelvæv export and the approval (godkendelse) mode."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from kb.errors import KbError
from kb.rules import GODKENDELSE_VALG, godkendelse, load_model, radar_figure, save_radar, spindelvaev


def test_kriterium_is_mean_of_indikatorer_and_tema_is_mean_of_kriterier():
    r = spindelvaev({"1.a": 2, "1.b": 5, "4.a": 4, "4.b": 2, "5.a": 5, "5.b": 5, "5.c": 5, "6.a": 1})
    assert r["kriterier"] == {"1": 3.5, "4": 3.0, "5": 5.0, "6": 1.0}
    # Sundhed og trivsel: mean of kriterier 4, 5, 6 (3, 5, 1) = 3, not the mean of the six indicators (3.83).
    assert r["temaer"] == {"Uddannelse og beskæftigelse": 3.5, "Sundhed og trivsel": 3.0}
    assert r["udeladt"] == [] and "1.d" in r["ikke_bedoemt"]
    assert "gennemsnit" in r["kilde"]["citat"]


def test_rounding_is_for_display_only():
    r = spindelvaev({"3.a": 1, "3.b": 1, "3.c": 2, "8.a": 5, "9.a": 4, "9.b": 4, "9.c": 5})
    assert r["kriterier"]["3"] == 1.33
    assert r["kriterier"]["9"] == 4.33
    assert r["temaer"]["Organisation og ledelse"] == 4.67  # (5 + 13/3) / 2 = 4.666…


def test_non_applicable_indicators_are_left_out_and_listed():
    scores = {"3.a": 4, "3.b": 4, "3.c": 1, "14.a": 3, "14.c": 1}
    without = spindelvaev(scores)
    assert without["kriterier"]["3"] == 3.0 and without["kriterier"]["14"] == 2.0
    r = spindelvaev(scores, tilbudstype="krisecenter")
    assert r["kriterier"] == {"3": 4.0, "14": 3.0}
    assert r["udeladt"] == ["3.c", "14.c"]
    assert [u["indikator"] for u in r["udeladt_grunde"]] == ["3.c", "14.c"]
    assert r["udeladt_grunde"][0]["grund"].endswith("Krisecentre oprettet efter servicelovens § 109.")
    assert "3.c" not in r["ikke_bedoemt"]


def test_whole_tema_left_out_for_efterskoler():
    r = spindelvaev({"8.a": 5, "9.a": 1, "1.a": 3}, tilbudstype="efterskole")
    assert "Organisation og ledelse" not in r["temaer"]
    assert r["udeladt"] == ["8.a", "9.a"] and r["temaer"] == {"Uddannelse og beskæftigelse": 3.0}


def test_conditional_indicators_are_kept():
    r = spindelvaev({"8.c": 2, "8.a": 4}, tilbudstype="opholdssted")
    assert r["kriterier"]["8"] == 3.0 and r["udeladt"] == []


def test_indicator_ids_in_other_spellings():
    assert spindelvaev({"1b": 4, "Indikator 1.a": 2})["kriterier"] == {"1": 3.0}


@pytest.mark.parametrize(
    "scores,message",
    [
        ({"1.x": 3}, "Ukendt indikator"),
        ({"1.a": 0}, "fra 1 til 5"),
        ({"1.a": 6}, "fra 1 til 5"),
        ({"1.a": -1}, "fra 1 til 5"),
        ({"1.a": 2.5}, "helt tal"),
        ({"1.a": "3"}, "helt tal"),
        ({"1.a": True}, "helt tal"),
        ({"1.a": None}, "helt tal"),
        ({"1.b": 3, "1b": 4}, "mere end én gang"),
        ({}, "JSON-objekt"),
        ([3, 4], "JSON-objekt"),
    ],
)
def test_invalid_scores_are_danish_errors(scores, message):
    with pytest.raises(KbError, match=message):
        spindelvaev(scores)


def test_only_non_applicable_scores_is_an_error():
    with pytest.raises(KbError, match="Ingen af de angivne indikatorer gælder"):
        spindelvaev({"3.c": 4}, tilbudstype="krisecenter")


def test_radar_figure_has_one_axis_per_tema_on_a_1_to_5_scale():
    temaer = {"Kompetencer": 4.0, "Uddannelse og beskæftigelse": 2.5, "Sundhed og trivsel": 5.0}
    fig = radar_figure(temaer)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.name == "polar"
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels == ["Uddannelse og beskæftigelse", "Sundhed og trivsel", "Kompetencer"]  # model order
    assert ax.get_ylim() == (0.0, 5.0) and list(ax.get_yticks()) == [1, 2, 3, 4, 5]
    assert "Spindelvæv" in ax.get_title()


def test_export_png_and_svg(tmp_path):
    temaer = spindelvaev({"1.a": 3, "2.a": 4, "3.a": 5, "4.a": 2})["temaer"]
    png = save_radar(temaer, tmp_path / "s.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = save_radar(temaer, tmp_path / "s.svg", fmt="svg")
    content = svg.read_text(encoding="utf-8")
    assert "<svg" in content and "Selvstændighed" in content and "Spindelvæv" in content


@pytest.mark.parametrize(
    "temaer,kwargs,message",
    [
        ({"Kompetencer": 3.0}, {"fmt": "pdf"}, "png eller svg"),
        ({}, {}, "ingen temascorer"),
        ({"Kompetencer": 7.0}, {}, "fra 1 til 5"),
    ],
)
def test_export_errors(tmp_path, temaer, kwargs, message):
    with pytest.raises(KbError, match=message):
        save_radar(temaer, tmp_path / "x.png", **kwargs)


def test_export_to_missing_folder_is_an_error(tmp_path):
    with pytest.raises(KbError, match="findes ikke"):
        save_radar({"Kompetencer": 3.0}, tmp_path / "mangler" / "x.png")


def test_godkendelse_valg_are_the_models_words():
    assert GODKENDELSE_VALG == (
        "Tilbuddet forventes at kunne opfylde indikatoren",
        "Tilbuddet forventes ikke at kunne opfylde indikatoren",
    )


def _numbers(obj) -> list:
    if isinstance(obj, dict):
        return [n for v in obj.values() for n in _numbers(v)]
    if isinstance(obj, list):
        return [n for v in obj for n in _numbers(v)]
    return [obj] if isinstance(obj, int | float) and not isinstance(obj, bool) else []


def test_godkendelse_summarises_without_scores():
    r = godkendelse({"1.a": True, "1.b": False, "3.c": False})
    assert r["kriterier"]["1"] == {
        "forventes_opfyldt": ["1.a"], "forventes_ikke_opfyldt": ["1.b"], "ikke_vurderet": ["1.d"]
    }
    assert r["temaer"]["Uddannelse og beskæftigelse"]["forventes_ikke_opfyldt"] == ["1.b"]
    assert r["temaer"]["Målgruppe, metoder og resultater"]["forventes_ikke_opfyldt"] == ["3.c"]
    assert r["vurderinger"] == {"1.a": GODKENDELSE_VALG[0], "1.b": GODKENDELSE_VALG[1], "3.c": GODKENDELSE_VALG[1]}
    assert len(r["mangler_vurdering"]) == len(load_model().indikatorer()) - 3
    assert _numbers(r) == [], "godkendelse gives no score"
    assert "alle indikatorer" in r["kilde"]["citat"]


def test_godkendelse_leaves_out_non_applicable_indicators():
    r = godkendelse({"1.b": False, "8.a": True}, tilbudstype="efterskole")
    assert r["udeladt"] == ["1.b", "8.a"]
    assert "Organisation og ledelse" not in r["temaer"]
    assert "1.b" not in r["kriterier"]["1"]["ikke_vurderet"]


@pytest.mark.parametrize("vurderinger,message", [({"1.a": "ja"}, "sand"), ({"9.z": True}, "Ukendt indikator")])
def test_godkendelse_errors(vurderinger, message):
    with pytest.raises(KbError, match=message):
        godkendelse(vurderinger)
