"""bench/crossval.py: each question is searched by an engine that has never seen it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from kb.ngrams import char_ngrams

ROOT = Path(__file__).resolve().parent.parent


def _crossval():
    spec = importlib.util.spec_from_file_location("crossval", ROOT / "bench" / "crossval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_fold_engine_has_neither_the_vectors_nor_the_words_of_its_own_questions(engine):
    crossval = _crossval()
    engines = crossval.fold_engines(engine)
    total = len(engine.questions["chunk"])
    assert sum(len(e.questions["chunk"]) for e in engines) == (crossval.FOLDS - 1) * total
    # Question 0 is in fold 0: its words leave the BM25 of its passage only in that fold's engine.
    asked, chunk = str(engine.questions["text"][0]), int(engine.questions["chunk"][0])
    assert asked not in set(engines[0].questions["text"]) and asked in set(engines[1].questions["text"])
    # Its own words count for its passage only where they are indexed.
    grams = char_ngrams(asked)
    assert engines[0].ngram_lexical.scores(grams)[chunk] < engines[1].ngram_lexical.scores(grams)[chunk]
    # Searched by the engines that do not know them, the questions still mostly find their passage.
    rows = np.arange(0, total, total // 50)
    vectors = np.stack([engine.query_vector(str(engine.questions["text"][j])) for j in rows])
    full = np.zeros((total, vectors.shape[1]), dtype=vectors.dtype)
    full[rows] = vectors
    ranks = crossval.ranks(engine, engines, full, rows)
    assert len(ranks) == len(rows) and (ranks < 10).mean() > 0.6
