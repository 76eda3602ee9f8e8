"""The Streamlit app, page by page, through ``AppTest`` with the real index and the real rules."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kb import index_store
from kb.app.common import ERROR_ICON
from kb.app.highlight import escape_md

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
QUESTION = "hvad tæller som særligt tilbud?"

PAGE_MODEL = "kb/app/model_page.py"
PAGE_SAERLIGT = "kb/app/saerligt_page.py"
PAGE_SCORING = "kb/app/scoring_page.py"
PAGE_PRACTICE = "kb/app/practice_page.py"
PAGE_SOURCES = "kb/app/sources_page.py"
PAGE_SEARCH = "kb/app/search_page.py"


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120)


def texts(at: AppTest) -> str:
    """Everything the page shows as Markdown/captions/alerts, joined (to search in)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [h.value for h in at.title] + [h.value for h in at.header] + [h.value for h in at.subheader]
    for kind in ("success", "error", "warning", "info"):
        parts += [e.value for e in getattr(at, kind)]
    return "\n".join(parts)


def errors(at: AppTest) -> list[str]:
    """Real error messages (negative verdicts such as "gælder ikke" use another icon)."""
    return [e.value for e in at.error if e.icon == ERROR_ICON]


def assert_clean(at: AppTest) -> None:
    """No exception element, no error message, and nothing rendered as raw HTML."""
    assert not at.exception, [e.value for e in at.exception]
    assert not errors(at), errors(at)
    assert all(not m.proto.allow_html for m in at.markdown), "Markdown med allow_html"


def search(at: AppTest, query: str) -> AppTest:
    """Type a query in the search box and press »Søg«."""
    at.text_input(key="soeg_q").set_value(query)
    return next(b for b in at.button if b.label == "Søg").click().run()


# --- Søg -----------------------------------------------------------------------------------


def test_search_shows_rule_card_and_cited_passage():
    from kb.rules import rule_cards

    at = new_app().run()
    assert_clean(at)
    search(at, QUESTION)
    assert_clean(at)
    cards = rule_cards(QUESTION)
    assert cards, "regelmotoren skal give et regelkort for spørgsmålet"
    shown = texts(at)
    assert "Regler" in [s.value for s in at.subheader]
    for card in cards:
        assert escape_md(card["titel"]) in shown
    # The passages: each citation is shown in a copyable code block and names the source.
    citations = [c.value for c in at.code]
    assert any("Social- og Boligstyrelsen (2024)" in c for c in citations), citations
    assert "Tekststykker" in [s.value for s in at.subheader]
    # The best-answering sentence is emphasised and query words marked.
    assert any(":orange-background[" in m.value and "**" in m.value for m in at.markdown)
    # "Vis i kilden" is there for every passage.
    assert sum(1 for e in at.expander if e.label == "Vis i kilden") >= 3
    # The URL now carries the search.
    assert at.query_params.get("q") == QUESTION


def test_search_shows_how_kriterium_and_tema_values_are_averaged():
    """The averaging rule sits beside the passages, worked out on the scores the question gives, with the
    app's own calculator named instead of the command line."""
    at = new_app().run()
    search(at, "1.a fik 4 og 1.b fik 2 – hvad bliver kriteriescoren?")
    assert_clean(at)
    shown = texts(at)
    assert escape_md("Sådan udregnes kriteriets og temaets værdi") in shown
    assert escape_md("kriterium 1: 3,00") in shown
    assert "Scoring og spindelvæv" in shown and "kb spindelvaev" not in shown
    assert any("gennemsnit af henholdsvis indikatorernes og kriteriernes værdier" in m.value for m in at.markdown)


def test_search_repairs_spelling_and_says_so():
    """Typed without æøå and with a slip, the question still gets its rule card and says what was searched."""
    at = new_app().run()
    search(at, "hvordan scorer jeg 1.b naar borgerne er paa folkepesnion?")
    assert_clean(at)
    searched = escape_md("Søgte efter »hvordan scorer jeg 1.b når borgerne er på folkepension?«")
    assert any(searched in c.value for c in at.caption), [c.value for c in at.caption]
    assert "Regler" in [s.value for s in at.subheader]
    assert "folkepension" in texts(at).lower()
    # The plain letters of a foreign keyboard are read the same way.
    search(at, "hvordan scorer jeg 1.b nar borgerne er pa folkepension?")
    assert_clean(at)
    assert any(searched in c.value for c in at.caption), [c.value for c in at.caption]
    assert "Regler" in [s.value for s in at.subheader]
    search(at, QUESTION)
    assert not any("Søgte efter" in c.value for c in at.caption)


