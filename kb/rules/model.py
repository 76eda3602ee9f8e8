"""The Kvalitetsmodel and the tilbudstype catalogue, loaded from kb/data as plain dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kb.errors import KbError
from kb.rules import text
from kb.rules.kilder import load_data, model_kilde

PRIVAT_MED_BESTYRELSE = "privat_med_bestyrelse"


@dataclass(frozen=True)
class NotePunkt:
    """One bullet of a note printed as a list, with the tilbudstyper that bullet names."""

    tekst: str
    tilbudstyper: list[str]


@dataclass(frozen=True)
class Note:
    """An applicability note ("gælder ikke …" / "gælder kun …") quoted as printed."""

    kind: str  # "gaelder_ikke" | "gaelder_kun"
    tilbudstyper: list[str]  # tilbudstype ids, or the property "privat_med_bestyrelse"
    citat: str
    section: str = ""
    punkter: list[NotePunkt] = field(default_factory=list)

    @property
    def indledning(self) -> str:
        """The note's lead-in line for list notes ("Indikator 3.c. gælder ikke:"), else the whole note."""
        return self.citat.splitlines()[0] if self.punkter else self.citat

    def kilde(self) -> dict:
        return model_kilde(self.section, self.citat)


@dataclass(frozen=True)
class Indikator:
    id: str
    tekst: str
    kriterium_id: str
    tema_navn: str
    noter: list[Note] = field(default_factory=list)
    section: str = ""
    kilde_betegnelse: str = ""  # how the source labels it ("Kriterium 7.a" for 7.a)

    @property
    def betegnelse(self) -> str:
        return f"Indikator {self.id}"

    def kilde(self) -> dict:
        return model_kilde(self.section, f"{self.kilde_betegnelse}: {self.tekst}")


@dataclass(frozen=True)
class Kriterium:
    id: str
    tekst: str
    indikatorer: list[Indikator]
    tema_navn: str = ""
    section: str = ""

    def kilde(self) -> dict:
        return model_kilde(self.section, f"Kriterium {self.id}: {self.tekst}")


@dataclass(frozen=True)
class Tema:
    navn: str
    beskrivelse: str
    kriterier: list[Kriterium]
    noter: list[Note] = field(default_factory=list)
    section: str = ""

    def indikatorer(self) -> list[Indikator]:
        return [i for k in self.kriterier for i in k.indikatorer]


_INDIKATOR_ID = re.compile(r"^(?:indikator|kriterium)?\s*(\d{1,2})\s*\.?\s*([a-z])\.?$")
_KRITERIUM_ID = re.compile(r"^(?:kriterium|kriterie)?\s*(\d{1,2})\.?$")


@dataclass(frozen=True)
class Kvalitetsmodel:
    temaer: list[Tema]
    meta: dict = field(default_factory=dict, repr=False)

    def indikatorer(self) -> list[Indikator]:
        return [i for t in self.temaer for i in t.indikatorer()]

    def kriterier(self) -> list[Kriterium]:
        return [k for t in self.temaer for k in t.kriterier]

    def indikator(self, id: str) -> Indikator:
        """Look up '1.b' (also '1b', '1. b', 'Indikator 1.b'); unknown ids are a Danish KbError."""
        m = _INDIKATOR_ID.match(str(id).strip().lower())
        key = f"{m.group(1)}.{m.group(2)}" if m else None
        for ind in self.indikatorer():
            if ind.id == key:
                return ind
        known = ", ".join(i.id for i in self.indikatorer())
        raise KbError(f"Ukendt indikator »{id}«. Kvalitetsmodellens indikatorer er: {known}.")

    def kriterium(self, id: str) -> Kriterium:
        m = _KRITERIUM_ID.match(str(id).strip().lower())
        key = m.group(1) if m else None
        for k in self.kriterier():
            if k.id == key:
                return k
        known = ", ".join(k.id for k in self.kriterier())
        raise KbError(f"Ukendt kriterium »{id}«. Kvalitetsmodellens kriterier er: {known}.")

    def tema(self, navn: str) -> Tema:
        for t in self.temaer:
            if t.navn.lower() == str(navn).strip().lower():
                return t
        known = ", ".join(t.navn for t in self.temaer)
        raise KbError(f"Ukendt tema »{navn}«. Kvalitetsmodellens temaer er: {known}.")


def _note(raw: dict, section: str) -> Note:
    punkter = [NotePunkt(p["tekst"], list(p["tilbudstyper"])) for p in raw.get("punkter", [])]
    ids = list(raw.get("tilbudstyper") or [t for p in punkter for t in p.tilbudstyper])
    return Note(raw["kind"], ids, raw["citat"], section, punkter)


@lru_cache(maxsize=1)
def load_model() -> Kvalitetsmodel:
    """The Kvalitetsmodel from kb/data/kvalitetsmodel.yaml (cached; treat as read-only)."""
    data = load_data("kvalitetsmodel.yaml")
    temaer = []
    for t in data["temaer"]:
        section = t["section"]
        kriterier = []
        for k in t["kriterier"]:
            indikatorer = [
                Indikator(
                    id=i["id"],
                    tekst=i["tekst"],
                    kriterium_id=k["id"],
                    tema_navn=t["navn"],
                    noter=[_note(n, section) for n in i.get("noter") or []],
                    section=section,
                    kilde_betegnelse=i.get("kilde_betegnelse", f"Indikator {i['id']}"),
                )
                for i in k["indikatorer"]
            ]
            kriterier.append(Kriterium(k["id"], k["tekst"], indikatorer, t["navn"], section))
        noter = [_note(n, section) for n in t.get("noter") or []]
        temaer.append(Tema(t["navn"], t["beskrivelse"], kriterier, noter, section))
    meta = {key: value for key, value in data.items() if key != "temaer"}
    return Kvalitetsmodel(temaer, meta)


