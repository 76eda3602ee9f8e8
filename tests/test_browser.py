"""One real-browser test: ``streamlit run app.py`` driven by Debian's headless Chromium (Playwright).

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium. The screenshot is
kept in test-artefakter/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "test-artefakter"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
QUESTION = "hvad tæller som særligt tilbud"

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Poll Streamlit's health endpoint until it answers, the server dies, or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit stoppede med kode {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit svarede ikke på {url} inden for {timeout} s")


@pytest.fixture
def app_url(tmp_path):
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, proc)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()
        ARTEFACTS.mkdir(exist_ok=True)
        shutil.copy(tmp_path / "streamlit.log", ARTEFACTS / "browser-streamlit.log")


def test_search_in_real_browser_shows_rule_card_and_citation(app_url):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium mangler: installér Debians pakker chromium og chromium-driver (apt-get).")
    from docx import Document
    from playwright.sync_api import expect, sync_playwright

    from kb.rules import rule_cards

    cards = rule_cards(QUESTION)
    assert cards, "regelmotoren skal give et regelkort for spørgsmålet"
    expected_card = cards[0]

    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="da-DK")
            page.goto(app_url, wait_until="domcontentloaded")
            box = page.get_by_role("textbox", name="Spørgsmål eller søgeord")
            expect(box).to_be_visible(timeout=60_000)
            box.fill(QUESTION)
            box.press("Enter")
            # The rule card comes first: the rule engine's own card for this question ...
            expect(page.get_by_role("heading", name="Regler")).to_be_visible(timeout=60_000)
            card = page.locator("[class*='st-key-regelkort_0']")
            expect(card).to_be_visible()
            expect(card).to_contain_text(expected_card["titel"])
            expect(card).to_contain_text("Tæller ikke")
            expect(card.locator("blockquote")).to_be_visible()  # the quoted source
            # ... then the passages, each with its citation in a copyable code block.
            expect(page.get_by_role("heading", name="Tekststykker")).to_be_visible()
            passages = page.locator("[class*='st-key-tekststykke_']")
            expect(passages.first).to_be_visible()
            # Streamlit streams elements as the script runs: wait for the third passage, not a snapshot.
            expect(passages.nth(2)).to_be_visible(timeout=30_000)
            assert passages.count() >= 3
            citation = passages.first.locator("[data-testid='stCode']")
            expect(citation).to_be_visible()
            first_citation = citation.inner_text()
            assert "(20" in first_citation and "afsnit »" in first_citation, first_citation
            # The results download with their citations (generated on click), behind buttons whose
            # labels are shown whole, also in a narrower window.
            page.set_viewport_size({"width": 1100, "height": 900})
            for name in ("Hent som Markdown", "Hent som Word"):
                button = page.get_by_role("button", name=name)
                expect(button).to_be_visible()
                # Streamlit ellipsises a label in a div inside the button: no element may overflow.
                whole = "b => [b, ...b.querySelectorAll('*')].every(e => e.scrollWidth <= e.clientWidth)"
                assert button.evaluate(whole), f"{name!r} is cut off"
            page.set_viewport_size({"width": 1440, "height": 900})
            with page.expect_download() as dl:
                page.get_by_role("button", name="Hent som Markdown").click()
            md = Path(dl.value.path()).read_text(encoding="utf-8")
            assert md.startswith("# Søgeresultater") and "Kildehenvisning: " in md
            with page.expect_download() as dl:
                page.get_by_role("button", name="Hent som Word").click()
            word = "\n".join(para.text for para in Document(dl.value.path()).paragraphs)
            assert first_citation.strip() in word
            # The search is in the URL, so it can be shared.
            assert "q=hvad" in page.url
            expect(page.get_by_text("Uventet fejl")).to_have_count(0)
            expect(page.locator("[data-testid='stException']")).to_have_count(0)
            page.screenshot(path=str(ARTEFACTS / "browser-soegning.png"), full_page=False)
            card.screenshot(path=str(ARTEFACTS / "browser-regelkort.png"))
        finally:
            browser.close()
