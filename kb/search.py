"""Hybrid search over the index: dense (FAISS) + Danish BM25, fused, with exact references boosted."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from kb import index_store
from kb.chunking import SECTION_SEP, Chunk
from kb.cited_section import ambiguous_leaves, cited_section
from kb.embed import Embedder, embedder_id_for, get_embedder
from kb.errors import KbError
from kb.indexer import lexical_texts
from kb.lexical import LexicalIndex, reference_tokens
from kb.ngrams import char_ngrams
from kb.sources import Source
from kb.text import fold_danish, says_nothing, split_sentences
from kb.thesaurus import Thesaurus

MAX_QUERY_CHARS = 2000
QUERY_CACHE_SIZE = 256
MAX_TOP_K = 100
# Weighted min-max fusion: share of the dense score (tuned on our question sets, see bench/).
# The lexical side is BM25 over character n-grams (kb/ngrams.py); the stemmed word BM25 is kept as
# a peer in `kb eval --compare`. 0.5 until the section paths embedded with every passage were
# cleaned of false titles; since then the dense side carries a little more (0.55: MRR@10 on all
# 201 questions 0.686 → 0.693, no question group down; 0.6 costs the second batch).
DENSE_WEIGHT = 0.55
# Dense score of a passage = CHUNK_WEIGHT * passage similarity + rest * its best sentence's similarity.
# (A further sentence-level hybrid, the best sentence by similarity and sentence BM25 added at 0.3,
# helped when the lexical side was word BM25; beside the n-gram side it cost 0.02-0.05 MRR on every
# question set and was removed, bench/README.md.)
CHUNK_WEIGHT = 0.7
# Share of the dense score given to the passage's best-matching question among those it answers
# (kb/passage_questions.py): a consultant's question is nearer to another question than to the
# passage's own wording. Passages without questions keep their plain dense score.
QUESTION_WEIGHT = 0.4
# How much of a question's hubness (kb/passage_questions.py: its mean similarity to its 30 nearest
# questions, centred) is taken off its similarity, so a common frame ("Hvad siger VIVE om …") does
# not make its passage near every question. 0.6-1.2 all help; bench/README.md.
HUB_WEIGHT = 0.9
# The sentence the app emphasises: its similarity to the query blended with that of the nearest question
# quoting it (its anchor). A question points to one sentence, so near it the user asks about that one:
# the emphasised sentence holds the gold quote in 57 % of the found passages at 0, 77 % at 0.7
# (0.5 / 0.6 / 0.8 / 0.9: 75 / 76 / 75 / 73 %; 0.7 is best or level on dev and both own batches,
# bench/README.md).
BEST_SENTENCE_QUESTION_WEIGHT = 0.7
# BM25 weight of thesaurus expansions relative to the user's own words.
EXPANSION_WEIGHT = 0.2
# Thesaurus terms appended to the question before it is embedded ("bosted" → "… (botilbud, …)").
# Each term costs embedding time; four gave the gain of all of them (bench/README.md). Terms are
# only added while the embedded text stays within QUERY_EXPANSION_MAX_CHARS: a long question
# already carries its context, and the cap takes the slowest searches' tokens down (p95 47 → 42).
QUERY_EXPANSION_TERMS = 4
QUERY_EXPANSION_MAX_CHARS = 140
# Added to the fused score (0..1) of a passage that contains every exact reference of the query, by
# kind. An indicator id names the question's topic ("hvordan scorer jeg 1.b"); a § number mostly names
# the tilbudstype as context ("en beboer på et § 108-bosted …"), and the n-gram side matches its digits
# already, so it only breaks ties (§ at 0.25 like indicators: MRR on all 201 questions 0.652, at 0.05:
# 0.660, bench/README.md).
REFERENCE_BOOST = 0.25
PARAGRAPH_REFERENCE_BOOST = 0.05
# A query of references alone ("§ 104, stk. 2", "servicelovens § 108") asks for them, so there a §
# number gets the full boost: the passages that name it exactly come first, not ones that only
# resemble it.
_REFERENCE_ONLY = re.compile(
    r"§+|\b(?:stk|nr|servicelovens?|sel|indikator(?:en|erne)?|paragraf(?:fen)?|og|eller)\b"
    r"|\b\d+[a-z]?\b|\b[a-z]\b|[\s.,;:()\-–]+",
    re.IGNORECASE,
)
# Added for passages of authoritative sources (the manifest's ``autoritativ = true``: the guidance
# and the Kvalitetsmodel itself), so they win close calls against research reports. 0.1 raised both
# authoritative sources and left the reports' questions as they were (bench/README.md).
AUTHORITY_BOOST = 0.1
# The prior follows what the question asks about. A question in the supervision's own terms (how to
# assess, score or count: "bedømme", "scorer", "regnes", "indikator") gets twice the prior; a question
# that names research ("rapporten", "undersøgelsen", "forskning", or a research source's publisher such
# as "VIVE") gets none, since the answer is the report's (dev MRR 0.645 → 0.674, the own sets unchanged;
# flat for 0.1–0.2, bench/README.md). Both are matched with æ/ø/å folded ("bedoemmer", "taeller").
ASSESSMENT_AUTHORITY_BOOST = 0.1
_ASSESSMENT_WORDS = re.compile(
    r"\b(?:bedoem\w*|vurder\w*|scor\w*|indikator\w*|kriteri\w*|tilsyn\w*|regnes|taelle\w*|taeller"
    r"|gaelder|point\w*|omfattet)\b",
    re.IGNORECASE,
)
_RESEARCH_WORDS = r"rapport\w*|undersoegelse\w*|studie\w*|litteratur\w*|forskning\w*|interview\w*"
# Subtracted for the sources' apparatus: reference lists, search protocols and boolean search strings
# match many questions' words but rarely answer one; they still win when asked for by name. Quality
# on our sets is the same for 0.05–0.3; 0.2 keeps search strings off the top of keyword searches.
APPARATUS_PENALTY = 0.2
_APPARATUS_HEADING = re.compile(
    r"\b(?:litteraturliste|referencer|referenceliste|kildeliste|bibliografi|søgeprotokol|references|bibliography)\b"
    # An unnumbered "Litteratur" is the list; a numbered "2.1 Litteratur" can be a chapter about the literature.
    r"|^(?:bilag\s+\d+\s+)?litteratur$",
    re.IGNORECASE,
)
# Boolean operators and numbered search sets ("#1 (lem=efterværn)") mark a search string.
_BOOLEAN_OPERATOR = re.compile(r"\b(?:OR|AND|NOT)\b|#\d+\s")
# Subtracted for a summary passage ("Sammenfatning", "Resumé", "Opsummering" …) while a passage of its
# own source's body is among the first SUMMARY_CANDIDATES too: the summary restates that passage,
# which says it in full and is the one to cite. A summary that is its source's only candidate keeps
# its place (pushing every summary down cost dev 0.632 → 0.621 and recall@5). The penalty decides close
# calls only: 0.2 also buried summaries that were the one answer (VIVE's chapter summing up the
# literature, a report's design in numbers) under body passages on other points; 0.04–0.08 is better
# on every question group (bench/README.md).
SUMMARY_PENALTY = 0.05
SUMMARY_CANDIDATES = 10
_SUMMARY_HEADING = re.compile(
    r"\b(?:sammenfatning|resumé|resume|opsummering|konklusion|summary|abstract)\b", re.IGNORECASE
)


@dataclass
class Hit:
    rank: int
    score: float
    source: str
    title: str
    section: str
    page: int | None
    text: str
    citation: str
    chunk_id: str
    start: int
    end: int
    page_end: int | None = None
    best_sentence: str | None = None

    @property
    def pages(self) -> str | None:
        """"s. 10" or "s. 10–13" (a passage may run over pages); None for a source without pages."""
        if self.page is None:
            return None
        return f"s. {self.page}–{self.page_end}" if self.page_end and self.page_end != self.page else f"s. {self.page}"

    def to_json(self) -> dict:
        return {
            "rank": self.rank,
            "score": round(float(self.score), 6),
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "page": self.page,
            "text": self.text,
            "citation": self.citation,
            "chunk_id": self.chunk_id,
            "best_sentence": self.best_sentence,
        }


@dataclass
class Engine:
    index_dir: Path
    manifest: dict
    chunks: list[Chunk]
    vectors: np.ndarray
    lexical: LexicalIndex
    sources: list[Source]
    ngram_lexical: LexicalIndex
    sentences: dict[str, np.ndarray] | None = None
    questions: dict[str, np.ndarray] | None = None
    model: str | None = None
    thesaurus: Thesaurus | None = None
    # Derived once from the passages: the exact references they bear on, whether their source is authoritative,
    # whether they are apparatus (reference lists, search protocols), and whether they sum up; and from
    # the sources, the words that name research.
    chunk_refs: list[set[str]] = field(default_factory=list, repr=False)
    authoritative: np.ndarray | None = field(default=None, repr=False)
    apparatus: np.ndarray | None = field(default=None, repr=False)
    summary: np.ndarray | None = field(default=None, repr=False)
    research_words: re.Pattern | None = field(default=None, repr=False)
    ambiguous_leaves: set[tuple[str, str]] = field(default_factory=set, repr=False)
    _embedder: Embedder | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # The last query embeddings: the app searches the same question again when only the source
    # filter or the number of results changes.
    _query_vectors: OrderedDict[str, np.ndarray] = field(default_factory=OrderedDict, repr=False)
    _documents: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.chunk_refs = self._passage_references()
        official = {s.id for s in self.sources if s.authoritative}
        self.authoritative = np.array([c.source in official for c in self.chunks], dtype=np.float32)
        self.apparatus = np.array([_is_apparatus(c) for c in self.chunks], dtype=np.float32)
        self.summary = np.array([any(_SUMMARY_HEADING.search(h) for h in c.section) for c in self.chunks])
        self.ambiguous_leaves = ambiguous_leaves(self.chunks)
        # Research is also named by its publisher's acronym ("VIVE", "KORA").
        research = [s.publisher for s in self.sources if not s.authoritative]
        acronyms = {w for publisher in research for w in re.findall(r"\b[A-ZÆØÅ]{3,}\b", publisher)}
        names = [_RESEARCH_WORDS] + [re.escape(fold_danish(w)) + r"\w*" for w in sorted(acronyms)]
        self.research_words = re.compile(rf"\b(?:{'|'.join(names)})\b", re.IGNORECASE)

    def _passage_references(self) -> list[set[str]]:
        """The exact references each passage bears on, read from the words BM25 indexes for it: its
        section path, its text and the questions it answers. The vejledning's sections on indicator
        1.b ("Borgere med folkepension") seldom say "1.b" again, but the questions they answer do."""
        asked = self.questions or {"chunk": [], "text": []}
        return [set(reference_tokens(t)) for t in lexical_texts(self.chunks, asked["chunk"], asked["text"])]

    @classmethod
    def load(cls, index_dir: Path, model: str | None = None) -> Engine:
        # Search multiplies small matrices by one vector; OpenBLAS' spinning worker threads then fight
        # the embedder's threads for the two cores (search p50 51 ms with them, 28 ms without).
        threadpool_limits(limits=1, user_api="blas")
        index_dir = Path(index_dir)
        manifest = index_store.read_manifest(index_dir)
        wanted = embedder_id_for(model or manifest.get("model"))
        if model is not None and wanted != manifest.get("embedder"):
            raise KbError(
                f"Søgeindekset er bygget med modellen {manifest.get('embedder')!r}, ikke {wanted!r}. "
                f"Kør `kb index --model {model}` for at bygge det med den model."
            )
        if wanted != manifest.get("embedder"):
            raise KbError(
                f"Søgeindekset er bygget med modellen {manifest.get('embedder')!r}, men den installerede "
                f"model er {wanted!r}. {index_store.REBUILD_HINT}"
            )
        try:
            chunks = index_store.read_chunks(index_dir)
            faiss_index = index_store.read_vectors(index_dir)
            lexical = LexicalIndex.load(index_dir)
            ngram_lexical = LexicalIndex.load(index_dir, index_store.NGRAM_BM25, lexical.analyzer)
            questions = index_store.read_questions(index_dir)
        except index_store.DAMAGED as e:
            raise KbError(f"Søgeindekset i {index_dir} er ufuldstændigt eller beskadiget. "
                          f"{index_store.REBUILD_HINT}") from e
        vectors = faiss_index.reconstruct_n(0, faiss_index.ntotal)
        asked = questions["chunk"] if questions is not None else np.zeros(0, dtype=np.int32)
        if (
            len(chunks) != len(vectors) or len(vectors) != manifest.get("chunks")
            or len(asked) != manifest.get("questions", 0) or (len(asked) and int(asked.max()) >= len(chunks))
        ):
            raise KbError(f"Søgeindekset i {index_dir} er inkonsistent. {index_store.REBUILD_HINT}")
        sources = [Source(**info["meta"]) for info in manifest["sources"].values()]
        sentences = index_store.read_sentences(index_dir)
        for part in (sentences, questions):
            if part is not None:
                part["vectors"] = part["vectors"].astype(np.float32)
        return cls(index_dir, manifest, chunks, vectors, lexical, sources, ngram_lexical, sentences,
                   questions, model=manifest.get("model"), thesaurus=Thesaurus(lexical.analyzer))

    # -- public API ---------------------------------------------------------------------

    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = get_embedder(self.model)
            return self._embedder

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KbError(f"Ukendt kilde {source_id!r}. Kendte kilder: {', '.join(s.id for s in self.sources)}.")

    def status(self) -> dict:
        m = self.manifest
        return {
            "embedder": m["embedder"],
            "dim": m["dim"],
            "kb_version": m["kb_version"],
            "built_at": m["built_at"],
            "chunks": m["chunks"],
            "questions": m.get("questions", 0),
            "sources": {
                k: {"sha256": v["sha256"], "chunks": v["chunks"], "questions": v.get("questions", 0)}
                for k, v in m["sources"].items()
            },
        }

    def search(self, query: str, top_k: int = 10, kilder: list[str] | None = None) -> list[Hit]:
        query = validate_query(query)
        if not 1 <= int(top_k) <= MAX_TOP_K:
            raise KbError(f"Antal resultater skal være mellem 1 og {MAX_TOP_K}.")
        mask = self._mask(kilder)
        qv = self.query_vector(query)
        sims = self.sentence_scores(qv)
        asked = self.question_scores(qv)
        scores = self._fused(query, mask, qv, sims, asked)
        order = [int(i) for i in np.argsort(-scores, kind="stable")[: int(top_k)] if mask[i]]
        return [self._hit(rank + 1, i, float(scores[i]), query, sims, asked) for rank, i in enumerate(order)]

    def scores(self, query: str, mask: np.ndarray | None = None, qv: np.ndarray | None = None) -> np.ndarray:
        """Fused relevance of every passage (higher is better); passages outside ``mask`` get -inf."""
        if mask is None:
            mask = np.ones(len(self.chunks), dtype=bool)
        qv = self.query_vector(query) if qv is None else qv
        return self._fused(query, mask, qv, self.sentence_scores(qv), self.question_scores(qv))

    def _fused(
        self, query: str, mask: np.ndarray, qv: np.ndarray, sent_sims: np.ndarray | None, asked: np.ndarray | None
    ) -> np.ndarray:
        dense = self.dense_scores(query, qv, sent_sims, question_sims=asked)
        lexical = self.ngram_scores(query)
        fused = DENSE_WEIGHT * _minmax(dense, mask) + (1 - DENSE_WEIGHT) * _minmax(lexical, mask)
        fused += self._reference_boost(query)
        fused += self._authority_weight(query) * self.authoritative
        fused -= APPARATUS_PENALTY * self.apparatus
        fused = np.where(mask, fused, -np.inf)
        return fused - SUMMARY_PENALTY * self._restating(fused)

    def interpret(self, query: str) -> str:
        """The query as it is searched: æøå restored and typing slips mended from the corpus' words."""
        return self.lexical.analyzer.restore_text(validate_query(query))

    def thesaurus_terms(self, query: str) -> list[str]:
        """The field's other words for what the query names ("bosted" → botilbud …), searched beside
        its own words; the app shows them, so new staff learn the sources' terms."""
        if not self.thesaurus:
            return []
        return self.thesaurus.expand_terms(query)

    def embedding_text(self, query: str, expand: bool = True) -> str:
        """What the embedder sees for a query: spelling repaired, written as a question, and the
        thesaurus' terms for what it names appended.

        One embedding of "question (term, term …)" moves the question towards the sources' words
        ("bosted" towards "botilbud"); adding the terms' own vectors instead did not help.
        """
        text = _question_form(self.lexical.analyzer.restore_text(query))
        terms = self.thesaurus_terms(query) if expand else []
        for k in range(min(len(terms), QUERY_EXPANSION_TERMS), 0, -1):
            expanded = f"{text} ({', '.join(terms[:k])})"
            if len(expanded) <= QUERY_EXPANSION_MAX_CHARS:
                return expanded
        return text

    def query_vector(self, query: str, expand: bool = True) -> np.ndarray:
        """The query's embedding (of ``embedding_text``), cached for repeated questions."""
        text = self.embedding_text(query, expand)
        with self._lock:
            cached = self._query_vectors.get(text)
            if cached is not None:
                self._query_vectors.move_to_end(text)
                return cached
        vector = self.embedder().embed_query(text)
        vector.setflags(write=False)
        with self._lock:
            self._query_vectors[text] = vector
            while len(self._query_vectors) > QUERY_CACHE_SIZE:
                self._query_vectors.popitem(last=False)
        return vector

    def forget_queries(self) -> None:
        """Empty the query-embedding cache (benchmarks time every question's embedding)."""
        with self._lock:
            self._query_vectors.clear()

    def dense_scores(
        self,
        query: str,
        qv: np.ndarray | None = None,
        sent_sims: np.ndarray | None = None,
        questions: bool = True,
        question_sims: np.ndarray | None = None,
    ) -> np.ndarray:
        """Passage similarity blended with the similarity of its best sentence, then with that of the
        nearest question it answers (unless ``questions`` is off, for comparison)."""
        qv = self.query_vector(query) if qv is None else qv
        dense = self.vectors @ qv
        if sent_sims is None:
            sent_sims = self.sentence_scores(qv)
        if sent_sims is not None:
            dense = CHUNK_WEIGHT * dense + (1 - CHUNK_WEIGHT) * self._per_chunk_max(self.sentences, sent_sims, dense)
        if questions and question_sims is None:
            question_sims = self.question_scores(qv)
        if questions and question_sims is not None:
            nearest = self._per_chunk_max(self.questions, question_sims, dense)
            dense = (1 - QUESTION_WEIGHT) * dense + QUESTION_WEIGHT * nearest
        return dense

    def question_scores(self, qv: np.ndarray) -> np.ndarray | None:
        """Similarity of the query to every question a passage answers, less the question's hubness."""
        if self.questions is None or not len(self.questions["chunk"]):
            return None
        return self.questions["vectors"] @ qv - HUB_WEIGHT * self.questions["hub"]

    def sentence_scores(self, qv: np.ndarray) -> np.ndarray | None:
        if self.sentences is None or not len(self.sentences["chunk"]):
            return None
        return self.sentences["vectors"] @ qv

    def _per_chunk_max(self, units: dict[str, np.ndarray], values: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        """Max of the ``values`` of a passage's sentences or questions; passages without keep ``fallback``."""
        best = np.full(len(self.chunks), -np.inf, dtype=np.float32)
        np.maximum.at(best, units["chunk"], values)
        return np.where(np.isfinite(best), best, fallback).astype(np.float32)

    def lexical_scores(self, query: str) -> np.ndarray:
        """BM25 over stemmed words (the peer in `kb eval --compare`), thesaurus tokens at a lower weight."""
        tokens = self.lexical.analyzer.tokens(query, restore=True)
        return _expanded_bm25(self.lexical, tokens, self.thesaurus.expand(query, tokens) if self.thesaurus else [])

    def ngram_scores(self, query: str) -> np.ndarray:
        """BM25 over character n-grams, with the thesaurus' terms at a lower weight."""
        terms = self.thesaurus_terms(query)
        return _expanded_bm25(self.ngram_lexical, char_ngrams(self.lexical.analyzer.restore_text(query)),
                              char_ngrams(" ".join(terms)) if terms else [])

    def context(self, hit: Hit, window: int = 1500) -> dict:
        """The hit's section around it, for "Vis i kilden"."""
        text = self.document_text(hit.source)
        same = [c for c in self.chunks if c.source == hit.source and c.section_path == hit.section]
        sec_start = min((c.start for c in same), default=hit.start)
        sec_end = max((c.end for c in same), default=hit.end)
        before_start = max(sec_start, hit.start - window)
        after_end = min(sec_end, hit.end + window)
        return {
            "section": hit.section,
            "before": ("… " if before_start > sec_start else "") + text[before_start : hit.start],
            "passage": text[hit.start : hit.end],
            "after": text[hit.end : after_end] + (" …" if after_end < sec_end else ""),
        }

    def document_text(self, source_id: str) -> str:
        """A source's cleaned text, read once: the app shows every hit's context on each rerun."""
        text = self._documents.get(source_id)
        if text is None:
            path = self.index_dir / "docs" / f"{source_id}.txt"
            if not path.exists():
                raise KbError(f"Ukendt kilde {source_id!r}.")
            text = self._documents.setdefault(source_id, path.read_text(encoding="utf-8"))
        return text

    # -- internals ----------------------------------------------------------------------

    def _mask(self, kilder: list[str] | None) -> np.ndarray:
        if not kilder:
            return np.ones(len(self.chunks), dtype=bool)
        known = {s.id for s in self.sources}
        unknown = [k for k in kilder if k not in known]
        if unknown:
            raise KbError(
                f"Ukendt kilde: {', '.join(unknown)}. Kendte kilder: {', '.join(sorted(known))}."
            )
        wanted = set(kilder)
        return np.array([c.source in wanted for c in self.chunks], dtype=bool)

    def _reference_boost(self, query: str) -> np.ndarray:
        """Boost of each passage for the query's exact references it contains (share of them, by kind)."""
        refs = set(reference_tokens(query))
        out = np.zeros(len(self.chunks), dtype=np.float32)
        if not refs:
            return out
        paragraph = REFERENCE_BOOST if not _REFERENCE_ONLY.sub("", query) else PARAGRAPH_REFERENCE_BOOST
        weight = {r: REFERENCE_BOOST if r.startswith("ind") else paragraph for r in refs}
        for i, toks in enumerate(self.chunk_refs):
            shared = refs & toks
            if shared:
                out[i] = sum(weight[r] for r in shared) / len(refs)
        return out

    def _authority_weight(self, query: str) -> float:
        """The authoritative sources' prior for this question: none when it names research, double when
        it asks in the supervision's own terms."""
        text = fold_danish(query)
        if self.research_words.search(text):
            return 0.0
        if _ASSESSMENT_WORDS.search(text):
            return AUTHORITY_BOOST + ASSESSMENT_AUTHORITY_BOOST
        return AUTHORITY_BOOST

    def _restating(self, scores: np.ndarray) -> np.ndarray:
        """1 for a summary passage among the first candidates while its source's body is there too."""
        top = [int(i) for i in np.argsort(-scores, kind="stable")[:SUMMARY_CANDIDATES] if np.isfinite(scores[i])]
        bodies = {self.chunks[i].source for i in top if not self.summary[i]}
        out = np.zeros(len(self.chunks), dtype=np.float32)
        for i in top:
            if self.summary[i] and self.chunks[i].source in bodies:
                out[i] = 1.0
        return out

    def _hit(
        self, rank: int, i: int, score: float, query: str, sims: np.ndarray | None, asked: np.ndarray | None = None
    ) -> Hit:
        c = self.chunks[i]
        src = self.source(c.source)
        return Hit(
            rank=rank,
            score=score,
            source=c.source,
            title=src.title,
            section=SECTION_SEP.join(c.section),
            page=c.page,
            page_end=c.page_end,
            text=c.text,
            citation=src.citation(cited_section(c, self.ambiguous_leaves), c.page, c.page_end),
            chunk_id=c.id,
            start=c.start,
            end=c.end,
            best_sentence=self._best_sentence(i, query, sims, asked),
        )

    def _best_sentence(self, i: int, query: str, sims: np.ndarray | None, asked: np.ndarray | None) -> str | None:
        """The sentence that answers best: its similarity to the query, blended with that of the nearest
        question quoting it (its anchor); without sentence vectors, word overlap."""
        text = self.chunks[i].text
        if sims is not None:
            rows = np.nonzero(self.sentences["chunk"] == i)[0]
            if len(rows):
                score = sims[rows]
                if asked is not None:
                    score = self._blend_anchored(i, rows, score, asked)
                spans = [text[int(self.sentences["start"][r]) : int(self.sentences["end"][r])].strip() for r in rows]
                score = np.where(says_nothing(spans), -np.inf, score)
                return spans[int(np.argmax(score))]
        return self._best_sentence_lexical(text, query)

    def _blend_anchored(self, i: int, rows: np.ndarray, score: np.ndarray, asked: np.ndarray) -> np.ndarray:
        """A passage's sentence scores blended with the best similarity among the questions whose anchor
        each sentence holds (BEST_SENTENCE_QUESTION_WEIGHT); a sentence no question quotes keeps its own."""
        mine = np.nonzero(self.questions["chunk"] == i)[0]
        quoted = np.full(len(rows), -np.inf, dtype=np.float32)
        where = np.searchsorted(rows, self.questions["sentence"][mine])
        hit = (where < len(rows)) & (rows[np.minimum(where, len(rows) - 1)] == self.questions["sentence"][mine])
        np.maximum.at(quoted, where[hit], asked[mine[hit]])
        quoted = np.where(np.isfinite(quoted), quoted, score)
        return (1 - BEST_SENTENCE_QUESTION_WEIGHT) * score + BEST_SENTENCE_QUESTION_WEIGHT * quoted

    def _best_sentence_lexical(self, text: str, query: str) -> str | None:
        analyzer = self.lexical.analyzer
        q = set(analyzer.tokens(query, restore=True))
        best, best_score = None, 0.0
        sents = [text[a:b] for a, b in split_sentences(text)]
        for sent, quiet in zip(sents, says_nothing(sents), strict=True):
            toks = set(analyzer.tokens(sent))
            if not toks or quiet:
                continue
            score = len(q & toks) / (1 + 0.02 * len(toks))
            if score > best_score:
                best, best_score = sent.strip(), score
        return best


def validate_query(query: str) -> str:
    if query is None or not str(query).strip():
        raise KbError("Skriv et spørgsmål eller nogle søgeord – søgningen var tom.")
    query = str(query).strip()
    if len(query) > MAX_QUERY_CHARS:
        raise KbError(
            f"Spørgsmålet er for langt ({len(query)} tegn). Skriv højst {MAX_QUERY_CHARS} tegn, "
            "fx det centrale spørgsmål eller nogle få søgeord."
        )
    return query


def _expanded_bm25(index: LexicalIndex, tokens: list[str], expansion: list[str]) -> np.ndarray:
    """BM25 of the query's own tokens plus its thesaurus expansion at EXPANSION_WEIGHT."""
    scores = index.scores(tokens)
    if expansion and EXPANSION_WEIGHT:
        scores = scores + EXPANSION_WEIGHT * index.scores(expansion)
    return scores


def _is_apparatus(chunk: Chunk) -> bool:
    """A reference list or search protocol (by its headings), or a boolean search string."""
    return any(_APPARATUS_HEADING.search(h.strip()) for h in chunk.section) or (
        len(_BOOLEAN_OPERATOR.findall(chunk.text)) >= 3
    )


def _question_form(text: str) -> str:
    """Capital first letter and a closing mark, as the questions e5 learned from are written.

    People type "hvad tæller som særligt tilbud" for "Hvad tæller som særligt tilbud?": lower case
    cost dev MRR 0.633 → 0.606 and a dropped question mark 0.633 → 0.622; keyword queries are
    ranked the same with or without the mark.
    """
    text = text[:1].upper() + text[1:] if text[:1].islower() else text
    return text if text.endswith(("?", ".", "!", ":")) else f"{text}?"


def _minmax(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    vals = x[mask]
    if vals.size == 0:
        return np.zeros_like(x, dtype=np.float32)
    lo, hi = float(vals.min()), float(vals.max())
    if hi - lo < 1e-9:
        return np.zeros_like(x, dtype=np.float32)
    return ((x - lo) / (hi - lo)).astype(np.float32)
