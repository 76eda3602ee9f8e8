"""Rule cards for a free-text question: which deterministic rules the question names, evaluated.

Triggers are plain data-driven matches (tilbudstype aliases, indicator ids, the særligt-tilbud phrases,
a few topic words); a question that names nothing gets no cards. Works on text typed without æøå.
Every card: ``{"type", "titel", "resultat", "begrundelse", "kilde", "detaljer"}``.
"""

from __future__ import annotations

import re
from functools import cache

from kb.errors import KbError
from kb.rules import text
from kb.rules.applicability import Status, _status, applicability, generelt_kilde
from kb.rules.kilder import model_kilde, nummerering_kilde, vejledning_kilde
from kb.rules.model import Tilbudstype, find_tilbudstyper, load_model
from kb.rules.saerligt import mentions_activity, named_activity, saerligt_overview, saerligt_tilbud
from kb.rules.score import FORBEHOLD, score_1b, taerskler
from kb.rules.spindelvaev import (
    GODKENDELSE_VALG,
    gennemsnit_kilde,
    godkendelse_kilde,
    skala,
    skala_kilde,
    skala_tekst,
    spindelvaev,
)
from kb.text import decimal_comma

SOURCE_TITLES = {
    "kvalitetsmodel": "Socialstyrelsen: Kvalitetsmodel for socialtilsyn (revideret pr. 1. januar 2017)",
    "vejledning": (
        "Social- og Boligstyrelsen: Faglig vejledning om kvalitetsvurdering af tema uddannelse og "
        "beskæftigelse (2. udgave, 2024)"
    ),
}

# Indicator ids as typed: "1.b", "1. b", "1b", "indikator 1 b". § references are removed first.
_PARAGRAPH_REF = re.compile(r"§\s*\d+(\s*,?\s*stk\.?\s*\d+)?(\s*,?\s*nr\.?\s*\d+)?(\s+[a-z]\b)?")
_INDICATOR = re.compile(
    r"(?<![\d.,])(?:(\d{1,2})\s?\.\s?([a-f])|(\d{1,2})([a-f])|indikator(?:en)?\s+(\d{1,2})\s+([a-f]))(?![a-z0-9])"
)

_TOPICS = {
    "oversigt": [
        "særligt tilbud", "særlige tilbud", "særligt uddannelsestilbud", "særlige uddannelsestilbud",
        "særligt beskæftigelsestilbud", "særlige beskæftigelsestilbud",
        "særlige uddannelses- og beskæftigelsestilbud", "særlige former",
    ],
    "score": [
        "score", "scoren", "scorer", "scores", "scoring", "point", "karakter", "bedømme", "bedømmes",
        "bedømmelse", "bedømmelsen", "størstedelen", "halvdelen", "hvor mange", "andel", "andelen",
    ],
    "folkepension": ["folkepension", "folkepensionist", "pensionist", "pensionister", "pensionsalder"],
    "foertidspension": ["førtidspension", "førtidspensionist", "førtidspensionister"],
    "fravaer": [
        "midlertidigt fraværende", "midlertidigt fravær", "fraværende", "sygemeldt", "sygemelding", "orlov",
        "indlagt", "indlæggelse", "vende tilbage", "vender tilbage", "skal tilbage til", "efter opholdet",
        "efter behandlingen",
    ],
    "boern": [
        "medfølgende børn", "medfølgende barn", "medfølgende", "børn på krisecenter", "barn på krisecenter",
        "børnene på krisecentret",
    ],
    "boern_ord": ["børn", "barn", "barnet", "børnene"],
    "voksentilbud": ["krisecenter", "krisecentre", "voksentilbud", "mor", "mødre", "mødrene", "kvinder"],
    "ub": [
        "uddannelse", "beskæftigelse", "job", "arbejde", "aktivitet", "samværs- og aktivitetstilbud",
        "aktivitets- og samværstilbud", "i aktivitet",
    ],
    "taeller": ["tæller", "tælle", "tælles", "omfattet", "regnes", "anses", "vægtes", "medregnes"],
    # Averages into kriterium and tema values (driftsorienteret tilsyn): words that name them, and words
    # that only do so beside a tema or kriterium ("gennemsnitlig alder" is a research question).
    "gennemsnit": [
        "temascore", "kriteriescore", "kriteriumscore", "temaværdi", "kriterieværdi", "opfyldelsesgrad",
        "spindelvæv",
    ],
    "udregnes": ["gennemsnit", "samlet værdi", "samlede værdi", "udregne", "beregne", "regnes ud", "regner ud"],
    "niveau": ["tema", "kriterium", "kriterie"],
    "indikator_ord": ["indikator", "kriterium", "kriterie", "tema"],
    # The scale indicators are scored on (driftsorienteret tilsyn) and the approval's two verdicts.
    "skala": [
        "skala", "skalaen", "meget høj grad opfyldt", "høj grad opfyldt", "middel grad opfyldt", "lav grad opfyldt",
        "meget lav grad opfyldt", "driftsorienteret tilsyn", "driftsorienterede tilsyn", "forventes at kunne opfylde",
        "forventes ikke at kunne opfylde",
    ],
    "godkendelse": ["godkendelse", "godkendelsen", "godkender", "godkendes"],
    "betyder": ["betyder", "betyde", "svarer til", "står for"],
    "nummerering": ["nummerering", "nummereringen", "fortløbende", "udgået", "udgik", "fjernet", "springer"],
    # A question about a tema's make-up ("hvilke kriterier hører til tema sundhed og trivsel?").
    "tema_ord": ["tema"],
    "opbygning": ["kriterier", "kriterierne", "indikatorer", "indikatorerne", "består", "indeholder", "hører til"],
}
_TOPIC_PHRASES = {name: text.PhraseSet((name, p) for p in phrases) for name, phrases in _TOPICS.items()}