def test_search_shows_the_related_words_it_also_searched():
    """New staff see that "bosted" is searched as the sources' "botilbud" too."""
    at = new_app().run()
    search(at, "må beboeren på bostedet have et job?")
    assert_clean(at)
    related = [c.value for c in at.caption if c.value.startswith(escape_md("Søgte også efter beslægtede ord: "))]
    assert len(related) == 1 and "botilbud" in related[0] and related[0].endswith("…")
    search(at, "Skibbyhøj og Dalhoffsminde")
    assert not any("beslægtede" in c.value for c in at.caption)


def test_search_caption_counts_what_it_found():
    """"1 regelkort og 10 tekststykker"; without rule cards only the passages are counted."""
    from kb.rules import rule_cards

    at = new_app().run()
    search(at, QUESTION)
    n_cards = len(rule_cards(QUESTION))
    assert n_cards and any(c.value.startswith(escape_md(f"{n_cards} regelkort og 10 tekststykker · søgt i alle kilder"))
                           for c in at.caption), [c.value for c in at.caption]
    search(at, "Skibbyhøj og Dalhoffsminde")
    assert_clean(at)
    assert not rule_cards("Skibbyhøj og Dalhoffsminde")
    assert any(c.value.startswith(escape_md("10 tekststykker · søgt i alle kilder")) for c in at.caption)
    assert not any("regelkort" in c.value for c in at.caption)


def test_search_survives_a_visit_to_another_page():
    at = new_app().run()
    at.multiselect(key="soeg_kilder").set_value(["vejledning"])
    search(at, "borgere med folkepension")
    at.switch_page(PAGE_MODEL).run()
    assert_clean(at)
    at.switch_page(PAGE_SEARCH).run()
    assert_clean(at)
    assert at.text_input(key="soeg_q").value == "borgere med folkepension"
    assert at.multiselect(key="soeg_kilder").value == ["vejledning"]
    assert at.query_params["q"] == "borgere med folkepension"
    assert any(c.value.startswith("Social- og Boligstyrelsen (2024)") for c in at.code)


def test_source_filter_limits_passages_to_the_chosen_source():
    at = new_app().run()
    at.multiselect(key="soeg_kilder").set_value(["kvalitetsmodel"])
    search(at, "gælder 3.c for et krisecenter?")
    assert_clean(at)
    cites = [c.value for c in at.code if "(20" in c.value]
    passage_cites = [c for c in cites if c.startswith("Socialstyrelsen (2017)")]
    assert passage_cites, cites
    # Every passage is from Kvalitetsmodellen; no other source slips through.
    titles = [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value[:8]]
    assert titles and all("Kvalitetsmodel for socialtilsyn" in t for t in titles), titles
    kilde = at.query_params.get("kilde")
    assert kilde == "kvalitetsmodel" or kilde == ["kvalitetsmodel"]


def test_query_params_round_trip():
    at = new_app()
    at.query_params["q"] = QUESTION
    at.query_params["kilde"] = ["vejledning", "kvalitetsmodel"]
    at.run()
    assert_clean(at)
    assert at.text_input(key="soeg_q").value == QUESTION
    assert at.multiselect(key="soeg_kilder").value == ["vejledning", "kvalitetsmodel"]
    assert any(c.value.startswith("Social- og Boligstyrelsen (2024)") for c in at.code)
    assert at.query_params["q"] == QUESTION
    assert sorted(at.query_params["kilde"]) == ["kvalitetsmodel", "vejledning"]
    # A new search from the box is written back to the URL.
    search(at, "borgere med folkepension")
    assert at.query_params["q"] == "borgere med folkepension"
    assert sorted(at.query_params["kilde"]) == ["kvalitetsmodel", "vejledning"]
    # ... and the same URL in a new session shows the same search.
    again = new_app()
    again.query_params.update(at.query_params)
    again.run()
    assert again.text_input(key="soeg_q").value == "borgere med folkepension"


