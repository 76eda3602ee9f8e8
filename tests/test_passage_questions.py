"""The questions each passage answers (kilder/spoergsmaal/): valid, placed, indexed, updated incrementally."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kb import index_store
from kb.errors import KbError
from kb.indexer import build
from kb.passage_questions import (
    anchor_sentences,
    hubness,
    load_questions,
    place,
    questions_path,
    questions_sha256,
)
from kb.search import Engine
from kb.sources import load_manifest
from kb.text import fold_danish, norm_match

ROOT = Path(__file__).resolve().parent.parent
KB = str(Path(sys.executable).with_name("kb"))


def _bundled_sources():
    return [s for s in load_manifest(ROOT / "kilder") if questions_path(ROOT / "kilder", s.id).is_file()]


def test_every_bundled_source_has_questions_and_each_one_finds_its_passage(chunks):
    sources = _bundled_sources()
    assert {s.id for s in sources} == set(chunks)
    for src in sources:
        questions = load_questions(ROOT / "kilder", src.id)
        where, placed, unplaced = place(chunks[src.id], questions)
        assert unplaced == 0, f"{src.id}: {unplaced} anchors are not in the source"
        assert len(placed) == len(questions)
        assert len({norm_match(q.question) for q in questions}) == len(questions), f"{src.id}: a question twice"
        # Most passages are reachable through a question; those left are headings, fragments,
        # reference lists and search protocols.
        covered = set(where)
        substantial = [i for i, c in enumerate(chunks[src.id]) if len(c.text) > 300]
        assert sum(i in covered for i in substantial) >= 0.75 * len(substantial), src.id


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold_danish(text.lower())))


def test_no_question_copies_an_evaluation_question():
    """The questions are written from the sources; an evaluation question among them, or one reworded
    by a word or two, would be a leak that flatters `kb eval`."""
    asked = [
        _words(json.loads(line)["question"])
        for f in (ROOT / "bench").glob("*.jsonl")
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(asked) > 150
    for src in _bundled_sources():
        for q in load_questions(ROOT / "kilder", src.id):
            words = _words(q.question)
            overlap = max(len(words & a) / len(words | a) for a in asked)
            assert overlap < 0.6, (src.id, q.question)


def test_committed_index_holds_the_current_questions(engine, chunks):
    """Fails when a question file changed without `kb index`."""
    manifest = index_store.read_manifest(ROOT / "indeks")
    expected_chunk, expected_text = [], []
    by_source: dict[str, int] = {}  # the index keeps each source's passages together, in order
    for i, c in enumerate(engine.chunks):
        by_source.setdefault(c.source, i)
    for src in _bundled_sources():
        info = manifest["sources"][src.id]
        assert info["questions_sha256"] == questions_sha256(ROOT / "kilder", src.id), f"{src.id}: run `kb index`"
        where, placed, _ = place(chunks[src.id], load_questions(ROOT / "kilder", src.id))
        expected_chunk += [by_source[src.id] + i for i in where]
        expected_text += [q.question for q in placed]
        assert info["questions"] == len(placed) and info["questions_unplaced"] == 0
    stored = index_store.read_questions(ROOT / "indeks")
    assert stored["chunk"].tolist() == expected_chunk
    assert stored["text"].tolist() == expected_text
    assert stored["vectors"].shape == (len(expected_text), engine.vectors.shape[1])


def test_a_question_brings_its_passage_to_the_dense_side(engine):
    """Asked in a question's own words, its passage is among the nearest by meaning alone."""
    stored = engine.questions
    rng = np.random.default_rng(7)
    picks = rng.choice(len(stored["text"]), size=40, replace=False)
    found = 0
    for k in picks:
        dense = engine.dense_scores(str(stored["text"][k]))
        found += int(stored["chunk"][k]) in np.argsort(-dense)[:5]
    assert found >= 36


