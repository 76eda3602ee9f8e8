"""Benchmark kb: the quality/latency table per question file, cold start, and (optionally) a full build.

    python bench/benchmark.py                 # dev + own questions, cold start
    python bench/benchmark.py --full-build    # also time embedding the whole corpus from scratch (~10 min)
    python bench/benchmark.py --busy          # also query latency while another process holds one core
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("files", nargs="*", default=["bench/dev.jsonl", "bench/questions.jsonl"])
    p.add_argument("--full-build", action="store_true")
    p.add_argument("--busy", action="store_true")
    args = p.parse_args()
    for f in args.files:
        out = subprocess.run([KB, "eval", f, "--compare"], check=True, capture_output=True, text=True, cwd=ROOT)
        print(f"## {f}\n\n{out.stdout}")
    print(f"Kold start til første svar (ny proces): {cold_start_seconds():.1f} s")
    manifest = json.loads((ROOT / "indeks" / "manifest.json").read_text(encoding="utf-8"))
    print(f"Indeks: {manifest['chunks']} tekststykker, {manifest.get('sentences')} sætninger, {manifest['embedder']}")
    if args.busy:
        r = busy_latency(args.files[-1])
        print(f"Svartid med en optaget kerne: p50 {r['latency_ms_p50']:.1f} ms, p95 {r['latency_ms_p95']:.1f} ms")
    if args.full_build:
        print(f"Fuld indeksbygning fra bunden: {full_build_seconds():.0f} s")


if __name__ == "__main__":
    main()
