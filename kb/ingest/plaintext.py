"""Plain text extracted from PDFs: reflow broken lines into paragraphs and find headings."""

from __future__ import annotations

import re
from collections import Counter

from kb.ingest.clean import (
    BULLET_RE,
    FOOTNOTE_RE,
    ends_sentence,
    is_continuation,
    join_hyphenated,
    join_lines,
    strip_inline_markup,
)
from kb.ingest.document import Block
from kb.ingest.structure import (
    KM_INDIKATOR,
    KM_KRITERIUM,
    KM_NOTE,
    KM_TEMA,
    TABLE_CAPTION,
    TABLE_END,
    numbered_heading,
    plain_heading,
    top_level_heading,
)
from kb.ingest.toc import TOC_TITLES, TocEntry, parse_toc_line

_KM_LINE = (KM_TEMA, KM_KRITERIUM, KM_INDIKATOR, KM_NOTE)


def _double_spaced(lines: list[str]) -> bool:
    """True when an empty line follows nearly every text line (the KORA extraction)."""
    text_lines = [i for i, line in enumerate(lines[:-1]) if line.strip()]
    if len(text_lines) < 20:
        return False
    followed = sum(1 for i in text_lines if not lines[i + 1].strip())
    return followed / len(text_lines) > 0.85


def _typical_width(lines: list[str]) -> int:
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) > 20)
    if not lengths:
        return 80
    return lengths[int(len(lengths) * 0.8)]


_APPENDIX_TITLE = re.compile(r"^(?:Bilag|Appendiks)\s+\d{1,2}\s+[A-ZÆØÅ]")
# The first item of a numbered list; a title may stand above one ("Opstart og forløb" / "1. Der foretages …").
_NUMBERED_ITEM = re.compile(r"^\d{1,2}[.)]\s+[A-ZÆØÅ]")


def _list_line(line: str, short: int) -> bool:
    """A short line that does not finish a sentence and is not a numbered title: a list item's shape."""
    return bool(line) and len(line) < short and not ends_sentence(line) and numbered_heading(line) is None


def _list_item(lines: list[str], i: int, short: int) -> bool:
    """Line ``i`` sits in a run of short unfinished lines with no empty line between: an item of a list
    whose bullets were lost in extraction ("Fraværet af kollegaer …" / "Frivillighed i indsatsen" /
    "Sædvanligvis langvarig og tæt kontakt."), not a title."""
    line = lines[i].strip()
    prev = lines[i - 1].strip() if i else ""
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if _list_line(prev, short):
        return True
    # The first item: after an unfinished full-width line, a short line carries that paragraph on.
    return len(line) < short and (len(prev) < short or ends_sentence(prev)) and _list_line(nxt, short)


def _ends_inside_name(head: str, line: str, raw: str) -> bool:
    """A one-word line that completes a name the wrapped title ends with: the pair occurs three times or
    more in the document ("Billund" + "Kommune")."""
    last = re.search(r"(\w+)$", head)
    if not last or not re.fullmatch(r"[A-ZÆØÅ]\w+", line):
        return False
    return len(re.findall(rf"\b{re.escape(last.group(1))}\s+{re.escape(line)}\b", raw)) >= 3