def _has(toks: list[str], topic: str) -> bool:
    return any(not m.negated for m in _TOPIC_PHRASES[topic].find(toks))


def _without_paragraphs(question: str) -> str:
    """The question folded, with its § references gone: their numbers are no indicator, kriterium or score."""
    return _PARAGRAPH_REF.sub(" ", text.fold(question))


def indicator_ids(question: str) -> list[str]:
    """Known indicator ids the text names, in order ("1b", "indikator 3.c" …)."""
    folded = _without_paragraphs(question)
    known = {i.id for i in load_model().indikatorer()}
    ids: list[str] = []
    for m in _INDICATOR.finditer(folded):
        groups = [g for g in m.groups() if g]  # exactly one (number, letter) pair is set
        key = f"{groups[0]}.{groups[1]}"
        if key in known and key not in ids:
            ids.append(key)
    return ids


def _card(type_: str, titel: str, resultat: str, begrundelse: str, kilde: dict, detaljer=None) -> dict:
    card = {"type": type_, "titel": titel, "resultat": resultat, "begrundelse": begrundelse, "kilde": kilde}
    if detaljer is not None:
        card["detaljer"] = detaljer
    return card


# ---------------------------------------------------------------------------------------------------
# Individual cards


def _navne(types: list[Tilbudstype]) -> str:
    names = [t.navn.lower() for t in types]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def pair_card(indikator_id: str, types: list[Tilbudstype], privat: bool = False) -> list[dict]:
    """Does one indicator apply to the tilbudstype(s)? Types with the same verdict share a card."""
    ind = load_model().indikator(indikator_id)
    groups: dict[tuple, tuple[Status, list[Tilbudstype]]] = {}
    for t in types:
        s = _status(ind, t, privat)
        key = (s.status, s.kilde["citat"])
        groups.setdefault(key, (s, []))[1].append(t)
    cards = []
    for s, group in groups.values():
        hvem = _navne(group)
        resultat = {
            "gaelder": f"Ja – indikator {ind.id} gælder for {hvem}.",
            "gaelder_ikke": f"Nej – indikator {ind.id} gælder ikke for {hvem}.",
            "betinget": f"Det afhænger af tilbuddet – indikator {ind.id} for {hvem}: {s.tekst}",
        }[s.status]
        cards.append(
            _card(
                "anvendelighed",
                f"Gælder indikator {ind.id} for {hvem}?",
                resultat,
                s.tekst,
                s.kilde,
                {
                    "indikator": ind.id,
                    "indikator_tekst": ind.tekst,
                    "tilbudstyper": [t.to_json() for t in group],
                    "status": s.status,
                },
            )
        )
    return cards


