"""Recognise the documents' own headings and give them a nesting level."""

from __future__ import annotations

import re
from collections import Counter

from kb.ingest.clean import FOOTNOTE_RE
from kb.ingest.document import Block
from kb.ingest.toc import TOC_TITLES

NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<title>[A-ZÆØÅ«\"'].*)$")
APPENDIX = re.compile(r"^(?:Bilag|Kapitel|Appendiks)\s+\d+\b")
TOP_LEVEL = {
    "forord", "resumé", "resume", "sammenfatning", "indhold", "indholdsfortegnelse", "indledning",
    "litteratur", "litteraturliste", "referencer", "referenceliste", "konklusion", "summary", "abstract",
    "noter", "vil du vide mere?",
}

# A table's or a figure's caption ("Tabel 2.1 Tilbud – Socialområdet", "Bilagstabel 8.4 AspIT", VIVE's
# misprinted "Tablet 4.1 …", "Bilagsfigur B1.1 Diagram …") and the lines that end it ("Kilde: …").
TABLE_CAPTION = re.compile(r"^(?:Tabel|Tablet|Bilagstabel|Figur|Bilagsfigur)\s+[A-Z]?\d+(?:\.\d+)*\.?\s+[A-ZÆØÅ]")
TABLE_END = re.compile(r"^(?:Kilde|Anm|Note|Noter)\b")
# A footnote as extraction leaves it: superscript digits or a plain number ("12 Se studiet …").
_FOOTNOTE = re.compile(r"^(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,3})\s+[A-ZÆØÅ]")
# A table's section is a leaf below the section it stands in: the next heading of any level ends it.
TABLE_LEVEL = 9

# The Kvalitetsmodel's own lines.
KM_TEMA = re.compile(r"^Tema:\s*(?P<name>.+)$")
KM_KRITERIUM = re.compile(r"^Kriterium\s+(?P<id>\d+):\s*(?P<text>.+)$")
KM_INDIKATOR = re.compile(r"^(?:Indikator|Kriterium)\s+(?P<id>\d+\.[a-z])\.?:\s*(?P<text>.+)$")
KM_NOTE = re.compile(r"^(?:Indikator\s+\d+\.[a-z]\.?|Temaet\s.+?)\s+gælder\b")


def numbered_heading(line: str, allow_list_style: bool = True) -> int | None:
    """Level of a numbered heading like "3.2 Koordination" (2), or None.

    In extracted PDF text "1. Noget" is a list item far more often than a heading, so callers
    reading such text pass ``allow_list_style=False``.
    """
    m = NUMBERED.match(line)
    if not m:
        return None
    if not allow_list_style and re.match(r"^\d{1,2}\.\s", line):
        return None
    title = m.group("title")
    if len(line) > 140 or len(title.split()) > 18 or title.rstrip().endswith((".", ",", ";", ":", "-")):
        return None
    if "\t" in line or re.search(r"\s\d{1,3}$", title):
        return None
    return m.group("num").count(".") + 1


def top_level_heading(line: str) -> bool:
    """A title that opens a part of its own whatever came before: "Litteratur", "Bilag 2 …"."""
    return line.strip().lower() in TOP_LEVEL or APPENDIX.match(line.strip()) is not None


_QUOTES = "”“\"'«»„"


def plain_heading(line: str) -> bool:
    """A short standalone line that reads as a title: no closing punctuation, capitalised."""
    text = line.strip()
    words = text.split()
    if not words or len(words) > 12 or len(text) > 90:
        return False
    # A title may open with a quotation mark (”Dusørjob”/lønnede arbejdsopgaver på bostedet).
    if text.endswith((".", ",", ";", ":", "-", "–")) or not text.lstrip(_QUOTES)[:1].isupper():
        return False
    if not re.search(r"[A-Za-zÆØÅæøå]{3}", text) or "\t" in text:
        return False
    # A § names a title's tilbudstype ("Voksne i hjemløshed – § 110-botilbud/-boformer") after two words
    # or more; a table cell ends on its number ("Familieindsatsen SEL § 11", refused below).
    if "§" in text and len(text.split("§", 1)[0].split()) < 2:
        return False
    if re.search(r"\d\)?$", text):
        return False
    if re.match(r"^(?:Kilde|Note|Noter|Anm|Tabel|Figur|Bilagstabel|Bilagsfigur|Boks)\b", text):
        return False
    # A web address or a second sentence belongs to a reference or a list entry, not to a title.
    if re.search(r"https?://|www\.", text) or re.search(r"\w[.?!]\s+[A-ZÆØÅ]", text):
        return False
    # Table rows and figure labels are mostly digits or symbols.
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 0.6 * len(text.replace(" ", ""))


