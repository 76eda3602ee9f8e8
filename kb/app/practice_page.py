"""Øv dig: short cases for new staff. The learner answers; the rule engine explains with the quote.

Cases, answers and explanations come from ``kb.rules.practice_cases()`` (built from the rules and
their sources), not from this page.
"""

from __future__ import annotations

import streamlit as st

from kb.app import common
from kb.app.highlight import escape_block, escape_md

K_CASE, K_RESULTS, K_KIND = "ov_case", "ov_resultater", "ov_emne"
ALL = "alle"


def answer_key(case_id: str) -> str:
    return f"ov_svar_{case_id}"


def correct_text(case: dict) -> str:
    """The correct option as text (``korrekt`` may be the option itself or its index)."""
    korrekt = case.get("korrekt")
    options = list(case.get("svarmuligheder") or [])
    if isinstance(korrekt, int) and not isinstance(korrekt, bool) and 0 <= korrekt < len(options):
        return str(options[korrekt])
    return str(korrekt)


def _reset_case() -> None:
    st.session_state[K_CASE] = 0


def _step(delta: int, n: int) -> None:
    st.session_state[K_CASE] = (st.session_state.get(K_CASE, 0) + delta) % n


def _submit(case: dict) -> None:
    chosen = st.session_state.get(answer_key(case["id"]))
    if chosen is None:
        return
    st.session_state.setdefault(K_RESULTS, {})[case["id"]] = (str(chosen), str(chosen) == correct_text(case))


def render() -> None:
    st.title("Øv dig")
    st.caption(
        "Korte cases om kvalitetsmodellen og vejledningen. Vælg dit svar – så forklarer regelmotoren, "
        "hvad der gælder, og citerer kilden."
    )
    with common.guard():
        _render()


def _render() -> None:
    cases = common.rules().practice_cases()
    if not cases:
        st.info("Der er ingen øvelsescases endnu.")
        return
    results: dict = st.session_state.setdefault(K_RESULTS, {})
    total = len(cases)
    right = sum(1 for _, ok in results.values() if ok)
    st.progress(len(results) / total, text=f"Besvaret {len(results)} af {total} cases · {right} rigtige")

    kinds = list(dict.fromkeys(c.get("type", "") for c in cases))
    st.pills(
        "Emne",
        [ALL, *kinds],
        key=K_KIND,
        persist_state="session",
        default=ALL,
        format_func=lambda k: "Alle" if k == ALL else common.RULE_TYPES.get(k, k),
        on_change=_reset_case,
    )
    kind = st.session_state.get(K_KIND) or ALL
    if kind != ALL:
        cases = [c for c in cases if c.get("type") == kind]
    n = len(cases)
    if K_CASE not in st.session_state or not 0 <= st.session_state[K_CASE] < n:
        st.session_state[K_CASE] = 0
    nav = st.columns([5, 1, 1], vertical_alignment="bottom")
    nav[0].selectbox(
        "Case",
        range(n),
        key=K_CASE,
        persist_state="session",
        format_func=lambda i: (
            ("✓ " if cases[i]["id"] in results else "") + f"{i + 1}. {cases[i]['spoergsmaal']}"
        ),
    )
    nav[1].button("Forrige", on_click=_step, args=(-1, n), width="stretch", icon=":material/arrow_back:")
    nav[2].button("Næste", on_click=_step, args=(1, n), width="stretch", icon=":material/arrow_forward:")

    case = cases[st.session_state[K_CASE]]
    with st.container(border=True):
        st.markdown(f"#### {escape_md(case['spoergsmaal'])}")
        options = [str(o) for o in case.get("svarmuligheder") or []]
        st.radio("Dit svar", options, index=None, key=answer_key(case["id"]), persist_state="session")
        st.button(
            "Svar",
            type="primary",
            on_click=_submit,
            args=(case,),
            key=f"ov_knap_{case['id']}",
            icon=":material/check:",
        )

    done = results.get(case["id"])
    if done is None:
        return
    chosen, ok = done
    if ok:
        st.success(f"Rigtigt: {escape_md(chosen)}", icon=":material/check_circle:")
    else:
        st.error(
            f"Ikke helt. Du svarede »{escape_md(chosen)}«. "
            f"Det rigtige svar er »{escape_md(correct_text(case))}«.",
            icon=":material/cancel:",
        )
    if case.get("forklaring"):
        st.markdown("**Forklaring:** " + escape_block(str(case["forklaring"])))
    common.render_kilde(case.get("kilde"))


if __name__ == "__main__":
    render()