def summary_card(types: list[Tilbudstype], privat: bool = False) -> list[dict]:
    """Which indicators apply to the tilbudstype(s); identical answers share a card."""
    groups: dict[tuple, tuple[dict, list[Tilbudstype]]] = {}
    for t in types:
        a = applicability(t.id, privat)
        key = (tuple(x["indikator"] for x in a["gaelder_ikke"]), tuple(x["indikator"] for x in a["betinget"]))
        groups.setdefault(key, (a, []))[1].append(t)
    cards = []
    total = len(load_model().indikatorer())
    for a, group in groups.values():
        ikke = [x["indikator"] for x in a["gaelder_ikke"]]
        betinget = [x["indikator"] for x in a["betinget"]]
        resultat = f"{len(a['gaelder'])} af {total} indikatorer gælder."
        if ikke:
            resultat += f" Gælder ikke: {', '.join(ikke)}."
        if betinget:
            resultat += f" Betinget: {', '.join(betinget)}."
        lines = [f"{x['indikator']}: {x['grund']}" for x in a["gaelder_ikke"]]
        lines += [f"{x['indikator']}: {x['betingelse']}" for x in a["betinget"]]
        kilde = a["gaelder_ikke"][0]["kilde"] if a["gaelder_ikke"] else generelt_kilde()
        detaljer = dict(a)
        detaljer["tilbudstyper"] = [t.to_json() for t in group]
        cards.append(
            _card(
                "anvendelighed",
                f"Indikatorer for {_navne(group)}",
                resultat,
                "\n".join(lines) or "Kvalitetsmodellen har ingen undtagelser for tilbudstypen.",
                kilde,
                detaljer,
            )
        )
    return cards


# "kriterium 2", "kriterie 10", "kriteriet 1" – not "Kriterium 7.a", which the source uses for an indicator.
_KRITERIUM = re.compile(r"\bkriteri(?:um|umet|e|et)\s+(\d{1,2})(?!\s?\.?\s?[a-f](?![a-z]))(?![\d.,]\d)")
# An indicator or criterion the question names by the word: "indikator 13.a", "kriterium 11".
_NAMED_INDIKATOR = re.compile(r"\bindikator(?:en)?\s+(\d{1,2})\s?\.?\s?([a-z])(?![a-z0-9])")


def kriterium_ids(question: str) -> list[str]:
    """Known criterion numbers the text names ("kriterium 2"), in order."""
    known = {k.id for k in load_model().kriterier()}
    ids: list[str] = []
    for m in _KRITERIUM.finditer(_without_paragraphs(question)):
        if m.group(1) in known and m.group(1) not in ids:
            ids.append(m.group(1))
    return ids


def unknown_references(question: str) -> list[str]:
    """Indicators and criteria the text names by the word that the model does not have ("indikator
    13.a", "kriterium 11"): the numbering has gaps since the revision of 2017."""
    model = load_model()
    folded = _without_paragraphs(question)
    known_ind = {i.id for i in model.indikatorer()}
    known_krit = {k.id for k in model.kriterier()}
    found = [f"indikator {a}.{b}" for a, b in _NAMED_INDIKATOR.findall(folded) if f"{a}.{b}" not in known_ind]
    found += [f"kriterium {m.group(1)}" for m in _KRITERIUM.finditer(folded) if m.group(1) not in known_krit]
    return list(dict.fromkeys(found))


def kriterium_card(kriterium_id: str) -> dict:
    krit = load_model().kriterium(kriterium_id)
    indikatorer = "; ".join(f"{i.id}: {i.tekst}" for i in krit.indikatorer)
    return _card(
        "kriterium",
        f"Kriterium {krit.id}",
        krit.tekst,
        f"Tema: {krit.tema_navn}. Indikatorer: {indikatorer}",
        krit.kilde(),
        {"tema": krit.tema_navn, "indikatorer": [i.id for i in krit.indikatorer]},
    )