# ---------------------------------------------------------------------------------------------------
# Tilbudstyper


@dataclass(frozen=True)
class Tilbudstype:
    id: str
    navn: str
    hjemmel: str
    aliaser: list[str]
    under: list[str] = field(default_factory=list)  # broader tilbudstyper this one is a kind of
    kilde_data: dict = field(default_factory=dict, repr=False)

    def kilde(self) -> dict:
        return model_kilde(self.kilde_data["section"], self.kilde_data["citat"])

    def to_json(self) -> dict:
        return {"id": self.id, "navn": self.navn, "hjemmel": self.hjemmel}

    @property
    def label(self) -> str:
        return f"{self.navn} ({self.hjemmel[0].lower()}{self.hjemmel[1:]})"


@lru_cache(maxsize=1)
def tilbudstyper() -> list[Tilbudstype]:
    """The catalogue from kb/data/tilbudstyper.yaml."""
    return [
        Tilbudstype(t["id"], t["navn"], t["hjemmel"], list(t["aliaser"]), list(t.get("under") or []), t["kilde"])
        for t in load_data("tilbudstyper.yaml")["tilbudstyper"]
    ]


@lru_cache(maxsize=1)
def egenskaber() -> dict[str, dict]:
    return {e["id"]: e for e in load_data("tilbudstyper.yaml")["egenskaber"]}


def tilbudstype(id: str) -> Tilbudstype:
    for t in tilbudstyper():
        if t.id == id:
            return t
    raise KeyError(id)


def ancestors(id: str) -> set[str]:
    """The broader tilbudstyper ``id`` is a kind of (transitively), not including itself."""
    out: set[str] = set()
    todo = list(tilbudstype(id).under)
    while todo:
        parent = todo.pop()
        if parent not in out:
            out.add(parent)
            todo.extend(tilbudstype(parent).under)
    return out


def descendants(id: str) -> set[str]:
    return {t.id for t in tilbudstyper() if id in ancestors(t.id)}


@lru_cache(maxsize=1)
def _alias_phrases() -> text.PhraseSet:
    return text.PhraseSet((t.id, alias) for t in tilbudstyper() for alias in t.aliaser)


# Words too common in the aliases to suggest a candidate on their own.
_WEAK_TOKENS = frozenset(
    {"efter", "servicelovens", "sundhedslovens", "for", "og", "med", "stk", "nr", "boern", "unge", "tilbud"}
)


def find_tilbudstyper(question: str) -> list[Tilbudstype]:
    """Tilbudstyper a text names, narrowed as resolve_tilbudstype does; [] if none. Never raises."""
    ids = text.keys(text.find_longest(_alias_phrases(), text.tokens(question)))
    return [tilbudstype(i) for i in _most_specific(ids)]


def _most_specific(ids: list[str]) -> list[str]:
    """Drop a candidate when a narrower candidate is also named ("døgninstitution … aflastning")."""
    return [i for i in ids if not any(i in ancestors(other) for other in ids if other != i)]


def _candidates_text(cands: list[Tilbudstype]) -> str:
    return "\n".join(f"  - {t.id}: {t.label}" for t in cands)


def resolve_tilbudstype(value: str) -> Tilbudstype:
    """Free text or an id -> one Tilbudstype. Ambiguous or unknown text is a KbError listing candidates."""
    raw = (value or "").strip()
    if not raw:
        raise KbError("Angiv en tilbudstype, fx »krisecenter«, »§ 110« eller »sikret døgninstitution«.")
    for t in tilbudstyper():
        if raw.lower() == t.id:
            return t
    toks = text.tokens(raw)
    ids = _most_specific(text.keys(text.find_longest(_alias_phrases(), toks)))
    if len(ids) == 1:
        return tilbudstype(ids[0])
    if ids:
        cands = [tilbudstype(i) for i in ids]
        raise KbError(
            f"Tilbudstypen »{raw}« er tvetydig. Mulige tilbudstyper:\n{_candidates_text(cands)}\n"
            "Skriv en mere præcis betegnelse eller brug id'et."
        )
    informative = {t for t in toks if (t.isdigit() or len(t) >= 4) and t not in _WEAK_TOKENS}
    partial = [
        t
        for t in tilbudstyper()
        if any(
            any(
                text._token_matches(tok, a) or text._token_matches(a, tok) or (len(tok) >= 5 and tok in a)
                for a in text.tokens(alias)
            )
            for alias in t.aliaser
            for tok in informative
        )
    ]
    if partial:
        raise KbError(
            f"Tilbudstypen »{raw}« kan ikke afgøres entydigt. Mulige tilbudstyper:\n"
            f"{_candidates_text(partial)}\nSkriv en mere præcis betegnelse eller brug id'et."
        )
    raise KbError(
        f"Ukendt tilbudstype »{raw}«. Kendte tilbudstyper:\n{_candidates_text(tilbudstyper())}\n"
        "Skriv en af betegnelserne eller brug id'et."
    )
