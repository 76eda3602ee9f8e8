"""Score guidance for 1.b: kb's thresholds, folkepension out of the denominator, exact borders, errors."""

from __future__ import annotations

import pytest

from kb.errors import KbError
from kb.rules import SCORE_THRESHOLDS, score_1b, taerskler

# (borgere, i_aktivitet, folkepension_uden_aktivitet) -> score
CASES = [
    ((10, 10, 0), 5),  # alle
    ((1, 1, 0), 5),
    ((10, 9, 0), 4),  # størstedelen
    ((10, 7, 0), 4),
    ((3, 2, 0), 4),  # 2 of 3 = 67 %
    ((5, 3, 0), 3),  # exactly 60 %: upper border of "halvdelen"
    ((10, 6, 0), 3),
    ((10, 5, 0), 3),  # exactly half
    ((2, 1, 0), 3),  # exactly half
    ((7, 3, 0), 3),  # 43 %: about half when half is impossible
    ((7, 4, 0), 3),  # 57 %
    ((10, 4, 0), 3),  # exactly 40 %: lower border of "halvdelen"
    ((10, 3, 0), 2),  # få
    ((3, 1, 0), 2),  # 33 %
    ((9, 1, 0), 2),  # 11 %
    ((10, 1, 0), 1),  # exactly 10 %: meget få
    ((20, 1, 0), 1),
    ((10, 0, 0), 1),  # ingen
    # Folkepension without activity leaves the denominator
    ((10, 6, 2), 4),  # 6 of 8
    ((12, 4, 2), 3),  # 4 of 10 = 40 %
    ((12, 5, 2), 3),  # exactly half of the 10 without folkepension
    ((9, 6, 3), 5),  # all who are not on folkepension are active
    ((10, 1, 9), 5),
    ((10, 0, 9), 1),
]


@pytest.mark.parametrize("counts,score", CASES, ids=[str(c) for c, _ in CASES])
def test_score(counts, score):
    r = score_1b(*counts)
    assert r["score"] == score
    borgere, aktiv, pension = counts
    assert r["naevner"] == borgere - pension
    assert r["andel"] == round(aktiv / (borgere - pension), 4)
    assert r["kilde"]["citat"] == taerskler()[5 - score]["kilde"]["citat"]
    assert r["kilde"]["section"] == "Anbefaling til scorer for indikator 1.b"


def test_folkepension_is_stated_plainly_and_quoted():
    r = score_1b(10, 6, folkepension_uden_aktivitet=2)
    assert "uden for nævneren (10 − 2 = 8)" in r["begrundelse"]
    assert "alene på grund af borgernes alder" in r["begrundelse"]
    assert any(k["section"] == "Borgere med folkepension" for k in r["kilder"])
    plain = score_1b(10, 6)
    assert "folkepension" not in plain["begrundelse"].split("Førtidspension")[0]
    assert not any(k["section"] == "Borgere med folkepension" for k in plain["kilder"])


def test_foertidspension_does_not_affect_the_score_and_says_so():
    r = score_1b(10, 6)
    assert "Førtidspension påvirker ikke bedømmelsen" in r["begrundelse"]
    assert any("førtidspension" in k["citat"] for k in r["kilder"])


def test_thresholds_are_shown_as_kbs_reading_of_the_quoted_words():
    t = taerskler()
    assert [x["score"] for x in t] == [5, 4, 3, 2, 1]
    assert [x["ord"] for x in t] == ["Alle", "Størstedelen", "Halvdelen", "Få", "Meget få/ingen"]
    assert [x["kb_laesning"] for x in t] == [
        "100 %",
        "over 60 % og under 100 %",
        "fra og med 40 % og til og med 60 %",
        "over 10 % og under 40 %",
        "fra og med 0 % og til og med 10 %",
    ]
    for x in t:
        assert x["kilde"]["citat"].startswith(x["ord"])
        assert x["kilde"]["citat"].endswith(f"({x['score']})")
    r = score_1b(4, 2)
    assert r["taerskler"] == t and "kb's læsning" in r["forbehold"] and "kb's læsning" in r["begrundelse"]
    assert SCORE_THRESHOLDS == ((5, 100, True), (4, 60, False), (3, 40, True), (2, 10, False), (1, 0, True))


@pytest.mark.parametrize("borgere", range(1, 41))
def test_every_group_size_is_monotonic_with_the_literal_ends(borgere):
    scores = [score_1b(borgere, aktiv)["score"] for aktiv in range(borgere + 1)]
    assert scores == sorted(scores)
    assert scores[-1] == 5 and scores.count(5) == 1  # "alle" means all
    assert scores[0] == 1  # "ingen"
    if borgere % 2 == 0:
        assert scores[borgere // 2] == 3  # exactly half
    if borgere >= 5:
        assert 3 in scores  # the "halvdelen" band is wide enough for every tilbud with 5+ borgere


@pytest.mark.parametrize(
    "args,message",
    [
        ((10, 11, 0), "flere borgere i aktivitet"),
        ((10, -1, 0), "negativ"),
        ((-1, 0, 0), "negativ"),
        ((10, 5, -2), "negativ"),
        ((0, 0, 0), "mindst 1"),
        ((10, 6, 5), "tilsammen flere"),
        ((4, 0, 4), "folkepension"),
        ((10, 5.5, 0), "helt tal"),
        ((10, True, 0), "helt tal"),
        (("10", 5, 0), "helt tal"),
    ],
)
def test_inconsistent_input_is_a_danish_error(args, message):
    with pytest.raises(KbError, match=message):
        score_1b(*args)
