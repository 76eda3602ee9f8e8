"""Kvalitetsmodellen: browse temaer → kriterier → indikatorer in their exact wording, and see which
indicators apply to a chosen tilbudstype (and why not, quoting the model's note).
"""

from __future__ import annotations

import re

import streamlit as st

from kb.app import common
from kb.app.common import app_text
from kb.app.highlight import escape_block, escape_md, quote_block

K_TYPE, K_PRIVAT, K_FILTER = "km_type", "km_privat", "km_filter"


def status_map(app: dict | None) -> dict[str, tuple[str, dict]]:
    """Indicator id → ("gaelder" | "gaelder_ikke" | "betinget", details) for the chosen tilbudstype."""
    if not app:
        return {}
    out: dict[str, tuple[str, dict]] = {i: ("gaelder", {}) for i in app.get("gaelder", [])}
    for item in app.get("betinget", []):
        out[item["indikator"]] = ("betinget", item)
    for item in app.get("gaelder_ikke", []):
        out[item["indikator"]] = ("gaelder_ikke", item)
    return out


def _matches(ind, needle: str) -> bool:
    return not needle or needle in ind.id.lower() or needle in ind.tekst.lower()


def render_indicator(ind, status: tuple[str, dict] | None, type_navn: str | None) -> None:
    kind, info = status if status else ("", {})
    label = f"**Indikator {escape_md(ind.id)}:** {escape_md(ind.tekst)}"
    if kind == "gaelder_ikke":
        st.markdown(f":material/block: :gray[{label}]")
        st.markdown(
            f":red-badge[Gælder ikke for {escape_md(type_navn or 'tilbudstypen')}] "
            f"{escape_md(str(info.get('grund', '')))}"
        )
        common.render_kilde(info.get("kilde"), copy=False)
    elif kind == "betinget":
        st.markdown(f":material/help: {label}")
        st.markdown(f":orange-badge[Betinget] {escape_md(str(info.get('betingelse', '')))}")
        common.render_kilde(info.get("kilde"), copy=False)
    elif kind == "gaelder":
        st.markdown(f":material/check_circle: {label}")
    else:
        st.markdown(label)
        for note in getattr(ind, "noter", []) or []:
            st.markdown(quote_block(note.citat))


_LEAD_IN = re.compile(r"^Indikator\s+\S+?\.?\s+gælder\s+(?:ikke|kun)[^:]*:\s*", re.IGNORECASE)


_ONLY_FOR = re.compile(r"^Indikator\s+\S+\s+(gælder kun for bestemte tilbud, og .+? er ikke blandt dem):")


def short_reason(text: str) -> str:
    """The reason without the note lead-in: "Indikator 3.c. gælder ikke: Krisecentre …" → "Krisecentre …"."""
    text = " ".join(text.split())
    only = _ONLY_FOR.match(text)
    if only:
        return only.group(1)[0].upper() + only.group(1)[1:] + "."
    short = _LEAD_IN.sub("", text) or text
    return short if len(short) <= 140 else short[:137].rstrip() + " …"


def _status_item(item: dict, verdict: str, reason: str, ind_by_id: dict) -> None:
    """One excluded/conditional indicator: the reason in the label, wording and quoted note inside."""
    iid = item["indikator"]
    label = f"Indikator {escape_md(iid)} {verdict} · {escape_md(short_reason(app_text(reason)))}"
    with st.expander(label):
        ind = ind_by_id.get(iid)
        if ind is not None:
            st.markdown(f"**Indikator {escape_md(iid)}:** {escape_md(ind.tekst)}")
        st.markdown(escape_md(app_text(reason)))
        st.caption("Kilde")
        common.render_kilde(item.get("kilde"))


def render() -> None:
    st.title("Kvalitetsmodellen")
    st.caption(
        "Temaer, kriterier og indikatorer med den præcise ordlyd fra Kvalitetsmodel for socialtilsyn. "
        "Vælg en tilbudstype for at se, hvilke indikatorer der gælder – og hvorfor nogle ikke gør."
    )
    with common.guard():
        _render()


def _render() -> None:
    r = common.rules()
    model = r.load_model()
    typer = {t.id: t for t in r.tilbudstyper()}

    c1, c2, c3 = st.columns([3, 2, 3], vertical_alignment="bottom")
    type_id = c1.selectbox(
        "Tilbudstype",
        list(typer),
        index=None,
        key=K_TYPE,
        persist_state="session",
        format_func=lambda tid: typer[tid].label,
        placeholder="Vælg tilbudstype – eller se hele modellen",
    )
    privat = c2.toggle(
        "Privat med bestyrelse",
        key=K_PRIVAT,
        persist_state="session",
        help="Vælg, hvis tilbuddet er et privat tilbud med en bestyrelse – nogle indikatorer om ledelse "
        "og bestyrelse gælder kun for sådanne tilbud.",
    )
    needle = (
        (
            c3.text_input(
                "Filtrér indikatorer",
                key=K_FILTER,
                max_chars=100,
                persist_state="session",
                placeholder="fx 3.c eller pårørende",
            )
            or ""
        )
        .strip()
        .lower()
    )

    app = r.applicability(type_id, privat_med_bestyrelse=privat) if type_id else None
    statuses = status_map(app)
    type_navn = (typer[type_id].navn[:1].lower() + typer[type_id].navn[1:]) if type_id else None

    if app:
        ind_by_id = {i.id: i for i in model.indikatorer()}
        m1, m2, m3 = st.columns(3)
        m1.metric("Gælder", len(app.get("gaelder", [])))
        m2.metric("Gælder ikke", len(app.get("gaelder_ikke", [])))
        m3.metric("Betinget", len(app.get("betinget", [])))
        if app.get("gaelder_ikke"):
            st.subheader(f"Gælder ikke for {escape_md(type_navn or '')}")
            for item in app["gaelder_ikke"]:
                _status_item(item, "gælder ikke", str(item.get("grund", "")), ind_by_id)
        else:
            st.success(f"Alle indikatorer i modellen gælder for {escape_md(type_navn or '')}.")
        if app.get("betinget"):
            st.subheader("Gælder kun på betingelse")
            for item in app["betinget"]:
                _status_item(item, "betinget", str(item.get("betingelse", "")), ind_by_id)

    st.subheader("Temaer, kriterier og indikatorer")
    shown = 0
    for tema in model.temaer:
        kriterier = [(k, [i for i in k.indikatorer if _matches(i, needle)]) for k in tema.kriterier]
        if needle:
            kriterier = [(k, inds) for k, inds in kriterier if inds or needle in k.tekst.lower()]
            if not kriterier:
                continue
        shown += 1
        with st.expander(f"Tema: {escape_md(tema.navn)}", expanded=bool(needle)):
            if tema.beskrivelse:
                st.markdown(escape_block(tema.beskrivelse))
            for note in getattr(tema, "noter", []) or []:
                st.markdown(quote_block(note.citat))
            for krit, inds in kriterier:
                st.markdown(f"##### Kriterium {escape_md(str(krit.id))}: {escape_md(krit.tekst)}")
                for ind in inds:
                    render_indicator(ind, statuses.get(ind.id), type_navn)
    if needle and not shown:
        st.info(
            "Ingen indikatorer passer på filteret. Prøv et indikatornummer som »3.c« eller et enkelt ord."
        )


if __name__ == "__main__":
    render()