@cache
def _tema_phrases() -> text.PhraseSet:
    return text.PhraseSet((t.navn, t.navn) for t in load_model().temaer)


def named_temaer(question: str) -> list[str]:
    """The model's temaer a text names by their full name ("sundhed og trivsel"), in the model's order."""
    named = text.keys(_tema_phrases().find(text.tokens(question)))
    return [t.navn for t in load_model().temaer if t.navn in named]


def tema_card(navn: str) -> dict:
    tema = load_model().tema(navn)
    kriterier = "; ".join(
        f"Kriterium {k.id} ({', '.join(i.id for i in k.indikatorer)}): {k.tekst}" for k in tema.kriterier
    )
    noter = " ".join(n.citat.replace("\n", " ") for n in tema.noter)
    return _card(
        "tema",
        f"Tema: {tema.navn}",
        f"Temaet har {len(tema.kriterier)} {'kriterium' if len(tema.kriterier) == 1 else 'kriterier'} og "
        f"{len(tema.indikatorer())} indikatorer. {kriterier}",
        f"Anvendelighed: {noter}" if noter else "Temaet gælder for alle tilbudstyper (ingen undtagelser i "
        "kvalitetsmodellen).",
        model_kilde(tema.section, tema.beskrivelse.split("\n")[0]),
        {"kriterier": [k.id for k in tema.kriterier], "indikatorer": [i.id for i in tema.indikatorer()]},
    )


def nummerering_card(reference: str | None = None) -> dict:
    """Why a number is missing: the named one (``reference``) or the numbering's gaps in general."""
    model = load_model()
    grund = (
        "Nummereringen af indikatorer og kriterier er ikke fortløbende: nogle kriterier og indikatorer samt "
        "temaet Økonomi udgik, da modellen blev revideret pr. 1. januar 2017."
    )
    if reference is None:
        kriterier = ", ".join(k.id for k in model.kriterier())
        return _card("nummerering", "Nummereringen af kriterier og indikatorer", grund,
                     f"Kriterierne i modellen nu: {kriterier}.", nummerering_kilde())
    if reference.startswith("indikator"):
        known = ", ".join(i.id for i in model.indikatorer())
        ingen, hvad = "ingen", "indikatorer"
    else:
        known = ", ".join(k.id for k in model.kriterier())
        ingen, hvad = "intet", "kriterier"  # et kriterium
    return _card(
        "nummerering",
        f"{reference.capitalize()} findes ikke i Kvalitetsmodellen",
        f"Kvalitetsmodellen (revideret pr. 1. januar 2017) har {ingen} {reference}. Dens {hvad} er: {known}.",
        grund,
        nummerering_kilde(),
    )


def indikator_card(indikator_id: str) -> dict:
    model = load_model()
    ind = model.indikator(indikator_id)
    krit = model.kriterium(ind.kriterium_id)
    noter = [n for n in model.tema(ind.tema_navn).noter] + list(ind.noter)
    begrundelse = f"Tema: {ind.tema_navn}. Kriterium {krit.id}: {krit.tekst}."
    if noter:
        begrundelse += " Anvendelighed: " + " ".join(n.citat.replace("\n", " ") for n in noter)
    else:
        begrundelse += " Indikatoren gælder for alle tilbudstyper (ingen undtagelser i kvalitetsmodellen)."
    return _card(
        "indikator",
        f"Indikator {ind.id}",
        ind.tekst,
        begrundelse,
        ind.kilde(),
        {"kriterium": krit.id, "tema": ind.tema_navn, "noter": [n.kilde() for n in noter]},
    )


def saerligt_card(question: str) -> dict:
    r = saerligt_tilbud(question)
    resultat = {
        True: f"Tæller på indikator 1.b – {r['kategori']}.",
        False: f"Tæller ikke på indikator 1.b – {r['kategori']}.",
        None: f"Kan ikke afgøres ud fra beskrivelsen – {r['kategori']}.",
    }[r["omfattet"]]
    begrundelse = r["begrundelse"]
    if r["omfattet"] is None:
        begrundelse += f" Undersøg: {r['hvad_undersoeges']}"
    return _card("saerligt_tilbud", "Tæller aktiviteten på indikator 1.b?", resultat, begrundelse, r["kilde"], r)


