"""Cross-validate the ranking on the 6,266 questions the passages answer (`kilder/spoergsmaal/`).

Each question is searched against an engine that does not know it (nor a fifth of the others): its
fold's questions are left out of the question vectors and out of the passages' BM25 texts. It is the
widest set there is for checking a ranking constant, and one the dev set cannot overfit; its questions
share more of their passage's words than a consultant's, so it only confirms what the eval sets show.

    python bench/crossval.py                                # the kept constants
    python bench/crossval.py --set DENSE_WEIGHT=0.5 --set QUESTION_WEIGHT=0.3
    python bench/crossval.py --sample 2000 --vectors /tmp/qv.npy   # faster; vectors kept between runs

(The questions' hubness stays as `kb index` computed it over all of them: a small leak, the same for
every setting.)
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

import kb.search as search
from kb.indexer import lexical_texts
from kb.lexical import LexicalIndex
from kb.ngrams import char_ngrams

ROOT = Path(__file__).resolve().parent.parent
FOLDS = 5


def fold_engines(engine: search.Engine) -> list[search.Engine]:
    """One engine per fold, without that fold's questions."""
    questions = engine.questions
    fold = np.arange(len(questions["chunk"])) % FOLDS
    analyzer = engine.lexical.analyzer
    engines = []
    for f in range(FOLDS):
        kept = {name: values[fold != f] for name, values in questions.items()}
        texts = lexical_texts(engine.chunks, kept["chunk"], kept["text"])
        engines.append(
            dataclasses.replace(
                engine,
                questions=kept,
                lexical=LexicalIndex.build(texts, analyzer=analyzer),
                ngram_lexical=LexicalIndex.build(texts, analyzer=analyzer, tokenize=char_ngrams),
            )
        )
    return engines


def ranks(engine: search.Engine, engines: list[search.Engine], vectors: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The 0-based rank of each question's own passage (ties count against it)."""
    out = np.empty(len(rows), dtype=np.int64)
    for k, j in enumerate(rows):
        scores = engines[j % FOLDS].scores(str(engine.questions["text"][j]), qv=vectors[j])
        out[k] = int((scores > scores[engine.questions["chunk"][j]]).sum())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indeks", type=Path, default=ROOT / "indeks")
    parser.add_argument("--sample", type=int, help="a random sample of this many questions (seed 0)")
    parser.add_argument("--set", action="append", default=[], metavar="NAVN=VÆRDI",
                        help="a ranking constant of kb.search, e.g. DENSE_WEIGHT=0.5")
    parser.add_argument("--vectors", type=Path, help="the questions' query vectors: read if it exists, else saved")
    args = parser.parse_args(argv)
    for setting in args.set:
        name, _, value = setting.partition("=")
        if not hasattr(search, name):
            parser.error(f"kb.search har ingen konstant {name!r}")
        setattr(search, name, float(value))

    engine = search.Engine.load(args.indeks)
    texts = [str(q) for q in engine.questions["text"]]
    if args.vectors and args.vectors.exists():
        vectors = np.load(args.vectors)
    else:
        vectors = np.stack([engine.query_vector(q) for q in texts])
        if args.vectors:
            np.save(args.vectors, vectors)
    rows = np.arange(len(texts))
    if args.sample:
        rows = np.sort(np.random.default_rng(0).choice(len(texts), min(args.sample, len(texts)), replace=False))
    r = ranks(engine, fold_engines(engine), vectors, rows)
    mrr = np.where(r < 10, 1 / (r + 1), 0).mean()
    label = " ".join(args.set) or "kept constants"
    print(f"{label}: n={len(r)} hit@1={(r == 0).mean():.3f} recall@5={(r < 5).mean():.3f} MRR@10={mrr:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
