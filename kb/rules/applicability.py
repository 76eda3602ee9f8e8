"""Which indicators apply to a tilbudstype: the model's notes evaluated, each verdict quoting its note.

A note naming a tilbudstype also covers its narrower types (``under`` in tilbudstyper.yaml). A note that
names only a narrower type makes the indicator conditional (betinget) for the broader type: an
"opholdssted" may be one approved only for aflastning. Indicator 8.c depends on a property; without
``privat_med_bestyrelse=True`` kb cannot know, so it is conditional rather than excluded.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.rules.kilder import load_data, model_kilde
from kb.rules.model import (
    PRIVAT_MED_BESTYRELSE,
    Indikator,
    Note,
    Tilbudstype,
    ancestors,
    egenskaber,
    load_model,
    resolve_tilbudstype,
    tilbudstype,
)


@dataclass(frozen=True)
class Status:
    indikator: str
    status: str  # "gaelder" | "gaelder_ikke" | "betinget"
    tekst: str  # grund (gaelder_ikke), betingelse (betinget) or why it applies (gaelder)
    kilde: dict


def generelt_kilde() -> dict:
    g = load_data("kvalitetsmodel.yaml")["generelt"]
    return model_kilde(g["section"], g["citat"])


def _navne(ids: list[str]) -> str:
    names = [egenskaber()[i]["navn"] if i == PRIVAT_MED_BESTYRELSE else tilbudstype(i).navn for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]


def _note_verdict(note: Note, t: Tilbudstype, privat: bool, indikator: Indikator, tema: bool):
    """(status, text) for one note; status None when the note leaves the indicator applying."""
    own = {t.id} | ancestors(t.id)
    covered = [i for i in note.tilbudstyper if i in own]
    narrower = [i for i in note.tilbudstyper if i != PRIVAT_MED_BESTYRELSE and t.id in ancestors(i)]
    if note.kind == "gaelder_ikke":
        if covered:
            if tema:
                return "gaelder_ikke", note.citat
            punkt = next((p for p in note.punkter if set(p.tilbudstyper) & own), None)
            return "gaelder_ikke", f"{note.indledning} {punkt.tekst}" if punkt else note.citat
        if narrower:
            hvad = "temaet" if tema else f"indikator {indikator.id}"
            return "betinget", f"Gælder ikke, hvis tilbuddet er: {_navne(narrower)} ({hvad} er undtaget for dem)."
        return None, ""
    # gaelder_kun
    if PRIVAT_MED_BESTYRELSE in note.tilbudstyper:
        if privat:
            return None, ""
        return "betinget", (
            "Gælder kun, hvis tilbuddet er et privat tilbud med en bestyrelse "
            "(angiv --privat-med-bestyrelse, hvis det er tilfældet)."
        )
    if covered:
        return None, ""
    if narrower:
        return "betinget", f"Gælder kun, hvis tilbuddet er: {_navne(narrower)}."
    return "gaelder_ikke", (
        f"Indikator {indikator.id} gælder kun for bestemte tilbud, og {t.navn.lower()} er ikke blandt dem: "
        f"»{note.citat}«"
    )


def indikator_status(indikator_id: str, tilbudstype_text: str, privat_med_bestyrelse: bool = False) -> Status:
    """The verdict for one indicator and one tilbudstype, with the note it rests on."""
    model = load_model()
    ind = model.indikator(indikator_id)
    t = resolve_tilbudstype(tilbudstype_text)
    return _status(ind, t, privat_med_bestyrelse)


def _status(ind: Indikator, t: Tilbudstype, privat: bool) -> Status:
    tema = load_model().tema(ind.tema_navn)
    conditions: list[tuple[str, Note]] = []
    for note, is_tema in [(n, True) for n in tema.noter] + [(n, False) for n in ind.noter]:
        status, tekst = _note_verdict(note, t, privat, ind, is_tema)
        if status == "gaelder_ikke":
            return Status(ind.id, "gaelder_ikke", tekst, note.kilde())
        if status == "betinget":
            conditions.append((tekst, note))
    if conditions:
        return Status(ind.id, "betinget", " ".join(c for c, _ in conditions), conditions[0][1].kilde())
    if ind.noter or tema.noter:
        note = (tema.noter + ind.noter)[0]
        return Status(ind.id, "gaelder", f"Indikator {ind.id} gælder for {t.navn.lower()}.", note.kilde())
    return Status(
        ind.id,
        "gaelder",
        f"Indikator {ind.id} gælder for alle tilbudstyper, da kvalitetsmodellen ikke angiver andet.",
        generelt_kilde(),
    )


def statuses(tilbudstype_text: str, privat_med_bestyrelse: bool = False) -> tuple[Tilbudstype, list[Status]]:
    t = resolve_tilbudstype(tilbudstype_text)
    return t, [_status(ind, t, privat_med_bestyrelse) for ind in load_model().indikatorer()]


def applicability(tilbudstype: str, privat_med_bestyrelse: bool = False) -> dict:
    """The ``kb indikatorer --json`` answer: which indicators apply, which not (and why), which depend."""
    t, result = statuses(tilbudstype, privat_med_bestyrelse)
    return {
        "tilbudstype": t.to_json(),
        "privat_med_bestyrelse": bool(privat_med_bestyrelse),
        "gaelder": [s.indikator for s in result if s.status == "gaelder"],
        "gaelder_ikke": [
            {"indikator": s.indikator, "grund": s.tekst, "kilde": s.kilde}
            for s in result
            if s.status == "gaelder_ikke"
        ],
        "betinget": [
            {"indikator": s.indikator, "betingelse": s.tekst, "kilde": s.kilde}
            for s in result
            if s.status == "betinget"
        ],
    }