def text_to_blocks(
    raw: str, vocab: Counter, kvalitetsmodel: bool = False, page: int | None = None
) -> tuple[list[Block], list[TocEntry]]:
    """Paragraph and heading blocks of one text (or one PDF page), plus any TOC entries found."""
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\f", "\n").split("\n")]
    double_spaced = _double_spaced(lines)
    if double_spaced:
        lines = [line for line in lines if line.strip()]
    width = _typical_width(lines)
    # A line shorter than this that ends a sentence ends its paragraph.
    short = max(30, int(width * 0.8))

    blocks: list[Block] = []
    toc: list[TocEntry] = []
    current: list[str] = []
    # A footnote's own lines (its URLs, its second line) run on to the next empty line; in double-spaced
    # text there are no empty lines left to end it, so there it is one line.
    footnote: list[str] = []
    in_toc = False
    heading_runs_on = False
    in_table = False
    table_tail = False  # just after a table's first note or source line

    def close() -> None:
        if current:
            text = strip_inline_markup(join_lines(current, vocab))
            if text:
                blocks.append(Block("para", text, page=page, page_end=page))
            current.clear()

    def close_footnote() -> None:
        if footnote:
            blocks.append(Block("para", " ".join(footnote), page=page, page_end=page))
            footnote.clear()

    n = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if footnote:
            if stripped and not double_spaced and not FOOTNOTE_RE.match(stripped):
                footnote.append(stripped)
                continue
            close_footnote()
        if not stripped:
            close()
            continue
        prev_ended = not current or ends_sentence(current[-1]) or len(current[-1].strip()) < short * 0.6
        nxt = next((lines[k].strip() for k in range(i + 1, min(i + 3, n)) if lines[k].strip()), "")
        if in_toc:
            entry = parse_toc_line(stripped)
            if entry:
                close()
                toc.append(entry)
                blocks.append(Block("para", stripped, page=page, page_end=page, skip=True))
                continue
            if len(toc) >= 3:
                in_toc = False
        if stripped.lower() in TOC_TITLES:
            close()
            blocks.append(Block("heading", stripped, level=1, page=page, page_end=page, skip=True))
            in_toc = True
            continue
        if FOOTNOTE_RE.match(stripped):
            close()
            footnote.append(stripped)
            continue
        if kvalitetsmodel and any(p.match(stripped) for p in _KM_LINE):
            close()
            current.append(stripped)
            continue
        if heading_runs_on:
            heading_runs_on = False
            head = blocks[-1].text
            if stripped[:1].islower() and len(stripped) < short:
                more = strip_inline_markup(stripped)
                blocks[-1].text = join_hyphenated(head, more, vocab) if head.endswith("-") else f"{head} {more}"
                # It may run on again: another lower-case line, or a break inside a name ("… i Billund" /
                # "Kommune").
                heading_runs_on = True
                continue
            if _ends_inside_name(head, stripped, raw):
                blocks[-1].text = f"{head} {stripped}"
                continue
        numbered = numbered_heading(stripped, allow_list_style=False) is not None
        # A numbered line running on in lower case is a heading wrapped by its large type when it is short
        # ("2 Præsentation af litteratur: Hvordan" / "understøttes god kvalitet i bostøtte?"), and a note's
        # first line when it runs the full width ("8 Støttende relationer er oftere envejs … hvor brugeren
        # også" / "selv giver og bidrager til relationen.").
        # An appendix's title wraps the same way ("Bilag 3 Tilbud leveret af eksterne leverandø-" / "rer"),
        # and opens its part even straight after a table's source line.
        appendix = (
            not numbered
            and _APPENDIX_TITLE.match(stripped) is not None
            and plain_heading(stripped[:-1] if stripped.endswith("-") and nxt[:1].islower() else stripped)
        )
        wrapped = (numbered or appendix) and nxt[:1].islower()
        if wrapped and numbered and len(stripped) >= short:
            numbered = wrapped = False
        list_item = not double_spaced and not numbered and _list_item(lines, i, short)
        # A table's cells are short lines too; it runs from its caption to its source line ("Kilde: …").
        # The caption is a block of its own, so that ``table_sections`` can make it the title of the
        # table's passages. A caption that fills its line runs on in lower case ("… søgekilder (databaser
        # og" / "hjemmesider)"); a short one does not (Billund's "Tabel 2.6 …" / "lbud Samarbejde og …" is
        # the table's first cell, cut off in extraction).
        if TABLE_CAPTION.match(stripped):
            in_table = True
            close()
            blocks.append(Block("para", " ".join(strip_inline_markup(stripped).split()), page=page, page_end=page))
            heading_runs_on = len(stripped) >= short
            continue
        if (in_table or table_tail) and TABLE_END.match(stripped):
            # The table's notes and source line are blocks of their own too: they mark where the table
            # ends (one that wraps runs on in lower case and is joined again by ``merge_continuations``).
            in_table, table_tail = False, True
            close()
            current.append(stripped)
            close()
            continue
        table_tail = False
        if numbered or TABLE_END.match(stripped) or top_level_heading(stripped):
            in_table = False
        is_heading = appendix or (prev_ended and (
            numbered
            or (
                plain_heading(stripped)
                and not list_item
                and not in_table
                and (not nxt or nxt[:1].isupper() or bool(BULLET_RE.match(nxt) or _NUMBERED_ITEM.match(nxt)))
            )
        ))
        mid_paragraph = current and not ends_sentence(current[-1]) and len(current[-1].strip()) >= short
        if is_heading and (appendix or not mid_paragraph):
            close()
            blocks.append(Block("heading", strip_inline_markup(stripped), page=page, page_end=page))
            heading_runs_on = wrapped
            continue
        if BULLET_RE.match(stripped) or re.match(r"^\d{1,2}[.)]\s", stripped) or list_item:
            close()
        current.append(stripped)
        if ends_sentence(stripped) and len(stripped) < short:
            close()
    close()
    close_footnote()
    return merge_continuations(blocks, vocab), toc


def merge_continuations(blocks: list[Block], vocab: Counter) -> list[Block]:
    """Join paragraphs split by a page break or a footnote; keep lead-ins with their bullet lists."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "para" and not b.skip and out:
            # The paragraph this one may continue: the last one, skipping footnotes in between.
            k = len(out) - 1
            while k >= 0 and out[k].kind == "para" and FOOTNOTE_RE.match(out[k].text):
                k -= 1
            prev = out[k] if k >= 0 else None
            if prev is not None and prev.kind == "para" and not prev.skip and prev.page == b.page:
                # A table's caption is complete on its own; what follows is its first cell.
                if is_continuation(prev.text, b.text) and not TABLE_CAPTION.match(prev.text):
                    prev.text = join_lines([prev.text, b.text], vocab)
                    continue
                if k == len(out) - 1 and prev.text.rstrip().endswith(":") and BULLET_RE.match(b.text):
                    prev.text = prev.text + "\n" + b.text
                    continue
                if k == len(out) - 1 and BULLET_RE.match(b.text) and "\n" in prev.text and BULLET_RE.match(
                    prev.text.rsplit("\n", 1)[-1]
                ):
                    prev.text = prev.text + "\n" + b.text
                    continue
        out.append(b)
    return out
