"""PDF ingestion through pypdf on PDFs generated here: exact pages, and bad PDFs reported by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from kb.errors import KbError
from kb.ingest import load_document
from kb.ingest.pdf import read_pdf_pages
from kb.sources import Source

PAGES = [
    ("1 Indledning", ["Denne rapport handler om botilbud og beskæftigelse for voksne borgere.",
                      "Rapporten bygger på interview med ledere og medarbejdere på fem tilbud."]),
    ("2 Resultater", ["Halvdelen af borgerne på bostederne deltog i et samværs- og aktivitetstilbud.",
                      "Resultaterne viser store forskelle mellem tilbuddene i arbejdet med uddannelse."]),
    ("3 Anbefalinger", ["Tilbuddene bør opstille konkrete mål for borgernes uddannelse og beskæftigelse.",
                        "Ledelsen skal prioritere temaet og skabe rum for faglig refleksion."]),
]


def make_pdf(path: Path, pages=PAGES) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for heading, lines in pages:
        y = 780
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, y, heading)
        c.setFont("Helvetica", 11)
        for line in lines:
            y -= 40
            c.drawString(72, y, line)
        c.showPage()
    c.save()
    return path


def make_encrypted(path: Path) -> Path:
    plain = make_pdf(path.with_name("plain-for-encryption.pdf"))
    writer = PdfWriter()
    for page in PdfReader(str(plain)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="hemmelig", owner_password="ejer")
    with path.open("wb") as f:
        writer.write(f)
    return path


def make_scanned(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.rect(72, 400, 400, 300, fill=1)  # an image-like page: no text layer
        c.showPage()
    c.save()
    return path


def test_pdf_pages_are_exact(tmp_path):
    pdf = make_pdf(tmp_path / "rapport.pdf")
    src = Source(id="rapport", title="Testrapport", publisher="Test", file=pdf.name, year=2024)
    doc = load_document(src, tmp_path)
    headings = [(b.text, b.page) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("1 Indledning", 1), ("2 Resultater", 2), ("3 Anbefalinger", 3)]
    para = next(b for b in doc.blocks if "samværs- og aktivitetstilbud" in b.text)
    assert para.page == 2 and para.page_end == 2
    from kb.chunking import chunk_document

    pages = {c.page for c in chunk_document(doc)}
    assert pages == {1, 2, 3}


def test_encrypted_pdf_is_reported(tmp_path):
    pdf = make_encrypted(tmp_path / "laast.pdf")
    with pytest.raises(KbError, match=r"laast\.pdf.*krypteret"):
        read_pdf_pages(pdf)


def test_scanned_pdf_is_reported(tmp_path):
    pdf = make_scanned(tmp_path / "scannet.pdf")
    with pytest.raises(KbError, match=r"scannet\.pdf.*intet tekstlag"):
        read_pdf_pages(pdf)


def test_corrupt_pdf_is_reported(tmp_path):
    pdf = tmp_path / "itu.pdf"
    pdf.write_bytes(b"%PDF-1.4\n this is not really a pdf \n%%EOF")
    with pytest.raises(KbError, match=r"itu\.pdf.*beskadiget"):
        read_pdf_pages(pdf)
