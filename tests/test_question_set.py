"""Checks for the project's own retrieval question sets: bench/questions.jsonl (tuned on) and
bench/validation.jsonl (written blind after tuning, never tuned on).

Each file has the same form as the shared dev set: one JSON object per line with
{"id", "question", "source", "gold", "answer", "kind"}. Gold snippets are matched the way the
reference scorer matches them: NFKC, lowercase, then only letters and digits are kept.
"""

import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# File name → id prefix ("b001", "v001"); the dev set uses "q", so ids never collide.
QUESTION_SETS = {"questions.jsonl": "b", "validation.jsonl": "v"}
SOURCES_DIR = ROOT / "kilder"
DEV_QUESTIONS = Path("/work/shared/eval/dev.jsonl")

SOURCE_FILES = {
    "vejledning": "sbst-2024-vejledning-uddannelse-beskaeftigelse.md",
    "kvalitetsmodel": "socialstyrelsen-kvalitetsmodel-socialtilsyn.txt",
    "vive": "vive-2021-sociale-tilbud-uddannelse-beskaeftigelse.txt",
    "bostoette": "vive-2020-kvalitet-i-bostoette.txt",
    "billund": "kora-2017-billund-ungeindsats.txt",
}
FIELDS = ("id", "question", "source", "gold", "answer", "kind")
KINDS = {"definition", "rule", "case", "recommendation", "method", "number", "fact"}
MIN_QUESTIONS = 60
GOLD_MIN_WORDS, GOLD_MAX_WORDS = 5, 14


def norm(text: str) -> str:
    """Same normalisation as the reference scorer (score.py)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def word_count(snippet: str) -> int:
    """Whitespace-separated tokens that contain at least one letter or digit ("–" and "§" don't count)."""
    return sum(1 for tok in snippet.split() if any(ch.isalnum() for ch in tok))


def _lines(path: Path) -> list[tuple[int, str]]:
    with open(path, encoding="utf-8") as f:
        return [(n, line) for n, line in enumerate(f, 1) if line.strip()]


def _load(path: Path) -> list[dict]:
    assert path.exists(), f"missing {path}"
    out = []
    for n, line in _lines(path):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            pytest.fail(f"{path.name} line {n} is not valid JSON: {e}")
    return out


@pytest.fixture(scope="module", params=sorted(QUESTION_SETS))
def question_file(request) -> Path:
    return ROOT / "bench" / request.param


@pytest.fixture(scope="module")
def questions(question_file) -> list[dict]:
    return _load(question_file)


@pytest.fixture(scope="module")
def source_texts() -> dict[str, str]:
    texts = {}
    for sid, name in SOURCE_FILES.items():
        path = SOURCES_DIR / name
        assert path.exists(), f"source file for {sid!r} missing: {path}"
        texts[sid] = norm(path.read_text(encoding="utf-8"))
    return texts


def test_every_line_is_a_json_object(question_file):
    for n, line in _lines(question_file):
        obj = json.loads(line)
        assert isinstance(obj, dict), f"line {n} is not a JSON object"


def test_enough_questions(questions):
    assert len(questions) >= MIN_QUESTIONS, f"only {len(questions)} questions, need >= {MIN_QUESTIONS}"


def test_required_fields_and_types(questions):
    for q in questions:
        qid = q.get("id", "<no id>")
        missing = [f for f in FIELDS if f not in q]
        assert not missing, f"{qid}: missing fields {missing}"
        for f in ("id", "question", "source", "answer", "kind"):
            assert isinstance(q[f], str) and q[f].strip(), f"{qid}: {f!r} must be a non-empty string"
        assert isinstance(q["gold"], list) and 1 <= len(q["gold"]) <= 3, f"{qid}: gold must hold 1-3 snippets"
        assert all(isinstance(g, str) and g.strip() for g in q["gold"]), f"{qid}: gold snippets must be strings"
        assert q["kind"] in KINDS, f"{qid}: unknown kind {q['kind']!r}"


def test_ids_unique_and_well_formed(question_file, questions):
    ids = [q["id"] for q in questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"
    prefix = QUESTION_SETS[question_file.name]
    bad = [i for i in ids if not re.fullmatch(rf"{prefix}\d{{3}}", i)]
    assert not bad, f"ids must look like {prefix}001: {bad}"


def test_sources_known(questions):
    unknown = sorted({q["source"] for q in questions} - set(SOURCE_FILES))
    assert not unknown, f"unknown source ids: {unknown}"


def test_gold_length(questions):
    bad = [
        (q["id"], word_count(g), g)
        for q in questions
        for g in q["gold"]
        if not GOLD_MIN_WORDS <= word_count(g) <= GOLD_MAX_WORDS
    ]
    assert not bad, f"gold snippets must be {GOLD_MIN_WORDS}-{GOLD_MAX_WORDS} words: {bad}"


def test_gold_present_in_source(questions, source_texts):
    missing = [
        (q["id"], q["source"], g) for q in questions for g in q["gold"] if norm(g) not in source_texts[q["source"]]
    ]
    assert not missing, f"gold snippets not found (normalised) in their source: {missing}"


def test_no_question_copies_a_dev_question(questions):
    if not DEV_QUESTIONS.exists():
        pytest.skip(f"{DEV_QUESTIONS} not available")
    dev = {norm(json.loads(line)["question"]) for _, line in _lines(DEV_QUESTIONS)}
    copies = [q["id"] for q in questions if norm(q["question"]) in dev]
    assert not copies, f"questions identical (normalised) to dev questions: {copies}"


def test_validation_questions_are_new():
    """The blind batch must not repeat a question of the set everything was tuned on."""
    tuned = {norm(q["question"]) for q in _load(ROOT / "bench" / "questions.jsonl")}
    repeats = [q["id"] for q in _load(ROOT / "bench" / "validation.jsonl") if norm(q["question"]) in tuned]
    assert not repeats, f"validation questions identical (normalised) to bench/questions.jsonl: {repeats}"
