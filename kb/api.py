"""The Python API the app, the CLI and scripts use: one place that owns the loaded index.

Everything returns plain data (dataclasses or JSON-ready dicts); errors are ``KbError`` with a
Danish message.

    from kb import api
    hits = api.search("hvad tæller som særligt tilbud?", top_k=5, kilder=["vejledning"])
    hits[0].citation, hits[0].to_json()
    api.ask("gælder 3.c for et krisecenter?")  # {"query", "regler", "hits"}
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from kb import paths
from kb.errors import KbError
from kb.search import Engine, Hit

__all__ = ["Engine", "Hit", "KbError", "ask", "engine", "reload", "search"]

_lock = threading.Lock()
_engine: Engine | None = None


def engine(index_dir: Path | None = None) -> Engine:
    """The process-wide engine (index + embedder), loaded on first use. Thread-safe."""
    global _engine
    with _lock:
        if _engine is None or (index_dir is not None and Path(index_dir) != _engine.index_dir):
            _engine = Engine.load(index_dir or paths.index_dir())
        return _engine


def reload() -> None:
    """Forget the loaded engine, e.g. after ``kb index`` swapped in a new index."""
    global _engine
    with _lock:
        _engine = None


def search(query: str, top_k: int = 10, kilder: list[str] | None = None) -> list[Hit]:
    return engine().search(query, top_k=top_k, kilder=kilder)


def ask(question: str, top_k: int = 10, kilder: list[str] | None = None) -> dict:
    """Search hits plus the deterministic rule cards the question calls for."""
    from kb.rules import rule_cards

    hits = search(question, top_k=top_k, kilder=kilder)
    return {
        "query": question,
        "regler": rule_cards(question),
        "hits": [h.to_json() for h in hits],
    }


def build_index(model: str | None = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Incrementally (re)build the index for ``kilder/``; returns build statistics."""
    from kb.indexer import build

    stats = build(paths.kilder_dir(), paths.index_dir(), model=model, progress=progress)
    reload()
    return stats
