"""The cleaned document the ingesters produce: text plus structural blocks with offsets and pages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """A heading or a paragraph of cleaned text.

    ``page``/``page_end`` are printed pages where known (PDF page, or the table of contents'
    range for the section); None when unknown. ``skip`` marks table-of-contents and reference
    lists that must not crowd search results.
    """

    kind: str  # "heading" | "para"
    text: str
    level: int = 0
    page: int | None = None
    page_end: int | None = None
    skip: bool = False
    # The last block of a table that is a section of its own: the text after it is the outer section's.
    closes_section: bool = False
    start: int = 0
    end: int = 0


@dataclass
class Document:
    source_id: str
    title: str
    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_blocks(cls, source_id: str, title: str, blocks: list[Block]) -> Document:
        """Join blocks into one cleaned text (blank line between blocks) and record offsets."""
        parts: list[str] = []
        pos = 0
        for b in blocks:
            if parts:
                parts.append("\n\n")
                pos += 2
            b.start = pos
            parts.append(b.text)
            pos += len(b.text)
            b.end = pos
        return cls(source_id=source_id, title=title, text="".join(parts), blocks=blocks)
