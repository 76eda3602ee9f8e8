"""Character n-grams of words: a lexical signal that survives inflection, compounds and typing.

Consultants write "skolebørn" where the guidance says "grundskole", "pointene" where it says
"point", "bostoette" for "bostøtte". Stemming and decompounding catch some of that; the 3-, 4- and
5-grams of each word (padded with ``_`` so word starts and ends count) catch the rest, and BM25's
IDF keeps the common grams quiet. Measured on the question sets in ``bench/``, BM25 over these
grams is a stronger lexical side than BM25 over stems (see ``bench/README.md``).

No stop list: a gram shared by every passage gets no weight anyway, and short function words
inside a question ("ikke", "alle") sometimes carry its point.
"""

from __future__ import annotations

import re
import unicodedata

from kb.text import fold_danish

SIZES = (3, 4, 5)
_WORD = re.compile(r"[a-zæøåéüöä0-9]+")


def char_ngrams(text: str) -> list[str]:
    """The padded 3/4/5-grams of every word, with æøå folded (æ→ae …) so both spellings meet."""
    grams: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).lower()):
        padded = f"_{fold_danish(word)}_"
        for n in SIZES:
            if len(padded) <= n:
                grams.append(padded)
            else:
                grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams
