"""The section a citation names: the innermost heading, and where that title recurs in its source,
the number or the parent that tells which one."""

from __future__ import annotations

import re

from kb.chunking import SECTION_SEP, Chunk


def leaf(section: list[str]) -> str | None:
    """The section title a citation names: the innermost heading, without its number."""
    if not section:
        return None
    return _unnumbered(section[-1])


def _unnumbered(heading: str) -> str:
    return re.sub(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+", "", heading).strip() or heading


def ambiguous_leaves(chunks: list[Chunk]) -> set[tuple[str, str]]:
    """(source, title) of headings that recur in one source under different parents ("Virkning" under
    each of VIVE's indsatser): cited alone they would not say which one."""
    paths: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for c in chunks:
        if c.section:
            paths.setdefault((c.source, leaf(c.section)), set()).add(tuple(c.section[:-1]))
    return {key for key, parents in paths.items() if len(parents) > 1}


def cited_section(chunk: Chunk, ambiguous: set[tuple[str, str]]) -> str | None:
    """The section a citation names. A recurring title keeps its number ("3.1.2.2 Tilgang og
    aktiviteter") or, unnumbered, gets its parent ("CTI-metoden … › Virkning")."""
    title = leaf(chunk.section)
    if not title or (chunk.source, title) not in ambiguous:
        return title
    if title != chunk.section[-1]:
        return chunk.section[-1]
    if len(chunk.section) > 1:
        return f"{_unnumbered(chunk.section[-2])}{SECTION_SEP}{title}"
    return title