def oversigt_card() -> dict:
    o = saerligt_overview()
    omfattet = "; ".join(f"{c['kategori']}: {', '.join(c['eksempler'])}" for c in o["omfattet"])
    ikke = "; ".join(f"{c['kategori']}: {', '.join(c['eksempler'])}" for c in o["ikke_omfattet"])
    regler = " ".join(f"{r['titel']}: {r['tekst']}" for r in o["saerregler"])
    return _card(
        "oversigt_saerlige_tilbud",
        o["titel"],
        f"Tæller: {omfattet}. Tæller ikke: {ikke}.",
        regler,
        vejledning_kilde("alene_ovenstaaende"),
        o,
    )


_NUM = r"(?<!\d)(\d{1,4})(?!\d)"
_PEOPLE = r"(?:borgere|beboere|brugere|kvinder|maend|unge|voksne|personer|indskrevne)"
_ACTIVE = (
    r"(?:job|arbejde|uddannelse|beskaeftigelse|aktivitet|samvaers|aktivitets|stu|beskyttet|skole|praktik|fleksjob)"
)


def parse_counts(question: str) -> dict | None:
    """Counts for 1.b from a question ("6 af 10 borgere er i job, 2 er på folkepension"); None if absent."""
    t = text.fold(question)
    pension = re.search(_NUM + r"\s+(?:\w+\s+){0,3}?(?:paa|modtager|faar|med|er\s+paa)\s+folkepension", t)
    p = int(pension.group(1)) if pension else 0
    borgere = aktiv = None
    for m in re.finditer(_NUM + r"\s+af\s+(?:de\s+)?" + _NUM, t):
        tail = t[m.end() : m.end() + 40]
        if "folkepension" in tail and not re.search(_ACTIVE, tail.split("folkepension")[0]):
            continue
        aktiv, borgere = int(m.group(1)), int(m.group(2))
        break
    if borgere is None:
        b = re.search(_NUM + r"\s+" + _PEOPLE, t)
        a = re.search(_NUM + r"\s+(?:af\s+\w+\s+)?(?:\w+\s+){0,2}?(?:er\s+)?(?:i|har|gaar\s+paa|paa)\s+(?:et\s+|en\s+)?"
                      + _ACTIVE, t)
        if b and a and a.start() != b.start():
            borgere, aktiv = int(b.group(1)), int(a.group(1))
    if borgere is None:
        return None
    return {"borgere": borgere, "i_aktivitet": aktiv, "folkepension_uden_aktivitet": p}


def score_card(question: str) -> dict:
    counts = parse_counts(question)
    lines = [f"{x['score']}: {x['ord']} ({x['kb_laesning']})" for x in taerskler()]
    if counts:
        try:
            r = score_1b(**counts)
        except KbError as err:
            return _card(
                "score_1b", "Anbefalet score for indikator 1.b", "Kan ikke beregnes ud fra tallene.", str(err),
                vejledning_kilde("ib_alene"), {"tal": counts},
            )
        return _card(
            "score_1b",
            "Anbefalet score for indikator 1.b",
            f"Score {r['score']}: {r['niveau']} ({r['i_aktivitet']} af {r['naevner']} borgere).",
            f"{r['begrundelse']} {FORBEHOLD}",
            r["kilde"],
            r,
        )
    return _card(
        "score_1b",
        "Anbefalet score for indikator 1.b",
        "Scoren afhænger af andelen af borgere i uddannelse, beskæftigelse eller samværs- og aktivitetstilbud. "
        "kb's tærskler: " + "; ".join(lines) + ".",
        "Andelen regnes som borgere i aktivitet (midlertidigt fraværende medregnet) delt med alle borgere minus "
        "borgere på folkepension uden aktivitet. Førtidspension påvirker ikke scoren. " + FORBEHOLD
        + " Beregn med: kb score-1b --borgere N --i-aktivitet M [--folkepension-uden-aktivitet P].",
        vejledning_kilde("score_3"),
        {"taerskler": taerskler()},
    )


