"""The Danish lexical index: bm25s over Snowball-stemmed, decompounded, æøå-folded tokens.

Analysis, in order: lowercase + NFKC; references ("§ 104", "1.b", "indikator 3.c") become
single tokens; words typed without æøå (as ae/oe/aa or as plain a/o) are restored from the corpus
vocabulary and wordfreq's Danish word list, and a long
word one keystroke from a corpus word is mended to it (queries only); stop words drop out;
each word is stemmed with PyStemmer's Danish stemmer; compounds are split with Pyphen's Danish
hyphenation dictionary where both parts are corpus words ("beskæftigelses|tilbud"), and the
parts are indexed beside the whole word. Stems are finally folded (æ→ae …) so the two
spellings share one token.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import bm25s
import numpy as np
import pyphen
import scipy.sparse
import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from kb.text import fold_danish
from kb.typos import is_slip

_WORD = re.compile(r"[a-zæøåéüöä0-9]+(?:-[a-zæøåéüöä0-9]+)*")
# References consultants type: "§ 104", "§104", "§§ 107-108", "1.b", "1. b", "1b", "indikator 3.c", "kriterium 7".
# A letter after the number is a sub-paragraph ("§ 104a", "§ 81 a"), but not the word "i" ("§ 85 i
# serviceloven").
_PARAGRAPH = re.compile(r"§+\s*(\d{1,3})(?:\s*([a-hj-z])\b)?((?:\s*(?:-|–|,|og|eller)\s*\d{1,3}\b)*)")
_MORE_PARAGRAPHS = re.compile(r"(-|–)?\s*(\d{1,3})")
# "§§ 8-11" names every § between. After a single § ("§ 107 og 108") only a near number continues the
# list, so "§ 85 og 3 borgere" stays one reference.
_MAX_RANGE = 10
# An indicator id, not a sub-paragraph ("§ 81a" is no indicator 81.a), a page reference ("s. 26f.":
# page 26 and the next), a phone number ("… 37 00 E-mail") or part of a web address ("…-52a.se").
_INDICATOR = re.compile(r"(?<![\d.,§-])(?<!§ )(?<!s\. )([1-9]\d?)\s?\.?\s?([a-f])(?![a-zæøå0-9])")
_STK = re.compile(r"stk\.\s*(\d{1,2})")
_MIN_PART = 4
_MIN_COMPOUND = 8
# Only words this long are mended ("bsoted" → "bosted"); a word Danish knows is never mended
# ("tælles" is no slip for "fælles"), and in shorter words one slip too often makes another word.
_MIN_MEND = 5


def _stopwords() -> frozenset[str]:
    text = resources.files("kb").joinpath("data/stopord.txt").read_text(encoding="utf-8")
    words = {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(words | {fold_danish(w) for w in words})


STOPWORDS = _stopwords()


def reference_tokens(text: str) -> list[str]:
    """Exact references in ``text`` as tokens: ``§104``, ``§104a``, ``ind1b``, ``stk2``; a list or
    range of paragraphs ("§§ 107 og 108", "§§ 8-11") names each of them."""
    t = unicodedata.normalize("NFKC", text).lower()
    out = []
    for m in _PARAGRAPH.finditer(t):
        out.append(f"§{m.group(1)}{m.group(2) or ''}")
        if m.group(2):
            out.append(f"§{m.group(1)}")
        last, plural = int(m.group(1)), m.group(0).startswith("§§")
        for dash, number in _MORE_PARAGRAPHS.findall(m.group(3)):  # "§§ 107 og 108", "§§ 8-11"
            n = int(number)
            if not plural and abs(n - last) > _MAX_RANGE:
                break
            span = range(last + 1, n + 1) if dash and 0 < n - last <= _MAX_RANGE else [n]
            out.extend(f"§{k}" for k in span)
            last = n
    for m in _INDICATOR.finditer(t):
        out.append(f"ind{m.group(1)}{m.group(2)}")
    out.extend(f"stk{m.group(1)}" for m in _STK.finditer(t))
    return out


def _unfoldings(word: str, limit: int = 5) -> list[str]:
    """Spellings of ``word`` with ae/oe/aa read as æ/ø/å, fewest replacements first."""
    spots = [(m.start(), m.group(0)) for m in re.finditer(r"ae|oe|aa", word)][:limit]
    out = []
    for mask in range(1, 1 << len(spots)):
        chars, last = [], 0
        for bit, (pos, pair) in enumerate(spots):
            if mask >> bit & 1 and pos >= last:
                chars.append(word[last:pos] + {"ae": "æ", "oe": "ø", "aa": "å"}[pair])
                last = pos + 2
        out.append("".join(chars) + word[last:])
    return sorted(set(out), key=lambda w: len(word) - len(w))


# æ/ø/å typed as the plain letter beside it on a foreign keyboard.
_PLAIN = str.maketrans("æøå", "aoa")
_PLAIN_OPTIONS = {"a": ("å", "æ"), "o": ("ø",)}
# How much more common (Zipf scale: log10 per billion words) a respelling must be in Danish than the
# word as typed: "born" 3.5 → "børn" 5.8 and "mal" 3.7 → "mål" 5.5 are respelt, "far" 5.4 / "får" 6.1
# and "rod" 4.5 / "rød" 4.9 are left as typed.
_RESPELL_ZIPF = 1.5
# The shortest part of a compound (only corpus words are that short, see `_is_part`); at most this
# many respellings of a compound are tried.
_MIN_HEAD = 3
_MAX_COMPOUND_CANDIDATES = 64


@cache
def _danish_frequencies() -> dict[str, float]:
    import wordfreq  # only a query word the corpus lacks needs it

    return wordfreq.get_frequency_dict("da", wordlist="best")


def _zipf(word: str) -> float:
    freq = _danish_frequencies().get(word, 0.0)
    return math.log10(freq * 1e9) if freq else 0.0


def _plain_unfoldings(word: str, limit: int = 6) -> list[str]:
    """Spellings of ``word`` with some of its a/o read as å/æ/ø, fewest replacements first."""
    spots = [i for i, c in enumerate(word) if c in _PLAIN_OPTIONS][:limit]
    out: list[tuple[int, str]] = []

    def walk(k: int, chars: list[str], changed: int) -> None:
        if k == len(spots):
            if changed:
                out.append((changed, "".join(chars)))
            return
        i = spots[k]
        walk(k + 1, chars, changed)
        for option in _PLAIN_OPTIONS[word[i]]:
            chars[i] = option
            walk(k + 1, chars, changed + 1)
        chars[i] = word[i]

    walk(0, list(word), 0)
    return [w for _, w in sorted(out)]


class Analyzer:
    """Turns text into index tokens; built from the corpus vocabulary so it can repair queries."""

    def __init__(self, vocabulary: Counter | None = None):
        self.stemmer = Stemmer.Stemmer("danish")
        self.hyphenator = pyphen.Pyphen(lang="da_DK")
        self.vocab: Counter = vocabulary or Counter()
        self._by_folded: dict[str, str] = {}
        self._by_plain: dict[str, str] = {}
        for word, _count in self.vocab.most_common():
            self._by_folded.setdefault(fold_danish(word), word)
            if any(c in word for c in "æøå"):
                self._by_plain.setdefault(word.translate(_PLAIN), word)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._restored: dict[str, str] = {}

    @staticmethod
    def words(text: str) -> list[str]:
        return _WORD.findall(unicodedata.normalize("NFKC", text).lower())

    def restore(self, word: str) -> str:
        """The corpus' spelling of a query word: æøå put back ("boligstoette" → "boligstøtte"), or one
        slip of the keyboard mended ("beskfætigelse" → "beskæftigelse")."""
        if word in self.vocab:
            return word
        fixed = self._restored.get(word)
        if fixed is None:
            fixed = self._unfold(word)
            if fixed == word:
                fixed = self._mend(word)
            self._restored[word] = fixed
        return fixed

    def _unfold(self, word: str) -> str:
        """The spelling with æ/ø/å that the word was typed without, as ae/oe/aa ("boern") or as the
        plain letters ("born", "bostotten", "ogsa"); the word as typed when there is none.

        Plain letters make real words too ("ham", "vagt", "markeret"), so a respelling must be a corpus
        word where the word as typed is unknown to Danish, or a word Danish uses far more (wordfreq,
        1.5 on the Zipf scale), or, for a compound, the only reading made of words ("beboerraad" →
        "beboerråd", while "beboergruppen" is a compound as typed).
        """
        digraphs = _unfoldings(word) if any(p in word for p in ("ae", "oe", "aa")) else []
        plain = _plain_unfoldings(word) if any(c in word for c in "ao") else []
        if not digraphs and not plain:
            return word
        if word in self._by_folded:
            return self._by_folded[word]
        known = _zipf(word)
        corpus_word = self._by_plain.get(word)
        unknown = known == 0 and self._stem(word) not in self._stems
        if corpus_word and (unknown or _zipf(corpus_word) >= known + _RESPELL_ZIPF):
            return corpus_word
        best = max(digraphs + plain, key=_zipf)
        if _zipf(best) >= known + _RESPELL_ZIPF:
            return best
        if unknown and not self._is_word_or_compound(word):
            # Who types ae/oe/aa for æ/ø/å types it for all of them: the fullest respelling first.
            for candidate in (sorted(digraphs, key=len) + plain)[:_MAX_COMPOUND_CANDIDATES]:
                if self._is_word_or_compound(candidate):
                    return candidate
        return word

    def _is_word(self, word: str) -> bool:
        return word in self.vocab or _zipf(word) > 0

    def _is_part(self, word: str) -> bool:
        """A compound's part: a word of four letters or more, or a three-letter corpus word ("råd");
        Danish has too many short words ("ane", "åer", "ska") for them to prove a compound."""
        return self._is_word(word) if len(word) > _MIN_HEAD else len(word) == _MIN_HEAD and word in self.vocab

    def _is_word_or_compound(self, word: str, parts: int = 3) -> bool:
        """Whether ``word`` is a word (corpus or Danish) or made of up to ``parts`` of them, with the
        linking -s-/-e- ("samarbejds|tilgang", "bostøtte|medarbejder")."""
        return self._is_word(word) or self._is_compound(word, parts)

    def _is_compound(self, word: str, parts: int) -> bool:
        if parts < 2 or len(word) < 2 * _MIN_HEAD:
            return False
        for i in range(_MIN_HEAD, len(word) - _MIN_HEAD + 1):
            left, right = word[:i], word[i:]
            heads = [left]
            if left[-1] in "se":
                heads.append(left[:-1])
            if left[-1] == "s":
                heads.append(left[:-1] + "e")
            if any(self._is_part(h) for h in heads) and (self._is_part(right) or self._is_compound(right, parts - 1)):
                return True
        return False

    def _mend(self, word: str) -> str:
        """The most frequent corpus word that ``word`` is one slip of the keyboard away from.

        Only for a long word that the corpus knows in no inflection (same stem) and as no compound,
        and Danish does not know either (wordfreq: "teenager" stays), and only for slips
        (``kb.typos``), so words the corpus lacks stay as written ("hjemmel" does not become
        "hjemmet") and typing slips still meet their passages.
        """
        if (len(word) < _MIN_MEND or not word.isalpha() or self._stem(word) in self._stems
                or self.split_compound(word) or _zipf(word) > 0):
            return word
        found = process.extract(word, self._mend_candidates, scorer=OSA.distance, score_cutoff=1, limit=None)
        slips = [f[0] for f in found if is_slip(word, f[0])]
        return min(slips, key=lambda w: (-self.vocab[w], w)) if slips else word

    @cached_property
    def _stems(self) -> frozenset[str]:
        return frozenset(self._stem(w) for w in self.vocab)

    @cached_property
    def _mend_candidates(self) -> list[str]:
        return [w for w in self.vocab if len(w) >= _MIN_MEND - 1 and w.isalpha()]

    def _stem(self, word: str) -> str:
        return self.stemmer.stemWord(word)

    def split_compound(self, word: str) -> list[str]:
        """Corpus-word parts of a compound, e.g. beskæftigelsestilbud → [beskæftigelse, tilbud]."""
        if len(word) < _MIN_COMPOUND or "-" in word or not self.vocab:
            return []
        positions = self.hyphenator.positions(word)
        best: list[str] = []
        for i in positions:
            left, right = word[:i], word[i:]
            if len(right) < _MIN_PART or right not in self.vocab:
                continue
            for head in (left, left[:-1] if left.endswith(("s", "e")) else None):
                if head and len(head) >= 3 and head in self.vocab:
                    parts = [head, right]
                    # Prefer the split whose head part (the right side) is longest: the compound's meaning.
                    if not best or len(right) > len(best[-1]):
                        best = parts
                    break
            if not best and len(right) >= 5 and right in self.vocab and self.vocab[right] >= 3:
                best = [right]
        return best

    def word_tokens(self, word: str) -> tuple[str, ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        if word in STOPWORDS or len(word) < 2:
            out: tuple[str, ...] = ()
        else:
            pieces = [word] if "-" not in word else [word, *[p for p in word.split("-") if p]]
            toks = []
            for piece in pieces:
                if piece in STOPWORDS:
                    continue
                toks.append(fold_danish(self._stem(piece)))
                toks.extend(fold_danish(self._stem(p)) for p in self.split_compound(piece))
            out = tuple(dict.fromkeys(toks))
        self._cache[word] = out
        return out

    def tokens(self, text: str, restore: bool = False) -> list[str]:
        toks: list[str] = []
        for word in self.words(text):
            if restore:
                word = self.restore(word)
            toks.extend(self.word_tokens(word))
        toks.extend(reference_tokens(text))
        return toks

    def restore_text(self, text: str) -> str:
        """The query as the corpus spells it (æøå restored, slips mended), for the dense side too."""

        def repl(m: re.Match) -> str:
            word = m.group(0)
            fixed = self.restore(word.lower())
            if fixed == word.lower():
                return word
            return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed

        return re.sub(r"[A-Za-zÆØÅæøå]+", repl, text)


class LexicalIndex:
    """bm25s over analyzed tokens; scores for all passages at once (the corpus is small)."""

    def __init__(self, analyzer: Analyzer, bm25: bm25s.BM25):
        self.analyzer = analyzer
        self.bm25 = bm25
        self._vocab = bm25.vocab_dict
        # bm25s keeps each token's precomputed passage scores as a CSC matrix (passages × tokens);
        # one sparse product with the query's token counts scores all passages at once, which is
        # ten times faster than bm25s' per-token accumulation for a query of a hundred n-grams.
        sc = bm25.scores
        self._matrix = scipy.sparse.csc_matrix(
            (sc["data"], sc["indices"], sc["indptr"]), shape=(sc["num_docs"], len(sc["indptr"]) - 1)
        )

    @classmethod
    def build(
        cls,
        texts: list[str],
        vocabulary: Counter | None = None,
        analyzer: Analyzer | None = None,
        tokenize: Callable[[str], list[str]] | None = None,
    ) -> LexicalIndex:
        """Index ``texts``; pass ``analyzer`` to share one (and its vocabulary) between indexes.

        ``tokenize`` replaces the analyzer's word tokens (the character n-gram index uses it).
        """
        analyzer = analyzer or Analyzer(vocabulary)
        tokenize = tokenize or analyzer.tokens
        corpus = [tokenize(t) or ["\u2205"] for t in texts]
        # Our own sorted vocabulary (bm25s numbers tokens in set order, which changes from run to run):
        # the same sources give the same index files, so a rebuild doesn't churn the committed index.
        vocab = {token: i for i, token in enumerate(sorted({t for doc in corpus for t in doc}))}
        vocab.setdefault("", len(vocab))  # bm25s' empty token, as it adds it itself
        ids = [[vocab[t] for t in doc] for doc in corpus]
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        return cls(analyzer, bm25)

    def save(self, directory: Path, name: str = "bm25") -> None:
        self.bm25.save(str(directory / name), show_progress=False)
        vocab_file = directory / "lexical.json"
        if not vocab_file.exists():
            vocab_file.write_text(
                json.dumps({"vocabulary": dict(self.analyzer.vocab)}, ensure_ascii=False), encoding="utf-8"
            )

    @classmethod
    def load(cls, directory: Path, name: str = "bm25", analyzer: Analyzer | None = None) -> LexicalIndex:
        if analyzer is None:
            data = json.loads((directory / "lexical.json").read_text(encoding="utf-8"))
            analyzer = Analyzer(Counter(data["vocabulary"]))
        bm25 = bm25s.BM25.load(str(directory / name), show_progress=False, verbosity=0)
        return cls(analyzer, bm25)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 of every passage; a token given twice counts twice, as in bm25s."""
        ids = [self._vocab[t] for t in tokens if t in self._vocab]
        if not ids:
            return np.zeros(self._matrix.shape[0], dtype=np.float32)
        unique, counts = np.unique(ids, return_counts=True)
        return np.asarray(self._matrix[:, unique] @ counts.astype(np.float32), dtype=np.float32)


