"""Scoring og spindelvæv: indikator scores (1–5) → kriterium and tema averages and the radar chart;
a helper for 1.b; and the two-valued assessment used at godkendelse.
"""

from __future__ import annotations

import io

import streamlit as st

from kb.app import common
from kb.app.export import scores_csv
from kb.app.highlight import escape_block, escape_md
from kb.app.model_page import status_map

K_TYPE, K_PRIVAT, K_MODE = "sc_type", "sc_privat", "sc_mode"
ENTRY_HEIGHT = 640
MODE_DRIFT, MODE_GODK = "Driftsorienteret tilsyn (1–5)", "Godkendelse"

SCALE = {
    5: "I meget høj grad opfyldt",
    4: "I høj grad opfyldt",
    3: "I middel grad opfyldt",
    2: "I lav grad opfyldt",
    1: "I meget lav grad opfyldt",
}


def scale() -> dict[int, str]:
    """The driftsorienteret scale as worded in the model (from the rules' data), else our copy."""
    try:
        from kb.rules.spindelvaev import skala

        return dict(sorted(skala().items(), reverse=True)) or SCALE
    except Exception:  # noqa: BLE001 - the built-in copy has the same wording
        return SCALE


def score_key(ind_id: str) -> str:
    return f"sc_{ind_id}"


def godk_key(ind_id: str) -> str:
    return f"gk_{ind_id}"


def _use_1b(score: int) -> None:
    st.session_state[score_key("1.b")] = score


def render() -> None:
    st.title("Scoring og spindelvæv")
    st.caption(
        "Indtast scorer for indikatorerne ved driftsorienteret tilsyn. Kriteriets værdi er gennemsnittet af "
        "dets indikatorer, og temaets værdi er gennemsnittet af dets kriterier – som i kvalitetsmodellen. "
        "Indikatorer, der ikke gælder for den valgte tilbudstype, er gråtonede og indgår ikke."
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
        placeholder="Vælg tilbudstype (ellers gælder alle indikatorer)",
    )
    privat = c2.toggle(
        "Privat med bestyrelse",
        key=K_PRIVAT,
        persist_state="session",
        help="Vælg, hvis tilbuddet er et privat tilbud med en bestyrelse – det afgør, om de indikatorer, "
        "der kun gælder sådanne tilbud, skal bedømmes.",
    )
    mode = c3.radio(
        "Situation", [MODE_DRIFT, MODE_GODK], key=K_MODE, horizontal=True, persist_state="session"
    )
    statuses = status_map(r.applicability(type_id, privat_med_bestyrelse=privat)) if type_id else {}

    def applies(ind) -> bool:
        return statuses.get(ind.id, ("gaelder", {}))[0] != "gaelder_ikke"

    if mode == MODE_DRIFT:
        _drift(r, model, statuses, applies, type_id, privat)
    else:
        _godkendelse(r, model, statuses, applies, type_id, privat)


def _indicator_label(ind, status) -> str:
    text = f"**{escape_md(ind.id)}** {escape_md(ind.tekst)}"
    if status and status[0] == "gaelder_ikke":
        grund = status[1].get("grund") or "gælder ikke for tilbudstypen"
        return f":gray[{text}]  \n:gray-badge[Gælder ikke] :gray[{escape_md(str(grund))}]"
    if status and status[0] == "betinget":
        return f"{text}  \n:orange-badge[Betinget] {escape_md(str(status[1].get('betingelse', '')))}"
    return text


def _drift(r, model, statuses, applies, type_id, privat) -> None:
    st.caption("Skala: " + " · ".join(f"{k} = {v.lower()}" for k, v in scale().items()))
    outer_left, right = st.columns([3, 2], gap="large")
    # The entry list scrolls on its own, so the result stays in view while scoring.
    left = outer_left.container(height=ENTRY_HEIGHT, border=False)
    with left:
        for t_i, tema in enumerate(model.temaer):
            with st.expander(f"Tema: {escape_md(tema.navn)}", expanded=t_i == 0):
                for krit in tema.kriterier:
                    st.markdown(f"**Kriterium {escape_md(str(krit.id))}:** {escape_md(krit.tekst)}")
                    for ind in krit.indikatorer:
                        st.markdown(_indicator_label(ind, statuses.get(ind.id)))
                        ok = applies(ind)
                        if not ok:
                            st.session_state.pop(score_key(ind.id), None)
                        with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
                            st.segmented_control(
                                f"Score for {ind.id}",
                                [1, 2, 3, 4, 5],
                                key=score_key(ind.id),
                                persist_state="session",
                                disabled=not ok,
                                label_visibility="collapsed",
                                format_func=str,
                                help=None if ok else "Indikatoren gælder ikke for tilbudstypen.",
                            )
                            if ind.id == "1.b" and ok:
                                _helper_1b(r)
    with right:
        scores = {
            ind.id: int(st.session_state[score_key(ind.id)])
            for ind in model.indikatorer()
            if applies(ind) and st.session_state.get(score_key(ind.id)) is not None
        }
        _results(r, model, scores, type_id, privat)


