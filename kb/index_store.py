"""The on-disk index: a self-describing directory, written beside the old one and swapped in.

Layout of ``indeks/``: ``manifest.json`` (written last: its presence marks a complete index),
``chunks.jsonl``, ``vectors.faiss`` (exact inner product), ``bm25/`` + ``lexical.json``, and
``docs/<id>.txt`` (the cleaned text, for showing a passage in its context), and
``sentences.npz`` (sentence spans and their vectors, for sentence-level scoring), ``bm25_ngram/``
(BM25 over the passages' character n-grams), and ``questions.npz`` (the questions each passage
answers, ``kb/passage_questions.py``: their passage, text, query vector, hubness and the sentence
their anchor quotes).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import zipfile
from dataclasses import asdict
from pathlib import Path

import faiss
import numpy as np

import kb
from kb.chunking import Chunk
from kb.errors import KbError

MANIFEST = "manifest.json"
NGRAM_BM25 = "bm25_ngram"
QUESTIONS = "questions.npz"
REBUILD_HINT = "Kør `kb index` for at bygge indekset igen."
# What reading a truncated or damaged index file raises (FAISS, bm25s, JSON, numpy's .npz).
DAMAGED = (OSError, ValueError, KeyError, RuntimeError, EOFError, zipfile.BadZipFile)


def make_faiss_index(vectors: np.ndarray) -> faiss.Index:
    # Exact inner product over normalised vectors (cosine). At ~1,000 passages a search costs
    # microseconds; an HNSW or IVF index only pays off from roughly 100,000+ passages.
    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def write_index(
    target: Path,
    manifest: dict,
    chunks: list[Chunk],
    vectors: np.ndarray,
    lexical,
    documents: dict[str, str],
    sentences: dict[str, np.ndarray] | None = None,
    ngram_lexical=None,
    questions: dict[str, np.ndarray] | None = None,
) -> None:
    """Write a complete index into ``target`` (a fresh directory); the manifest goes last."""
    target.mkdir(parents=True)
    with (target / "chunks.jsonl").open("w", encoding="utf-8") as f:
        for c in chunks:
            f.write(json.dumps(asdict(c), ensure_ascii=False) + "\n")
    faiss.write_index(make_faiss_index(vectors), str(target / "vectors.faiss"))
    lexical.save(target)
    if ngram_lexical is not None:
        ngram_lexical.save(target, NGRAM_BM25)
    if sentences is not None:
        np.savez_compressed(target / "sentences.npz", **sentences)
    if questions is not None:
        np.savez_compressed(target / QUESTIONS, **questions)
    docs = target / "docs"
    docs.mkdir()
    for source_id, text in documents.items():
        (docs / f"{source_id}.txt").write_text(text, encoding="utf-8")
    tmp = target / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, target / MANIFEST)


def swap_in(new_dir: Path, index_dir: Path) -> None:
    """Replace ``index_dir`` by ``new_dir``; the old index stays loadable until the last moment.

    Two renames: old → ``<name>.gammel-…``, new → ``<name>``. A crash between them leaves the
    old index under its backup name, which ``recover`` renames back on the next load.
    """
    backup = index_dir.with_name(f"{index_dir.name}.gammel-{os.getpid()}-{int(time.time())}")
    if index_dir.exists():
        os.rename(index_dir, backup)
    os.rename(new_dir, index_dir)
    if backup.exists():
        shutil.rmtree(backup, ignore_errors=True)


def recover(index_dir: Path) -> None:
    """Undo an interrupted swap, and clear unfinished builds left by a crash."""
    parent = index_dir.parent
    if not parent.exists():
        return
    if not (index_dir / MANIFEST).exists():
        backups = sorted(parent.glob(f"{index_dir.name}.gammel-*"), key=lambda p: p.stat().st_mtime)
        complete = [b for b in backups if (b / MANIFEST).exists()]
        if complete:
            if index_dir.exists():
                shutil.rmtree(index_dir)
            os.rename(complete[-1], index_dir)


def clear_stale_builds(index_dir: Path) -> None:
    for stale in index_dir.parent.glob(f"{index_dir.name}.ny-*"):
        shutil.rmtree(stale, ignore_errors=True)
    if (index_dir / MANIFEST).exists():
        for stale in index_dir.parent.glob(f"{index_dir.name}.gammel-*"):
            shutil.rmtree(stale, ignore_errors=True)


def read_manifest(index_dir: Path, check_format: bool = True) -> dict:
    """The manifest; ``check_format=False`` for reading an older index's vectors (they stay valid)."""
    recover(index_dir)
    path = index_dir / MANIFEST
    if not path.exists():
        raise KbError(f"Der findes intet søgeindeks i {index_dir}. {REBUILD_HINT}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise KbError(f"Søgeindekset i {index_dir} er beskadiget. {REBUILD_HINT}") from e
    if check_format and manifest.get("format") != kb.INDEX_FORMAT:
        raise KbError(
            f"Søgeindekset er bygget med et andet indeksformat (version {manifest.get('format')}, "
            f"denne kb bruger {kb.INDEX_FORMAT}). {REBUILD_HINT}"
        )
    return manifest


def read_chunks(index_dir: Path) -> list[Chunk]:
    with (index_dir / "chunks.jsonl").open(encoding="utf-8") as f:
        return [Chunk(**json.loads(line)) for line in f if line.strip()]


def read_vectors(index_dir: Path) -> faiss.Index:
    return faiss.read_index(str(index_dir / "vectors.faiss"))


def read_sentences(index_dir: Path) -> dict[str, np.ndarray] | None:
    """Sentence spans (chunk index, start, end into the chunk's text) and their vectors."""
    path = index_dir / "sentences.npz"
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in ("chunk", "start", "end", "vectors")}


def read_questions(index_dir: Path) -> dict[str, np.ndarray] | None:
    """The questions the passages answer: passage index, text, (query) vector and hubness of each, and
    the sentence row its anchor quotes (-1 for none, and for all in an older index without them)."""
    path = index_dir / QUESTIONS
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        out = {k: data[k] for k in ("chunk", "text", "vectors", "hub")}
        out["sentence"] = data["sentence"] if "sentence" in data.files else np.full(len(out["chunk"]), -1, np.int32)
        return out