def test_malformed_question_files_are_refused_in_danish(tmp_path):
    folder = tmp_path / "spoergsmaal"
    folder.mkdir()
    cases = {
        b'{"question": "Hvad er STU?", "anchor": "for unge"}\n{"question": \n': "linje 2: ugyldig JSON",
        b'{"question": "Hvad er STU?"}\n': "linje 1: felterne 'question' og 'anchor'",
        b'{"question": "  ", "anchor": "noget tekst"}\n': "må ikke være tomme",
        b'["Hvad er STU?", "ungdomsuddannelse"]\n': "linje 1: felterne",
        "Hvad er STU?".encode("latin-1") + b"\xe6\n": "ikke gyldig UTF-8",
    }
    for content, message in cases.items():
        (folder / "x.jsonl").write_bytes(content)
        with pytest.raises(KbError, match=message):
            load_questions(tmp_path, "x")
    assert load_questions(tmp_path, "ingen") == []


def _append_question(kilder: Path, source_id: str, question: str, anchor: str) -> None:
    with questions_path(kilder, source_id).open("a", encoding="utf-8") as f:
        f.write(json.dumps({"question": question, "anchor": anchor}, ensure_ascii=False) + "\n")


def test_a_new_question_is_embedded_alone_and_searchable_by_its_words(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    before = index_store.read_questions(indeks)
    anchor = "Dette gælder dog ikke grundskoletilbud"
    _append_question(kilder, "vejledning", "Tæller zyxkvist-timerne i folkeskolen med?", anchor)
    stats = build(kilder, indeks)
    assert stats["indlejret"] == 1 and stats["aendrede_kilder"] == ["vejledning"]
    assert stats["spoergsmaal"] == len(before["text"]) + 1 and stats["spoergsmaal_uden_sted"] == 0
    engine = Engine.load(indeks)
    hit = engine.search("zyxkvist", top_k=1)[0]
    assert hit.source == "vejledning" and norm_match(anchor) in norm_match(hit.text)
    # The other questions kept their vectors, read back from the index instead of embedded again.
    after = index_store.read_questions(indeks)
    old = dict(zip(before["text"].tolist(), before["vectors"], strict=True))
    for text, vec in zip(after["text"].tolist(), after["vectors"], strict=True):
        if text in old:
            np.testing.assert_array_equal(vec, old[text])


def test_a_question_whose_anchor_left_the_source_is_counted_not_guessed(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    before = index_store.read_manifest(indeks)["questions"]
    _append_question(kilder, "vive", "Hvad siger rapporten om månen?", "denne sætning står ikke i rapporten")
    r = subprocess.run([KB, "index"], capture_output=True, text=True, env=os.environ.copy())
    assert r.returncode == 0, r.stderr
    assert "1 spørgsmål er udeladt" in r.stdout and "kilder/spoergsmaal/" in r.stdout
    manifest = index_store.read_manifest(indeks)
    assert manifest["questions"] == before and manifest["sources"]["vive"]["questions_unplaced"] == 1
    assert "Hvad siger rapporten om månen?" not in index_store.read_questions(indeks)["text"].tolist()


def test_a_broken_question_file_leaves_the_source_indexed_without_its_questions(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    stored = index_store.read_questions(indeks)
    bostoette_before = index_store.read_manifest(indeks)["sources"]["bostoette"]["questions"]
    path = questions_path(kilder, "billund")
    path.write_text(path.read_text(encoding="utf-8") + "{ikke json\n", encoding="utf-8")
    r = subprocess.run([KB, "index"], capture_output=True, text=True, env=os.environ.copy())
    assert r.returncode == 2
    assert "Kilden 'billund' er indekseret uden sine spørgsmål" in r.stderr and "ugyldig JSON" in r.stderr
    manifest = index_store.read_manifest(indeks)
    assert manifest["sources"]["billund"]["questions"] == 0
    assert manifest["sources"]["bostoette"]["questions"] == bostoette_before
    assert manifest["questions"] < len(stored["text"])
    engine = Engine.load(indeks)
    assert engine.search("ungeindsats i Billund Kommune", top_k=1)[0].source == "billund"


def test_an_index_with_damaged_or_missing_questions_is_refused_and_rebuilt(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    assert build(kilder, indeks)["indlejret"] == 0  # fills the embedding cache from the committed index
    path = indeks / index_store.QUESTIONS
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(KbError, match="ufuldstændigt eller beskadiget.*kb index"):
        Engine.load(indeks)
    # The damaged file does not stop `kb index`: it seeds what it can and takes the rest from the cache.
    stats = build(kilder, indeks)
    assert stats["indlejret"] == 0 and stats["spoergsmaal"] == len(Engine.load(indeks).questions["text"])
    path.unlink()
    with pytest.raises(KbError, match="inkonsistent.*kb index"):
        Engine.load(indeks)


def test_hubness_marks_questions_in_a_common_frame(engine):
    stored = engine.questions
    np.testing.assert_allclose(stored["hub"], hubness(stored["vectors"]), atol=1e-5)
    np.testing.assert_allclose(hubness(stored["vectors"][:500], block=7), hubness(stored["vectors"][:500]), atol=1e-5)
    # Forty questions in one frame are hubs; forty scattered ones are not.
    rng = np.random.default_rng(3)
    frame = rng.normal(size=384)
    framed = frame + 0.3 * rng.normal(size=(40, 384))
    scattered = rng.normal(size=(40, 384))
    vectors = np.vstack([framed, scattered]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    hub = hubness(vectors, k=10)
    assert hub[:40].min() > 0 > hub[40:].max()
    assert abs(float(hub.mean())) < 1e-6


def test_an_anchor_names_the_sentences_it_quotes():
    parts = ["Første sætning handler om noget.", "Anden sætning nævner 32 pct. af børnene.", "Tredje sætning."]
    text = " ".join(parts)
    spans = [(text.index(p), text.index(p) + len(p)) for p in parts]
    assert anchor_sentences(text, spans, "nævner 32 pct") == [1]
    # An anchor over a sentence end names the run it spans; one not in the text names none.
    assert anchor_sentences(text, spans, "om noget. Anden sætning") == [0, 1]
    assert anchor_sentences(text, spans, "om noget. Anden sætning nævner 32 pct. af børnene. Tredje") == [0, 1, 2]
    assert anchor_sentences(text, spans, "findes ikke her") == []


def test_the_committed_index_knows_the_sentence_each_question_quotes(engine):
    """The emphasised sentence follows the question nearest the user's: each stored question points to
    a sentence of its passage that its anchor quotes."""
    anchors: dict[str, list[str]] = {}  # a question may be asked of two passages, with two anchors
    for src in _bundled_sources():
        for q in load_questions(ROOT / "kilder", src.id):
            anchors.setdefault(q.question, []).append(q.anchor)
    asked, sentences = engine.questions, engine.sentences
    rows = asked["sentence"]
    assert (rows >= 0).mean() > 0.99
    for k in np.nonzero(rows >= 0)[0]:
        r, chunk = int(rows[k]), int(asked["chunk"][k])
        assert int(sentences["chunk"][r]) == chunk
        text = engine.chunks[chunk].text
        start, end = int(sentences["start"][r]), int(sentences["end"][r])
        here = (len(norm_match(text[:start])), len(norm_match(text[:end])))
        full = norm_match(text)
        quoted = [(full.find(norm_match(a)), len(norm_match(a))) for a in anchors[str(asked["text"][k])]]
        assert any(0 <= b < here[1] and here[0] < b + n for b, n in quoted), asked["text"][k]


def test_an_anchor_over_a_list_points_to_the_item_its_question_asks_about(engine):
    """"Skal 3c scores på et krisecenter?" quotes the Kvalitetsmodel's list of tilbud 3.c does not apply
    to from the item before krisecentre to the one after; the question is about the krisecentre."""
    asked, sentences = engine.questions, engine.sentences
    k = int(np.nonzero(asked["text"] == "Skal 3c scores på et krisecenter?")[0][0])
    r, chunk = int(asked["sentence"][k]), int(asked["chunk"][k])
    text = engine.chunks[chunk].text[int(sentences["start"][r]) : int(sentences["end"][r])]
    assert text == "- Krisecentre oprettet efter servicelovens § 109."
