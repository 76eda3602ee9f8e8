"""Shared fixtures: the real sources, the real committed index, and scratch copies of both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb import paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def documents():
    from kb.ingest import load_document
    from kb.sources import load_manifest

    return {s.id: load_document(s) for s in load_manifest(ROOT / "kilder")}


@pytest.fixture(scope="session")
def chunks(documents):
    from kb.chunking import chunk_document

    return {sid: chunk_document(doc) for sid, doc in documents.items()}


@pytest.fixture(scope="session")
def engine():
    from kb.search import Engine

    return Engine.load(ROOT / "indeks")


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A private copy of kilder/ and indeks/, with the kb paths pointing at it."""
    kilder = tmp_path / "kilder"
    indeks = tmp_path / "indeks"
    shutil.copytree(ROOT / "kilder", kilder)
    shutil.copytree(ROOT / "indeks", indeks)
    monkeypatch.setenv("KB_KILDER", str(kilder))
    monkeypatch.setenv("KB_INDEKS", str(indeks))
    monkeypatch.setenv("KB_CACHE", str(tmp_path / "cache"))
    assert paths.kilder_dir() == kilder
    return tmp_path
