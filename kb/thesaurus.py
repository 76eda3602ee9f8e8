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
        for group in groups:
            terms = [frozenset(analyzer.tokens(str(term))) for term in group]
            terms = [t for t in terms if t]
            if len(terms) > 1:
                self.groups.append(terms)

    def expand(self, query_tokens: list[str]) -> list[str]:
        """Tokens of synonyms for what the query names, excluding the query's own tokens."""
        present = set(query_tokens)
        extra: list[str] = []
        for terms in self.groups:
            if any(term <= present for term in terms):
                for term in terms:
                    extra.extend(t for t in term if t not in present)
        return list(dict.fromkeys(extra))
