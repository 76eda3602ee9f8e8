"""The rule commands: JSON contracts, Danish text output, exit code 2 on user errors without a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb.cli_rules import build_parser
from kb.errors import KbError

ROOT = Path(__file__).resolve().parent.parent
KB = Path(sys.executable).with_name("kb")


def call(capsys, *argv) -> tuple[int, str]:
    args = build_parser().parse_args(list(argv))
    code = args.func(args)
    return code, capsys.readouterr().out


def call_json(capsys, *argv):
    code, out = call(capsys, *argv, "--json")
    assert code == 0
    return json.loads(out)


def test_indikatorer_json(capsys):
    data = call_json(capsys, "indikatorer", "--tilbudstype", "krisecenter")
    assert data["tilbudstype"] == {"id": "krisecenter", "navn": "Krisecenter", "hjemmel": "Servicelovens § 109"}
    assert [x["indikator"] for x in data["gaelder_ikke"]] == ["1.d", "2.f", "3.c", "6.a", "6.b", "14.c"]
    assert [x["indikator"] for x in data["betinget"]] == ["8.c"]
    assert "3.a" in data["gaelder"]
    for item in data["gaelder_ikke"]:
        assert set(item) == {"indikator", "grund", "kilde"}
        assert set(item["kilde"]) == {"source", "section", "page", "citat"}
    data = call_json(capsys, "indikatorer", "--tilbudstype", "§ 110", "--privat-med-bestyrelse")
    assert data["tilbudstype"]["id"] == "forsorgshjem" and "8.c" in data["gaelder"] and data["betinget"] == []


def test_indikatorer_text(capsys):
    code, out = call(capsys, "indikatorer", "--tilbudstype", "sikret døgninstitution")
    assert code == 0
    assert out.startswith("Tilbudstype: Sikret døgninstitution")
    assert "Gælder ikke (2):" in out and "Indikator 2.b gælder ikke sikrede døgninstitutioner" in out
    assert "Betinget (1):" in out and "Kilde:" in out


def test_saerligt_tilbud_json_and_text(capsys):
    data = call_json(capsys, "saerligt-tilbud", "Borgeren går på en recovery-skole, som botilbuddet selv driver")
    assert data["omfattet"] is False and data["kategori"] == "Tilbuddets egne aktiviteter"
    assert {"omfattet", "kategori", "begrundelse", "kilde"} <= set(data)
    assert data["kilde"]["section"] == "2. Sociale tilbuds egne aktiviteter er ikke omfattet"
    data = call_json(capsys, "saerligt-tilbud", "værested")
    assert data["omfattet"] is None and data["hvad_undersoeges"]
    code, out = call(capsys, "saerligt-tilbud", "beskyttet", "beskæftigelse", "§", "103")
    assert code == 0 and out.startswith("Resultat: Tæller på indikator 1.b") and "s. 16" in out


def test_score_1b_json_and_text(capsys):
    data = call_json(capsys, "score-1b", "--borgere", "10", "--i-aktivitet", "6", "--folkepension-uden-aktivitet", "2")
    assert {"score", "niveau", "andel", "begrundelse", "kilde", "taerskler", "naevner"} <= set(data)
    assert (data["score"], data["andel"], data["naevner"]) == (4, 0.75, 8)
    data = call_json(capsys, "score-1b", "--borgere", "10", "--i-aktivitet", "5")
    assert data["score"] == 3
    code, out = call(capsys, "score-1b", "--borgere", "10", "--i-aktivitet", "5")
    assert "Anbefalet score for indikator 1.b: 3" in out and "kb's læsning" in out and "→ 3" in out


def test_spindelvaev_json_and_png(capsys, tmp_path):
    scores = tmp_path / "scores.json"
    scores.write_text(json.dumps({"1.a": 2, "1.b": 5, "3.a": 4, "3.c": 1}), encoding="utf-8")
    data = call_json(capsys, "spindelvaev", "--scores", str(scores))
    assert data["kriterier"] == {"1": 3.5, "3": 2.5}
    assert data["temaer"] == {"Uddannelse og beskæftigelse": 3.5, "Målgruppe, metoder og resultater": 2.5}
    png, svg = tmp_path / "s.png", tmp_path / "s.svg"
    data = call_json(capsys, "spindelvaev", "--scores", str(scores), "--tilbudstype", "krisecenter",
                     "--png", str(png), "--svg", str(svg))
    assert data["kriterier"]["3"] == 4.0 and data["udeladt"] == ["3.c"]
    assert png.read_bytes()[:4] == b"\x89PNG" and "<svg" in svg.read_text(encoding="utf-8")
    code, out = call(capsys, "spindelvaev", "--scores", str(scores))
    assert "Kriterium  1: 3,50" in out and "Uddannelse og beskæftigelse: 3,50" in out


@pytest.mark.parametrize(
    "argv,message",
    [
        (["indikatorer", "--tilbudstype", "botilbud"], "tvetydig"),
        (["indikatorer", "--tilbudstype", "xyz"], "Ukendt tilbudstype"),
        (["saerligt-tilbud", " "], "Beskriv aktiviteten"),
        (["score-1b", "--borgere", "10", "--i-aktivitet", "11"], "flere borgere i aktivitet"),
        (["score-1b", "--borgere", "10", "--i-aktivitet", "-1"], "negativ"),
        (["score-1b", "--borgere", "ti", "--i-aktivitet", "1"], "helt tal"),
        (["score-1b", "--borgere", "2", "--i-aktivitet", "0", "--folkepension-uden-aktivitet", "2"], "folkepension"),
    ],
)
def test_user_errors_raise_kberror(capsys, argv, message):
    args = build_parser().parse_args(argv)
    with pytest.raises(KbError, match=message):
        args.func(args)


@pytest.mark.parametrize(
    "content,message",
    [
        ('{"1.x": 3}', "Ukendt indikator"),
        ('{"1.a": 9}', "fra 1 til 5"),
        ("{ikke json", "ikke gyldig JSON"),
        ("[1, 2]", "JSON-objekt"),
    ],
)
def test_spindelvaev_input_errors(tmp_path, content, message):
    path = tmp_path / "scores.json"
    path.write_text(content, encoding="utf-8")
    args = build_parser().parse_args(["spindelvaev", "--scores", str(path)])
    with pytest.raises(KbError, match=message):
        args.func(args)
    args = build_parser().parse_args(["spindelvaev", "--scores", str(tmp_path / "mangler.json")])
    with pytest.raises(KbError, match="findes ikke"):
        args.func(args)


# --- the installed `kb` command ----------------------------------------------------------------------

needs_kb = pytest.mark.skipif(not KB.exists(), reason="kb er ikke installeret i miljøet")


def run(*argv):
    return subprocess.run([str(KB), *argv], capture_output=True, text=True, cwd=ROOT, env=os.environ.copy())


@needs_kb
def test_real_command_json():
    r = run("indikatorer", "--tilbudstype", "krisecenter", "--json")
    assert r.returncode == 0, r.stderr
    assert "3.c" in [x["indikator"] for x in json.loads(r.stdout)["gaelder_ikke"]]
    r = run("score-1b", "--borgere", "8", "--i-aktivitet", "4", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["score"] == 3


@needs_kb
@pytest.mark.parametrize(
    "argv",
    [
        ["indikatorer", "--tilbudstype", "ukendt type"],
        ["score-1b", "--borgere", "5", "--i-aktivitet", "6"],
        ["score-1b", "--borgere", "-5", "--i-aktivitet", "1"],
        ["score-1b", "--borgere", "fem", "--i-aktivitet", "1"],
        ["saerligt-tilbud", ""],
        ["spindelvaev", "--scores", "findes-ikke.json"],
    ],
)
def test_real_command_user_errors_exit_2_in_danish(argv):
    r = run(*argv)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stderr.strip()
    assert r.stdout == ""


@needs_kb
def test_real_command_bad_score_file_exits_2(tmp_path):
    for content in ['{"1.a": 0}', '{"7.b": 3}']:
        path = tmp_path / "s.json"
        path.write_text(content, encoding="utf-8")
        r = run("spindelvaev", "--scores", str(path))
        assert r.returncode == 2 and "Traceback" not in r.stderr


@needs_kb
def test_real_ask_returns_rule_cards():
    r = run("ask", "Gælder indikator 3.c for et krisecenter?", "--json")
    if r.returncode != 0 and "indeks" in r.stderr.lower():
        pytest.skip("intet søgeindeks")
    assert r.returncode == 0, r.stderr
    regler = json.loads(r.stdout)["regler"]
    assert regler[0]["type"] == "anvendelighed" and regler[0]["resultat"].startswith("Nej")
