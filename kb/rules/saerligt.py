"""Does a described activity count for indikator 1.b? The vejledning's delimitation, evaluated.

Phrases and quotes are data (saerlige_tilbud.yaml, vejledning.yaml); the order below is the rule:
1. særlige beskæftigelsestilbud for unge efter beskæftigelseslovgivningen: no longer count (2. udg.);
2. children: a dag- or grundskoletilbud outside the tilbud counts, care or teaching by the mothers or the
   krisecenter does not;
3. temporarily absent from work or education: counts as being in it;
4. a formal legal frame (STU, specialundervisning for voksne, VEU, § 103, § 104): counts, also when the
   tilbud itself runs it;
5. the tilbud's own activities (own teaching, recovery-skole/-kurser, social, creative or physical
   activities, ADL-træning): do not count;
6. ordinary work and education: count whatever the extent (grundskole excepted);
7. anything vaguer: cannot be decided, and the answer says what to find out.
"""

from __future__ import annotations

from functools import cache, lru_cache

from kb.errors import KbError
from kb.rules import text
from kb.rules.kilder import load_data, vejledning_kilde
from kb.rules.model import load_model

LEGAL_FRAME = ("saerligt_beskaeftigelsestilbud", "samvaers_aktivitetstilbud", "saerligt_uddannelsestilbud")
ORDINARY = ("ordinaer_beskaeftigelse", "ordinaer_uddannelse")
SCHOOL = ("grundskoletilbud", "dagtilbud")
RECOVERY_PREFIX = "recovery"


@lru_cache(maxsize=1)
def _data() -> dict:
    return load_data("saerlige_tilbud.yaml")


@lru_cache(maxsize=1)
def _kategorier() -> dict[str, dict]:
    data = _data()
    return {c["id"]: c for c in data["kategorier"]} | {u["id"]: u for u in data["uafklarede"]}


@lru_cache(maxsize=1)
def _category_phrases() -> text.PhraseSet:
    return text.PhraseSet((cid, p) for cid, c in _kategorier().items() for p in c.get("noegleord") or [])


@cache
def _signal_phrases(name: str) -> text.PhraseSet:
    return text.PhraseSet((name, p) for p in _data()["signaler"][name])


def kilde_for(key: str) -> dict:
    """A kilde by data key: a vejledning quote, or "kvalitetsmodel:<indikator>" for an indicator text."""
    if key.startswith("kvalitetsmodel:"):
        return load_model().indikator(key.split(":", 1)[1]).kilde()
    return vejledning_kilde(key)


class _Analyse:
    """What a description names: category phrases (negated/intended ones set aside) and signals."""

    def __init__(self, beskrivelse: str):
        self.toks = text.tokens(beskrivelse)
        self.signals = {
            name: [m for m in text.find_longest(_signal_phrases(name), self.toks) if not m.negated]
            for name in _data()["signaler"]
        }
        self.negated_signals = {
            name: [m for m in text.find_longest(_signal_phrases(name), self.toks) if m.negated]
            for name in _data()["signaler"]
        }
        found = text.find_longest(_category_phrases(), self.toks)
        meta = self.signals["meta"]
        found = [m for m in found if not any(m.start >= x.start and m.end <= x.end for x in meta)]
        own_care = self.signals["egen_pasning"]
        found = [m for m in found if not (m.key in SCHOOL and any(m.overlaps(x) for x in own_care))]
        hensigt = self.signals["hensigt"]
        self.intended = [m for m in found if not m.negated and any(0 <= m.start - h.end <= 4 for h in hensigt)]
        self.matches = [m for m in found if not m.negated and m not in self.intended]

    def has(self, signal: str) -> bool:
        return bool(self.signals[signal])

    def cats(self, *ids: str) -> list[text.Match]:
        return [m for m in self.matches if m.key in ids]

    def first(self, *ids: str) -> text.Match | None:
        found = sorted(self.cats(*ids), key=lambda m: m.start)
        return found[0] if found else None

    def egen_regi(self) -> bool:
        """The tilbud runs it: an explicit phrase, or a place in the tilbud right after an activity word."""
        if self.has("egen_regi"):
            return True
        activity = self.signals["arbejdslignende"] + self.signals["undervisning"] + self.cats("egne_aktiviteter")
        return any(0 <= s.start - a.end <= 3 for s in self.signals["egen_sted"] for a in activity)


