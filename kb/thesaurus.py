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
        self.groups: list[list[frozenset[str]]] = []
        # The same groups as written (surface words), for indexes that don't use word tokens.
        self.surface: list[list[str]] = []
        for group in groups:
            pairs = [(frozenset(analyzer.tokens(str(term))), str(term)) for term in group]
            pairs = [(t, word) for t, word in pairs if t]
            if len(pairs) > 1:
                self.groups.append([t for t, _ in pairs])
                self.surface.append([word for _, word in pairs])

    def expand(self, query_tokens: list[str]) -> list[str]:
        """Tokens of synonyms for what the query names, excluding the query's own tokens."""
        present = set(query_tokens)
        extra: list[str] = []
        for terms in self.groups:
            if any(term <= present for term in terms):
                for term in terms:
                    extra.extend(t for t in term if t not in present)
        return list(dict.fromkeys(extra))

    def expand_terms(self, query_tokens: list[str]) -> list[str]:
        """The other terms, as written, of every group the query names (for the n-gram index and the
        query embedding). Round robin over the groups, so the first few terms cover every concept."""
        present = set(query_tokens)
        lists = []
        for terms, words in zip(self.groups, self.surface, strict=True):
            matched = [term <= present for term in terms]
            if any(matched):
                lists.append([w for w, m in zip(words, matched, strict=True) if not m])
        ordered = [terms[i] for i in range(max(map(len, lists), default=0)) for terms in lists if i < len(terms)]
        return list(dict.fromkeys(ordered))