def assign_levels(blocks: list[Block]) -> None:
    """Give headings without an explicit level one, and mark tables of contents as skipped.

    Numbered headings carry their depth; unnumbered ones sit one below the current numbered
    heading (top-level names like "Forord" or "Litteratur" at 1).
    """
    numbered_level = 0
    chapter = 0
    for b in blocks:
        if b.kind != "heading" or b.level:
            continue
        lvl = numbered_heading(b.text, allow_list_style=False)
        if lvl == 1:
            # Chapters run in order (one may be lost in extraction); a number out of the run is a note
            # or a table row ("64 Inklusion af utilpassede og sårbare unge" in a reference table).
            number = int(b.text.split()[0].rstrip("."))
            if not chapter < number <= chapter + 2:
                b.kind = "para"
                continue
            chapter = number
        if lvl:
            b.level = lvl
            numbered_level = lvl
        elif top_level_heading(b.text):
            b.level = 1
            numbered_level = 0
        else:
            b.level = numbered_level + 1 if numbered_level else 2
    mark_skipped(blocks)


def mark_skipped(blocks: list[Block]) -> None:
    skip_level = None
    for b in blocks:
        if b.kind == "heading":
            if skip_level is not None and b.level <= skip_level:
                skip_level = None
            # Only tables of contents are left out of the index. Reference lists are searched (a policy
            # writer looks up what a note number or "Kjær et al." refers to) and ranked below the text as
            # apparatus (kb.search).
            if b.text.strip().lower().rstrip(":") in TOC_TITLES:
                skip_level = b.level
        if skip_level is not None:
            b.skip = True


def fix_sibling_levels(blocks: list[Block]) -> None:
    """Numbered siblings share a level even where the source's markup disagrees ("## 2." after "### 1.")."""
    last_by_number: dict[int, int] = {}
    for b in blocks:
        if b.kind != "heading":
            continue
        m = re.match(r"^(\d{1,2})\.\s", b.text)
        if not m:
            # An unnumbered heading above the numbered run ends it.
            if any(b.level <= lvl for lvl in last_by_number.values()):
                last_by_number = {}
            continue
        n = int(m.group(1))
        if n > 1 and n - 1 in last_by_number:
            b.level = last_by_number[n - 1]
        elif n == 1:
            last_by_number = {}
        last_by_number[n] = b.level


def kvalitetsmodel_structure(blocks: list[Block]) -> list[Block]:
    """Turn "Tema: …", "Kriterium N: …" and "Indikator N.x: …" paragraphs into nested sections.

    Applicability notes ("Indikator 1.b gælder ikke …", "Temaet … gælder ikke …") stand before
    the line they qualify in the source; they are held back and placed inside that section.
    """
    out: list[Block] = []
    pending: list[Block] = []

    def flush() -> None:
        out.extend(pending)
        pending.clear()

    for b in blocks:
        text = b.text.strip()
        if b.kind == "para" and KM_NOTE.match(text):
            pending.append(b)
            continue
        m_tema = KM_TEMA.match(text)
        m_krit = KM_KRITERIUM.match(text)
        m_ind = KM_INDIKATOR.match(text)
        if m_tema:
            out.append(Block("heading", f"Tema: {m_tema.group('name').strip()}", level=1))
            flush()
        elif m_krit:
            out.append(Block("heading", f"Kriterium {m_krit.group('id')}", level=2))
            out.append(Block("para", text))
            flush()
        elif m_ind:
            out.append(Block("heading", f"Indikator {m_ind.group('id')}", level=3))
            flush()
            out.append(Block("para", text))
        else:
            if b.kind == "heading" and pending:
                flush()
            out.append(b)
    flush()
    return out


# A sub-heading that recurs under one parent is a template's part ("Målgruppe", "Formål", "Virkning"
# under each of VIVE's indsatser); a title this short says nothing without the heading it belongs to.
TEMPLATE_MAX_WORDS = 4


