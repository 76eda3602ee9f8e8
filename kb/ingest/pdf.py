"""PDF sources through pypdf, page by page, so every block knows its exact page."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

from kb.errors import KbError
from kb.ingest.clean import vocabulary
from kb.ingest.document import Block
from kb.ingest.plaintext import text_to_blocks
from kb.ingest.toc import TocEntry

# Fewer extracted letters than this per page on average means there is no text layer.
MIN_LETTERS_PER_PAGE = 25


def read_pdf_pages(path: Path) -> list[str]:
    """Text of each page; a Danish KbError naming the file when it cannot be read."""
    name = path.name
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as e:  # pypdf raises several types for unsupported encryption
                raise KbError(f"{name}: PDF-filen er krypteret og kan ikke læses uden adgangskode.") from e
            if not ok:
                raise KbError(f"{name}: PDF-filen er krypteret og kan ikke læses uden adgangskode.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except KbError:
        raise
    except FileNotDecryptedError as e:
        raise KbError(f"{name}: PDF-filen er krypteret og kan ikke læses uden adgangskode.") from e
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, OSError) as e:
        raise KbError(f"{name}: PDF-filen er beskadiget eller ikke en gyldig PDF ({type(e).__name__}).") from e
    if not pages:
        raise KbError(f"{name}: PDF-filen har ingen sider.")
    letters = sum(ch.isalpha() for text in pages for ch in text)
    if letters < MIN_LETTERS_PER_PAGE * len(pages):
        raise KbError(
            f"{name}: PDF-filen har intet tekstlag (den er formentlig scannet). "
            "Kør tekstgenkendelse (OCR) på den først."
        )
    return pages


def pdf_to_blocks(path: Path) -> tuple[list[Block], list[TocEntry]]:
    """Blocks of every page, each knowing its page; hyphens are judged against the whole PDF's words."""
    pages = read_pdf_pages(path)
    vocab = vocabulary("\n".join(pages))
    blocks: list[Block] = []
    toc: list[TocEntry] = []
    for number, text in enumerate(pages, start=1):
        page_blocks, page_toc = text_to_blocks(text, vocab, page=number)
        blocks.extend(page_blocks)
        toc.extend(page_toc)
    return blocks, toc
