"""'Øv dig' cases for new staff: questions generated from the data, answered by calling the engine."""

from __future__ import annotations

from kb.rules.applicability import _status
from kb.rules.kilder import load_data
from kb.rules.model import PRIVAT_MED_BESTYRELSE, ancestors, load_model, resolve_tilbudstype, tilbudstyper
from kb.rules.saerligt import practice_descriptions, saerligt_tilbud
from kb.rules.score import score_1b, taerskler
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

ANVENDELIGHED_SVAR = {
    "gaelder": "Ja, den gælder",
    "gaelder_ikke": "Nej, den gælder ikke",
    "betinget": "Det afhænger af tilbuddet",
}
SAERLIGT_SVAR = {True: "Ja, det tæller", False: "Nej, det tæller ikke", None: "Kan ikke afgøres ud fra beskrivelsen"}


def _applicability_pairs() -> list[tuple[str, str, bool]]:
    """(indikator, tilbudstype, privat) pairs spread over the model's notes: excluded, included, conditional."""
    model = load_model()
    types = [t.id for t in tilbudstyper()]
    pairs: list[tuple[str, str, bool]] = []
    n = 0
    for tema in model.temaer:
        for ind in tema.indikatorer():
            for note in ind.noter:
                if PRIVAT_MED_BESTYRELSE in note.tilbudstyper:
                    pairs += [(ind.id, "opholdssted", True), (ind.id, "krisecenter", False)]
                    continue
                named = note.punkter[n % len(note.punkter)].tilbudstyper if note.punkter else note.tilbudstyper
                pairs.append((ind.id, named[0], False))
                # A type the note does not name (nor any broader type of it): the opposite verdict.
                named_set = set(note.tilbudstyper)
                others = [t for t in types if t not in named_set and not ancestors(t) & named_set]
                pairs.append((ind.id, others[n % len(others)], False))
                # A broader type of a named narrower one: conditional.
                broader = [p for t in note.tilbudstyper for p in sorted(ancestors(t)) if p not in note.tilbudstyper]
                if broader and note.kind == "gaelder_ikke":
                    pairs.append((ind.id, broader[0], False))
                n += 1
    for tema in model.temaer:
        for note in tema.noter:
            pairs.append((tema.indikatorer()[0].id, note.tilbudstyper[0], False))
    return list(dict.fromkeys(pairs))


def practice_cases() -> list[dict]:
    """Practice questions with options; the correct answer and explanation come from the engine."""
    model = load_model()
    cases: list[dict] = []
    for ind_id, type_id, privat in _applicability_pairs():
        t = next(t for t in tilbudstyper() if t.id == type_id)
        s = _status(model.indikator(ind_id), t, privat)
        hvem = f"et privat {t.navn.lower()} med en bestyrelse" if privat else t.label[0].lower() + t.label[1:]
        cases.append(
            {
                "id": f"anvendelighed-{ind_id}-{type_id}{'-privat' if privat else ''}",
                "type": "anvendelighed",
                "spoergsmaal": f"Gælder indikator {ind_id} for {hvem}?",
                "svarmuligheder": list(ANVENDELIGHED_SVAR.values()),
                "korrekt": ANVENDELIGHED_SVAR[s.status],
                "forklaring": s.tekst,
                "kilde": s.kilde,
            }
        )
    for i, beskrivelse in enumerate(practice_descriptions(), start=1):
        r = saerligt_tilbud(beskrivelse)
        forklaring = r["begrundelse"] + (f" Undersøg: {r['hvad_undersoeges']}" if r["omfattet"] is None else "")
        cases.append(
            {
                "id": f"saerligt-tilbud-{i}",
                "type": "saerligt_tilbud",
                "spoergsmaal": f"{beskrivelse} Tæller det på indikator 1.b?",
                "svarmuligheder": list(SAERLIGT_SVAR.values()),
                "korrekt": SAERLIGT_SVAR[r["omfattet"]],
                "forklaring": forklaring,
                "kilde": r["kilde"],
            }
        )
    options = [f"{x['score']} – {x['ord']} ({x['bedoemmelse']})" for x in taerskler()]
    for i, tal in enumerate(load_data("score_1b.yaml")["oevelser"], start=1):
        r = score_1b(**tal)
        spm = (
            f"Et tilbud har {tal['borgere']} borgere. {tal['i_aktivitet']} er i uddannelse, beskæftigelse eller "
            "samværs- og aktivitetstilbud"
        )
        if tal["folkepension_uden_aktivitet"]:
            spm += f", og {tal['folkepension_uden_aktivitet']} modtager folkepension og er ikke i aktivitet"
        spm += ". Hvilken score for indikator 1.b peger vejledningen på (med kb's tærskler)?"
        cases.append(
            {
                "id": f"score-1b-{i}",
                "type": "score_1b" if not tal["folkepension_uden_aktivitet"] else "folkepension",
                "spoergsmaal": spm,
                "svarmuligheder": options,
                "korrekt": options[[x["score"] for x in taerskler()].index(r["score"])],
                "forklaring": r["begrundelse"],
                "kilde": r["kilder"][1] if tal["folkepension_uden_aktivitet"] else r["kilde"],
            }
        )
    return cases + _scoring_cases()


