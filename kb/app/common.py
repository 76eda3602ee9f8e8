"""Shared pieces of the app: the cached engine, error guards, source lookup and kilde rendering.

The engine (index + embedder) is loaded once per process with ``st.cache_resource`` and shared
by all sessions; it is keyed by the index directory's identity, so a rebuild (by the app or by
``kb index`` on the command line) is picked up on the next run without a restart.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import streamlit as st

from kb import paths
from kb.app.highlight import escape_block, escape_md, quote_block
from kb.errors import KbError
from kb.text import decimal_comma

log = logging.getLogger("kb.app")

MAX_QUERY = 500

GENERIC_ERROR = (
    "Der opstod en uventet fejl, og handlingen blev ikke gennemført. Prøv igen; sker det igen, "
    "så kontakt den, der driver værktøjet (fejlen er skrevet i serverens log)."
)

# Real errors carry this icon; a negative verdict ("gælder ikke") is shown with a different one.
ERROR_ICON = ":material/error:"

PAGE_SEARCH = "kb/app/search_page.py"
PAGE_SOURCES = "kb/app/sources_page.py"


# Danish names for the rules' card and case types.
RULE_TYPES = {
    "anvendelighed": "Gælder indikatoren?",
    "indikator": "Indikator",
    "saerligt_tilbud": "Særligt tilbud (1.b)",
    "oversigt_saerlige_tilbud": "Overblik: særlige tilbud (1.b)",
    "score_1b": "Score for 1.b",
    "folkepension": "Folkepension (1.b)",
    "foertidspension": "Førtidspension (1.b)",
    "midlertidigt_fravaer": "Midlertidigt fravær (1.b)",
    "medfoelgende_boern": "Medfølgende børn (1.b)",
    "gennemsnit": "Kriterie- og temaværdi",
    "skala": "Bedømmelsesskala",
    "tema": "Tema",
    "kriterium": "Kriterium",
    "nummerering": "Findes ikke",
}

# The rule texts are shared with the command line; in the app, point to the app's own controls.
_CLI_HINTS = [
    (re.compile(r"\s*Beregn med: kb score-1b[^\n]*"), " Beregn scoren under »Scoring og spindelvæv«."),
    (re.compile(r"\s*Beregn med: kb spindelvaev[^\n]*"), " Beregn gennemsnittene under »Scoring og spindelvæv«."),
    (
        re.compile(r"\(angiv --privat-med-bestyrelse, hvis det er tilfældet\)"),
        "(vælg »Privat med bestyrelse«, hvis det er tilfældet)",
    ),
]


def app_text(text: str) -> str:
    """Rule text with command-line instructions replaced by the app's equivalent."""
    for pattern, repl in _CLI_HINTS:
        text = pattern.sub(repl, text)
    return text


def error(message: str) -> None:
    """A user-facing error (Danish, no traceback)."""
    st.error(message, icon=ERROR_ICON)


def _index_stamp(index_dir: Path) -> str:
    """Changes whenever a rebuild swaps in a new index (its manifest is written last)."""
    try:
        st_ = os.stat(index_dir / "manifest.json")
        return f"{st_.st_ino}-{st_.st_mtime_ns}"
    except OSError:
        return "mangler"


@st.cache_resource(show_spinner="Indlæser søgeindekset og sprogmodellen …", max_entries=2)
def _load_engine(index_dir: str, stamp: str):
    """Load the engine once per process and index version (``stamp`` only keys the cache)."""
    from kb.search import Engine

    engine = Engine.load(Path(index_dir))
    # Load the embedder now, under the spinner, so the first search is as quick as the rest.
    warm = getattr(engine, "embedder", None)
    if callable(warm):
        warm()
    return engine


def get_engine():
    """The shared engine for the configured index; raises KbError (Danish) if there is none."""
    index_dir = paths.index_dir()
    return _load_engine(str(index_dir), _index_stamp(index_dir))


def clear_engine() -> None:
    """Forget loaded engines, e.g. after the app rebuilt the index."""
    _load_engine.clear()


@st.cache_resource
def rebuild_lock() -> threading.Lock:
    """One rebuild or upload at a time for the whole process."""
    return threading.Lock()


