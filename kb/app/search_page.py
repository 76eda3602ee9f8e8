"""Søg: one search box; rule cards first, then cited passages. The search lives in the URL.

Run as a Streamlit page (``st.Page``); ``render()`` draws it.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from kb.app import common
from kb.app.export import results_docx, results_markdown
from kb.app.highlight import escape_block, escape_md, highlight
from kb.errors import KbError

log = logging.getLogger("kb.app")

EXAMPLES = [
    "hvad tæller som særligt tilbud?",
    "gælder 3.c for et krisecenter?",
    "borgere med folkepension og indikator 1.b",
    "recovery-skole som tilbuddet selv driver",
]

K_Q, K_KILDER, K_ANTAL, K_SYNCED = "soeg_q", "soeg_kilder", "soeg_antal", "_soeg_synced_url"
# The thesaurus' words shown under the search ("Søgte også efter beslægtede ord: …").
MAX_TERMS_SHOWN = 6


def _sync_from_url(valid_ids: list[str]) -> None:
    """Adopt ``?q=…&kilde=…`` when the URL carries a search we have not shown yet (shared link, history)."""
    url_q = st.query_params.get("q", "")
    url_k = st.query_params.get_all("kilde")
    url = (url_q, tuple(url_k))
    if not url_q and not url_k:
        return  # a bare URL (e.g. coming back from another page) keeps the current search
    if st.session_state.get(K_SYNCED) == url:
        return
    if len(url_q) > common.MAX_QUERY:
        st.session_state["_soeg_truncated"] = True
    st.session_state[K_Q] = url_q[: common.MAX_QUERY]
    unknown = [k for k in url_k if k not in valid_ids]
    if unknown:
        st.session_state["_soeg_unknown"] = unknown
    st.session_state[K_KILDER] = [k for k in dict.fromkeys(url_k) if k in valid_ids]
    st.session_state[K_SYNCED] = url


def _sync_to_url(q: str, kilder: list[str]) -> None:
    """Write the current search into the URL so it can be shared and bookmarked."""
    state = (q, tuple(kilder))
    if st.session_state.get(K_SYNCED) == state and st.query_params.get("q", "") == q:
        return
    params: dict = {}
    if q:
        params["q"] = q
    if kilder:
        params["kilde"] = list(kilder)
    st.query_params.from_dict(params)
    st.session_state[K_SYNCED] = state


def _set_example(text: str) -> None:
    st.session_state[K_Q] = text


def _run_search(engine, q: str, kilder: list[str], antal: int):
    """Search (memoised per session, so reruns from downloads/expanders don't search again)."""
    key = (q, tuple(kilder), antal, id(engine))
    memo = st.session_state.get("_soeg_memo")
    if memo and memo[0] == key:
        return memo[1], memo[2]
    t0 = time.perf_counter()
    hits = engine.search(q, top_k=antal, kilder=kilder or None)
    elapsed = time.perf_counter() - t0
    st.session_state["_soeg_memo"] = (key, hits, elapsed)
    return hits, elapsed


def _rule_cards(q: str) -> tuple[list[dict], str | None]:
    """Rule cards for the question; a rules failure must not hide the passages."""
    try:
        return common.rules().rule_cards(q), None
    except KbError as e:
        return [], str(e)
    except Exception:
        log.exception("rule_cards fejlede")
        return (
            [],
            "Regelkortene kunne ikke beregnes for dette spørgsmål. Tekststykkerne herunder er ikke berørt.",
        )


def card_tone(card: dict) -> str:
    """How the verdict box is coloured: "ja", "nej", "maaske" or "info"."""
    det = card.get("detaljer") or {}
    if card.get("type") == "anvendelighed" and "status" in det:
        return {"gaelder": "ja", "gaelder_ikke": "nej"}.get(det["status"], "maaske")
    if card.get("type") == "saerligt_tilbud" and "omfattet" in det:
        return {True: "ja", False: "nej"}.get(det["omfattet"], "maaske")
    return "info"


def _verdict(text: str, tone: str) -> None:
    body = escape_md(text)
    if tone == "ja":
        st.success(body, icon=":material/check_circle:")
    elif tone == "nej":
        st.error(body, icon=":material/cancel:")
    elif tone == "maaske":
        st.warning(body, icon=":material/help:")
    else:
        st.info(body, icon=":material/gavel:")


def render_card(card: dict, n: int = 0) -> None:
    """A rule card: verdict, reasoning and the quoted source with a copyable citation."""
    kind = str(card.get("type") or "")
    det = card.get("detaljer") or {}
    with st.container(border=True, key=f"regelkort_{n}"):
        st.badge(common.RULE_TYPES.get(kind, "Regel"), icon=":material/gavel:", color="violet")
        st.markdown(f"#### {escape_md(str(card.get('titel', '')))}")
        if kind == "oversigt_saerlige_tilbud" and det.get("omfattet"):
            left, right = st.columns(2)
            for col, key, head in ((left, "omfattet", "Tæller"), (right, "ikke_omfattet", "Tæller ikke")):
                icon = ":material/check_circle:" if key == "omfattet" else ":material/cancel:"
                col.markdown(f"**{icon} {head}**")
                col.markdown(
                    "\n".join(
                        f"- **{escape_md(c['kategori'])}:** {escape_md(', '.join(c.get('eksempler') or []))}"
                        for c in det[key]
                    )
                )
            for rule in det.get("saerregler") or []:
                st.markdown(f"**{escape_md(rule['titel'])}:** {escape_md(common.app_text(rule['tekst']))}")
        else:
            resultat = card.get("resultat")
            if resultat not in (None, ""):
                _verdict(common.app_text(str(resultat)), card_tone(card))
            begr = common.app_text(str(card.get("begrundelse") or "")).strip()
            if begr:
                lines = [line for line in begr.splitlines() if line.strip()]
                if len(lines) > 1:
                    st.markdown("\n".join("- " + escape_md(line) for line in lines))
                else:
                    st.markdown(escape_md(begr))
        kilde = card.get("kilde")
        if kilde:
            st.caption("Kilde")
            common.render_kilde(kilde)


def render_hit(engine, hit, q: str) -> None:
    """One passage: where it is from, the text with highlights, its citation and its context."""
    with st.container(border=True, key=f"tekststykke_{hit.rank}"):
        st.markdown(f"**{hit.rank}. {escape_md(hit.title)}**")
        where = [hit.section] if hit.section else []
        if hit.pages:
            where.append(hit.pages)
        if where:
            st.caption(escape_md(" · ".join(where)))
        st.markdown(highlight(hit.text, q, hit.best_sentence))
        st.caption("Kopiér kildehenvisning (knappen til højre i feltet):")
        st.code(hit.citation, language=None, wrap_lines=True)
        with st.expander("Vis i kilden", icon=":material/menu_book:"):
            try:
                ctx = engine.context(hit)
            except KbError as e:
                st.warning(str(e))
                return
            except Exception:
                log.exception("context() fejlede")
                st.warning("Den omgivende tekst kunne ikke hentes for dette tekststykke.")
                return
            if ctx.get("section"):
                st.caption("Afsnit: " + escape_md(ctx["section"]))
            if ctx.get("before", "").strip():
                st.markdown(escape_block(ctx["before"]))
            st.markdown(highlight(ctx.get("passage", hit.text), q, None, mark_all=True))
            if ctx.get("after", "").strip():
                st.markdown(escape_block(ctx["after"]))
            if not ctx.get("before", "").strip() and not ctx.get("after", "").strip():
                st.caption("Tekststykket udgør hele afsnittet.")
            else:
                st.caption("Det fundne tekststykke står med fed.")


def _downloads(q: str, cards: list[dict], hits: list, src_titles: list[str]) -> None:
    """Markdown and Word downloads, generated only when clicked."""
    sources = common.sources_by_id()  # read now: the callables below run outside the script

    def cite(kilde: dict) -> str:
        return common.kilde_citation(kilde, sources)

    args = (q, cards, hits, cite, src_titles)
    # A row that sizes each button to its label: fixed columns cut "Hent som Markdown" short.
    row = st.container(horizontal=True)
    row.download_button(
        "Hent som Markdown",
        data=lambda: results_markdown(*args).encode("utf-8"),
        file_name="soegeresultater.md",
        mime="text/markdown",
        on_click="ignore",
        icon=":material/download:",
        help="Resultaterne med kildehenvisninger som Markdown-fil.",
    )
    row.download_button(
        "Hent som Word",
        data=lambda: results_docx(*args),
        file_name="soegeresultater.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        on_click="ignore",
        icon=":material/description:",
        help="Resultaterne med kildehenvisninger som Word-dokument (.docx).",
    )


def render() -> None:
    st.title("Søg i vejledningerne")
    st.caption(
        "Stil et spørgsmål med dine egne ord. Du får først de regler, der svarer på det, "
        "og derefter de tekststykker i kilderne, der bedst besvarer det – med kildehenvisning."
    )
    engine = common.engine_or_stop()
    sources = list(engine.sources)
    valid_ids = [s.id for s in sources]
    titles = {s.id: s.title for s in sources}

    _sync_from_url(valid_ids)
    if K_ANTAL not in st.session_state:
        st.session_state[K_ANTAL] = 10

    with st.sidebar:
        st.subheader("Filtre")
        kilder = st.multiselect(
            "Kilder",
            valid_ids,
            key=K_KILDER,
            persist_state="session",
            format_func=lambda sid: titles.get(sid, sid),
            placeholder="Alle kilder",
            help="Søg kun i de valgte kilder. Tomt felt betyder alle kilder.",
        )
        antal = st.slider("Antal tekststykker", 3, 30, key=K_ANTAL, persist_state="session")

    with st.form("soeg_form", border=False):
        cols = st.columns([6, 1], vertical_alignment="bottom")
        with cols[0]:
            st.text_input(
                "Spørgsmål eller søgeord",
                key=K_Q,
                persist_state="session",
                max_chars=common.MAX_QUERY,
                placeholder="fx hvad tæller som særligt tilbud?",
                help=f"Højst {common.MAX_QUERY} tegn. Tryk Enter eller »Søg«.",
            )
        with cols[1]:
            st.form_submit_button("Søg", type="primary", icon=":material/search:", width="stretch")

    if st.session_state.pop("_soeg_truncated", False):
        st.warning(f"Spørgsmålet i linket var for langt og er afkortet til {common.MAX_QUERY} tegn.")
    unknown = st.session_state.pop("_soeg_unknown", None)
    if unknown:
        st.warning(
            "Linket nævner kilder, der ikke findes i indekset, og de er sprunget over: "
            + escape_md(", ".join(unknown))
        )

    q = (st.session_state.get(K_Q) or "").strip()
    _sync_to_url(q, list(kilder))

    if not q:
        st.markdown("**Prøv fx:**")
        with st.container(horizontal=True):
            for i, ex in enumerate(EXAMPLES):
                st.button(
                    ex, key=f"soeg_eks_{i}", on_click=_set_example, args=(ex,), icon=":material/search:"
                )
        return

    hits, elapsed = None, 0.0
    with common.guard():
        hits, elapsed = _run_search(engine, q, list(kilder), int(antal))
    if hits is None:
        return
    # The question as searched: æøå restored and typing slips mended from the sources' own words.
    interpreted = engine.interpret(q)
    cards, cards_error = _rule_cards(interpreted)

    scope = "alle kilder" if not kilder else ", ".join(titles.get(k, k) for k in kilder)
    searched_for = f"Søgte efter »{interpreted}« · " if interpreted != q else ""
    found = f"{len(hits)} tekststykke" + ("" if len(hits) == 1 else "r")
    if cards:
        found = f"{len(cards)} regelkort og {found}"
    st.caption(escape_md(f"{searched_for}{found} · søgt i {scope} · {common.fmt_num(elapsed)} s"))

    terms = engine.thesaurus_terms(q)
    if terms:
        shown = ", ".join(terms[:MAX_TERMS_SHOWN]) + (" …" if len(terms) > MAX_TERMS_SHOWN else "")
        st.caption(escape_md(f"Søgte også efter beslægtede ord: {shown}"))

    _downloads(q, cards, hits, [titles.get(k, k) for k in kilder])

    if cards_error:
        st.warning(cards_error)
    if cards:
        st.subheader("Regler")
        for n, card in enumerate(cards):
            render_card(card, n)

    if not hits:
        st.info(
            "Ingen tekststykker matchede søgningen. Prøv med andre eller færre ord, skriv spørgsmålet "
            "som en hel sætning, eller fjern kildefilteret i sidepanelet.",
            icon=":material/search_off:",
        )
    else:
        st.subheader("Tekststykker")
        for hit in hits:
            render_hit(engine, hit, interpreted)


if __name__ == "__main__":
    render()
