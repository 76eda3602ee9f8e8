"""Undo PDF-extraction damage: line-break hyphens, broken lines, inline markup."""

from __future__ import annotations

import re
from collections import Counter

# Words after which a line-final hyphen is a Danish suspended hyphen ("uddannelses- og …").
_SUSPENDED_NEXT = {"og", "eller", "samt", "som", "til", "&", "/", "hhv", "henholdsvis", "men", "end"}
_LETTERS = "A-Za-zÆØÅæøåÉéÜüÖöÄä"
# Words, with internal hyphens kept, so "tilbuds-specifikke" counts as itself.
_WORD = re.compile(rf"[{_LETTERS}]+(?:-[{_LETTERS}]+)*")
FOOTNOTE_RE = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s")
BULLET_RE = re.compile(r"^(?:[•▪·◦●■□➢✓»]|[-–]\s|\(?[a-z]\)\s)")
SENTENCE_END = (".", "!", "?", ":", ";")


def vocabulary(text: str) -> Counter:
    """Lowercase word counts of a document, to tell a split word from a real hyphenated one."""
    return Counter(w.lower() for w in _WORD.findall(text))


def join_hyphenated(left: str, right: str, vocab: Counter) -> str:
    """Join two lines where ``left`` ends with a hyphen; keep real and suspended hyphens."""
    head = left[:-1]
    m_left = re.search(r"(\S+)$", head)
    m_right = re.match(r"(\S+)", right)
    if not m_left or not m_right:
        return left + " " + right
    part1, part2 = m_left.group(1), m_right.group(1)
    word2 = re.sub(r"[^\wæøåÆØÅ]+$", "", part2)
    if word2.lower() in _SUSPENDED_NEXT or part2.startswith((",", "/")):
        return left + " " + right
    if not part1[-1:].isalpha() or part1[-1:].isupper() or part2[:1].isupper() or part2[:1].isdigit():
        return left + right  # "SU-berettiget", "§ 85-", "COVID-19": the hyphen is part of the word
    stem1 = re.sub(r"^\W+", "", part1).lower()
    if vocab.get(stem1 + word2.lower(), 0) == 0 and vocab.get(f"{stem1}-{word2.lower()}", 0):
        return left + right  # the hyphenated form occurs unbroken elsewhere: a real hyphen
    return head + right


def join_lines(lines: list[str], vocab: Counter) -> str:
    """Reflow a paragraph's lines into one line."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            out = join_hyphenated(out, line, vocab)
        else:
            out = out + " " + line
    return re.sub(r"[ \t]{2,}", " ", out)


_MD_INLINE = [
    (re.compile(r"</?(?:b|i|em|strong)>"), ""),
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"\\([*_#\[\]])"), r"\1"),
]


def strip_inline_markup(text: str) -> str:
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return text.strip()


def ends_sentence(line: str) -> bool:
    return line.rstrip().rstrip("\"»”’)*").endswith(SENTENCE_END)


def is_continuation(prev: str, nxt: str) -> bool:
    """True when paragraph ``nxt`` continues ``prev`` (split by a page break or a footnote)."""
    prev = prev.rstrip()
    if not prev or not nxt:
        return False
    if prev.endswith("-") and prev[-2:-1].isalpha():
        return nxt[:1].isalpha()
    return not ends_sentence(prev) and nxt[:1].islower()
