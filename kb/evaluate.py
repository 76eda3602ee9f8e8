"""`kb eval`: retrieval quality on a question set, with the reference scorer's matching rule."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from kb.errors import KbError
from kb.jsonl import read_jsonl
from kb.search import DENSE_WEIGHT, Engine, _minmax
from kb.text import norm_match

# Loads the model and fills the caches before timing; not a question of any set, so no question's
# embedding is served from the engine's query cache.
WARM_UP = "opvarmning af søgningen før målingen"


def load_questions(path: Path) -> list[dict]:
    if not path.is_file():
        raise KbError(f"Spørgsmålsfilen {path} findes ikke.")
    questions = []
    for n, q in read_jsonl(path, path.name):
        if not isinstance(q, dict) or not {"id", "question", "gold"} <= q.keys():
            raise KbError(f"{path.name}, linje {n}: felterne 'id', 'question' og 'gold' skal være der.")
        questions.append(q)
    if not questions:
        raise KbError(f"Spørgsmålsfilen {path} er tom.")
    return questions


def first_relevant(golds: list[str], texts: list[str]) -> int | None:
    """Rank of the first passage containing a gold snippet (as in ``score.py``)."""
    normed = [norm_match(g) for g in golds]
    for rank, text in enumerate(texts):
        t = norm_match(text)
        if any(g in t for g in normed):
            return rank
    return None


def sentence_holds_gold(golds: list[str], sentence: str | None) -> bool:
    """Whether the sentence a hit emphasises quotes a gold snippet (or lies inside one that runs over
    two sentences): the sentence a reader sees first is then the answer."""
    s = norm_match(sentence or "")
    return bool(s) and any(g in s or s in g for g in (norm_match(x) for x in golds) if g)


def metrics(ranks: list[int | None], k: int = 10) -> dict:
    n = len(ranks)
    m = {"hit@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0}
    for r in ranks:
        if r is not None and r < k:
            m["hit@1"] += r == 0
            m["recall@5"] += r < 5
            m["recall@10"] += r < 10
            m["mrr@10"] += 1 / (r + 1)
    return {name: v / n for name, v in m.items()}


# The question fields `kb eval --by` splits on, with the word its table heads the column with.
GROUPS = {"source": "kilde", "kind": "type"}


def evaluate(engine: Engine, path: Path, top_k: int = 10, run_out: str | None = None, by: str | None = None) -> dict:
    """The metrics over the set; with ``by`` ("source" or "kind") also per group of questions, so a
    weak source or kind of question shows instead of hiding in the mean."""
    questions = load_questions(path)
    if by is not None and by not in GROUPS:
        raise KbError(f"Kan kun opdele efter {' eller '.join(GROUPS)}, ikke {by!r}.")
    engine.search(WARM_UP, top_k=1)
    ranks, latencies, run, sentences = [], [], [], []
    for q in questions:
        engine.forget_queries()
        t0 = time.perf_counter()
        hits = engine.search(q["question"], top_k=top_k)
        latencies.append((time.perf_counter() - t0) * 1000)
        texts = [h.text for h in hits]
        run.append({"id": q["id"], "hits": texts})
        rank = first_relevant(q["gold"], texts)
        ranks.append(rank)
        if rank is not None:
            sentences.append(sentence_holds_gold(q["gold"], hits[rank].best_sentence))
    if run_out:
        Path(run_out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in run), encoding="utf-8")
    result = {"n": len(questions), **metrics(ranks, k=10)}
    result["latency_ms_p50"] = round(float(np.percentile(latencies, 50)), 2)
    result["latency_ms_p95"] = round(float(np.percentile(latencies, 95)), 2)
    # Of the questions whose gold passage was found: the share where the emphasised sentence is the answer.
    result["best_sentence_gold"] = sum(sentences) / len(sentences) if sentences else 0.0
    if by:
        groups: dict[str, list] = {}
        for q, rank in zip(questions, ranks, strict=True):
            groups.setdefault(str(q.get(by, "")), []).append(rank)
        result["groups"] = {g: {"n": len(r), **metrics(r, k=10)} for g, r in sorted(groups.items())}
    return result


def format_groups(by: str, groups: dict[str, dict]) -> str:
    lines = [f"| {GROUPS[by]} | n | hit@1 | recall@5 | recall@10 | MRR@10 |", "|---|---|---|---|---|---|"]
    for g, m in groups.items():
        lines.append(f"| {g} | {m['n']} | {m['hit@1']:.3f} | {m['recall@5']:.3f} | {m['recall@10']:.3f} | "
                     f"{m['mrr@10']:.3f} |")
    return "\n".join(lines)


def _ranks_from_scores(engine: Engine, questions: list[dict], scorer, top_k: int) -> tuple[list, list]:
    ranks, latencies = [], []
    for q in questions:
        engine.forget_queries()
        t0 = time.perf_counter()
        scores = scorer(q["question"])
        order = np.argsort(-scores, kind="stable")[:top_k]
        latencies.append((time.perf_counter() - t0) * 1000)
        ranks.append(first_relevant(q["gold"], [engine.chunks[i].text for i in order]))
    return ranks, latencies


def compare(engine: Engine, path: Path, top_k: int = 10) -> list[dict]:
    """One row per system: each BM25 alone, dense alone, plain fusions, and the full system."""
    questions = load_questions(path)
    engine.search(WARM_UP, top_k=1)
    everything = np.ones(len(engine.chunks), dtype=bool)

    def dense(q: str) -> np.ndarray:
        """The plain question's embedding: the peers get no thesaurus."""
        return engine.dense_scores(q, engine.query_vector(q, expand=False))

    def fusion(q: str) -> np.ndarray:
        d, lex = dense(q), engine.lexical_scores(q)
        return DENSE_WEIGHT * _minmax(d, everything) + (1 - DENSE_WEIGHT) * _minmax(lex, everything)

    def rrf(q: str) -> np.ndarray:
        out = np.zeros(len(engine.chunks))
        for s in (dense(q), engine.lexical_scores(q)):
            ranks = np.empty(len(s))
            ranks[np.argsort(-s, kind="stable")] = np.arange(len(s))
            out += 1 / (60 + ranks + 1)
        return out

    def passages_only(q: str) -> np.ndarray:
        """Dense retrieval as the peers do it: the passages (and their sentences), not their questions."""
        return engine.dense_scores(q, engine.query_vector(q, expand=False), questions=False)

    systems = [
        ("BM25 (dansk analyse)", engine.lexical_scores),
        ("BM25 (tegn-n-gram 3-5)", engine.ngram_scores),
        ("dense, kun tekststykkerne (" + engine.manifest["embedder"] + ")", passages_only),
        ("dense (" + engine.manifest["embedder"] + ")", dense),
        ("hybrid, RRF (k=60)", rrf),
        (f"hybrid, vægtet min-max (w={DENSE_WEIGHT})", fusion),
        ("kb (endeligt system)", lambda q: engine.scores(q)),
    ]
    rows = []
    for name, scorer in systems:
        ranks, lat = _ranks_from_scores(engine, questions, scorer, top_k)
        rows.append({
            "system": name,
            "n": len(questions),
            **metrics(ranks),
            "latency_ms_p50": round(float(np.percentile(lat, 50)), 2),
            "latency_ms_p95": round(float(np.percentile(lat, 95)), 2),
        })
    for r in rows:
        r["index_build_s"] = engine.manifest.get("build_seconds")
        r["index_build_embedded"] = engine.manifest.get("embedded")
    return rows


def format_table(rows: list[dict]) -> str:
    head = "| system | n | hit@1 | recall@5 | recall@10 | MRR@10 | p50 ms | p95 ms |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['system']} | {r['n']} | {r['hit@1']:.3f} | {r['recall@5']:.3f} | {r['recall@10']:.3f} | "
            f"{r['mrr@10']:.3f} | {r['latency_ms_p50']:.1f} | {r['latency_ms_p95']:.1f} |"
        )
    if rows and rows[0].get("index_build_s") is not None:
        lines.append(
            f"\nSeneste indeksbygning: {rows[0]['index_build_s']} s "
            f"({rows[0].get('index_build_embedded')} nye indlejringer; resten fra cachen)."
        )
    return "\n".join(lines)
