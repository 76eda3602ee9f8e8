"""The keyboard-slip model that decides which unknown words are mended (``kb.typos``)."""

from __future__ import annotations

import pytest

from kb.typos import NEIGHBOURS, is_slip


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("beskfætigelse", "beskæftigelse"),  # neighbouring letters swapped
        ("beskæftigekse", "beskæftigelse"),  # k for l: neighbouring keys
        ("arbejdsmarkkedet", "arbejdsmarkedet"),  # a letter typed twice
        ("førtidspensiion", "førtidspension"),
        ("uddanelse", "uddannelse"),  # a double letter typed once
        ("supervison", "supervision"),  # a letter left out of a long word
        ("sarlige", "særlige"),  # plain a for æ
        ("hjemlos", "hjemløs"),  # plain o for ø
    ],
)
def test_slips_of_the_keyboard(typed, word):
    assert is_slip(typed, word)


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("hjemmel", "hjemmet"),  # l and t are far apart
        ("lærling", "læring"),  # an l after r is not a key slip
        ("uafklaret", "afklaret"),  # the first letter is taken as typed
        ("angivne", "angive"),
        ("ledelse", "ledelse"),  # the same word is no slip
        ("borger", "botilbud"),  # more than one edit
        ("ebskæftigelse", "beskæftigelse"),
        ("sarlig", "særlige"),  # two edits
        ("medie", "medier"),  # a short word's missing letter makes another word
    ],
)
def test_words_that_are_not_slips(typed, word):
    assert not is_slip(typed, word)


def test_neighbouring_keys_follow_the_danish_layout():
    assert NEIGHBOURS["k"] == {"j", "l", "i", "o", "m"}
    assert {"ø", "å"} <= NEIGHBOURS["æ"] and "z" in NEIGHBOURS["a"]
    assert all(ch not in near for ch, near in NEIGHBOURS.items())
