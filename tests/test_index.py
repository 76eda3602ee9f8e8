"""The index on disk: it matches kilder/, updates incrementally, survives crashes, refuses mismatches."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from test_pdf import make_encrypted, make_pdf, make_scanned

import kb
from kb import index_store, indexer
from kb.chunking import chunk_document
from kb.embed import embedder_id_for
from kb.errors import KbError
from kb.indexer import build, file_sha256
from kb.ingest import load_document
from kb.search import Engine
from kb.sources import load_manifest

ROOT = Path(__file__).resolve().parent.parent
KB = str(Path(sys.executable).with_name("kb"))


def test_committed_index_matches_sources_and_embedder():
    """Fails when kilder/ or the chunking changed without `kb index`, or the embedder changed."""
    manifest = index_store.read_manifest(ROOT / "indeks")
    assert manifest["embedder"] == embedder_id_for(None)
    sources = load_manifest(ROOT / "kilder")
    assert set(manifest["sources"]) == {s.id for s in sources}
    indexed = index_store.read_chunks(ROOT / "indeks")
    for src in sources:
        assert manifest["sources"][src.id]["sha256"] == file_sha256(src.path(ROOT / "kilder")), src.id
        current = [c.text for c in chunk_document(load_document(src, ROOT / "kilder"))]
        assert current == [c.text for c in indexed if c.source == src.id], f"{src.id}: run `kb index`"
    assert manifest["chunks"] == len(indexed) == index_store.read_vectors(ROOT / "indeks").ntotal


def _vectors_by_source(index_dir: Path) -> dict[str, np.ndarray]:
    chunks = index_store.read_chunks(index_dir)
    vecs = index_store.read_vectors(index_dir)
    allv = vecs.reconstruct_n(0, vecs.ntotal)
    out: dict[str, list] = {}
    for c, v in zip(chunks, allv, strict=True):
        out.setdefault(c.source, []).append(v)
    return {k: np.stack(v) for k, v in out.items()}


def test_incremental_reindex_embeds_only_the_changed_source(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    before = _vectors_by_source(indeks)
    path = kilder / "socialstyrelsen-kvalitetsmodel-socialtilsyn.txt"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\n\nTillæg\n\nDette afsnit er tilføjet i en test af den trinvise indeksering af kilder.\n",
        encoding="utf-8",
    )
    stats = build(kilder, indeks)
    assert stats["aendrede_kilder"] == ["kvalitetsmodel"]
    assert 1 <= stats["indlejret"] <= 3
    after = _vectors_by_source(indeks)
    for sid in ("vejledning", "vive", "billund", "bostoette"):
        np.testing.assert_array_equal(before[sid], after[sid])
    engine = Engine.load(indeks)
    hits = engine.search("trinvise indeksering af kilder", top_k=3)
    assert hits[0].source == "kvalitetsmodel" and "trinvise indeksering" in hits[0].text


def test_rebuilding_unchanged_sources_gives_byte_identical_files(workspace):
    """Whatever the hash seed, so a rebuild doesn't churn the committed index (bm25s numbers tokens
    in set order unless given a vocabulary)."""
    committed = ROOT / "indeks"
    for seed in ("1", "2"):
        r = subprocess.run([KB, "index"], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        rebuilt = workspace / "indeks"
        for name in ("bm25", "bm25_ngram"):
            for f in (committed / name).iterdir():
                assert (rebuilt / name / f.name).read_bytes() == f.read_bytes(), f"{name}/{f.name} (seed {seed})"
        assert (rebuilt / "chunks.jsonl").read_bytes() == (committed / "chunks.jsonl").read_bytes()


def test_removed_source_is_dropped_without_embedding(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    manifest = (kilder / "kilder.toml").read_text(encoding="utf-8")
    start = manifest.index('[[kilde]]\nid = "billund"')
    end = manifest.index("[[kilde]]", start + 5)
    (kilder / "kilder.toml").write_text(manifest[:start] + manifest[end:], encoding="utf-8")
    stats = build(kilder, indeks)
    assert stats["fjernede_kilder"] == ["billund"] and stats["indlejret"] == 0
    engine = Engine.load(indeks)
    assert {c.source for c in engine.chunks} == {"vejledning", "vive", "bostoette", "kvalitetsmodel"}


def test_crash_between_renames_keeps_old_index_loadable(workspace, monkeypatch):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    old_built = index_store.read_manifest(indeks)["built_at"]
    real_rename = os.rename
    calls = []

    def crashing_rename(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the old index is moved aside; the new one never arrives
            raise KeyboardInterrupt
        return real_rename(src, dst)

    monkeypatch.setattr(index_store.os, "rename", crashing_rename)
    path = kilder / "socialstyrelsen-kvalitetsmodel-socialtilsyn.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nEt nyt afsnit om krisecentre.\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build(kilder, indeks)
    monkeypatch.setattr(index_store.os, "rename", real_rename)
    assert not (indeks / "manifest.json").exists()  # mid-swap state on disk
    engine = Engine.load(indeks)  # recovers the previous index
    assert engine.manifest["built_at"] == old_built
    assert engine.search("særligt tilbud", top_k=1)


def test_killed_build_leaves_previous_index(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    old = (indeks / "manifest.json").read_text(encoding="utf-8")
    # A changed source means minutes of embedding: kill the build while it runs.
    path = kilder / "vive-2020-kvalitet-i-bostoette.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("bostøtte", "bostøtten"), encoding="utf-8")
    proc = subprocess.Popen([KB, "index"], env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(4)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert (indeks / "manifest.json").read_text(encoding="utf-8") == old
    engine = Engine.load(indeks)
    assert len(engine.chunks) == json.loads(old)["chunks"]
    # A stale half-written build directory is cleared by the next build and never loaded.
    assert not any(p.name.startswith("indeks.ny-") and (p / "manifest.json").exists()
                   for p in workspace.iterdir())


def test_index_built_with_another_model_is_refused(workspace):
    indeks = workspace / "indeks"
    manifest = json.loads((indeks / "manifest.json").read_text(encoding="utf-8"))
    manifest["embedder"] = "st:en-helt-anden-model"
    (indeks / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(KbError, match="kb index"):
        Engine.load(indeks)
    result = subprocess.run([KB, "search", "særligt tilbud"], capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 2
    assert "kb index" in result.stderr and "Traceback" not in result.stderr


def test_index_of_another_format_is_refused(workspace):
    indeks = workspace / "indeks"
    manifest = json.loads((indeks / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = 999
    (indeks / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(KbError, match="indeksformat.*kb index"):
        Engine.load(indeks)


def test_index_of_an_older_format_is_rebuilt_without_embedding_again(workspace):
    """A format change (new lexical index) keeps the old index's vectors: they depend on text and model only."""
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    manifest = json.loads((indeks / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = kb.INDEX_FORMAT - 1
    (indeks / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    shutil.rmtree(indeks / index_store.NGRAM_BM25)
    with pytest.raises(KbError, match="indeksformat"):
        Engine.load(indeks)
    stats = build(kilder, indeks)
    assert stats["indlejret"] == 0 and stats["aendrede_kilder"] == []
    assert (indeks / index_store.NGRAM_BM25).is_dir()
    assert Engine.load(indeks).search("bostøtte", top_k=1)


def test_index_without_its_ngram_index_is_refused(workspace):
    indeks = workspace / "indeks"
    shutil.rmtree(indeks / index_store.NGRAM_BM25)
    with pytest.raises(KbError, match="ufuldstændigt eller beskadiget.*kb index"):
        Engine.load(indeks)


def test_search_with_another_model_than_the_index_is_refused():
    with pytest.raises(KbError, match="bygget med modellen"):
        Engine.load(ROOT / "indeks", model="/ingen/sådan/model")


def test_bad_pdfs_are_reported_and_the_rest_indexed(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    make_pdf(kilder / "rapport.pdf")
    make_encrypted(kilder / "laast.pdf")
    make_scanned(kilder / "scannet.pdf")
    with (kilder / "kilder.toml").open("a", encoding="utf-8") as f:
        for sid, fil in (("rapport", "rapport.pdf"), ("laast", "laast.pdf"), ("scannet", "scannet.pdf")):
            f.write(f'\n[[kilde]]\nid = "{sid}"\ntitel = "Test {sid}"\nudgiver = "Test"\naar = 2024\nfil = "{fil}"\n')
    stats = build(kilder, indeks)
    failed = {f["source"]: f["fejl"] for f in stats["fejl"]}
    assert set(failed) == {"laast", "scannet"}
    assert "krypteret" in failed["laast"] and "intet tekstlag" in failed["scannet"]
    engine = Engine.load(indeks)
    hit = engine.search("samværs- og aktivitetstilbud på bostederne", top_k=1, kilder=["rapport"])[0]
    assert hit.page == 2 and hit.citation.endswith("s. 2.")
    assert {"vejledning", "vive", "billund", "bostoette", "kvalitetsmodel", "rapport"} <= {
        c.source for c in engine.chunks
    }


def test_embedding_cache_reuses_vectors(workspace):
    """After one build the cache alone (no index to seed from) makes a rebuild embed nothing."""
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    assert build(kilder, indeks)["indlejret"] == 0  # seeded from the committed index
    assert indexer.EmbeddingCache(embedder_id_for(None), workspace / "cache").vectors
    shutil.rmtree(indeks)
    stats = build(kilder, indeks)
    assert stats["indlejret"] == 0 and stats["chunks"] == index_store.read_manifest(indeks)["chunks"]