def test_engine_is_loaded_once_and_shared_safely_between_sessions():
    from concurrent.futures import ThreadPoolExecutor

    from kb.app import common

    first, second = new_app(), new_app()
    search(first.run(), QUESTION)
    search(second.run(), QUESTION)
    assert [c.value for c in first.code] == [c.value for c in second.code]
    engine = common.get_engine()
    assert engine is common.get_engine()  # one cached engine per process and index
    queries = [QUESTION, "gælder 3.c for et krisecenter?", "borgere med folkepension", "recovery-skole"] * 4
    alone = {q: [h.chunk_id for h in engine.search(q)] for q in set(queries)}
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda q: (q, [h.chunk_id for h in engine.search(q)]), queries))
    assert all(alone[q] == ids for q, ids in together)


def test_url_with_unknown_source_and_overlong_query_is_handled_in_danish():
    at = new_app()
    at.query_params["q"] = "særligt tilbud " * 50
    at.query_params["kilde"] = ["findes-ikke"]
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "afkortet til 500 tegn" in warnings
    assert escape_md("findes-ikke") in warnings
    assert len(at.text_input(key="soeg_q").value) <= 500
    assert at.code, "søgningen kører stadig med de gyldige dele af linket"


def test_document_and_query_text_is_escaped_never_html():
    at = new_app().run()
    search(at, "<script>alert(1)</script> **fed** [link](http://x) særligt tilbud")
    assert_clean(at)
    for m in at.markdown:
        assert "<script>" not in m.value
    assert all("](http" not in m.value for m in at.markdown)


def test_search_page_without_index_explains_in_danish(monkeypatch, tmp_path):
    monkeypatch.setenv("KB_INDEKS", str(tmp_path / "intet-indeks"))
    at = new_app().run()
    assert not at.exception
    msgs = errors(at)
    assert msgs and "søgeindeks" in msgs[0].lower() and "kb index" in msgs[0]


# --- Kvalitetsmodellen ------------------------------------------------------------------------


def test_indicator_browser_krisecenter_shows_3c_not_applicable():
    from kb.rules import resolve_tilbudstype

    at = new_app().run()
    at.switch_page(PAGE_MODEL).run()
    assert_clean(at)
    # Without a tilbudstype the whole model is browsable with exact wording.
    assert any(e.label.startswith("Tema: Uddannelse og beskæftigelse") for e in at.expander)
    shown = texts(at)
    assert escape_md("Borgerne er i dagtilbud, grundskoletilbud, uddannelse, beskæftigelse") in shown

    krisecenter = resolve_tilbudstype("krisecenter").id
    at.selectbox(key="km_type").set_value(krisecenter).run()
    assert_clean(at)
    excluded = {e.label.split(" gælder ikke")[0]: e for e in at.expander if " gælder ikke · " in e.label}
    key = f"Indikator {escape_md('3.c')}"
    assert key in excluded, list(excluded)
    label = excluded[key].label
    assert label.endswith(escape_md("Krisecentre oprettet efter servicelovens § 109."))
    # Inside: the indicator's wording and the note quoted from Kvalitetsmodellen, with its citation.
    inside = "\n".join(m.value for m in excluded[key].markdown)
    assert escape_md("Tilbuddet opnår positive resultater i forhold til opfyldelsen af de mål") in inside
    assert "> " in inside and escape_md("Krisecentre oprettet efter servicelovens § 109.") in inside
    assert any(c.value.startswith("Socialstyrelsen (2017)") for c in excluded[key].code)
    # 3.a applies to a krisecenter.
    assert f"Indikator {escape_md('3.a')}" not in excluded
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Gælder ikke"]) == len(excluded)
    # 8.c depends on the tilbud being private with a board; saying so settles it.
    assert any(e.label.startswith(f"Indikator {escape_md('8.c')} betinget") for e in at.expander)
    at.toggle(key="km_privat").set_value(True).run()
    assert_clean(at)
    assert not any(e.label.startswith(f"Indikator {escape_md('8.c')}") for e in at.expander)


# --- Særligt tilbud? -----------------------------------------------------------------------------


