"""Ingestion: a source file in kilder/ → a cleaned ``Document`` with structure and pages."""

from __future__ import annotations

from pathlib import Path

from kb.errors import KbError
from kb.ingest.clean import vocabulary
from kb.ingest.document import Block, Document
from kb.ingest.markdown import markdown_to_blocks
from kb.ingest.pdf import pdf_to_blocks
from kb.ingest.plaintext import text_to_blocks
from kb.ingest.structure import (
    assign_levels,
    demote_empty_headings,
    fix_sibling_levels,
    kvalitetsmodel_structure,
    nest_recurring_headings,
    table_sections,
)
from kb.ingest.toc import assign_pages
from kb.sources import Source

__all__ = ["Block", "Document", "load_document", "read_source_text"]


def read_source_text(path: Path) -> str:
    """The raw text of a .txt or .md source."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        try:
            return path.read_text(encoding="cp1252")
        except UnicodeDecodeError as e:
            raise KbError(f"{path.name}: filen er ikke tekst i UTF-8 og kan ikke læses.") from e


def load_document(source: Source, kilder_dir: Path | None = None) -> Document:
    path = source.path(kilder_dir)
    if not path.is_file():
        raise KbError(f"Kilden {source.id!r}: filen {path.name} findes ikke i kilder/.")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        blocks, toc = pdf_to_blocks(path)
    else:
        raw = read_source_text(path)
        if not raw.strip():
            raise KbError(f"Kilden {source.id!r}: filen {path.name} er tom.")
        vocab = vocabulary(raw)
        if suffix == ".md":
            blocks, toc = markdown_to_blocks(raw, vocab)
        else:
            blocks, toc = text_to_blocks(raw, vocab, kvalitetsmodel=source.structure == "kvalitetsmodel")
    if source.structure == "kvalitetsmodel":
        blocks = kvalitetsmodel_structure(blocks)
    if suffix != ".md":  # a Markdown table's caption is the source's own choice of heading or text
        table_sections(blocks)
    assign_levels(blocks)
    fix_sibling_levels(blocks)
    if suffix != ".md":  # Markdown states its levels; extracted text has lost them
        nest_recurring_headings(blocks)
    demote_empty_headings(blocks)
    if source.toc_pages and suffix != ".pdf":
        assign_pages(blocks, toc)
    doc = Document.from_blocks(source.id, source.title, blocks)
    if not any(b.kind == "para" and not b.skip for b in blocks):
        raise KbError(f"Kilden {source.id!r}: der blev ikke fundet nogen tekst i {path.name}.")
    return doc