@lru_cache(maxsize=128)
def _analyse(beskrivelse: str) -> _Analyse:
    """Cached: rule_cards asks about the same question several times. Treat the result as read-only."""
    return _Analyse(beskrivelse)


def _result(beskrivelse, omfattet, kategori_id, begrundelse, kilder, hvad=None) -> dict:
    kat = _kategorier()[kategori_id]
    kilde_list = [kilde_for(k) for k in dict.fromkeys(kilder)]
    out = {
        "beskrivelse": beskrivelse,
        "omfattet": omfattet,
        "kategori": kat["navn"],
        "kategori_id": kategori_id,
        "begrundelse": begrundelse,
        "kilde": kilde_list[0],
        "kilder": kilde_list,
    }
    if omfattet is None:
        out["hvad_undersoeges"] = hvad or kat["hvad_undersoeges"]
    return out


def _uafklaret(beskrivelse: str, uid: str, begrundelse: str) -> dict:
    kat = _kategorier()[uid]
    return _result(beskrivelse, None, uid, begrundelse, [kat["kilde"]])


def saerligt_tilbud(beskrivelse: str) -> dict:
    """Classify a described activity for indikator 1.b: omfattet True / False / None (cannot be decided)."""
    if not beskrivelse or not beskrivelse.strip():
        raise KbError(
            "Beskriv aktiviteten, fx »Borgeren går på en recovery-skole, som botilbuddet selv driver« "
            "eller »beskyttet beskæftigelse efter § 103«."
        )
    return _decide(beskrivelse.strip(), _analyse(beskrivelse))