def rules() -> ModuleType:
    """The rule engine module, or a Danish KbError if it cannot be imported."""
    try:
        import kb.rules as rules_mod
    except ImportError as e:
        log.exception("kb.rules kunne ikke importeres")
        raise KbError(
            "Regelmotoren kunne ikke indlæses, så regelkort og vurderinger er ikke tilgængelige lige nu. "
            "Søgningen i kilderne virker stadig."
        ) from e
    return rules_mod


@contextmanager
def guard() -> Iterator[None]:
    """Show KbError messages as they are and anything else as a generic Danish error, never a trace."""
    try:
        yield
    except KbError as e:
        st.error(str(e), icon=ERROR_ICON)
    except Exception:
        log.exception("Uventet fejl i appen")
        st.error(GENERIC_ERROR, icon=ERROR_ICON)


@st.cache_data(show_spinner=False, max_entries=8)
def _manifest(kilder_dir: str, mtime: int) -> dict:
    from kb.sources import load_manifest

    return {s.id: s for s in load_manifest(Path(kilder_dir))}


def sources_by_id() -> dict:
    """Manifest sources by id (re-read when kilder.toml changes); empty if it cannot be read."""
    from kb.sources import manifest_path

    kdir = paths.kilder_dir()
    try:
        mtime = manifest_path(kdir).stat().st_mtime_ns
        return _manifest(str(kdir), mtime)
    except (OSError, KbError):
        log.warning("Kildefortegnelsen kunne ikke læses", exc_info=True)
        return {}


def source_title(source_id: str) -> str:
    src = sources_by_id().get(source_id)
    return src.title if src else source_id


def kilde_citation(kilde: dict, sources: dict | None = None) -> str:
    """Danish citation line for a rule ``kilde`` dict ({"source", "section", "page", "citat"}).

    Pass ``sources`` (from ``sources_by_id()``) when calling outside a script run, e.g. from a
    deferred download.
    """
    section = kilde.get("section") or None
    page = kilde.get("page")
    src = (sources if sources is not None else sources_by_id()).get(kilde.get("source", ""))
    if src is not None:
        return src.citation(section, page)
    parts = [str(kilde.get("source") or "Ukendt kilde")]
    if section:
        parts.append(f"afsnit »{section}«")
    if page is not None:
        parts.append(f"s. {page}")
    return ", ".join(parts) + "."


def render_kilde(kilde: dict | None, copy: bool = True) -> None:
    """A kilde as a quote block and its citation line (copyable when ``copy``)."""
    if not kilde:
        return
    citat = (kilde.get("citat") or "").strip()
    if citat:
        st.markdown(quote_block(citat))
    cit = kilde_citation(kilde)
    if copy:
        st.code(cit, language=None, wrap_lines=True)
    else:
        st.caption("Kilde: " + escape_md(cit))


def render_kilder(result: dict, copy: bool = True) -> None:
    """All kilder of a rules result (``kilder`` when given, else the single ``kilde``), without repeats."""
    kilder = result.get("kilder") or ([result["kilde"]] if result.get("kilde") else [])
    seen = set()
    for kilde in kilder:
        key = (kilde.get("source"), kilde.get("citat"))
        if key in seen:
            continue
        seen.add(key)
        render_kilde(kilde, copy=copy)


def md(text: str) -> None:
    """Literal (escaped) multi-line text as Markdown."""
    st.markdown(escape_block(text))


def fmt_num(x: float | None, decimals: int = 2) -> str:
    """Danish number format: decimal comma."""
    if x is None:
        return "–"
    return decimal_comma(x, decimals)


def engine_or_stop():
    """The engine, or a friendly Danish explanation (and a link to fix it) and stop the page."""
    try:
        return get_engine()
    except KbError as e:
        st.error(str(e), icon=ERROR_ICON)
    except Exception:
        log.exception("Indekset kunne ikke indlæses")
        st.error(
            "Søgeindekset kunne ikke indlæses. Byg det igen under »Om kilderne« eller med `kb index`.",
            icon=ERROR_ICON,
        )
    st.page_link(PAGE_SOURCES, label="Gå til »Om kilderne« for at bygge indekset", icon=":material/build:")
    st.stop()