def _assess(at: AppTest, text: str) -> AppTest:
    at.text_area(key="sa_tekst").set_value(text)
    return next(b for b in at.button if b.label == "Vurdér").click().run()


def test_saerligt_tilbud_page_gives_verdict_reason_and_quote():
    at = new_app().run()
    at.switch_page(PAGE_SAERLIGT).run()
    assert_clean(at)
    # The overview: what counts and what does not.
    assert "Hvad tæller som særligt tilbud på indikator 1" in texts(at)
    from kb.rules import saerligt_overview

    ov = saerligt_overview()
    labels = [e.label for e in at.expander]
    for entry in ov["omfattet"] + ov["ikke_omfattet"]:
        assert escape_md(entry["kategori"]) in labels
    assert escape_md("Beskyttet beskæftigelse efter servicelovens § 103") in texts(at)

    _assess(at, "Borgeren går på en recovery-skole, som botilbuddet selv driver.")
    assert not at.exception
    verdict = [e.value for e in at.error]
    assert verdict and verdict[0].startswith("Tæller ikke på indikator 1.b"), verdict
    assert "Begrundelse" in texts(at)
    assert any("recovery" in m.value.lower() and m.value.startswith(">") for m in at.markdown)

    _assess(at, "Borgeren er i beskyttet beskæftigelse efter servicelovens § 103.")
    assert [s.value for s in at.success][0].startswith("Tæller som særligt tilbud på indikator 1.b")


# --- Scoring og spindelvæv -------------------------------------------------------------------


def test_score_entry_gives_kriterium_and_tema_averages():
    at = new_app().run()
    at.switch_page(PAGE_SCORING).run()
    assert_clean(at)
    scores = {"1.a": 4, "1.b": 2, "3.a": 5, "3.b": 3, "3.c": 4, "3.d": 3}
    for ind, score in scores.items():
        at.button_group(key=f"sc_{ind}").set_value(score)
    at.run()
    assert_clean(at)
    temaer, kriterier = at.dataframe[0].value, at.dataframe[1].value
    tema = dict(zip(temaer["Tema"], temaer["Gennemsnit"], strict=True))
    krit = dict(zip(kriterier["Kriterium"], kriterier["Gennemsnit"], strict=True))
    assert krit["1"] == "3,00"  # (4 + 2) / 2
    assert krit["3"] == "3,75"  # (5 + 3 + 4 + 3) / 4
    assert tema["Uddannelse og beskæftigelse"] == "3,00"
    assert tema["Målgruppe, metoder og resultater"] == "3,75"
    # The scores survive a visit to another page.
    at.switch_page(PAGE_MODEL).run()
    at.switch_page(PAGE_SCORING).run()
    assert at.button_group(key="sc_3.a").value == 5
    assert dict(zip(at.dataframe[0].value["Tema"], at.dataframe[0].value["Gennemsnit"], strict=True)) == tema
    assert len(at.download_button) >= 1  # CSV (PNG needs three temaer)


def test_scoring_greys_out_non_applicable_and_draws_radar():
    from kb.rules import resolve_tilbudstype

    at = new_app().run()
    at.switch_page(PAGE_SCORING).run()
    at.selectbox(key="sc_type").set_value(resolve_tilbudstype("krisecenter").id).run()
    assert at.button_group(key="sc_3.c").disabled
    assert not at.button_group(key="sc_3.a").disabled
    for ind, score in {"1.a": 5, "2.a": 4, "3.a": 3, "4.a": 2}.items():
        at.button_group(key=f"sc_{ind}").set_value(score)
    at.run()
    assert_clean(at)
    labels = [d.label for d in at.download_button]
    assert "Hent spindelvæv (PNG)" in labels and "Hent scorer (CSV)" in labels