# "1.a fik 4", "1.b: 2", "1c = 5", "indikator 2.a scorer 3" (after folding, with § references removed).
_SCORE_PAIR = re.compile(
    r"(?<![\d.,])(\d{1,2})\s?\.?\s?([a-f])(?![a-z0-9])\s*(?::|=|-|fik|faar|har faaet|scorer|scores|scorede|gives|er)?"
    r"\s*(?:en\s+|et\s+|score\s+|scoren\s+|karakteren\s+)?([1-5])(?![\d.,]\d)"
)


def parse_indicator_scores(question: str) -> dict[str, int]:
    """Indicator scores a question gives ("1.a fik 4 og 1.b fik 2"), for known indicators only."""
    folded = _without_paragraphs(question)
    known = {i.id for i in load_model().indikatorer()}
    scores: dict[str, int] = {}
    for m in _SCORE_PAIR.finditer(folded):
        key = f"{m.group(1)}.{m.group(2)}"
        if key in known:
            scores.setdefault(key, int(m.group(3)))
    return scores


def gennemsnit_card(question: str, types: list[Tilbudstype]) -> dict:
    """How kriterium and tema values are averaged; worked out when the question gives scores."""
    titel = "Sådan udregnes kriteriets og temaets værdi"
    regel = (
        "Ved driftsorienteret tilsyn er et kriteriums værdi gennemsnittet af dets indikatorers scorer (1–5), "
        "og et temas værdi er gennemsnittet af dets kriteriers værdier. Indikatorer, der ikke gælder for "
        "tilbudstypen, indgår ikke i gennemsnittet."
    )
    begrundelse = (
        "Værdien udregnes automatisk ud fra indikatorernes scorer, og det samlede resultat vises som et "
        "spindelvæv. Ved godkendelse får indikatorerne ingen talværdi: de bedømmes som forventet at kunne "
        "eller ikke at kunne opfyldes."
    )
    hint = " Beregn med: kb spindelvaev --scores FIL.json [--tilbudstype TEKST]."
    scores = parse_indicator_scores(question)
    if not scores:
        return _card("gennemsnit", titel, regel, begrundelse + hint, gennemsnit_kilde())
    tilbudstype = types[0].navn if len(types) == 1 else None
    try:
        r = spindelvaev(scores, tilbudstype=tilbudstype)
    except KbError as err:
        return _card("gennemsnit", titel, regel, f"{err}{hint}", gennemsnit_kilde(), {"scorer": scores})

    dele = [f"kriterium {k}: {decimal_comma(v)}" for k, v in r["kriterier"].items()]
    dele += [f"temaet {navn}: {decimal_comma(v)}" for navn, v in r["temaer"].items()]
    resultat = "Med de angivne scorer (" + ", ".join(f"{k}: {v}" for k, v in scores.items()) + ") bliver "
    resultat += ", ".join(dele) + "."
    noter = []
    if r["udeladt"]:
        noter.append(f"Udeladt, fordi indikatoren ikke gælder for {tilbudstype.lower()}: {', '.join(r['udeladt'])}.")
    model = load_model()
    missing = [i for i in r["ikke_bedoemt"] if model.indikator(i).kriterium_id in r["kriterier"]]
    if missing:
        noter.append(f"Ikke bedømt og derfor ikke med i kriteriets gennemsnit: {', '.join(missing)}.")
    return _card("gennemsnit", titel, resultat, " ".join([regel, *noter]) + hint, r["kilde"], r)


def _asked_score(question: str) -> int | None:
    """The one score 1–5 a question asks the meaning of ("hvad betyder en score på 3?", "… i høj grad
    opfyldt"), else None."""
    folded = text.fold(question)
    named = [(len(t), k) for k, t in skala().items() if text.fold(t) in folded]
    if named:
        return max(named)[1]  # the longest: "i meget høj grad" holds "høj grad"
    bare = _INDICATOR.sub(" ", _without_paragraphs(question))  # "2.a" names an indicator, not a score
    found = set(re.findall(r"(?<![\d.,§])\b([1-5])\b(?![.,]\d)", bare))
    return int(found.pop()) if len(found) == 1 else None


