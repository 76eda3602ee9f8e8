"""Averages and the "spindelvæv" (driftsorienteret tilsyn), and the no-score approval mode (godkendelse).

Kvalitetsmodellen: kriterium = mean of its indikatorer, tema = mean of its kriterier. Indicators that do
not apply to the given tilbudstype are left out and reported, never averaged as zero.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import KbError
from kb.rules.applicability import statuses
from kb.rules.kilder import load_data, model_kilde
from kb.rules.model import load_model
from kb.text import decimal_comma

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn: `kb ask` stays fast
    from matplotlib.figure import Figure

_GODKENDELSE = load_data("kvalitetsmodel.yaml")["godkendelse"]
GODKENDELSE_VALG: tuple[str, str] = tuple(_GODKENDELSE["valg"])  # (opfylde, ikke opfylde)


def _drift_kilde(key: str) -> dict:
    drift = load_data("kvalitetsmodel.yaml")["drift"]
    return model_kilde(drift["section"], drift[key])


def gennemsnit_kilde() -> dict:
    """The Kvalitetsmodel's sentence on how kriterium and tema values are averaged."""
    return _drift_kilde("citat_gennemsnit")


def skala_kilde() -> dict:
    """The Kvalitetsmodel's lead-in to the 1–5 scale of the driftsorienteret tilsyn."""
    return _drift_kilde("citat_skala")


def godkendelse_kilde() -> dict:
    """The Kvalitetsmodel's lead-in to the two verdicts of the approval."""
    return model_kilde(_GODKENDELSE["section"], _GODKENDELSE["citat"])


def skala() -> dict[int, str]:
    return {s["score"]: s["tekst"] for s in load_data("kvalitetsmodel.yaml")["drift"]["skala"]}


def skala_tekst() -> str:
    """The scale in one line, highest first: "5 = I meget høj grad opfyldt, 4 = …"."""
    return ", ".join(f"{k} = {v}" for k, v in sorted(skala().items(), reverse=True))


def _excluded(tilbudstype: str | None, privat: bool) -> dict[str, dict]:
    """Indicators that do not apply to the tilbudstype: id -> {"indikator", "grund", "kilde"}."""
    if not tilbudstype:
        return {}
    _, result = statuses(tilbudstype, privat)
    return {
        s.indikator: {"indikator": s.indikator, "grund": s.tekst, "kilde": s.kilde}
        for s in result
        if s.status == "gaelder_ikke"
    }


