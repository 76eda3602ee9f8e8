"""Hand-edited JSON Lines files (question sets, the questions a passage answers): read with errors a
user can act on, naming the file and the line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from kb.errors import KbError


def read_jsonl(path: Path, label: str) -> Iterator[tuple[int, object]]:
    """(line number, value) for every non-blank line; ``label`` names the file in the errors."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise KbError(f"{label} er ikke gyldig UTF-8-tekst.") from e
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as e:
            raise KbError(f"{label}, linje {n}: ugyldig JSON ({e.msg}).") from e
