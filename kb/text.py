"""Small text helpers shared by ingestion, indexing, search and evaluation."""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def norm_match(text: str) -> str:
    """The evaluation's matching normalisation: NFKC, lowercase, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def fold_danish(text: str) -> str:
    """æ/ø/å → ae/oe/aa, so text typed without Danish letters meets text with them."""
    return text.translate(_FOLD)


# Sentence ends: ., ! or ? (and the closing quotes or bracket after it) followed by space and an
# uppercase letter, digit, bullet, quote or footnote mark. Common Danish abbreviations must not end a sentence.
_ABBREV = {
    "f.eks", "fx", "bl.a", "jf", "dvs", "mv", "m.v", "ca", "pct", "nr", "stk", "s", "pkt", "ift", "inkl",
    "evt", "mht", "vedr", "bl", "udg", "kap", "hhv", "osv", "etc", "ph.d", "dr", "e.l", "o.l", "m.fl",
}
_NOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SENT_END = re.compile(rf"(?<=[.!?])([\"»«”’)]*)(\s+)(?=[A-ZÆØÅ0-9\"«„»•–{_NOTE_MARKS}-])")
_NOTE = re.compile(f"[{_NOTE_MARKS}]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in ``text``; conservative around abbreviations and § references.

    A full stop at the end of a line always ends its sentence, abbreviation or not: the next line is a
    new paragraph or list item ("… § 101 a." / "- Krisecentre …", "… jf. nr. 7." / "Indikator 6.a: …").
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if "\n" not in m.group(2):
            last = re.search(r"(\S+)$", text[start : m.start()])
            # "(s. 13)" and "(jf. bilag 2)": the abbreviation inside a bracket or a quote is still one.
            token = last.group(1).rstrip(".").lstrip("([«»\"„“”'").lower() if last else ""
            if token in _ABBREV or re.fullmatch(r"\d{1,2}", token) or len(token) == 1:
                continue
        spans.append((start, m.end(1)))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def says_nothing(units: list[str]) -> list[bool]:
    """Which of a passage's sentences the app must not emphasise: a question (a heading left as text, a
    rhetorical one) and a footnote ("¹⁰ Se: <https://…>") answer nothing. None is, when all are."""
    flags = [u.strip().endswith("?") or bool(_NOTE.match(u.strip())) for u in units]
    return [False] * len(flags) if all(flags) else flags


def word_count(text: str) -> int:
    return len(text.split())


def decimal_comma(value: float, decimals: int = 2) -> str:
    """A number as Danes write it: 3,50."""
    return f"{value:.{decimals}f}".replace(".", ",")
