"""The source manifest (``kilder/kilder.toml``): what each document is and how to cite it."""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from kb import paths
from kb.errors import KbError

MANIFEST_NAME = "kilder.toml"
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# A table's or figure's caption as a section ("Bilagstabel 8.1 Mentorordninger i regi af jobcenter").
_TABLE_SECTION = re.compile(r"^((?:Bilags)?(?:[Tt]abel|[Tt]ablet|[Ff]igur)\s+[A-Z]?\d+(?:\.\d+)*)\.?\s+(.+)$")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    file: str
    year: int | None = None
    authors: list[str] = field(default_factory=list)
    edition: str | None = None
    subtitle: str | None = None
    published: str | None = None
    isbn: str | None = None
    toc_pages: bool = False
    structure: str | None = None
    authoritative: bool = False

    def path(self, kilder_dir: Path | None = None) -> Path:
        return (kilder_dir or paths.kilder_dir()) / self.file

    def citation(self, section: str | None = None, page: int | None = None, page_end: int | None = None) -> str:
        """Danish reference style: Udgiver/forfattere (år): Titel, udgave, afsnit »…« (or "Tabel 2.1 »…«"), s. N."""
        who = _join_names(self.authors) if self.authors else self.publisher
        parts = [f"{who} ({self.year})" if self.year else who]
        tail = [self.title]
        if self.edition:
            tail.append(self.edition)
        if self.authors:
            tail.append(self.publisher)
        if section:
            # A table or figure is cited by its number and title, the way the source refers to it.
            table = _TABLE_SECTION.match(section)
            tail.append(f"{table[1]} »{table[2]}«" if table else f"afsnit »{section}«")
        if page is not None:
            tail.append(f"s. {page}–{page_end}" if page_end and page_end != page else f"s. {page}")
        return f"{parts[0]}: {', '.join(tail)}."


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def manifest_path(kilder_dir: Path | None = None) -> Path:
    return (kilder_dir or paths.kilder_dir()) / MANIFEST_NAME


def _entry_label(i: int, raw: dict) -> str:
    return f"kilde nr. {i + 1}" + (f" ({raw['id']!r})" if isinstance(raw.get("id"), str) else "")


def _parse_entry(i: int, raw: dict, kilder_dir: Path) -> Source:
    label = _entry_label(i, raw)
    for key in ("id", "titel", "udgiver", "fil"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise KbError(f"Fejl i {MANIFEST_NAME}, {label}: feltet '{key}' mangler eller er tomt.")
    if not _ID_RE.match(raw["id"]):
        raise KbError(
            f"Fejl i {MANIFEST_NAME}, {label}: id må kun indeholde små bogstaver a-z, tal, - og _ "
            "(højst 40 tegn)."
        )
    year = raw.get("aar")
    if year is not None and not (isinstance(year, int) and 1800 <= year <= 2200):
        raise KbError(f"Fejl i {MANIFEST_NAME}, {label}: 'aar' skal være et årstal, fx 2024.")
    authors = raw.get("forfattere", [])
    if not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        raise KbError(f"Fejl i {MANIFEST_NAME}, {label}: 'forfattere' skal være en liste af navne.")
    file = raw["fil"]
    if Path(file).name != file:
        raise KbError(f"Fejl i {MANIFEST_NAME}, {label}: 'fil' skal være et filnavn i kilder/, ikke en sti.")
    if Path(file).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise KbError(f"Fejl i {MANIFEST_NAME}, {label}: filtypen skal være PDF, .txt eller .md.")
    if not (kilder_dir / file).is_file():
        raise KbError(f"Fejl i {MANIFEST_NAME}, {label}: filen '{file}' findes ikke i {kilder_dir}.")
    return Source(
        id=raw["id"],
        title=raw["titel"].strip(),
        publisher=raw["udgiver"].strip(),
        file=file,
        year=year,
        authors=list(authors),
        edition=raw.get("udgave"),
        subtitle=raw.get("undertitel"),
        published=raw.get("udgivet"),
        isbn=raw.get("isbn"),
        toc_pages=bool(raw.get("toc_sider", False)),
        structure=raw.get("struktur"),
        authoritative=bool(raw.get("autoritativ", False)),
    )


def load_manifest(kilder_dir: Path | None = None) -> list[Source]:
    kilder_dir = kilder_dir or paths.kilder_dir()
    path = manifest_path(kilder_dir)
    if not path.is_file():
        raise KbError(f"Kildefortegnelsen {path} findes ikke. Opret den med en [[kilde]]-blok pr. dokument.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise KbError(f"{MANIFEST_NAME} kan ikke læses (TOML-fejl: {e}). Ret filen og prøv igen.") from e
    entries = data.get("kilde", [])
    if not isinstance(entries, list):
        raise KbError(f"{MANIFEST_NAME}: kilderne skal stå som [[kilde]]-blokke.")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(entries):
        src = _parse_entry(i, raw, kilder_dir)
        if src.id in seen:
            raise KbError(
                f"Fejl i {MANIFEST_NAME}: id {src.id!r} bruges både af kilde nr. {seen[src.id] + 1} "
                f"og kilde nr. {i + 1}. Hvert id skal være unikt."
            )
        seen[src.id] = i
        sources.append(src)
    return sources


def get_source(source_id: str, kilder_dir: Path | None = None) -> Source:
    for src in load_manifest(kilder_dir):
        if src.id == source_id:
            return src
    raise KbError(f"Ukendt kilde {source_id!r}.")


def sanitize_filename(name: str) -> str:
    """Keep a safe, readable file name: no paths, only [A-Za-z0-9._-], Danish letters folded."""
    base = Path(name).name
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe"), ("Å", "Aa")):
        base = base.replace(a, b)
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:110] or "kilde"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix)[:8]
    return f"{stem}.{suffix}" if suffix else stem


