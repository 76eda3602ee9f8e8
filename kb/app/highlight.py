"""Safe Markdown for document text: escape everything, then add our own emphasis.

Source text and user input are never passed as HTML. Every ASCII punctuation character is
backslash-escaped (valid CommonMark), so a passage cannot open links, images, HTML, LaTeX,
emoji short codes or Streamlit colour directives; only the markup added here is live.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = set("\\`*_{}[]()#+-.!|<>~$:=\"'&%@^;,?/")

# Words that carry no search meaning in a question; never highlighted.
STOPWORDS = frozenset(
    """
    af alle alt andet andre at blev bliver bør da de dem den denne der deres det dette dig din du
    efter eller en end er et for fra få gælder går gør ham han har have hende her hos hun hvad
    hvem hver hvilke hvilken hvis hvor hvordan hvornår i ikke ind jeg jer kan kun kunne man mange
    med meget men mig min mod må ned noget nogle når og også om op os over på sig sin skal
    skulle som så til ud under var vi vil ville være været
    """.split()
)

# Danish inflection endings stripped so "tilbud" marks "tilbuddet" and "tilbuddene".
_SUFFIXES = ("erne", "ene", "ende", "er", "en", "et", "es", "e", "s", "t")

TERM_STYLE = "orange-background"


def escape_md(text: str) -> str:
    """Escape ``text`` so Streamlit's Markdown shows it literally."""
    out = []
    for ch in text:
        if ch in _PUNCT:
            out.append("\\" + ch)
        elif ch in "\t\r":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def escape_block(text: str) -> str:
    """Escape multi-line text, keeping paragraphs and line breaks but never Markdown structure."""
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(
        "  \n".join(escape_md(line.strip()) for line in p.splitlines() if line.strip()) for p in paras
    )


def quote_block(text: str) -> str:
    """A Markdown block quote of literal text (each line prefixed with ``> ``)."""
    body = escape_block(text)
    return "\n".join("> " + line if line else ">" for line in body.split("\n"))


def _stem(word: str) -> str:
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            return word[: -len(suf)]
    return word


def query_terms(query: str) -> list[str]:
    """Stems of the query's content words, longest first (so longer matches win)."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", query.lower()))
    stems = {_stem(w) for w in words if len(w) >= 3 and w not in STOPWORDS}
    # Indicator ids like "1.b" or "3.c" are worth marking too.
    stems |= {m.lower() for m in re.findall(r"\b\d{1,2}\.[a-g]\b", query.lower())}
    return sorted(stems, key=len, reverse=True)


def term_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Spans of whole words in ``text`` that start with one of ``terms``."""
    if not terms:
        return []
    alts = "|".join(re.escape(t) for t in terms)
    pattern = re.compile(rf"(?<![^\W_])(?:{alts})[^\W_]*", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _find_best(text: str, best: str | None) -> tuple[int, int] | None:
    if not best:
        return None
    i = text.find(best)
    if i < 0:
        i = text.find(best.strip())
        best = best.strip()
    if i < 0 or not best:
        return None
    j = i + len(best)
    while i < j and text[i].isspace():
        i += 1
    while j > i and text[j - 1].isspace():
        j -= 1
    return (i, j) if j > i else None


def _inline(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    """Escaped ``text`` (which starts at ``offset`` in the passage) with term spans marked."""
    out: list[str] = []
    pos = 0
    for a, b in spans:
        a, b = max(a - offset, 0), min(b - offset, len(text))
        if b <= pos or a >= len(text):
            continue
        a = max(a, pos)
        out.append(escape_md(text[pos:a]))
        out.append(f":{TERM_STYLE}[{escape_md(text[a:b])}]")
        pos = b
    out.append(escape_md(text[pos:]))
    return "".join(out)


def highlight(text: str, query: str = "", best_sentence: str | None = None, mark_all: bool = False) -> str:
    """Markdown for a passage: query words marked, the best-answering sentence emphasised.

    ``mark_all`` emphasises the whole text (used for the passage inside "Vis i kilden").
    Line structure is kept: paragraphs stay paragraphs; emphasis is applied per line so it can
    never span a paragraph break (which Markdown would not render).
    """
    terms = term_spans(text, query_terms(query)) if query else []
    best = (0, len(text)) if mark_all else _find_best(text, best_sentence)
    out_paras: list[str] = []
    pos = 0
    for para in re.split(r"(\n\s*\n)", text):
        start = pos
        pos += len(para)
        if not para.strip() or re.fullmatch(r"\n\s*\n", para):
            continue
        lines_out = []
        lpos = start
        for line in para.split("\n"):
            lstart, lend = lpos, lpos + len(line)
            lpos = lend + 1
            stripped = line.strip()
            if not stripped:
                continue
            lead = len(line) - len(line.lstrip())
            lstart += lead
            lend = lstart + len(stripped)
            if best and best[0] < lend and best[1] > lstart:
                a, b = max(best[0], lstart), min(best[1], lend)
                seg_before = text[lstart:a]
                seg_best = text[a:b]
                seg_after = text[b:lend]
                md = _inline(seg_before, terms, lstart)
                core = seg_best.strip()
                core_off = a + (len(seg_best) - len(seg_best.lstrip()))
                pre_ws = seg_best[: len(seg_best) - len(seg_best.lstrip())]
                post_ws = seg_best[len(seg_best.rstrip()) :]
                if core:
                    md += pre_ws + f"**{_inline(core, terms, core_off)}**" + post_ws
                md += _inline(seg_after, terms, b)
            else:
                md = _inline(stripped, terms, lstart)
            lines_out.append(md)
        out_paras.append("  \n".join(lines_out))
    return "\n\n".join(out_paras)