def _helper_1b(r) -> None:
    with st.popover("Beregn 1.b ud fra antal borgere", icon=":material/calculate:"):
        st.markdown(
            "Tæl borgerne i tilbuddet og dem, der er i uddannelse, beskæftigelse eller samværs- og "
            "aktivitetstilbud inden for lovgivningens rammer (fx STU, § 103, § 104)."
        )
        borgere = st.number_input(
            "Borgere i tilbuddet",
            min_value=0,
            max_value=10000,
            value=None,
            step=1,
            key="b1_borgere",
            persist_state="session",
        )
        i_akt = st.number_input(
            "Heraf i uddannelse, beskæftigelse eller samværs- og aktivitetstilbud",
            min_value=0,
            max_value=10000,
            value=None,
            step=1,
            key="b1_aktivitet",
            persist_state="session",
            help="Borgere, der er midlertidigt fraværende fra deres uddannelse eller beskæftigelse på grund "
            "af opholdet eller behandlingen (fx på krisecenter eller i misbrugsbehandling), eller som har "
            "orlov eller er sygemeldt, tælles med her – de betragtes som værende i uddannelse eller "
            "beskæftigelse.",
        )
        pension = st.number_input(
            "Heraf borgere på folkepension uden aktivitet",
            min_value=0,
            max_value=10000,
            value=0,
            step=1,
            key="b1_pension",
            persist_state="session",
            help="Vejledningen anbefaler, at indikatoren ikke bedømmes lavere alene på grund af "
            "borgernes alder. "
            "Borgere på folkepension uden aktivitet holdes derfor ude af beregningen. Borgere på "
            "førtidspension tælles som alle andre.",
        )
        _explain_1b()
        if borgere is None or i_akt is None:
            st.caption("Udfyld antal borgere og antal i aktivitet.")
            return
        if i_akt + pension > borgere:
            common.error(
                "Antal i aktivitet plus antal på folkepension uden aktivitet kan ikke være større end "
                "antallet af borgere."
            )
            return
        res = r.score_1b(int(borgere), int(i_akt), folkepension_uden_aktivitet=int(pension))
        score = res.get("score")
        if score is None:
            st.info(escape_md(str(res.get("begrundelse") or "Der kan ikke beregnes en score.")))
        else:
            niveau = res.get("niveau") or SCALE.get(int(score), "")
            st.metric("Anbefalet score for 1.b", str(score))
            st.markdown(f"**{escape_md(str(niveau))}**")
            if res.get("andel") is not None:
                st.caption(
                    f"Andel i aktivitet: {common.fmt_num(100 * float(res['andel']), 0)} %"
                    + (f" af {res['naevner']} borgere" if res.get("naevner") is not None else "")
                )
        if res.get("begrundelse") and score is not None:
            st.markdown(escape_block(str(res["begrundelse"])))
        common.render_kilder(res, copy=False)
        if score is not None:
            st.button(
                f"Brug {score} som score for 1.b",
                on_click=_use_1b,
                args=(int(score),),
                key="b1_brug",
                type="primary",
            )


def _explain_1b() -> None:
    """Folkepension and midlertidigt fraværende, in the vejledning's own words."""
    with st.expander("Folkepension og midlertidigt fraværende – hvad siger vejledningen?"):
        st.markdown(
            "**Midlertidigt fraværende** fra uddannelse eller arbejde (fx under ophold på krisecenter, i "
            "misbrugsbehandling, på orlov eller sygemeldt) tælles med som i aktivitet, når de kan vende "
            "tilbage.  \n**Folkepension:** borgere på folkepension uden aktivitet holdes uden for "
            "beregningen, så indikatoren ikke bedømmes lavere alene på grund af alder."
        )
        try:
            from kb.rules.kilder import vejledning_kilde

            for key in ("midlertidigt_fravaer", "folkepension"):
                common.render_kilde(vejledning_kilde(key), copy=False)
        except (ImportError, KeyError):
            st.caption("Se vejledningens afsnit om borgere med folkepension og midlertidigt fraværende.")


