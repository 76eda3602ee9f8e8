"""Særligt tilbud?: does an activity count on indikator 1.b? Verdict, reason and quote, plus the
overview of what counts and what does not.
"""

from __future__ import annotations

import streamlit as st

from kb.app import common
from kb.app.highlight import escape_block, escape_md

K_TEXT = "sa_tekst"
MAX_ACTIVITY = 1000

EXAMPLES = [
    "beskyttet beskæftigelse efter § 103",
    "recovery-skole som botilbuddet selv driver",
    "STU – særligt tilrettelagt ungdomsuddannelse",
    "kreativt værksted på tilbuddet",
]


def verdict(res: dict) -> None:
    """Verdict box: counts / does not count / needs a concrete assessment."""
    omfattet = res.get("omfattet")
    kategori = res.get("kategori")
    suffix = f" ({kategori})" if kategori else ""
    if omfattet is True:
        st.success(
            f"Tæller som særligt tilbud på indikator 1.b{escape_md(suffix)}", icon=":material/check_circle:"
        )
    elif omfattet is False:
        st.error(f"Tæller ikke på indikator 1.b{escape_md(suffix)}", icon=":material/cancel:")
    else:
        st.warning(
            "Kan ikke afgøres ud fra beskrivelsen alene – det kræver en konkret vurdering"
            + escape_md(suffix),
            icon=":material/help:",
        )
    if res.get("begrundelse"):
        st.markdown("**Begrundelse:** " + escape_md(str(res["begrundelse"])))
    hvad = res.get("hvad_undersoeges")
    if hvad:
        st.markdown("**Det bør undersøges:**")
        items = hvad if isinstance(hvad, list | tuple) else [hvad]
        for item in items:
            st.markdown("- " + escape_md(str(item)))
    st.caption("Kilde")
    common.render_kilder(res)


def _set_example(text: str) -> None:
    st.session_state[K_TEXT] = text


def render() -> None:
    st.title("Særligt tilbud?")
    st.caption(
        "Beskriv en aktivitet, borgeren deltager i, og få at vide, om den tæller som uddannelse, "
        "beskæftigelse eller samværs- og aktivitetstilbud ved bedømmelsen af indikator 1.b – med "
        "begrundelse og citat fra vejledningen."
    )
    with common.guard():
        _render()


def _render() -> None:
    r = common.rules()
    left, right = st.columns([3, 2], gap="large")
    with left:
        with st.form("sa_form", border=True):
            st.text_area(
                "Beskriv aktiviteten",
                key=K_TEXT,
                persist_state="session",
                max_chars=MAX_ACTIVITY,
                height=110,
                placeholder="fx Borgeren går på en recovery-skole, som botilbuddet selv driver.",
            )
            st.form_submit_button("Vurdér", type="primary", icon=":material/gavel:")
        st.caption("Eksempler:")
        with st.container(horizontal=True):
            for i, ex in enumerate(EXAMPLES):
                st.button(ex, key=f"sa_eks_{i}", on_click=_set_example, args=(ex,))
        text = (st.session_state.get(K_TEXT) or "").strip()
        if text:
            st.subheader("Vurdering")
            verdict(r.saerligt_tilbud(text))
        else:
            st.info("Skriv en aktivitet ovenfor og tryk »Vurdér«.", icon=":material/edit:")

    with right:
        ov = r.saerligt_overview()
        st.subheader(escape_md(str(ov.get("titel") or "Hvad tæller på indikator 1.b?")))
        st.markdown("##### :material/check_circle: Tæller")
        for item in ov.get("omfattet", []):
            _overview_item(item)
        st.markdown("##### :material/cancel: Tæller ikke")
        for item in ov.get("ikke_omfattet", []):
            _overview_item(item)
        if ov.get("saerregler"):
            st.markdown("##### :material/info: Særregler")
            for rule in ov["saerregler"]:
                with st.expander(escape_md(str(rule.get("titel", "Særregel")))):
                    st.markdown(escape_block(str(rule.get("tekst", ""))))
                    common.render_kilde(rule.get("kilde"), copy=False)


def _overview_item(item: dict) -> None:
    with st.expander(escape_md(str(item.get("kategori", "")))):
        eksempler = item.get("eksempler") or []
        if isinstance(eksempler, str):
            eksempler = [eksempler]
        for ex in eksempler:
            st.markdown("- " + escape_md(str(ex)))
        common.render_kilde(item.get("kilde"), copy=False)


if __name__ == "__main__":
    render()
