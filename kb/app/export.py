"""Downloads: search results with citations (Markdown, Word) and scores (CSV).

Markdown exports escape document text, so a passage cannot turn into links or HTML in whatever
viewer the user opens the file with.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from kb.app.highlight import escape_md, quote_block
from kb.text import decimal_comma


def _stamp() -> str:
    return datetime.now().strftime("%d.%m.%Y kl. %H.%M")


def results_markdown(
    query: str, cards: list[dict], hits: list, kilde_citation, source_titles: list[str]
) -> str:
    """The search results as a Markdown document: rule cards, then passages, each with its citation."""
    lines = [
        "# Søgeresultater",
        "",
        f"**Spørgsmål:** {escape_md(query)}  ",
        f"**Søgt:** {_stamp()}  ",
        f"**Kilder:** {escape_md(', '.join(source_titles)) if source_titles else 'alle kilder'}",
        "",
    ]
    if cards:
        lines += ["## Regler", ""]
        for card in cards:
            lines += [f"### {escape_md(str(card.get('titel', '')))}", ""]
            if card.get("resultat"):
                lines += [f"**Resultat:** {escape_md(str(card['resultat']))}", ""]
            if card.get("begrundelse"):
                lines += [escape_md(str(card["begrundelse"])), ""]
            kilde = card.get("kilde")
            if kilde:
                if kilde.get("citat"):
                    lines += [quote_block(kilde["citat"]), ""]
                lines += [f"Kilde: {escape_md(kilde_citation(kilde))}", ""]
    lines += ["## Tekststykker", ""]
    if not hits:
        lines += ["Ingen tekststykker fundet.", ""]
    for hit in hits:
        where = hit.section + (f", {hit.pages}" if hit.pages else "")
        lines += [
            f"### {hit.rank}. {escape_md(hit.title)}",
            "",
            f"*{escape_md(where)}*",
            "",
            quote_block(hit.text),
            "",
        ]
        if hit.best_sentence:
            lines += [f"**Svarer bedst:** »{escape_md(hit.best_sentence)}«", ""]
        lines += [f"Kildehenvisning: {escape_md(hit.citation)}", ""]
    return "\n".join(lines)


def results_docx(
    query: str, cards: list[dict], hits: list, kilde_citation, source_titles: list[str]
) -> bytes:
    """The same content as a Word document (python-docx), for pasting into a tilsynsrapport."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    doc.core_properties.title = f"Søgeresultater: {query}"[:250]
    doc.core_properties.language = "da-DK"

    doc.add_heading("Søgeresultater", level=0)
    p = doc.add_paragraph()
    p.add_run("Spørgsmål: ").bold = True
    p.add_run(query)
    p = doc.add_paragraph()
    p.add_run("Søgt: ").bold = True
    p.add_run(_stamp())
    p = doc.add_paragraph()
    p.add_run("Kilder: ").bold = True
    p.add_run(", ".join(source_titles) if source_titles else "alle kilder")

    def add_quote(text: str) -> None:
        q = doc.add_paragraph(style="Quote")
        q.add_run(text)

    def add_citation(label: str, text: str) -> None:
        c = doc.add_paragraph()
        r = c.add_run(label)
        r.bold = True
        r2 = c.add_run(text)
        r2.font.color.rgb = RGBColor(0x44, 0x44, 0x44)

    if cards:
        doc.add_heading("Regler", level=1)
        for card in cards:
            doc.add_heading(str(card.get("titel", "")), level=2)
            if card.get("resultat"):
                r = doc.add_paragraph()
                r.add_run("Resultat: ").bold = True
                r.add_run(str(card["resultat"]))
            if card.get("begrundelse"):
                doc.add_paragraph(str(card["begrundelse"]))
            kilde = card.get("kilde")
            if kilde:
                if kilde.get("citat"):
                    add_quote(kilde["citat"])
                add_citation("Kilde: ", kilde_citation(kilde))

    doc.add_heading("Tekststykker", level=1)
    if not hits:
        doc.add_paragraph("Ingen tekststykker fundet.")
    for hit in hits:
        doc.add_heading(f"{hit.rank}. {hit.title}", level=2)
        where = hit.section + (f", {hit.pages}" if hit.pages else "")
        w = doc.add_paragraph()
        w.add_run(where).italic = True
        add_quote(hit.text)
        if hit.best_sentence:
            b = doc.add_paragraph()
            b.add_run("Svarer bedst: ").bold = True
            b.add_run(f"»{hit.best_sentence}«")
        add_citation("Kildehenvisning: ", hit.citation)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def scores_csv(rows: list[dict]) -> bytes:
    """Semicolon-separated CSV with decimal commas and a BOM, so Danish Excel opens it correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Niveau", "Id", "Tekst", "Tema", "Score"])
    for r in rows:
        score = r.get("score")
        if isinstance(score, float):
            score_s = decimal_comma(score)
        elif score is None:
            score_s = ""
        else:
            score_s = str(score)
        writer.writerow(
            [r.get("niveau", ""), r.get("id", ""), r.get("tekst", ""), r.get("tema", ""), score_s]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
