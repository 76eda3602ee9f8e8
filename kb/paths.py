"""Where the project keeps its sources and index; overridable for tests and scripts."""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def kilder_dir() -> Path:
    return Path(os.environ.get("KB_KILDER", PROJECT_DIR / "kilder"))


def index_dir() -> Path:
    return Path(os.environ.get("KB_INDEKS", PROJECT_DIR / "indeks"))


def cache_dir() -> Path:
    """Embedding cache: outside the committed index so it never bloats the repository."""
    return Path(os.environ.get("KB_CACHE", PROJECT_DIR / ".kb-cache"))