def test_1b_helper_recommends_score_and_godkendelse_mode():
    from kb.rules import GODKENDELSE_VALG, score_1b

    at = new_app().run()
    at.switch_page(PAGE_SCORING).run()
    at.number_input(key="b1_borgere").set_value(10)
    at.number_input(key="b1_aktivitet").set_value(6)
    at.number_input(key="b1_pension").set_value(2)
    at.run()
    assert_clean(at)
    expected = score_1b(10, 6, folkepension_uden_aktivitet=2)["score"]
    assert expected == 4  # 6 of the 8 without folkepension: størstedelen
    metric = next(m for m in at.metric if m.label == "Anbefalet score for 1.b")
    assert metric.value == "4"
    next(b for b in at.button if b.label == "Brug 4 som score for 1.b").click().run()
    assert at.button_group(key="sc_1.b").value == 4

    at.radio(key="sc_mode").set_value("Godkendelse").run()
    assert_clean(at)
    radio = at.radio(key="gk_1.a")
    assert list(radio.options) == list(GODKENDELSE_VALG)
    radio.set_value(GODKENDELSE_VALG[1]).run()
    assert_clean(at)


# --- Øv dig ------------------------------------------------------------------------------------------


def test_practice_case_is_answered_and_explained_with_quote():
    from kb.app.practice_page import correct_text
    from kb.rules import practice_cases

    cases = practice_cases()
    assert len(cases) >= 15
    at = new_app().run()
    at.switch_page(PAGE_PRACTICE).run()
    assert_clean(at)
    case = cases[0]
    assert escape_md(case["spoergsmaal"]) in texts(at)
    at.radio(key=f"ov_svar_{case['id']}").set_value(correct_text(case))
    next(b for b in at.button if b.label == "Svar").click().run()
    assert not at.exception
    assert at.success and at.success[0].value.startswith("Rigtigt")
    assert any(m.value.startswith(">") for m in at.markdown), "forklaringen citerer kilden"

    # The learner can pick a topic: the recovery-skole case from the særligt-tilbud rules.
    at.button_group(key="ov_emne").set_value("saerligt_tilbud").run()
    topic = [c for c in cases if c["type"] == "saerligt_tilbud"]
    assert len(at.selectbox(key="ov_case").options) == len(topic)
    idx = next(i for i, c in enumerate(topic) if "recovery-skole" in c["spoergsmaal"])
    at.selectbox(key="ov_case").set_value(idx).run()
    recovery = topic[idx]
    at.radio(key=f"ov_svar_{recovery['id']}").set_value(correct_text(recovery))
    next(b for b in at.button if b.label == "Svar").click().run()
    assert at.success and at.success[0].value.startswith("Rigtigt")
    assert "Forklaring" in texts(at) and escape_md("recovery") in texts(at).lower()
    at.button_group(key="ov_emne").set_value("alle").run()
    at.selectbox(key="ov_case").set_value(0).run()

    # A wrong answer on the next case is corrected, with the right answer named.
    next(b for b in at.button if b.label == "Næste").click().run()
    case2 = cases[1]
    wrong = next(o for o in case2["svarmuligheder"] if str(o) != correct_text(case2))
    at.radio(key=f"ov_svar_{case2['id']}").set_value(str(wrong))
    next(b for b in at.button if b.label == "Svar").click().run()
    assert at.error and escape_md(correct_text(case2)) in at.error[0].value


# --- Om kilderne -----------------------------------------------------------------------------------


def test_sources_page_lists_sources_and_index_status():
    from kb.sources import load_manifest

    at = new_app().run()
    at.switch_page(PAGE_SOURCES).run()
    assert_clean(at)
    captions = " ".join(c.value for c in at.caption)
    for src in load_manifest():
        assert escape_md(f"Id: {src.id} · fil: {src.file}") in captions
        assert f"**{escape_md(src.title)}" in texts(at)
    labels = {m.label: m.value for m in at.metric}
    assert int(labels["Tekststykker"]) > 100
    stored = index_store.read_questions(ROOT / "indeks")
    assert int(labels["Spørgsmål"]) == len(stored["text"]) > 1000
    per_source = index_store.read_manifest(ROOT / "indeks")["sources"]
    for sid, info in per_source.items():
        expected = f"{info['chunks']} tekststykker og {info['questions']} spørgsmål, de besvarer"
        assert escape_md(expected) in captions, sid
    assert "Byg indekset igen" in [b.label for b in at.button]


