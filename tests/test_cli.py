"""The `kb` command-line contract: JSON shapes, exit codes, Danish errors, agreement with score.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = str(Path(sys.executable).with_name("kb"))


def run(*args, env=None):
    return subprocess.run([KB, *args], capture_output=True, text=True, env=env or os.environ.copy(), cwd=ROOT)


def test_search_json_contract():
    r = run("search", "hvad tæller som særligt tilbud?", "--top-k", "3", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["query"] == "hvad tæller som særligt tilbud?"
    assert [h["rank"] for h in data["hits"]] == [1, 2, 3]
    for h in data["hits"]:
        assert {"rank", "score", "source", "title", "section", "page", "text", "citation"} <= h.keys()
        assert isinstance(h["score"], float) and (h["page"] is None or isinstance(h["page"], int))


def test_search_names_the_repaired_query():
    """A query typed without æøå and with a slip: the JSON and the text both say what was searched."""
    r = run("search", "borgere paa folkepesnion", "--top-k", "2", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["query"] == "borgere paa folkepesnion"
    assert data["interpreted_query"] == "borgere på folkepension"
    assert "folkepension" in data["hits"][0]["text"].lower()
    text = run("search", "borgere paa folkepesnion", "--top-k", "1").stdout
    assert text.startswith("Søgte efter: »borgere på folkepension«")
    # A query that needs no repair gets no such line, and the same field.
    r = run("ask", "hvad tæller som særligt tilbud?", "--json")
    assert json.loads(r.stdout)["interpreted_query"] == "hvad tæller som særligt tilbud?"
    assert not run("search", "folkepension", "--top-k", "1").stdout.startswith("Søgte efter")


def test_search_names_the_thesaurus_words_it_also_searched():
    r = run("search", "må beboeren på bostedet have et job", "--top-k", "1", "--json")
    terms = json.loads(r.stdout)["thesaurus_terms"]
    assert {"botilbud", "borger", "beskæftigelse"} <= set(terms)
    text = run("search", "må beboeren på bostedet have et job", "--top-k", "1").stdout
    assert text.startswith("Søgte også efter beslægtede ord: ") and "botilbud" in text.splitlines()[0]
    # Words the thesaurus doesn't know: no line, an empty list.
    r = run("ask", "Skibbyhøj og Dalhoffsminde", "--json")
    assert json.loads(r.stdout)["thesaurus_terms"] == []
    assert "beslægtede" not in run("search", "Skibbyhøj og Dalhoffsminde", "--top-k", "1").stdout


def test_search_source_filter_repeated():
    r = run("search", "uddannelse", "--kilde", "vive", "--kilde", "billund", "--json")
    assert r.returncode == 0
    assert {h["source"] for h in json.loads(r.stdout)["hits"]} <= {"vive", "billund"}


def test_user_errors_exit_2_in_danish_without_traceback():
    for args in (["search", ""], ["search", "   "], ["search", "x", "--kilde", "ukendt"],
                 ["search", "x" * 10_000], ["eval", "findes-ikke.jsonl"]):
        r = run(*args)
        assert r.returncode == 2, args
        assert r.stderr.startswith("Fejl: ") and "Traceback" not in r.stderr


def test_usage_errors_are_danish():
    r = run("search")
    assert r.returncode == 2 and "fejl: disse argumenter mangler" in r.stderr
    r = run("search", "x", "--top-k", "mange")
    assert r.returncode == 2 and "ugyldig værdi" in r.stderr


def test_kilde_tilfoej_validates_and_writes(tmp_path):
    kilder = tmp_path / "kilder"
    kilder.mkdir()
    (kilder / "kilder.toml").write_text("", encoding="utf-8")
    doc = tmp_path / "Min rapport (2024).md"
    doc.write_text("# Rapport\n\nEt afsnit om bostøtte.\n", encoding="utf-8")
    env = {**os.environ, "KB_KILDER": str(kilder)}
    r = run("kilde", "tilfoej", str(doc), "--titel", "Min rapport", "--udgiver", "Kommunen", "--aar", "2024", env=env)
    assert r.returncode == 0, r.stderr
    assert (kilder / "Min-rapport-2024.md").exists()
    r = run("kilde", "tilfoej", str(doc), "--titel", "Min rapport", "--udgiver", "Kommunen", env=env)
    assert r.returncode == 2 and "findes allerede" in r.stderr
    listing = json.loads(run("kilder", "--json", env=env).stdout)
    assert listing[0]["titel"] == "Min rapport" and listing[0]["aar"] == 2024


def test_manifest_errors_name_the_entry(tmp_path):
    kilder = tmp_path / "kilder"
    kilder.mkdir()
    (kilder / "a.txt").write_text("tekst", encoding="utf-8")
    env = {**os.environ, "KB_KILDER": str(kilder)}
    cases = {
        '[[kilde]]\nid = "a"\ntitel = "A"\nudgiver = "U"\nfil = "mangler.txt"\n': "mangler.txt",
        '[[kilde]]\nid = "a"\nudgiver = "U"\nfil = "a.txt"\n': "'titel'",
        '[[kilde]]\nid = "a"\ntitel = "A"\nudgiver = "U"\nfil = "a.txt"\n' * 2: "bruges både",
    }
    for manifest, expected in cases.items():
        (kilder / "kilder.toml").write_text(manifest, encoding="utf-8")
        r = run("kilder", env=env)
        assert r.returncode == 2 and expected in r.stderr and "'a'" in r.stderr


def test_eval_agrees_with_reference_scorer(tmp_path):
    questions = ROOT / "bench" / "questions.jsonl"
    run_file = tmp_path / "run.jsonl"
    r = run("eval", str(questions), "--json", "--run", str(run_file))
    assert r.returncode == 0, r.stderr
    ours = json.loads(r.stdout)
    assert {"n", "hit@1", "recall@5", "recall@10", "mrr@10", "latency_ms_p50", "latency_ms_p95"} <= ours.keys()
    # And how often the sentence a found passage emphasises is the gold quote itself.
    assert 0.0 < ours["best_sentence_gold"] <= 1.0
    ref = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "score.py"), str(questions), str(run_file)],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    reference = {kv.split("=")[0]: float(kv.split("=")[1]) for kv in ref}
    for key, value in reference.items():
        assert abs(ours[key] - value) < 1e-3, key


def test_eval_by_source_splits_the_metrics_into_groups_that_add_up():
    questions = ROOT / "bench" / "validation.jsonl"
    r = run("eval", str(questions), "--by", "source", "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    sources = {json.loads(line)["source"] for line in questions.read_text(encoding="utf-8").splitlines()}
    groups = result["groups"]
    assert set(groups) == sources
    assert sum(g["n"] for g in groups.values()) == result["n"]
    for metric in ("hit@1", "recall@5", "mrr@10"):
        pooled = sum(g[metric] * g["n"] for g in groups.values()) / result["n"]
        assert abs(pooled - result[metric]) < 1e-9, metric
    table = run("eval", str(questions), "--by", "kind").stdout
    assert "| type | n | hit@1 |" in table and "| rule |" in table


def test_eval_compare_prints_every_system_with_latency_and_build_time():
    r = run("eval", str(ROOT / "bench" / "dev.jsonl"), "--compare", "--json")
    assert r.returncode == 0, r.stderr
    rows = {row["system"].split(" (")[0].split(",")[0]: row for row in json.loads(r.stdout)}
    assert {"BM25", "dense", "hybrid", "kb"} <= rows.keys()
    systems = [row["system"] for row in json.loads(r.stdout)]
    assert systems[-1] == "kb (endeligt system)" and len(systems) == 7
    by_name = {row["system"].split(" (")[0]: row for row in json.loads(r.stdout)}
    # The questions each passage answers lift the dense side above plain passage retrieval.
    assert by_name["dense"]["mrr@10"] > by_name["dense, kun tekststykkerne"]["mrr@10"]
    final = rows["kb"]
    fields = {"hit@1", "recall@5", "recall@10", "mrr@10", "latency_ms_p50", "latency_ms_p95", "index_build_s"}
    for row in json.loads(r.stdout):
        assert fields <= row.keys()
        # The full system finds at least as many golds on the first screen as any single signal or plain fusion.
        assert final["recall@5"] >= row["recall@5"]
    table = run("eval", str(ROOT / "bench" / "dev.jsonl"), "--compare").stdout
    assert "| kb (endeligt system) |" in table and "Seneste indeksbygning" in table


def test_search_text_shows_each_passage_readably():
    """The terminal gets the passage's own lines (list items stay items), indented under its place, cut
    at a word, without the heading the section path already names, and the citation to paste."""
    out = run("search", "gælder indikator 3.c for et krisecenter?", "--top-k", "1").stdout
    lines = out.split("\n\n", 1)[1].splitlines()  # after the thesaurus line
    assert lines[0] == (
        "1. [kvalitetsmodel] Tema: Målgruppe, metoder og resultater › Kriterium 3 › Indikator 3.c (uden sidetal)"
    )
    assert lines[1] == "   Indikator 3.c. gælder ikke:"
    assert "   - Krisecentre oprettet efter servicelovens § 109." in lines
    assert all(line.startswith("   ") for line in lines[1:])
    assert lines[-2].endswith(" …") and not lines[-2].endswith((" h …", ", …"))
    assert lines[-1].startswith("   Kilde: Socialstyrelsen (2017): Kvalitetsmodel for socialtilsyn")
    # A passage over pages names them as its citation does.
    out = run("search", "borgere på folkepension", "--top-k", "1").stdout
    first = next(line for line in out.splitlines() if line.startswith("1. "))
    assert first.endswith("(s. 18–21)") and "s. 18–21." in out
    # The sentence that answers, when the opening does not hold it; the opening ends at a sentence then.
    out = run("search", "hvor mange bostøttemedarbejdere har en mellemlang uddannelse", "--top-k", "1").stdout
    lines = out.splitlines()
    best = next(i for i, line in enumerate(lines) if line.startswith("   Svarer bedst: »"))
    assert lines[best - 1].endswith(". …")
    assert "(57 %)" in " ".join(lines[best:]) and "(57 %)" not in " ".join(lines[:best])
