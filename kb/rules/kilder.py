"""Source references ("kilde") and the verbatim check every quote must pass.

A kilde is ``{"source", "section", "page", "citat"}``. The engine builds them from the package data only;
the source texts in ``kilder/`` are read just to verify quotes (tests, ``verify_citat``).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from kb import paths

# Source id -> file in kilder/.
SOURCE_FILES = {
    "kvalitetsmodel": "socialstyrelsen-kvalitetsmodel-socialtilsyn.txt",
    "vejledning": "sbst-2024-vejledning-uddannelse-beskaeftigelse.md",
}


@cache
def load_data(name: str) -> dict:
    """A YAML file from kb/data (package data, so it works from an installed package too)."""
    with resources.files("kb").joinpath("data", name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def make_kilde(source: str, section: str, page: int | None, citat: str) -> dict:
    return {"source": source, "section": section, "page": page, "citat": citat}


def vejledning_kilde(key: str) -> dict:
    """A kilde for a quote from the vejledning, by its key in vejledning.yaml."""
    entry = load_data("vejledning.yaml")["citater"][key]
    return make_kilde("vejledning", entry["section"], entry["page"], entry["citat"])


def model_kilde(section: str, citat: str) -> dict:
    return make_kilde("kvalitetsmodel", section, None, citat)


def nummerering_kilde() -> dict:
    """Why the Kvalitetsmodel's numbering has gaps (criteria, indicators and tema Økonomi removed in 2017)."""
    entry = load_data("kvalitetsmodel.yaml")["nummerering"]
    return model_kilde(entry["section"], entry["citat"])


def norm(text: str) -> str:
    """The comparison form for quotes: NFKC, lowercase, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


@cache
def _source_norm(source: str, kilder_dir: str) -> str:
    path = Path(kilder_dir) / SOURCE_FILES[source]
    return norm(path.read_text(encoding="utf-8"))


def verify_citat(kilde: dict) -> bool:
    """True when the quote stands in its source (after normalising both)."""
    citat = norm(kilde["citat"])
    return bool(citat) and citat in _source_norm(kilde["source"], str(paths.kilder_dir()))