def skala_card(question: str, toks: list[str]) -> dict:
    """What the scores 1–5 mean at the driftsorienteret tilsyn, and how approval judges instead."""
    scale = skala()
    n = _asked_score(question)
    alle = skala_tekst()
    drift = f"Ved driftsorienteret tilsyn scores hver indikator fra 5 til 1: {alle}."
    if n is not None:
        drift = f"Score {n} betyder »{scale[n]}« (ved driftsorienteret tilsyn). Hele skalaen: {alle}."
    opfylde, ikke_opfylde = GODKENDELSE_VALG
    approval = f"Ved godkendelse gives ingen score: hver indikator bedømmes som »{opfylde}« eller »{ikke_opfylde}«."
    average = "Ved driftsorienteret tilsyn er kriteriets og temaets værdi gennemsnittet af scorerne."
    if _has(toks, "godkendelse") and not _has(toks, "skala") and n is None:
        return _card("skala", "Sådan bedømmes indikatorerne ved godkendelse", approval, f"{drift} {average}",
                     godkendelse_kilde(), {"skala": scale, "godkendelse": list(GODKENDELSE_VALG)})
    return _card("skala", "Bedømmelsesskalaen for indikatorerne", drift, f"{approval} {average}", skala_kilde(),
                 {"skala": scale, "godkendelse": list(GODKENDELSE_VALG)})


def _topic_card(type_: str, titel: str, resultat: str, begrundelse: str, key: str) -> dict:
    return _card(type_, titel, resultat, begrundelse, vejledning_kilde(key))


def folkepension_card() -> dict:
    return _topic_card(
        "folkepension",
        "Borgere på folkepension (indikator 1.b)",
        "Borgere på folkepension, som ikke er i aktivitet, må ikke trække bedømmelsen ned alene på grund af "
        "alder; kb holder dem uden for nævneren.",
        "Formel beskæftigelse er ikke relevant for borgere på folkepension. Socialtilsynet bør tage hensyn til "
        "det, og det bør fremgå meget tydeligt af bedømmelsen.",
        "folkepension",
    )


def foertidspension_card() -> dict:
    return _topic_card(
        "foertidspension",
        "Borgere på førtidspension (indikator 1.b)",
        "Førtidspension påvirker ikke bedømmelsen: borgerne tæller med som alle andre.",
        "Borgere på førtidspension må gerne arbejde, fx i job med løntilskud eller i et § 103- eller "
        "§ 104-tilbud, så det kan være relevant, at tilbuddet støtter dem i beskæftigelse.",
        "foertidspension",
    )


def fravaer_card() -> dict:
    return _topic_card(
        "midlertidigt_fravaer",
        "Midlertidigt fraværende fra uddannelse eller beskæftigelse (indikator 1.b)",
        "Tæller som i uddannelse eller beskæftigelse, hvis borgeren kan vende tilbage efter endt "
        "behandling/ophold; det samme gælder orlov og sygemelding, fx på grund af indlæggelse.",
        "Fx borgere i misbrugsbehandling eller kvinder på krisecenter, som er midlertidigt fraværende fra "
        "uddannelse eller arbejde på grund af det tilbud, de modtager.",
        "midlertidigt_fravaer",
    )


def boern_card() -> dict:
    return _topic_card(
        "medfoelgende_boern",
        "Medfølgende børn på voksentilbud (indikator 1.b)",
        "Tæller, når barnet er i et alment eller særligt dag- eller skoletilbud uden for fx krisecentret (også "
        "hvis det er midlertidigt fraværende fra det). Pasning eller undervisning, som mødrene eller "
        "krisecentret selv forestår, tæller ikke.",
        "Indikator 1.b omfatter, at medfølgende børn på voksentilbud er i dag- eller grundskoletilbud.",
        "medfoelgende_boern",
    )


