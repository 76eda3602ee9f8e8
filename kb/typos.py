"""Is a typed word a plausible slip of the keyboard for a corpus word? (Danish layout.)

One edit is not enough to tell: "uafklaret" is one letter from "afklaret", "hjemmel" one from
"hjemmet" and "lærling" one from "læring", and all three are words with their own meaning. A slip
is what fast typing does: two neighbouring letters swapped, a neighbouring key hit instead or as
well (or a plain a/o for æ, ø or å, on a keyboard without them), a double letter typed once or a
letter typed twice; in a long word, a letter left out. The first letter is taken as typed.
"""

from __future__ import annotations

_ROWS = ("qwertyuiopå", "asdfghjklæø", "zxcvbnm")
# A long word's omitted letter counts as a slip; in a short one it too often makes another word.
MIN_OMISSION_LENGTH = 9


def _neighbours() -> dict[str, frozenset[str]]:
    """Keys touching each key on a staggered Danish keyboard (each row sits half a key to the right)."""
    where = {ch: (r, i) for r, row in enumerate(_ROWS) for i, ch in enumerate(row)}
    out = {}
    for ch, (r, i) in where.items():
        near = [(r, i - 1), (r, i + 1), (r - 1, i), (r - 1, i + 1), (r + 1, i - 1), (r + 1, i)]
        out[ch] = frozenset(_ROWS[rr][ii] for rr, ii in near if 0 <= rr < len(_ROWS) and 0 <= ii < len(_ROWS[rr]))
    return out


NEIGHBOURS = _neighbours()
# The plain letter typed for a Danish one.
_PLAIN = {"æ": "a", "å": "a", "ø": "o"}


def _near(typed: str, meant: str) -> bool:
    return typed == meant or meant in NEIGHBOURS.get(typed, ()) or _PLAIN.get(meant) == typed


def _first_difference(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def is_slip(typed: str, word: str) -> bool:
    """True when ``typed`` is ``word`` with one slip of the keyboard (see the module's docstring)."""
    if not typed or not word or typed == word or typed[0] != word[0]:
        return False
    i = _first_difference(typed, word)
    if len(typed) == len(word):
        rest_equal = typed[i + 2 :] == word[i + 2 :]
        if i + 1 < len(typed) and typed[i] == word[i + 1] and typed[i + 1] == word[i] and rest_equal:
            return True  # two neighbouring letters swapped
        return typed[i + 1 :] == word[i + 1 :] and _near(typed[i], word[i])  # a neighbouring key
    if len(typed) == len(word) + 1 and typed[i + 1 :] == word[i:]:  # one letter too many, at i
        extra = typed[i]
        return _near(typed[i - 1], extra) or (i + 1 < len(typed) and _near(typed[i + 1], extra))
    if len(typed) + 1 == len(word) and typed[i:] == word[i + 1 :]:  # one letter left out, at i
        doubled = word[i] == word[i - 1] or (i + 1 < len(word) and word[i] == word[i + 1])
        return doubled or (len(word) >= MIN_OMISSION_LENGTH and i < len(word) - 1)
    return False