def _slug(text: str) -> str:
    return sanitize_filename(text.lower()).replace(".", "-")[:40].strip("-_") or "kilde"


def add_source(
    path: Path,
    titel: str,
    udgiver: str,
    aar: int | None,
    id: str | None = None,
    forfattere: list[str] | None = None,
    udgave: str | None = None,
    kilder_dir: Path | None = None,
) -> Source:
    """Copy a document into kilder/ and append its manifest entry; nothing is written on bad input."""
    kilder_dir = kilder_dir or paths.kilder_dir()
    path = Path(path)
    if not path.is_file():
        raise KbError(f"Filen {path} findes ikke.")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise KbError("Kun PDF-, .txt- og .md-filer kan tilføjes som kilder.")
    if not titel or not titel.strip():
        raise KbError("Angiv en titel for kilden (--titel).")
    if not udgiver or not udgiver.strip():
        raise KbError("Angiv en udgiver for kilden (--udgiver).")
    if aar is not None and not 1800 <= aar <= 2200:
        raise KbError("Årstallet skal være et år som fx 2024.")
    existing = load_manifest(kilder_dir)
    source_id = id or _slug(Path(path).stem)
    if not _ID_RE.match(source_id):
        raise KbError("Id må kun indeholde små bogstaver a-z, tal, - og _ (højst 40 tegn).")
    if any(s.id == source_id for s in existing):
        raise KbError(f"Der findes allerede en kilde med id {source_id!r}. Vælg et andet id (--id).")
    filename = sanitize_filename(path.name)
    if path.suffix.lower() != Path(filename).suffix.lower():
        filename = f"{Path(filename).stem}{path.suffix.lower()}"
    target = kilder_dir / filename
    if any(s.file == filename for s in existing) or (
        target.exists() and target.resolve() != path.resolve()
    ):
        raise KbError(f"Der findes allerede en fil med navnet {filename} i kilder/. Omdøb filen først.")
    entry: dict = {"id": source_id, "titel": titel.strip(), "udgiver": udgiver.strip()}
    if forfattere:
        entry["forfattere"] = [f.strip() for f in forfattere if f.strip()]
    if aar is not None:
        entry["aar"] = aar
    if udgave:
        entry["udgave"] = udgave.strip()
    entry["fil"] = filename
    if target.resolve() != path.resolve():
        shutil.copyfile(path, target)
    manifest = manifest_path(kilder_dir)
    with manifest.open("a", encoding="utf-8") as f:
        f.write("\n" + tomli_w.dumps({"kilde": [entry]}))
    return get_source(source_id, kilder_dir)