def _check_score(key: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise KbError(f"Scoren for indikator {key} skal være et helt tal fra 1 til 5, ikke »{value}«.")
    if isinstance(value, float):
        if not value.is_integer():
            raise KbError(f"Scoren for indikator {key} skal være et helt tal fra 1 til 5, ikke {value}.")
        value = int(value)
    if not 1 <= value <= 5:
        raise KbError(f"Scoren for indikator {key} skal være fra 1 til 5 (fik {value}).")
    return value


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def spindelvaev(scores: dict[str, int], tilbudstype: str | None = None, privat_med_bestyrelse: bool = False) -> dict:
    """Kriterium and tema averages from indicator scores 1-5 (the ``kb spindelvaev --json`` answer).

    ``udeladt`` lists the scored indicators left out because they do not apply to the tilbudstype
    (reasons with quotes in ``udeladt_grunde``); ``ikke_bedoemt`` the applicable ones without a score.
    """
    if not isinstance(scores, dict) or not scores:
        raise KbError('Angiv scorer som et JSON-objekt, fx {"1.a": 4, "1.b": 3}.')
    model = load_model()
    checked: dict[str, int] = {}
    for key, value in scores.items():
        ind = model.indikator(key)
        if ind.id in checked:
            raise KbError(f"Indikator {ind.id} er angivet mere end én gang.")
        checked[ind.id] = _check_score(ind.id, value)
    excluded = _excluded(tilbudstype, privat_med_bestyrelse)
    udeladt = [i for i in checked if i in excluded]
    used = {i: v for i, v in checked.items() if i not in excluded}

    kriterier: dict[str, float] = {}
    temaer: dict[str, float] = {}
    ikke_bedoemt: list[str] = []
    for tema in model.temaer:
        tema_values = []
        for krit in tema.kriterier:
            values = [used[i.id] for i in krit.indikatorer if i.id in used]
            ikke_bedoemt += [i.id for i in krit.indikatorer if i.id not in used and i.id not in excluded]
            if values:
                kriterier[krit.id] = _mean(values)
                tema_values.append(kriterier[krit.id])
        if tema_values:
            temaer[tema.navn] = _mean(tema_values)
    if not used:
        raise KbError("Ingen af de angivne indikatorer gælder for tilbudstypen, så der er intet at beregne.")
    return {
        "kriterier": {k: round(v, 2) for k, v in kriterier.items()},
        "temaer": {t: round(v, 2) for t, v in temaer.items()},
        "udeladt": udeladt,
        "udeladt_grunde": [excluded[i] for i in udeladt],
        "ikke_bedoemt": ikke_bedoemt,
        "tilbudstype": tilbudstype,
        "kilde": gennemsnit_kilde(),
    }


def radar_figure(tema_scores: dict[str, float]) -> Figure:
    """The spindelvæv: one axis per tema, scale 1-5. Built without pyplot, so no global backend state."""
    if not tema_scores:
        raise KbError("Der er ingen temascorer at tegne.")
    for navn, value in tema_scores.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or not 1 <= value <= 5:
            raise KbError(f"Temascoren for »{navn}« skal være et tal fra 1 til 5 (fik {value}).")
    from matplotlib.figure import Figure

    order = [t.navn for t in load_model().temaer]
    names = sorted(tema_scores, key=lambda n: order.index(n) if n in order else len(order))
    values = [float(tema_scores[n]) for n in names]
    angles = [2 * math.pi * i / len(names) for i in range(len(names))]

    fig = Figure(figsize=(7.5, 7.5), dpi=100)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_yticklabels(["1", "2", "3", "4", "5"], fontsize=8, color="#555555")
    ax.set_xticks(angles)
    ax.set_xticklabels([n.replace(", ", ",\n").replace(" og ", "\nog ") for n in names], fontsize=9)
    ax.tick_params(axis="x", pad=14)
    closed_angles, closed_values = angles + angles[:1], values + values[:1]
    ax.plot(closed_angles, closed_values, color="#1f5f8b", linewidth=2)
    ax.fill(closed_angles, closed_values, color="#1f5f8b", alpha=0.25)
    for angle, value in zip(angles, values, strict=True):
        ax.annotate(decimal_comma(value), (angle, value), textcoords="offset points",
                    xytext=(0, 6), ha="center", fontsize=8)
    ax.set_title("Spindelvæv – gennemsnitlig score pr. tema (1–5)", pad=24, fontsize=11)
    fig.tight_layout()
    return fig


def save_radar(tema_scores: dict[str, float], path: str | Path, fmt: str = "png") -> Path:
    """Write the spindelvæv as PNG or SVG; returns the path written."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in {"png", "svg"}:
        raise KbError(f"Formatet skal være png eller svg (fik »{fmt}«).")
    path = Path(path)
    if not path.parent.exists():
        raise KbError(f"Mappen »{path.parent}« findes ikke.")
    import matplotlib

    # Keep SVG text as text (searchable, accessible) instead of outlined glyphs.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        radar_figure(tema_scores).savefig(path, format=fmt)
    return path


def godkendelse(
    vurderinger: dict[str, bool], tilbudstype: str | None = None, privat_med_bestyrelse: bool = False
) -> dict:
    """Approval mode: each indicator is expected to be met or not; summarised per kriterium and tema, no score."""
    if not isinstance(vurderinger, dict):
        raise KbError('Angiv vurderingerne som et JSON-objekt, fx {"1.a": true, "1.b": false}.')
    model = load_model()
    checked: dict[str, bool] = {}
    for key, value in vurderinger.items():
        ind = model.indikator(key)
        if not isinstance(value, bool):
            raise KbError(
                f"Vurderingen af indikator {ind.id} skal være sand (forventes at kunne opfylde) eller falsk "
                f"(forventes ikke at kunne opfylde), ikke »{value}«."
            )
        checked[ind.id] = value
    excluded = _excluded(tilbudstype, privat_med_bestyrelse)
    opfylde, ikke_opfylde = GODKENDELSE_VALG
    kriterier, temaer = {}, {}
    for tema in model.temaer:
        tema_entry = {"forventes_ikke_opfyldt": [], "ikke_vurderet": []}
        for krit in tema.kriterier:
            relevant = [i.id for i in krit.indikatorer if i.id not in excluded]
            if not relevant:
                continue
            entry = {
                "forventes_opfyldt": [i for i in relevant if checked.get(i) is True],
                "forventes_ikke_opfyldt": [i for i in relevant if checked.get(i) is False],
                "ikke_vurderet": [i for i in relevant if i not in checked],
            }
            kriterier[krit.id] = entry
            tema_entry["forventes_ikke_opfyldt"] += entry["forventes_ikke_opfyldt"]
            tema_entry["ikke_vurderet"] += entry["ikke_vurderet"]
        if any(i.id not in excluded for i in tema.indikatorer()):
            temaer[tema.navn] = tema_entry
    return {
        "vurderinger": {i: (opfylde if v else ikke_opfylde) for i, v in checked.items() if i not in excluded},
        "kriterier": kriterier,
        "temaer": temaer,
        "udeladt": [i for i in checked if i in excluded],
        "udeladt_grunde": [excluded[i] for i in checked if i in excluded],
        "mangler_vurdering": [i for k in kriterier.values() for i in k["ikke_vurderet"]],
        "bemaerkning": (
            "Ved godkendelse gives ingen score: hver indikator bedømmes som forventes at kunne opfylde eller "
            "forventes ikke at kunne opfylde, og alle indikatorer skal bedømmes. Vurderingen pr. tema er "
            "skriftlig."
        ),
        "kilde": godkendelse_kilde(),
    }
