"""Query expansion from the field's own vocabulary (``kb/data/synonymer.yaml``).

A group applies when the query names one of its terms; its other terms are then searched too, at a
lower weight than the user's own words, and shown to the user ("Søgte også efter …"). A term is
named by its words in their own inflections and in a row ("psykiske vanskeligheder", "lægen",
"krisecentre"), by the last part of a compound ("bostøttemedarbejdere" names "medarbejder"), or by
the exact reference it is ("§ 107"). Index tokens are too coarse for this: Snowball gives "lægges"
the stem of "læge" and "ledige" that of "leder", stop words fall out of "komme sig" (every "kommer"
would name recovery), and a compound's first part would count too ("tillægge" naming "læge").
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import yaml

from kb.lexical import Analyzer, reference_tokens
from kb.text import fold_danish

# Danish inflectional endings (nouns, adjectives, verbs, genitive -s): a query word names a term word
# when it is the term word plus one of these.
_ENDINGS = frozenset({
    "", "e", "n", "r", "s", "t", "en", "er", "es", "et", "ne", "ns", "rs", "ts", "ede", "ene", "ens",
    "ere", "ers", "ets", "erne", "enes", "ernes", "eres",
})
_LONGEST_ENDING = max(map(len, _ENDINGS))
_VOWELS = frozenset("aeiouyæøå")


class Term(NamedTuple):
    tokens: tuple[str, ...]  # index tokens, for the word BM25
    refs: frozenset[str]  # exact references ("§107"): the term is named by these, if it has any
    words: tuple[str, ...]  # otherwise by these words (folded), in a row
    text: str  # as written, for the n-gram index and the query embedding


class Thesaurus:
    def __init__(self, analyzer: Analyzer, groups: list[list[str]] | None = None):
        if groups is None:
            text = resources.files("kb").joinpath("data/synonymer.yaml").read_text(encoding="utf-8")
            groups = yaml.safe_load(text)["grupper"]
        self.analyzer = analyzer
        self.groups: list[list[Term]] = []
        for group in groups:
            terms = []
            for text in map(str, group):
                refs = frozenset(reference_tokens(text))
                words = () if refs else tuple(fold_danish(w) for w in analyzer.words(text))
                term = Term(tuple(analyzer.tokens(text)), refs, words, text)
                if term.tokens and (refs or words):
                    terms.append(term)
            if len(terms) > 1:
                self.groups.append(terms)
        # Where a query word may name a term word: base form → (group, term, word position, whether
        # the ending must start with a vowel). Bases are the word itself, and for the inflections
        # that change it, "center" → "centr(e)" and "job" → "jobb(et)".
        self._bases: dict[str, list[tuple[int, int, int, bool]]] = defaultdict(list)
        for g, terms in enumerate(self.groups):
            for t, term in enumerate(terms):
                for k, word in enumerate(term.words):
                    for base, vowel in _bases(word):
                        self._bases[base].append((g, t, k, vowel))
        # A search asks twice (for its embedding and for its n-grams), the app once more to show them.
        self._named = lru_cache(maxsize=256)(self._name)

    def _name(self, query: str) -> dict[int, frozenset[int]]:
        """The groups the query names: group → the terms it names (or inflections of them)."""
        analyzer = self.analyzer
        words = [analyzer.restore(w) for w in analyzer.words(query)]
        # The compounds' last parts follow after a gap that no phrase crosses.
        heads = [parts[-1] for parts in map(analyzer.split_compound, words) if parts]
        words = [fold_danish(w) for w in [*words, "", *heads]]
        at: set[tuple[int, int, int, int]] = set()  # (position, group, term, word of term)
        for i, word in enumerate(words):
            for n in range(min(_LONGEST_ENDING, len(word)) + 1):
                ending = word[len(word) - n :]
                for g, t, k, vowel in self._bases.get(word[: len(word) - n], ()):
                    if _fits(ending, vowel):
                        at.add((i, g, t, k))
        named: dict[int, set[int]] = defaultdict(set)
        for i, g, t, k in at:
            term = self.groups[g][t]
            if k == 0 and all((i + j, g, t, j) in at for j in range(1, len(term.words))):
                named[g].add(t)
        refs = set(reference_tokens(query))
        for g, terms in enumerate(self.groups):
            named[g].update(t for t, term in enumerate(terms) if term.refs and term.refs <= refs)
        for g, ts in named.items():
            # A term that is only another inflection of a named one ("temaer" beside "tema") is no
            # other word for it.
            terms = self.groups[g]
            ts.update(t for t, term in enumerate(terms) if any(_same_lemma(term, terms[n]) for n in list(ts)))
        return {g: frozenset(ts) for g, ts in sorted(named.items()) if ts}

    def expand(self, query: str, tokens: list[str]) -> list[str]:
        """Index tokens of the other terms of every group the query names (for the word BM25), without
        the query's own ``tokens``."""
        own = set(tokens)
        extra = [t for g in self._named(query) for term in self.groups[g] for t in term.tokens if t not in own]
        return list(dict.fromkeys(extra))

    def expand_terms(self, query: str) -> list[str]:
        """The other terms, as written, of every group the query names (for the n-gram index and the
        query embedding). Round robin over the groups, so the first few terms cover every concept."""
        lists = [
            [term.text for t, term in enumerate(self.groups[g]) if t not in named]
            for g, named in self._named(query).items()
        ]
        ordered = [terms[i] for i in range(max(map(len, lists), default=0)) for terms in lists if i < len(terms)]
        return list(dict.fromkeys(ordered))


def _bases(word: str) -> list[tuple[str, bool]]:
    """The forms a word's inflections are built on, and whether their ending must start with a vowel."""
    out = [(word, False)]
    if len(word) >= 5 and word[-2:] in ("er", "el", "en"):  # center → centre, middel → midler
        stem = word[:-3] if word[-3] == word[-4] else word[:-2]
        out.append((stem + word[-1], True))
    if len(word) >= 3 and word[-1] not in _VOWELS and word[-2] in _VOWELS:  # job → jobbet, sygdom → sygdomme
        out.append((word + word[-1], True))
    return out


def _same_lemma(a: Term, b: Term) -> bool:
    """Whether two terms are inflections of the same words ("temaer", "tema")."""
    return bool(a.words) and len(a.words) == len(b.words) and all(
        _inflected(x, y) or _inflected(y, x) for x, y in zip(a.words, b.words, strict=True)
    )


def _inflected(word: str, lemma: str) -> bool:
    return any(word.startswith(base) and _fits(word[len(base) :], vowel) for base, vowel in _bases(lemma))


def _fits(ending: str, vowel: bool) -> bool:
    """Whether ``ending`` inflects a base whose endings must (``vowel``) or may start with any letter."""
    return ending in _ENDINGS and (not vowel or ending[:1] in _VOWELS)
