"""Tables of contents: parse their entries and carry their printed pages onto the sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from kb.ingest.clean import strip_inline_markup
from kb.ingest.document import Block
from kb.text import norm_match

# "Title ..... 12", "Title\t12", "<b>Title .....</b>\t<b>3</b>"
_ENTRY = re.compile(r"^(?P<title>.+?)[\s.…]*\t*\s*(?P<page>\d{1,3})\s*$")
TOC_TITLES = {"indhold", "indholdsfortegnelse"}


@dataclass
class TocEntry:
    title: str
    page: int


def parse_toc_line(line: str) -> TocEntry | None:
    clean = strip_inline_markup(line).strip()
    m = _ENTRY.match(clean)
    if not m:
        return None
    title = m.group("title").rstrip(" .…\t")
    if not re.search(r"[A-Za-zÆØÅæøå]{2}", title):
        return None
    return TocEntry(title=title, page=int(m.group("page")))


def _similar(a: str, b: str) -> bool:
    na, nb = norm_match(a), norm_match(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    return SequenceMatcher(None, na, nb).ratio() >= 0.9


def assign_pages(blocks: list[Block], entries: list[TocEntry]) -> int:
    """Match headings to TOC entries in order; give every block its section's page range.

    A block between two matched headings lies on pages [page of the previous, page of the
    next]; when both are equal the page is exact. Blocks before the first match get none.
    Returns the number of matched headings.
    """
    if not entries:
        return 0
    anchors: list[tuple[int, int]] = []  # (block index, page)
    j = 0
    for i, b in enumerate(blocks):
        if b.kind != "heading":
            continue
        for k in range(j, min(j + 4, len(entries))):
            if _similar(b.text, entries[k].title):
                anchors.append((i, entries[k].page))
                j = k + 1
                break
    for n, (i, page) in enumerate(anchors):
        stop = anchors[n + 1][0] if n + 1 < len(anchors) else len(blocks)
        next_page = anchors[n + 1][1] if n + 1 < len(anchors) else None
        for b in blocks[i:stop]:
            if b.skip:
                continue
            b.page = page
            # The last section runs to an unknown page: leave its end open.
            b.page_end = max(page, next_page) if next_page is not None else None
    return len(anchors)