# ---------------------------------------------------------------------------------------------------


def rule_cards(question: str) -> list[dict]:
    """The rule cards a question calls for, decided deterministically from what it names. Never raises."""
    if not isinstance(question, str) or not question.strip():
        return []
    try:
        return _rule_cards(question)
    except KbError:
        return []


def _rule_cards(question: str) -> list[dict]:
    toks = text.tokens(question)
    ids = indicator_ids(question)
    types = find_tilbudstyper(question)
    privat = bool(re.search(r"\bprivat", text.fold(question))) and "bestyrelse" in text.fold(question)

    topic_1b = {
        "activity": named_activity(question)
        or (_has(toks, "taeller") and mentions_activity(question)),
        "oversigt": _has(toks, "oversigt"),
        "score": _has(toks, "score") and ("1.b" in ids or _has(toks, "ub") or parse_counts(question) is not None)
        or parse_counts(question) is not None,
        "folkepension": _has(toks, "folkepension"),
        "foertidspension": _has(toks, "foertidspension"),
        "fravaer": _has(toks, "fravaer"),
        "boern": _has(toks, "boern") or (_has(toks, "boern_ord") and _has(toks, "voksentilbud")),
    }
    about_1b = any(topic_1b.values())
    about_scale = (
        _has(toks, "skala")
        or (_has(toks, "godkendelse") and (_has(toks, "score") or bool(ids) or _has(toks, "indikator_ord")))
        # 1.b has the vejledning's own score guidance (the score_1b card); any other indicator the scale.
        or (_has(toks, "score") and _has(toks, "betyder") and "1.b" not in ids and _asked_score(question) is not None)
    )
    about_average = _has(toks, "gennemsnit") or (
        _has(toks, "udregnes") and (_has(toks, "niveau") or len(parse_indicator_scores(question)) > 1)
    )

    cards: list[dict] = []
    if types:
        pair_ids = ids or (["1.b"] if about_1b else [])
        for i in pair_ids:
            cards += pair_card(i, types, privat)
        if not pair_ids:
            cards += summary_card(types, privat)
    else:
        cards += [indikator_card(i) for i in ids]
        cards += [kriterium_card(k) for k in kriterium_ids(question)]
        if _has(toks, "opbygning") and _has(toks, "tema_ord") and not ids:
            cards += [tema_card(t) for t in named_temaer(question)]
    missing = unknown_references(question)
    cards += [nummerering_card(r) for r in missing]
    if not missing and _has(toks, "nummerering") and _has(toks, "indikator_ord"):
        cards.append(nummerering_card())

    if topic_1b["activity"]:
        cards.append(saerligt_card(question))
    elif topic_1b["oversigt"]:
        cards.append(oversigt_card())
    if topic_1b["score"]:
        cards.append(score_card(question))
    if topic_1b["folkepension"]:
        cards.append(folkepension_card())
    if topic_1b["foertidspension"]:
        cards.append(foertidspension_card())
    if topic_1b["fravaer"]:
        cards.append(fravaer_card())
    if topic_1b["boern"]:
        cards.append(boern_card())
    if about_scale:
        cards.append(skala_card(question, toks))
    if about_average:
        cards.append(gennemsnit_card(question, types))
    return cards


# ---------------------------------------------------------------------------------------------------


def format_kilde(kilde: dict) -> str:
    title = SOURCE_TITLES.get(kilde["source"], kilde["source"])
    page = f"s. {kilde['page']}" if kilde.get("page") is not None else "uden sidetal"
    citat = "\n  ".join(" ".join(line.split()) for line in kilde["citat"].splitlines() if line.strip())
    return f"Kilde: {title} – {kilde['section']}, {page}\n  »{citat}«"


def format_card(card: dict) -> str:
    """Plain-text Danish rendering of one card for the terminal."""
    lines = [f"■ {card['titel']}", f"  {card['resultat']}"]
    for line in str(card.get("begrundelse") or "").splitlines():
        lines.append(f"  {line}")
    lines.append("  " + format_kilde(card["kilde"]).replace("\n", "\n  "))
    return "\n".join(lines)
