"""Markdown sources: '#' headings, paragraphs between blank lines, lists kept with their lead-in."""

from __future__ import annotations

import re
from collections import Counter

from kb.ingest.clean import BULLET_RE, join_lines, strip_inline_markup
from kb.ingest.document import Block
from kb.ingest.plaintext import merge_continuations
from kb.ingest.toc import TOC_TITLES, TocEntry, parse_toc_line

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]\s+|\d{1,2}\.\s+)")


def markdown_to_blocks(raw: str, vocab: Counter) -> tuple[list[Block], list[TocEntry]]:
    blocks: list[Block] = []
    toc: list[TocEntry] = []
    current: list[str] = []
    in_toc = False

    def close() -> None:
        if current:
            text = strip_inline_markup(join_lines(current, vocab))
            if text:
                blocks.append(Block("para", text, skip=in_toc))
            current.clear()

    for line in raw.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        m = _HEADING.match(stripped)
        if m:
            close()
            title = strip_inline_markup(m.group(2))
            in_toc = title.lower() in TOC_TITLES
            blocks.append(Block("heading", title, level=len(m.group(1)), skip=in_toc))
            continue
        bold = re.fullmatch(r"\*\*([^*]{2,80})\*\*", stripped)
        if bold and not current:
            # A bold line standing alone (a colophon's "Publikationen er udgivet af") ends a
            # reference list and opens a top-level section.
            in_toc = False
            blocks.append(Block("heading", bold.group(1).strip(), level=1))
            continue
        if not stripped or stripped in ("---", "***"):
            close()
            continue
        if in_toc:
            entry = parse_toc_line(stripped)
            if entry:
                toc.append(entry)
                blocks.append(Block("para", strip_inline_markup(stripped), skip=True))
                continue
        if _LIST_ITEM.match(stripped):
            close()
            item = _LIST_ITEM.sub("", stripped, count=1)
            number = re.match(r"^\s*(\d{1,2})\.\s", stripped)
            item = f"{number.group(1)}. {item}" if number else f"• {item.lstrip('» ').strip()}"
            current.append(item)
            close()
            continue
        current.append(stripped)
    close()
    return _group_lists(merge_continuations(blocks, vocab)), toc


def _group_lists(blocks: list[Block]) -> list[Block]:
    """Keep a list's items together with the sentence that introduces them."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        is_item = b.kind == "para" and (BULLET_RE.match(b.text) or re.match(r"^\d{1,2}\.\s", b.text))
        if prev is not None and prev.kind == "para" and is_item and prev.skip == b.skip:
            last_line = prev.text.rsplit("\n", 1)[-1]
            if prev.text.rstrip().endswith(":") or BULLET_RE.match(last_line) or re.match(r"^\d{1,2}\.\s", last_line):
                prev.text = prev.text + "\n" + b.text
                continue
        out.append(b)
    return out
