"""Query expansion from the field's own vocabulary (``kb/data/synonymer.yaml``).

A group applies when all index tokens of one of its terms occur in the query; the other
terms' tokens are then searched too, at a lower weight than the user's own words.
"""

from __future__ import annotations

from importlib import resources

import yaml

from kb.lexical import Analyzer


class Thesaurus:
    def __init__(self, analyzer: Analyzer, groups: list[list[str]] | None = None):
        if groups is None:
            text = resources.files("kb").joinpath("data/synonymer.yaml").read_text(encoding="utf-8")
            groups = yaml.safe_load(text)["grupper"]
        # Each group as (index tokens, term as written) pairs: the tokens decide whether the query names
        # the term; the written form feeds indexes that don't use word tokens (n-grams, the embedding).
        self.groups: list[list[tuple[frozenset[str], str]]] = []
        for group in groups:
            pairs = [(frozenset(analyzer.tokens(str(term))), str(term)) for term in group]
            pairs = [(tokens, term) for tokens, term in pairs if tokens]
            if len(pairs) > 1:
                self.groups.append(pairs)

    def _named(self, present: set[str]):
        """The groups the query names, each as (pairs, which of its terms the query contains)."""
        for pairs in self.groups:
            named = [tokens <= present for tokens, _ in pairs]
            if any(named):
                yield pairs, named

    def expand(self, query_tokens: list[str]) -> list[str]:
        """Tokens of synonyms for what the query names, excluding the query's own tokens."""
        present = set(query_tokens)
        extra = [t for pairs, _ in self._named(present) for tokens, _ in pairs for t in tokens if t not in present]
        return list(dict.fromkeys(extra))

    def expand_terms(self, query_tokens: list[str]) -> list[str]:
        """The other terms, as written, of every group the query names (for the n-gram index and the
        query embedding). Round robin over the groups, so the first few terms cover every concept."""
        lists = [
            [term for (_, term), named in zip(pairs, flags, strict=True) if not named]
            for pairs, flags in self._named(set(query_tokens))
        ]
        ordered = [terms[i] for i in range(max(map(len, lists), default=0)) for terms in lists if i < len(terms)]
        return list(dict.fromkeys(ordered))