def _scoring_cases() -> list[dict]:
    """The 1–5 scale, the approval's two verdicts and a kriterium's average, from the model's own data."""
    scale = skala()
    options = [f"{k} – {v}" for k, v in sorted(scale.items(), reverse=True)]
    cases = [
        {
            "id": f"skala-{n}",
            "type": "skala",
            "spoergsmaal": f"Ved driftsorienteret tilsyn giver du en indikator scoren {n}. Hvad betyder det?",
            "svarmuligheder": options,
            "korrekt": f"{n} – {scale[n]}",
            "forklaring": f"Skalaen ved driftsorienteret tilsyn: {skala_tekst()}.",
            "kilde": skala_kilde(),
        }
        for n in (4, 2)
    ]
    opfylde, ikke_opfylde = GODKENDELSE_VALG
    cases.append(
        {
            "id": "skala-godkendelse",
            "type": "skala",
            "spoergsmaal": "Et nyt tilbud søger godkendelse. Hvordan bedømmer socialtilsynet hver indikator?",
            "svarmuligheder": [
                "Med en score fra 1 til 5, som ved driftsorienteret tilsyn",
                f"Som »{opfylde}« eller »{ikke_opfylde}«",
                "Kun på temaniveau, ikke indikator for indikator",
            ],
            "korrekt": f"Som »{opfylde}« eller »{ikke_opfylde}«",
            "forklaring": "Ved godkendelse gives ingen score, og alle indikatorer skal bedømmes; scoren fra 1 til 5 "
            "bruges ved det driftsorienterede tilsyn.",
            "kilde": godkendelse_kilde(),
        }
    )
    model = load_model()
    for i, oevelse in enumerate(load_data("kvalitetsmodel.yaml")["drift"]["oevelser"], start=1):
        scorer, tilbudstype = oevelse["scorer"], oevelse.get("tilbudstype")
        r = spindelvaev(scorer, tilbudstype=tilbudstype)
        [(krit_id, value)] = r["kriterier"].items()
        naive = sum(scorer.values()) / len(scorer)
        choices = {round(value, 2), round(naive, 2)}
        for step in (0.5, -0.5, 1.0, -1.0):
            if len(choices) < 4 and 1 <= value + step <= 5:
                choices.add(round(value + step, 2))
        navn = resolve_tilbudstype(tilbudstype).navn.lower() if tilbudstype else None
        hvem = f"et tilbud af typen {navn}" if navn else "et tilbud"
        parts = [f"{v} på {k}" for k, v in scorer.items()]
        givet = ", ".join(parts[:-1]) + " og " + parts[-1] if len(parts) > 1 else parts[0]
        brugt = [v for k, v in scorer.items() if k not in r["udeladt"]]
        forklaring = (
            f"Kriteriets værdi er gennemsnittet af indikatorernes scorer: ({' + '.join(map(str, brugt))}) / "
            f"{len(brugt)} = {decimal_comma(value)}."
        )
        if r["udeladt"]:
            forklaring += (
                f" {', '.join('Indikator ' + u for u in r['udeladt'])} gælder ikke for {navn} og indgår ikke i "
                "gennemsnittet."
            )
        cases.append(
            {
                "id": f"gennemsnit-{i}",
                "type": "gennemsnit",
                "spoergsmaal": f"Ved driftsorienteret tilsyn får {hvem} {givet}. Hvilken værdi får kriterium "
                f"{krit_id} ({model.kriterium(krit_id).tekst.rstrip('.')})?",
                "svarmuligheder": [decimal_comma(v) for v in sorted(choices)],
                "korrekt": decimal_comma(value),
                "forklaring": forklaring,
                "kilde": gennemsnit_kilde(),
            }
        )
    return cases