def _decide(b: str, a: _Analyse) -> dict:
    kats = _kategorier()

    # 1. Unge-tilbud efter beskæftigelseslovgivningen: removed in the 2. udgave.
    if a.cats("unge_beskaeftigelseslov"):
        return _result(
            b,
            False,
            "unge_beskaeftigelseslov",
            "Særlige beskæftigelsestilbud for unge efter beskæftigelseslovgivningen tæller ikke længere: "
            "2. udgave af vejledningen (2024) har fjernet dem fra de tilbud, der bør tillægges vægt ved "
            "bedømmelsen af indikator 1.b.",
            ["udgave_unge", "alene_ovenstaaende"],
        )

    # 2. Children (medfølgende børn on adult services, or children in the tilbud).
    if a.has("barn"):
        school = a.first(*SCHOOL)
        medfoelgende = a.has("medfoelgende")
        if school:
            navn = kats[school.key]["navn"].lower()
            if a.has("fravaer"):
                return _result(
                    b,
                    True,
                    school.key,
                    f"Barnet har et {navn}, som det under opholdet er midlertidigt fraværende fra; det anses "
                    "som at være i dag- eller skoletilbud.",
                    ["medfoelgende_fravaer", "medfoelgende_boern"],
                )
            if school.key == "grundskoletilbud" and a.has("nedsat_omfang"):
                return _uafklaret(
                    b,
                    "grundskole_omfang",
                    "Barnet går i et grundskoletilbud, men beskrivelsen angiver et nedsat omfang, og for "
                    "grundskoletilbud er omfanget fastsat ved lov.",
                )
            return _result(
                b,
                True,
                school.key,
                f"Barnet går i et {navn} ({school.phrase}) inden for lovgivningens rammer uden for tilbuddet. "
                + (
                    "Medfølgende børn på voksentilbud skal være i dag- eller grundskoletilbud, og almene eller "
                    "særlige dag- og skoletilbud uden for fx krisecentret tæller."
                    if medfoelgende
                    else "Indikator 1.b nævner dagtilbud og grundskoletilbud direkte."
                ),
                ["medfoelgende_boern", "ib_rammer"] if medfoelgende else ["kvalitetsmodel:1.b"],
            )
        if a.has("egen_pasning"):
            return _result(
                b,
                False,
                "medfoelgende_egen_pasning",
                "Pasning eller undervisning, som mødrene eller krisecentret selv forestår, vægtes ikke ved "
                "bedømmelsen af indikator 1.b. Kun dag- eller skoletilbud uden for krisecentret tæller.",
                ["medfoelgende_boern"],
            )
        if not a.matches:
            return _uafklaret(
                b,
                "boern_uafklaret",
                "Beskrivelsen handler om et barn, men siger ikke, om barnet er i et dag- eller skoletilbud "
                "uden for tilbuddet.",
            )

    # 3. Temporarily absent from work or education.
    if a.has("fravaer"):
        activity = a.cats(*LEGAL_FRAME, *ORDINARY, "grundskoletilbud")
        if a.negated_signals["vende_tilbage"] or not activity:
            return _uafklaret(
                b,
                "fravaer_uafklaret",
                "Beskrivelsen nævner fravær, men ikke en uddannelse eller beskæftigelse, som borgeren kan vende "
                "tilbage til."
                if not activity
                else "Beskrivelsen siger, at borgeren ikke kan vende tilbage til uddannelsen eller arbejdet.",
            )
        return _result(
            b,
            True,
            "midlertidigt_fravaer",
            "Borgeren er midlertidigt fraværende fra sin uddannelse eller beskæftigelse (fx på grund af "
            "opholdet, behandlingen, orlov, sygemelding eller indlæggelse) og betragtes derfor som værende i "
            "uddannelse eller beskæftigelse, når borgeren kan vende tilbage.",
            ["midlertidigt_fravaer"],
        )

    own = a.egen_regi()

    # 4. A formal legal frame counts, even when the tilbud runs it.
    frame = a.first(*LEGAL_FRAME)
    if frame:
        kat = kats[frame.key]
        begrundelse = (
            f"»{frame.phrase}« er et {kat['navn'][0].lower()}{kat['navn'][1:]} inden for lovgivningens "
            "rammer, som vejledningen nævner blandt de tilbud, der bør tillægges vægt ved bedømmelsen af "
            "indikator 1.b."
        )
        kilder = [kat["kilde"], "alene_ovenstaaende"]
        if own or a.cats("egne_aktiviteter"):
            begrundelse += (
                " At tilbuddet selv står for aktiviteten ændrer ikke det: tilbuddets egne aktiviteter tæller, "
                "når de ligger inden for en formel lovgivningsmæssig ramme som § 103 eller § 104."
            )
            kilder.append("egne_undtagelse")
        return _result(b, True, frame.key, begrundelse, kilder)

    # 5. The tilbud's own activities.
    ordinary = a.first(*ORDINARY)
    own_acts = a.cats("egne_aktiviteter")
    own_teaching = own and a.has("undervisning")
    if own_acts or own_teaching:
        what = own_acts[0].phrase if own_acts else "undervisning, som tilbuddet selv har etableret"
        if ordinary and not own:
            kat = kats[ordinary.key]
            return _result(
                b,
                True,
                ordinary.key,
                f"»{ordinary.phrase}« er {kat['navn'].lower()} og tæller på indikator 1.b. "
                f"»{what}« tæller derimod ikke, fordi det er en aktivitet af den slags, tilbuddene selv "
                "iværksætter.",
                [kat["kilde"], "egne_aktiviteter"],
            )
        recovery = any(m.phrase.lower().startswith(RECOVERY_PREFIX) for m in own_acts)
        if recovery and a.has("ekstern_regi") and not own:
            return _uafklaret(
                b,
                "ekstern_recovery",
                "Recovery-skoler og -kurser tæller ikke, når tilbuddet selv iværksætter dem. Denne ligger uden "
                "for tilbuddet, så det afgørende er, om den ligger inden for en formel lovgivningsmæssig ramme.",
            )
        return _result(
            b,
            False,
            "egne_aktiviteter",
            f"»{what}« er en aktivitet af den slags, sociale tilbud selv iværksætter (undervisning, tilbuddet "
            "selv har etableret, recovery-skole/-kurser, sociale, kreative eller fysiske aktiviteter, "
            "ADL-træning og lignende). Den bør ikke tillægges vægt ved bedømmelsen af indikator 1.b, medmindre "
            "den ligger inden for en formel lovgivningsmæssig ramme, fx § 103 eller § 104. Den kan dog indgå "
            "som et andet forhold i vurderingen af kriteriet.",
            ["egne_aktiviteter", "egne_undtagelse", "egne_relevante"],
        )

    # 6. Vague activities that the vejledning does not settle.
    if a.cats("frivilligt_arbejde"):
        return _uafklaret(
            b, "frivilligt_arbejde", "Frivilligt arbejde er hverken nævnt som uddannelse eller beskæftigelse."
        )
    if a.cats("beskaeftigelsesindsats"):
        return _uafklaret(
            b,
            "beskaeftigelsesindsats",
            "Forløbet kan være et tilbud efter beskæftigelseslovgivningen; vejledningen afgør ikke, om det "
            "tæller.",
        )

    # 7. Ordinary work and education (and grundskole) count whatever the extent.
    ordinary = ordinary or a.first("grundskoletilbud")
    if ordinary:
        kat = kats[ordinary.key]
        if own and a.has("arbejdslignende"):
            return _uafklaret(
                b,
                "egen_regi_arbejde",
                "Arbejdet foregår i tilbuddets eget regi, så det afhænger af rammen: ordinær ansættelse eller "
                "§ 103/§ 104 tæller, en aktivitet tilbuddet selv har iværksat tæller ikke.",
            )
        if ordinary.key == "grundskoletilbud":
            if a.has("nedsat_omfang"):
                return _uafklaret(
                    b,
                    "grundskole_omfang",
                    "Grundskoletilbud med nedsat omfang: for grundskoletilbud er omfanget fastsat ved lov.",
                )
            return _result(
                b,
                True,
                "grundskoletilbud",
                f"»{ordinary.phrase}« er et grundskoletilbud, som indikator 1.b nævner direkte.",
                ["kvalitetsmodel:1.b", "omfang_grundskole"],
            )
        begrundelse = (
            f"»{ordinary.phrase}« er {kat['navn'].lower()}. Ordinære tilbud tæller på indikator 1.b, når de er "
            "inden for rammerne af gældende lovgivning."
        )
        kilder = [kat["kilde"]]
        if a.has("omfang"):
            begrundelse += " Omfanget har ikke betydning: fra få timer om ugen til fuld tid."
            kilder.insert(0, "omfang")
        else:
            kilder.append("omfang")
        return _result(b, True, ordinary.key, begrundelse, kilder)

    if a.intended:
        return _uafklaret(
            b, "hensigt", f"»{a.intended[0].phrase}« nævnes som et mål eller ønske, ikke som noget borgeren er i nu."
        )
    maybe = a.first("muligt_103_104", "dagtilbud")
    if maybe:
        return _uafklaret(
            b,
            "muligt_103_104",
            f"»{maybe.phrase}« kan være et tilbud efter servicelovens § 103 eller § 104, men beskrivelsen siger "
            "ikke, om det ligger inden for en sådan ramme.",
        )
    if a.has("undervisning"):
        return _uafklaret(
            b, "undervisning_uafklaret", "Beskrivelsen nævner undervisning, men ikke hvem der udbyder den."
        )
    if a.has("barn"):
        return _uafklaret(
            b,
            "boern_uafklaret",
            "Beskrivelsen handler om et barn, men siger ikke, om barnet er i et dag- eller skoletilbud uden for "
            "tilbuddet.",
        )
    return _uafklaret(
        b,
        "ukendt",
        "Beskrivelsen nævner ingen uddannelse, beskæftigelse eller samværs- og aktivitetstilbud, som "
        "vejledningens afgrænsning kan afgøre.",
    )


