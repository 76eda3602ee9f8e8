"""The questions each passage answers (doc2query), curated beside the sources in ``kilder/spoergsmaal/``.

Consultants ask in their own words ("bosted", "beboer", "job"), the sources answer in theirs. For
every passage, a handful of questions written the way people ask them (paraphrases, cases, keyword
searches, text without æøå) is indexed with it: their embeddings give the dense side a question
that resembles the user's, and their words join the passage's lexical text.

``kilder/spoergsmaal/<kilde-id>.jsonl`` holds one ``{"question": …, "anchor": …}`` per line. The
anchor is a few words copied from the source where the answer stands; it places the question in the
passage that holds them, however the source is cut into passages. A question whose anchor is no
longer in the source (the source was edited) is left out and counted, never guessed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kb.chunking import Chunk
from kb.errors import KbError
from kb.jsonl import read_jsonl
from kb.text import norm_match

QUESTIONS_DIR = "spoergsmaal"


@dataclass(frozen=True)
class PassageQuestion:
    question: str
    anchor: str


def questions_path(kilder_dir: Path, source_id: str) -> Path:
    return Path(kilder_dir) / QUESTIONS_DIR / f"{source_id}.jsonl"


def questions_sha256(kilder_dir: Path, source_id: str) -> str | None:
    """Digest of a source's question file (None when it has none), so the manifest tells what changed."""
    path = questions_path(kilder_dir, source_id)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def load_questions(kilder_dir: Path, source_id: str) -> list[PassageQuestion]:
    """A source's questions; none when it has no file. A malformed file is an error, not a guess."""
    path = questions_path(kilder_dir, source_id)
    if not path.is_file():
        return []
    out = []
    for n, row in read_jsonl(path, f"Spørgsmålsfilen {QUESTIONS_DIR}/{path.name}"):
        question = row.get("question") if isinstance(row, dict) else None
        anchor = row.get("anchor") if isinstance(row, dict) else None
        if not (isinstance(question, str) and question.strip() and isinstance(anchor, str) and anchor.strip()):
            raise KbError(
                f"Spørgsmålsfilen {QUESTIONS_DIR}/{path.name}, linje {n}: felterne 'question' og 'anchor' "
                "skal være der og må ikke være tomme."
            )
        out.append(PassageQuestion(question.strip(), anchor.strip()))
    return out


def place(
    chunks: list[Chunk], questions: list[PassageQuestion]
) -> tuple[list[int], list[PassageQuestion], int]:
    """(passage index, question) for every question whose anchor a passage holds, and how many none did.

    ``chunks`` are one source's passages; an anchor held by two passages (a sentence repeated across
    an overlap) goes to the first.
    """
    normed = [norm_match(c.text) for c in chunks]
    where: list[int] = []
    placed: list[PassageQuestion] = []
    unplaced = 0
    for q in questions:
        anchor = norm_match(q.anchor)
        i = next((k for k, t in enumerate(normed) if anchor and anchor in t), None)
        if i is None:
            unplaced += 1
            continue
        where.append(i)
        placed.append(q)
    return where, placed, unplaced


def anchor_sentences(text: str, spans: list[tuple[int, int]], anchor: str) -> list[int]:
    """Which of a passage's sentences (``spans`` into ``text``) a question's anchor quotes: the one
    holding it, or the shortest run of sentences it spans; none when it is not in the text.

    The question is about one of them, so a user's question near it points there (the sentence the
    app emphasises); where the anchor runs over a list ("… § 101 a. - Krisecentre … § 109. -
    Forsorgshjem …"), the question's own words say which item it asks about (see ``nearest_anchor``)."""
    want = norm_match(anchor)
    if not want:
        return []
    normed = [norm_match(text[a:b]) for a, b in spans]
    for size in range(1, len(normed) + 1):
        for k in range(len(normed) - size + 1):
            if want in "".join(normed[k : k + size]):
                return list(range(k, k + size))
    return []


def nearest_anchor(candidates: list[int], question: np.ndarray, sentences: np.ndarray) -> int:
    """Of the sentences an anchor spans, the one nearest the question (by their vectors); -1 for none."""
    if not candidates:
        return -1
    sims = sentences[candidates].astype(np.float32) @ question.astype(np.float32)
    return candidates[int(np.argmax(sims))]


HUB_NEIGHBOURS = 30


def hubness(vectors: np.ndarray, k: int = HUB_NEIGHBOURS, block: int = 1024) -> np.ndarray:
    """How far each question is a hub: its mean similarity to its ``k`` nearest other questions,
    centred on the mean over all questions.

    A question in a common frame ("Hvad siger VIVE om …?", "Hvor mange …") is near many others and so
    near many users' questions whatever they ask about; subtracting this from its similarity (CSLS,
    Conneau et al. 2018) leaves what it is about. Computed in blocks, so memory stays ``block × n``.
    """
    v = np.asarray(vectors, dtype=np.float32)
    n = len(v)
    if n < 2:
        return np.zeros(n, dtype=np.float32)
    k = min(k, n - 1)
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, block):
        sims = v[start : start + block] @ v.T
        sims[np.arange(len(sims)), np.arange(start, start + len(sims))] = -np.inf  # not itself
        out[start : start + block] = np.partition(sims, n - k, axis=1)[:, n - k :].mean(axis=1)
    return (out - out.mean()).astype(np.float32)
