"""Benchmark kb: the quality/latency table per question file, cold start, and (optionally) a full build.

    python bench/benchmark.py                 # dev + own questions + validation batch, cold start
    python bench/benchmark.py --full-build    # also time embedding the whole corpus from scratch (~10 min)
    python bench/benchmark.py --busy          # also query latency while another process holds one core
    python bench/benchmark.py --robust        # also quality on the questions as people type them
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kb.evaluate import load_questions
from kb.text import fold_danish

ROOT = Path(__file__).resolve().parent.parent
KB = str(Path(sys.executable).with_name("kb"))


def cold_start_seconds() -> float:
    """A fresh process: import, load the index and the embedder, answer one question."""
    t0 = time.perf_counter()
    subprocess.run([KB, "search", "hvad tæller som særligt tilbud?", "--top-k", "5", "--json"],
                   check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t0


def full_build_seconds() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KB_INDEKS": str(Path(tmp) / "indeks"), "KB_CACHE": str(Path(tmp) / "cache")}
        t0 = time.perf_counter()
        subprocess.run([KB, "index"], check=True, env=env, cwd=ROOT, capture_output=True)
        return time.perf_counter() - t0


def busy_latency(questions: str) -> dict:
    """Query latency while a busy loop holds one of the two cores (a second user, a build, the browser)."""
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        out = subprocess.run([KB, "eval", questions, "--json"], check=True, capture_output=True, text=True, cwd=ROOT)
    finally:
        burner.kill()
    return json.loads(out.stdout)


def _slips(text: str, rng: random.Random, shortest: int = 7, longest: int = 99, share: float = 0.3) -> str:
    """Two neighbouring letters swapped in about every third word of seven letters or more (or in
    ``share`` of the words from ``shortest`` to ``longest`` letters)."""
    words = []
    for w in text.split(" "):
        core = w.rstrip("?!.,:;")
        if shortest <= len(core) <= longest and core.isalpha() and rng.random() < share:
            i = rng.randrange(1, len(core) - 2)
            w = core[:i] + core[i + 1] + core[i] + core[i + 2 :] + w[len(core) :]
        words.append(w)
    return " ".join(words)


# æ/ø/å typed as the plain letters of a foreign keyboard ("stotte", "born", "ogsa").
_PLAIN_LETTERS = str.maketrans("æøåÆØÅ", "aoaAOA")

VARIANTS = {
    "som skrevet": lambda q, rng: q,
    "små bogstaver": lambda q, rng: q.lower(),
    "små bogstaver, uden »?«": lambda q, rng: q.lower().rstrip("?").rstrip(),
    "uden æøå (ae/oe/aa)": lambda q, rng: fold_danish(q),
    "uden æøå (a/o/a)": lambda q, rng: q.translate(_PLAIN_LETTERS),
    "tastefejl (ombyttede bogstaver)": _slips,
    "tastefejl i korte ord (5-6 bogstaver)": lambda q, rng: _slips(q, rng, shortest=5, longest=6, share=0.5),
}


def robustness(questions: str) -> str:
    """The same questions typed the ways people type: lower case, without æøå, with slips."""
    rows = ["| skrevet | hit@1 | recall@5 | recall@10 | MRR@10 |", "|---|---|---|---|---|"]
    qs = load_questions(ROOT / questions)
    with tempfile.TemporaryDirectory() as tmp:
        for name, variant in VARIANTS.items():
            rng = random.Random(1)
            path = Path(tmp) / "variant.jsonl"
            path.write_text("".join(json.dumps({**q, "question": variant(q["question"], rng)}, ensure_ascii=False)
                                    + "\n" for q in qs), encoding="utf-8")
            out = subprocess.run([KB, "eval", str(path), "--json"], check=True, capture_output=True, text=True,
                                 cwd=ROOT)
            r = json.loads(out.stdout)
            cells = " | ".join(f"{r[m]:.3f}" for m in ("hit@1", "recall@5", "recall@10", "mrr@10"))
            rows.append(f"| {name} | {cells} |")
    return "\n".join(rows)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("files", nargs="*", default=["bench/dev.jsonl", "bench/questions.jsonl", "bench/validation.jsonl"])
    p.add_argument("--full-build", action="store_true")
    p.add_argument("--busy", action="store_true")
    p.add_argument("--robust", action="store_true")
    args = p.parse_args()
    for f in args.files:
        out = subprocess.run([KB, "eval", f, "--compare"], check=True, capture_output=True, text=True, cwd=ROOT)
        print(f"## {f}\n\n{out.stdout}")
        final = subprocess.run([KB, "eval", f, "--json"], check=True, capture_output=True, text=True, cwd=ROOT)
        share = json.loads(final.stdout)["best_sentence_gold"]
        pct = f"{100 * share:.1f}".replace(".", ",")
        print(f"Den fremhævede sætning er selve guldcitatet i {pct} % af de fundne tekststykker.\n")
    print(f"Kold start til første svar (ny proces): {cold_start_seconds():.1f} s")
    manifest = json.loads((ROOT / "indeks" / "manifest.json").read_text(encoding="utf-8"))
    print(
        f"Indeks: {manifest['chunks']} tekststykker, {manifest.get('sentences')} sætninger, "
        f"{manifest.get('questions', 0)} spørgsmål, {manifest['embedder']}"
    )
    if args.busy:
        r = busy_latency(args.files[-1])
        print(f"Svartid med en optaget kerne: p50 {r['latency_ms_p50']:.1f} ms, p95 {r['latency_ms_p95']:.1f} ms")
    if args.robust:
        for f in args.files:
            print(f"\n## Robusthed: {f}\n\n{robustness(f)}\n")
    if args.full_build:
        print(f"Fuld indeksbygning fra bunden: {full_build_seconds():.0f} s")


if __name__ == "__main__":
    main()