def named_activity(question: str) -> bool:
    """True when a text names an activity, a § or a category the vejledning's delimitation decides.

    Used by rule_cards: specific names (STU, § 103, recovery-skole …) always trigger the card; ordinary
    words (job, uddannelse) only count when the question asks whether something counts.
    """
    a = _analyse(question)
    uafklarede = {u["id"] for u in _data()["uafklarede"]}
    named = [m for m in a.matches if _kategorier()[m.key].get("navngivet") or m.key in uafklarede]
    absent_from_activity = a.has("fravaer") and bool(a.cats(*ORDINARY, *LEGAL_FRAME))
    return bool(named) or absent_from_activity or a.has("egen_pasning")


def mentions_activity(question: str) -> bool:
    """True when the text names any activity at all (ordinary work or education included)."""
    a = _analyse(question)
    return bool(a.matches) or a.has("egen_pasning")


def saerligt_overview() -> dict:
    """What counts for 1.b and what does not, with the special rules, each quoting the vejledning."""
    data = _data()
    omfattet, ikke = [], []
    for c in data["kategorier"]:
        entry = {"kategori": c["navn"], "eksempler": list(c["eksempler"]), "kilde": kilde_for(c["kilde"])}
        (omfattet if c["omfattet"] else ikke).append(entry)
    return {
        "titel": "Hvad tæller som særligt tilbud på indikator 1.b?",
        "omfattet": omfattet,
        "ikke_omfattet": ikke,
        "saerregler": [
            {"titel": r["titel"], "tekst": r["tekst"], "kilde": kilde_for(r["kilde"])} for r in data["saerregler"]
        ],
    }


def practice_descriptions() -> list[str]:
    return list(_data()["oevelser"])
