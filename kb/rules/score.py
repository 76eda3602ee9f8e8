"""Score guidance for indikator 1.b: the vejledning's words read as explicit thresholds (score_1b.yaml).

The thresholds are kb's reading of "alle / størstedelen / halvdelen / få / meget få eller ingen" and are
always returned next to the quoted words, so a consultant can see and disagree with the reading.
Comparisons are done in whole numbers, so 3 of 5 is exactly 60 % and half is exactly half.
"""

from __future__ import annotations

from functools import lru_cache

from kb.errors import KbError
from kb.rules.kilder import load_data, vejledning_kilde


@lru_cache(maxsize=1)
def _levels() -> list[dict]:
    return sorted(load_data("score_1b.yaml")["niveauer"], key=lambda lvl: -lvl["score"])


def _pct(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _laesning(i: int, levels: list[dict]) -> str:
    """The band of level ``i`` in words, from its own lower bound and the next higher level's."""
    lvl = levels[i]
    lo = f"over {lvl['min_pct']} %" if not lvl["inklusiv"] else f"fra og med {lvl['min_pct']} %"
    if i == 0:
        return f"{lvl['min_pct']} %" if lvl["min_pct"] == 100 else f"{lo} og derover"
    upper = levels[i - 1]
    hi = f"under {upper['min_pct']} %" if upper["inklusiv"] else f"til og med {upper['min_pct']} %"
    return f"{lo} og {hi}"


def taerskler() -> list[dict]:
    """The thresholds as shown to users: kb's reading next to the vejledning's quoted words."""
    levels = _levels()
    return [
        {
            "score": lvl["score"],
            "ord": lvl["ord"],
            "bedoemmelse": lvl["bedoemmelse"],
            "kb_laesning": _laesning(i, levels),
            "min_pct": lvl["min_pct"],
            "inklusiv": lvl["inklusiv"],
            "kilde": vejledning_kilde(lvl["citat"]),
        }
        for i, lvl in enumerate(levels)
    ]


# The thresholds as plain data (score, lower bound in percent, inclusive?), highest score first.
SCORE_THRESHOLDS: tuple[tuple[int, int, bool], ...] = tuple(
    (lvl["score"], lvl["min_pct"], lvl["inklusiv"]) for lvl in _levels()
)

FORBEHOLD = (
    "Tærsklerne er kb's læsning af vejledningens ord (alle, størstedelen, halvdelen, få, meget få/ingen), "
    "ikke tal fra Social- og Boligstyrelsen. Scoren er en anbefaling; bedømmelsen er socialtilsynets."
)


def _check_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise KbError(f"{name} skal være et helt tal, ikke »{value}«.")
    if value < 0:
        raise KbError(f"{name} kan ikke være negativ (fik {value}).")
    return value


def _meets(i_aktivitet: int, naevner: int, lvl: dict) -> bool:
    """andel >= (or >) the level's lower bound, in whole numbers: no rounding at the borders."""
    lhs, rhs = i_aktivitet * 100, lvl["min_pct"] * naevner
    return lhs >= rhs if lvl["inklusiv"] else lhs > rhs


def score_1b(borgere: int, i_aktivitet: int, folkepension_uden_aktivitet: int = 0) -> dict:
    """The recommended 1.b score from counts; folkepension citizens without activity leave the denominator."""
    borgere = _check_int("Antal borgere", borgere)
    i_aktivitet = _check_int("Antal borgere i aktivitet", i_aktivitet)
    pension = _check_int("Antal borgere på folkepension uden aktivitet", folkepension_uden_aktivitet)
    if borgere == 0:
        raise KbError("Antal borgere skal være mindst 1.")
    if i_aktivitet > borgere:
        raise KbError(
            f"Der kan ikke være flere borgere i aktivitet ({i_aktivitet}) end borgere i alt ({borgere})."
        )
    if i_aktivitet + pension > borgere:
        raise KbError(
            f"Borgere i aktivitet ({i_aktivitet}) og borgere på folkepension uden aktivitet ({pension}) er "
            f"tilsammen flere end borgere i alt ({borgere}). Borgere på folkepension, som er i aktivitet, "
            "tælles kun med under »i aktivitet«."
        )
    naevner = borgere - pension
    if naevner == 0:
        raise KbError(
            f"Alle {borgere} borgere modtager folkepension og er ikke i uddannelse, beskæftigelse eller "
            "samværs- og aktivitetstilbud. Når de holdes uden for nævneren, er der ingen borgere at beregne en "
            "andel for, så kb foreslår ingen score for indikator 1.b. Vejledningen anbefaler, at indikatoren "
            "ikke bedømmes lavere alene på grund af borgernes alder; bedøm den skriftligt, og skriv tydeligt "
            "hvorfor."
        )
    levels = _levels()
    index = next(i for i, lvl in enumerate(levels) if _meets(i_aktivitet, naevner, lvl))
    lvl = levels[index]
    laesning = _laesning(index, levels)
    andel = i_aktivitet / naevner
    begrundelse = (
        f"{i_aktivitet} af {naevner} borgere ({_pct(andel * 100)} %) er i uddannelse, beskæftigelse eller "
        "samværs- og aktivitetstilbud (midlertidigt fraværende regnes med som værende i aktivitet). "
    )
    if pension:
        begrundelse += (
            f"{pension} borger{'e' if pension != 1 else ''} på folkepension, som ikke er i aktivitet, er holdt "
            f"uden for nævneren ({borgere} − {pension} = {naevner}), så indikatoren ikke bedømmes lavere alene "
            "på grund af borgernes alder. Det bør fremgå meget tydeligt af bedømmelsen. "
        )
    begrundelse += (
        f"I kb's læsning svarer det til »{lvl['ord'].lower()}« ({laesning}): {lvl['bedoemmelse']} "
        f"({lvl['score']}). Førtidspension påvirker ikke bedømmelsen."
    )
    kilder = [vejledning_kilde(lvl["citat"])]
    if pension:
        kilder.append(vejledning_kilde("folkepension"))
    kilder += [vejledning_kilde("foertidspension"), vejledning_kilde("midlertidigt_fravaer")]
    return {
        "score": lvl["score"],
        "niveau": f"{lvl['ord']} – {lvl['bedoemmelse']}",
        "andel": round(andel, 4),
        "naevner": naevner,
        "borgere": borgere,
        "i_aktivitet": i_aktivitet,
        "folkepension_uden_aktivitet": pension,
        "begrundelse": begrundelse,
        "kilde": kilder[0],
        "kilder": kilder,
        "taerskler": taerskler(),
        "forbehold": FORBEHOLD,
    }
