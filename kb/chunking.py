"""Cut a document into search passages along its own structure.

Passages never cross a section boundary (nor a PDF page); paragraphs are grouped up to a
target size, and a paragraph longer than the limit is split at sentence ends with one
sentence of overlap so a quoted sentence is never cut in two. A few words (a lead-in, a
heading the source left as text, a closing line) never make a passage of their own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from kb.ingest.document import Block, Document
from kb.ingest.structure import TABLE_LEVEL
from kb.text import split_sentences, word_count

SECTION_SEP = " › "
TARGET_WORDS = 120
MAX_WORDS = 190
# Fewer words than this (a lead-in, a heading the source left as text) are no passage of their own.
MIN_WORDS = 25


@dataclass
class Chunk:
    id: str
    source: str
    section: list[str]
    page: int | None
    page_end: int | None
    start: int
    end: int
    text: str

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:32]


def _sections(doc: Document):
    """Yield (path, heading block or None, paragraph blocks) per section, in order.

    A heading with no text of its own before its first sub-heading ("4 Metode" / "4.1 …") opens the
    sub-section's first passage, so its words stay in a passage (where a quote of them is found).
    A table that is a section of its own ends on its source line; the text after it is its outer
    section's again.
    """
    stack: list[Block] = []
    heading: Block | None = None
    paras: list[Block] = []
    for b in doc.blocks:
        if b.kind == "heading":
            if paras:
                yield [h.text for h in stack], heading, paras
            opens_parent = not paras and heading is not None and not heading.skip and b.level > heading.level
            paras = []
            while stack and stack[-1].level >= b.level:
                stack.pop()
            stack.append(b)
            if not opens_parent:
                heading = b
        elif not b.skip:
            paras.append(b)
        if b.closes_section and stack and stack[-1].level == TABLE_LEVEL:
            if paras:
                yield [h.text for h in stack], heading, paras
            stack.pop()
            heading, paras = None, []
    if paras:
        yield [h.text for h in stack], heading, paras


def _pieces(doc: Document, block: Block, max_words: int, target: int) -> list[tuple[int, int]]:
    """Split one over-long paragraph into sentence-aligned (start, end) spans."""
    text = doc.text[block.start : block.end]
    sents = split_sentences(text)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        j = i
        words = 0
        while j < len(sents) and (words == 0 or words + word_count(text[sents[j][0] : sents[j][1]]) <= target):
            words += word_count(text[sents[j][0] : sents[j][1]])
            j += 1
        spans.append((block.start + sents[i][0], block.start + sents[j - 1][1]))
        if j >= len(sents):
            break
        i = j - 1 if j - 1 > i else j  # one sentence overlap
    out: list[tuple[int, int]] = []
    for a, b in spans or [(block.start, block.end)]:
        out.extend(_split_words(doc.text, a, b, max_words, target))
    return out


def _split_words(text: str, a: int, b: int, max_words: int, target: int) -> list[tuple[int, int]]:
    """Last resort for a "sentence" with no sentence ends (flattened tables): cut at word bounds."""
    words = [(m.start() + a, m.end() + a) for m in re.finditer(r"\S+", text[a:b])]
    if len(words) <= max_words:
        return [(a, b)]
    return [(words[i][0], words[min(i + target, len(words)) - 1][1]) for i in range(0, len(words), target)]


def chunk_document(doc: Document, target: int = TARGET_WORDS, max_words: int = MAX_WORDS) -> list[Chunk]:
    chunks: list[Chunk] = []
    for path, heading, paras in _sections(doc):
        for start, end, page, page_end in _section_spans(doc, heading, paras, target, max_words):
            text = doc.text[start:end].strip()
            if text:
                chunks.append(
                    Chunk(f"{doc.source_id}:{len(chunks)}", doc.source_id, path, page, page_end, start, end, text)
                )
    return chunks


def _section_spans(doc: Document, heading: Block | None, paras: list[Block], target: int, max_words: int):
    """(start, end, page, page_end) of the passages of one section."""
    spans = []
    group: list[Block] = []
    words = 0
    # The section's heading opens its first passage, so the passage reads as in the source.
    lead = heading if heading is not None and not heading.skip else None

    def opening(first: Block, default: int) -> int:
        return lead.start if lead is not None and lead.page == first.page else default

    for b in paras:
        n = word_count(b.text)
        # A few words ("Anbefalinger Hvilken målgruppe bør prioriteres …?", a lead-in) never make a
        # passage of their own: they open the next one (its first sentences, if both would be too long).
        carried = bool(group) and words < MIN_WORDS and b.page == group[0].page
        if group and not carried and (
            words + n > max_words or b.page != group[0].page or words >= target or n > max_words
        ):
            spans.append((opening(group[0], group[0].start), group[-1].end, group[0].page, _page_end(group)))
            group, words, lead = [], 0, None
        if n > max_words or (carried and words + n > max_words):
            for k, (s, e) in enumerate(_pieces(doc, b, max_words, target)):
                if k == 0:
                    first = group[0] if group else b
                    spans.append((opening(first, first.start if group else s), e, first.page, b.page_end))
                else:
                    spans.append((s, e, b.page, b.page_end))
            group, words, lead = [], 0, None
            continue
        group.append(b)
        words += n
    if group:
        start, page, page_end = opening(group[0], group[0].start), group[0].page, _page_end(group)
        if (spans and words < MIN_WORDS and (spans[-1][3] or spans[-1][2]) == page
                and word_count(doc.text[spans[-1][0] : spans[-1][1]]) + words <= max_words):
            # A few closing words end the passage before them instead of standing alone.
            start, _, page, before_end = spans.pop()
            page_end = page_end or before_end
        spans.append((start, group[-1].end, page, page_end))
    return spans


def _page_end(group: list[Block]) -> int | None:
    ends = [b.page_end for b in group if b.page_end is not None]
    return max(ends) if ends else None


MIN_SENTENCE_WORDS = 6


def sentence_units(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a passage for sentence-level scoring; fragments join their successor."""
    units: list[tuple[int, int]] = []
    pending: int | None = None
    for a, b in split_sentences(text):
        start = a if pending is None else pending
        if word_count(text[start:b]) < MIN_SENTENCE_WORDS:
            pending = start
            continue
        units.append((start, b))
        pending = None
    if pending is not None:
        if units:
            units[-1] = (units[-1][0], len(text.rstrip()))
        else:
            units.append((pending, len(text.rstrip())))
    return units