def _results(r, model, scores: dict[str, int], type_id, privat) -> None:
    st.subheader("Resultat")
    if not scores:
        st.info(
            "Giv mindst én indikator en score for at se gennemsnit og spindelvæv.", icon=":material/edit:"
        )
        return
    res = r.spindelvaev(scores, tilbudstype=type_id, privat_med_bestyrelse=privat)
    krit_text = {str(k.id): k.tekst for t in model.temaer for k in t.kriterier}
    krit_tema = {str(k.id): t.navn for t in model.temaer for k in t.kriterier}
    temaer = res.get("temaer", {})
    st.markdown("**Temaer**")
    st.dataframe(
        [{"Tema": navn, "Gennemsnit": common.fmt_num(v)} for navn, v in temaer.items()],
        hide_index=True,
        width="stretch",
        key="sc_tab_temaer",
    )
    st.markdown("**Kriterier**")
    st.dataframe(
        [
            {"Kriterium": k, "Gennemsnit": common.fmt_num(v), "Tekst": krit_text.get(str(k), "")}
            for k, v in res.get("kriterier", {}).items()
        ],
        hide_index=True,
        width="stretch",
        key="sc_tab_kriterier",
        column_config={"Tekst": st.column_config.TextColumn(width="medium")},
    )
    if res.get("udeladt"):
        st.caption(
            "Udeladt (gælder ikke for tilbudstypen): " + escape_md(", ".join(map(str, res["udeladt"])))
        )
    if res.get("ikke_bedoemt"):
        st.caption(
            f"Ikke bedømt endnu ({len(res['ikke_bedoemt'])}): " + escape_md(", ".join(res["ikke_bedoemt"]))
        )
    with st.expander("Sådan regnes gennemsnittet"):
        common.render_kilde(res.get("kilde"), copy=False)

    rows = []
    ind_by_id = {i.id: i for i in model.indikatorer()}
    for iid, v in scores.items():
        ind = ind_by_id.get(iid)
        rows.append(
            {
                "niveau": "Indikator",
                "id": iid,
                "tekst": ind.tekst if ind else "",
                "tema": ind.tema_navn if ind else "",
                "score": v,
            }
        )
    for k, v in res.get("kriterier", {}).items():
        rows.append(
            {
                "niveau": "Kriterium",
                "id": k,
                "tekst": krit_text.get(str(k), ""),
                "tema": krit_tema.get(str(k), ""),
                "score": float(v),
            }
        )
    for navn, v in temaer.items():
        rows.append({"niveau": "Tema", "id": "", "tekst": navn, "tema": navn, "score": float(v)})

    st.markdown("**Spindelvæv**")
    png = None
    if len(temaer) >= 3:
        fig = r.radar_figure(temaer)
        st.pyplot(fig, clear_figure=False)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=160, bbox_inches="tight")
        png = buf.getvalue()
    else:
        st.info("Spindelvævet kræver scorer i mindst tre temaer.", icon=":material/radar:")
    downloads = st.container(horizontal=True)
    if png:
        downloads.download_button(
            "Hent spindelvæv (PNG)",
            data=png,
            file_name="spindelvaev.png",
            mime="image/png",
            on_click="ignore",
            icon=":material/image:",
        )
    downloads.download_button(
        "Hent scorer (CSV)",
        data=scores_csv(rows),
        file_name="scorer.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table:",
    )


def _godkendelse(r, model, statuses, applies, type_id, privat) -> None:
    valg = list(r.GODKENDELSE_VALG)
    st.caption(
        "Ved godkendelse bedømmes hver indikator med én af to værdier. Bedømmelsen understøtter en "
        "skriftlig vurdering for hvert tema; der beregnes ikke gennemsnit."
    )
    outer_left, right = st.columns([3, 2], gap="large")
    left = outer_left.container(height=ENTRY_HEIGHT, border=False)
    vurderinger: dict[str, bool] = {}
    with left:
        for t_i, tema in enumerate(model.temaer):
            with st.expander(f"Tema: {escape_md(tema.navn)}", expanded=t_i == 0):
                for krit in tema.kriterier:
                    st.markdown(f"**Kriterium {escape_md(str(krit.id))}:** {escape_md(krit.tekst)}")
                    for ind in krit.indikatorer:
                        st.markdown(_indicator_label(ind, statuses.get(ind.id)))
                        if not applies(ind):
                            continue
                        choice = st.radio(
                            f"Bedømmelse af {ind.id}",
                            valg,
                            index=None,
                            key=godk_key(ind.id),
                            persist_state="session",
                            label_visibility="collapsed",
                        )
                        if choice is not None:
                            vurderinger[ind.id] = choice == valg[0]
    with right:
        st.subheader("Resultat")
        if not vurderinger:
            st.info("Bedøm mindst én indikator.", icon=":material/edit:")
            return
        res = r.godkendelse(vurderinger, tilbudstype=type_id, privat_med_bestyrelse=privat)
        render_godkendelse(res)


def render_godkendelse(res: dict) -> None:
    """Per tema: the indicators not expected to be met and those not yet assessed; no score."""
    mangler = res.get("mangler_vurdering") or []
    n = len(res.get("vurderinger") or {})
    if mangler:
        st.warning(
            f"{n} indikatorer er bedømt. Ved godkendelse skal alle indikatorer bedømmes – "
            f"{len(mangler)} mangler: {escape_md(', '.join(mangler))}.",
            icon=":material/pending_actions:",
        )
    else:
        st.success(f"Alle {n} indikatorer er bedømt.", icon=":material/check_circle:")
    rows = [
        {
            "Tema": navn,
            "Forventes ikke opfyldt": ", ".join(t.get("forventes_ikke_opfyldt") or []) or "–",
            "Ikke bedømt": ", ".join(t.get("ikke_vurderet") or []) or "–",
        }
        for navn, t in (res.get("temaer") or {}).items()
    ]
    st.dataframe(rows, hide_index=True, width="stretch", key="gk_tabel")
    if res.get("udeladt"):
        st.caption("Gælder ikke for tilbudstypen og er udeladt: " + escape_md(", ".join(res["udeladt"])))
    if res.get("bemaerkning"):
        st.markdown(escape_md(str(res["bemaerkning"])))
    common.render_kilde(res.get("kilde"), copy=False)


if __name__ == "__main__":
    render()
