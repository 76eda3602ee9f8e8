"""Deterministic phrase matching for Danish free text: the only 'understanding' the rules do.

Text and phrases are folded the same way (NFKC, lowercase, æ/ø/å -> ae/oe/aa, accents dropped,
"paragraf" -> §) and split into tokens (§, digit runs, letter runs), so "§110", "§ 110" and
"paragraf 110" are the same and users may type without æøå ("saerligt tilbud").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_TOKEN = re.compile(r"§|\d+|[a-z]+")
_PARAGRAF = re.compile(r"\bparagraf(fen|fer|ferne)?\b|\bparagraph\b|\bpar\.")
NEGATIONS = frozenset({"ikke", "ingen", "aldrig", "hverken"})
# A word of this many letters may carry a short inflection ending ("krisecenter" ~ "krisecentret").
MIN_STEM = 4
MAX_ENDING = 4


def fold(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    t = "".join(ch for ch in unicodedata.normalize("NFKD", t) if not unicodedata.combining(ch))
    return _PARAGRAF.sub(" § ", t)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def _token_matches(text_tok: str, phrase_tok: str) -> bool:
    if text_tok == phrase_tok:
        return True
    return (
        phrase_tok.isalpha()
        and len(phrase_tok) >= MIN_STEM
        and text_tok.startswith(phrase_tok)
        and len(text_tok) - len(phrase_tok) <= MAX_ENDING
    )


@dataclass(frozen=True)
class Match:
    key: str
    phrase: str
    start: int
    end: int
    negated: bool

    def overlaps(self, other: Match) -> bool:
        return self.start < other.end and other.start < self.end

    def inside(self, other: Match) -> bool:
        return other.start <= self.start and self.end <= other.end and (self.end - self.start) < (
            other.end - other.start
        )


class PhraseSet:
    """A set of (key, phrase) pairs searched as token sequences."""

    def __init__(self, items: Iterable[tuple[str, str]]):
        self._items = [(key, phrase, tuple(tokens(phrase))) for key, phrase in items]
        self._items = [item for item in self._items if item[2]]

    def find(self, toks: list[str]) -> list[Match]:
        found = []
        for key, phrase, ptoks in self._items:
            n = len(ptoks)
            for i in range(len(toks) - n + 1):
                if all(_token_matches(toks[i + j], ptoks[j]) for j in range(n)):
                    negated = any(t in NEGATIONS for t in toks[max(0, i - 3) : i])
                    found.append(Match(key, phrase, i, i + n, negated))
        return found


def longest(matches: list[Match]) -> list[Match]:
    """Drop matches lying strictly inside a longer match ("sikret døgninstitution" beats "døgninstitution")."""
    return [m for m in matches if not any(m.inside(o) for o in matches if o is not m)]


def find_longest(phrases: PhraseSet, toks: list[str]) -> list[Match]:
    return longest(phrases.find(toks))


def keys(matches: Iterable[Match]) -> list[str]:
    """Distinct keys in order of first appearance in the text."""
    seen: dict[str, int] = {}
    for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        seen.setdefault(m.key, m.start)
    return list(seen)