def test_upload_of_bad_pdf_gives_danish_error_and_index_still_serves(workspace):
    manifest = workspace / "kilder" / "kilder.toml"
    before = manifest.read_bytes()
    files_before = sorted(p.name for p in (workspace / "kilder").iterdir())
    at = new_app().run()
    at.switch_page(PAGE_SOURCES).run()
    at.file_uploader(key="upload_fil").set_value(
        ("Min rapport (endelig).pdf", b"%PDF-1.4\n" + b"\x00garbage" * 200, "application/pdf")
    )
    at.text_input(key="upload_titel").set_value("Ødelagt rapport")
    at.text_input(key="upload_udgiver").set_value("Testudgiver")
    next(b for b in at.button if b.label == "Tilføj og indeksér").click().run()
    assert not at.exception
    msgs = errors(at)
    assert len(msgs) == 1, msgs
    assert msgs[0].startswith("Filen kunne ikke læses")
    assert "beskadiget" in msgs[0] and "nuværende søgeindeks bruges fortsat" in msgs[0]
    assert manifest.read_bytes() == before
    assert sorted(p.name for p in (workspace / "kilder").iterdir()) == files_before
    # The index still serves.
    at.switch_page(PAGE_SEARCH).run()
    search(at, QUESTION)
    assert_clean(at)
    assert at.code


def test_upload_rejects_missing_metadata_and_non_pdf(workspace):
    at = new_app().run()
    at.switch_page(PAGE_SOURCES).run()
    at.file_uploader(key="upload_fil").set_value(("notat.txt", b"Et kort notat om tilsyn.", "text/plain"))
    next(b for b in at.button if b.label == "Tilføj og indeksér").click().run()
    assert errors(at)[0].startswith("Angiv en titel")
    # A PDF that is not one is stopped before anything is written.
    at.file_uploader(key="upload_fil").set_value(
        ("rapport.pdf", b"<html>ikke en pdf</html>", "application/pdf")
    )
    at.text_input(key="upload_titel").set_value("Rapport")
    at.text_input(key="upload_udgiver").set_value("Kommunen")
    next(b for b in at.button if b.label == "Tilføj og indeksér").click().run()
    assert errors(at)[0].startswith("Filen er ikke en gyldig PDF")
    assert not (workspace / "kilder" / "rapport.pdf").exists()


def test_upload_of_markdown_source_is_indexed_and_searchable(workspace):
    text = (
        "# Notat om tilsynsbesøg\n\n## Observationer\n\n"
        "Tilbuddet har etableret et samarbejde med den lokale produktionsskole om skræddersyede forløb "
        "for unge beboere. Zebrafinkeprojektet er et eksempel på et kreativt værksted.\n"
    )
    at = new_app().run()
    at.switch_page(PAGE_SOURCES).run()
    at.file_uploader(key="upload_fil").set_value(("tilsyns notat.md", text.encode(), "text/markdown"))
    at.text_input(key="upload_titel").set_value("Notat om tilsynsbesøg")
    at.text_input(key="upload_udgiver").set_value("Socialtilsyn Test")
    at.number_input(key="upload_aar").set_value(2025)
    next(b for b in at.button if b.label == "Tilføj og indeksér").click().run(timeout=120)
    assert_clean(at)
    assert any("er tilføjet" in s.value for s in at.success)
    assert (workspace / "kilder" / "tilsyns-notat.md").is_file()
    at.switch_page(PAGE_SEARCH).run()
    search(at, "zebrafinkeprojektet")
    assert any(c.value.startswith("Socialtilsyn Test (2025)") for c in at.code)


def test_rebuild_button_rebuilds_incrementally_and_keeps_serving(workspace):
    import re

    at = new_app().run()
    at.switch_page(PAGE_SOURCES).run()
    next(b for b in at.button if b.label == "Byg indekset igen").click().run(timeout=600)
    assert_clean(at)
    done = " ".join(s.value for s in at.success)
    m = re.search(r"Indekset er bygget: (\d+) kilder, (\d+) tekststykker, (\d+) spørgsmål \((\d+) nye indlejret", done)
    assert m, done
    assert m.group(4) == "0"  # nothing changed since the committed index was built
    at.run()  # the next run serves the new index
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Tekststykker"] == m.group(2)
    at.switch_page(PAGE_SEARCH).run()
    search(at, QUESTION)
    assert_clean(at)
    assert at.code