def nest_recurring_headings(blocks: list[Block]) -> None:
    """Put a template's recurring sub-headings under the heading they belong to.

    Extracted text is flat: VIVE's appendix gives "Dusørjob …", "Målgruppe", "Formål", "Virkning",
    "CTI-metoden …", "Målgruppe", … at one level, so four passages sat in a section called only
    "Virkning" and were cited so. A short unnumbered title that occurs twice or more among one parent's
    sub-headings goes one level below the nearest sibling before it that is not such a title, if
    each of its occurrences has one.
    """
    siblings: dict[int, list[Block]] = {}
    stack: list[Block] = []
    for b in blocks:
        if b.kind != "heading" or b.skip:
            continue
        while stack and stack[-1].level >= b.level:
            stack.pop()
        siblings.setdefault(id(stack[-1]) if stack else 0, []).append(b)
        stack.append(b)
    for group in siblings.values():
        plain = [
            b for b in group
            if numbered_heading(b.text) is None and not top_level_heading(b.text) and b.level != TABLE_LEVEL
        ]
        plain_ids = {id(b) for b in plain}  # by identity: Blocks compare by value, and two may be alike
        counts = Counter(_title_key(b.text) for b in plain)
        recurring = {k for k, n in counts.items() if n >= 2 and len(k.split()) <= TEMPLATE_MAX_WORDS}
        if not recurring:
            continue
        owners: dict[int, Block | None] = {}
        owner: Block | None = None
        for b in group:
            if id(b) not in plain_ids:
                owner = None
            elif _title_key(b.text) in recurring:
                owners[id(b)] = owner
            else:
                owner = b
        # A template's part follows a heading of its own every time; a title that also opens the
        # parent's run ("Produktionsskolen" twice in a Billund table) is a repeated name, not a part.
        orphaned = {_title_key(b.text) for b in plain if id(b) in owners and owners[id(b)] is None}
        for b in plain:
            if id(b) in owners and _title_key(b.text) not in orphaned:
                b.level = owners[id(b)].level + 1


def _title_key(text: str) -> str:
    return " ".join(text.strip(_QUOTES + " ").lower().split())


def demote_empty_headings(blocks: list[Block]) -> None:
    """A "heading" with no text under it before a sibling heading was a short line, not a title.

    Short bullet items that lost their bullet glyph in extraction look like headings; turning
    them back into paragraphs keeps their words searchable.
    """
    for i, b in enumerate(blocks):
        if b.kind != "heading" or b.skip:
            continue
        nxt = next((x for x in blocks[i + 1 :] if not x.skip), None)
        if nxt is None or (nxt.kind == "heading" and nxt.level <= b.level):
            b.kind = "para"


def table_sections(blocks: list[Block]) -> None:
    """Make a table's caption the heading of its passages, and let the text after the table return to
    the section around it.

    Billund's Bilag 8 is thirteen prose tables back to back ("Bilagstabel 8.1 Mentorordninger i regi
    af jobcenter" … "8.13 Åben dialog"), and its chapter 2 six tables of tilbud between the report's
    text; with their captions as text, their passages were cited as the section around them. Where a
    table ends (``_table_end_block``), that block is marked ``closes_section``. A table whose end is not
    known qualifies only where another qualifying table follows it directly: without an end, a caption
    would claim the text after its table. A caption that repeats its section's title ("Bilag 6
    Litteratur" / "Bilagstabel 6.1 Litteratur") adds nothing to a citation and stays text.
    """
    captions = {i for i, b in enumerate(blocks) if b.kind == "para" and not b.skip and TABLE_CAPTION.match(b.text)}
    closing: dict[int, int | None] = {}  # caption → the block that ends its table (None: the next table does)
    for i in sorted(captions, reverse=True):
        end = next((j for j in range(i + 1, len(blocks)) if blocks[j].kind == "heading" or j in captions), len(blocks))
        last = _table_end_block(blocks, i, end)
        if last is not None:
            closing[i] = last
        elif end in closing:
            closing[i] = None
    parent: Block | None = None
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            parent = b
        elif i in closing and (parent is None or _title_key(b.text.split(None, 2)[-1]) not in _title_key(parent.text)):
            b.kind, b.level = "heading", TABLE_LEVEL
            if closing[i] is not None:
                blocks[closing[i]].closes_section = True


def _table_end_block(blocks: list[Block], caption: int, end: int) -> int | None:
    """The last block of the table at ``caption`` (before ``end``, the next heading or caption), or None.

    A table ends on its notes and source line ("Note: …", "Kilde: …") and the superscript footnotes
    right after them, or on footnotes with nothing after them before ``end`` (a footnote with a plain
    number may run on into the text, as in Billund's extraction). Without a source line, rows
    extracted with tabs between their cells end where the tabs do (VIVE's "Tablet 4.1").
    """
    last = next((j for j in range(caption + 1, end) if TABLE_END.match(blocks[j].text)), None)
    if last is not None:
        while last + 1 < end and _table_end(blocks[last + 1].text):
            last += 1
        if all(_FOOTNOTE.match(b.text) for b in blocks[last + 1 : end]):
            last = end - 1
        return last
    last = caption
    while last + 1 < end and "\t" in blocks[last + 1].text:
        last += 1
    return last if last > caption else None


def _table_end(text: str) -> bool:
    return bool(TABLE_END.match(text) or FOOTNOTE_RE.match(text))
