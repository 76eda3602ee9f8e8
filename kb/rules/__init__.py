"""Deterministic indikator rules: the Kvalitetsmodel and the vejledning's 1.b recommendations as data.

Every result carries a ``kilde`` ({"source", "section", "page", "citat"}) quoting the source text verbatim.
"""

from kb.rules.applicability import applicability, indikator_status
from kb.rules.cards import format_card, format_kilde, indicator_ids, rule_cards
from kb.rules.kilder import norm, verify_citat
from kb.rules.model import (
    Indikator,
    Kriterium,
    Kvalitetsmodel,
    Note,
    NotePunkt,
    Tema,
    Tilbudstype,
    find_tilbudstyper,
    load_model,
    resolve_tilbudstype,
    tilbudstyper,
)
from kb.rules.practice import practice_cases
from kb.rules.saerligt import saerligt_overview, saerligt_tilbud
from kb.rules.score import SCORE_THRESHOLDS, score_1b, taerskler
from kb.rules.spindelvaev import GODKENDELSE_VALG, godkendelse, radar_figure, save_radar, spindelvaev

__all__ = [
    "GODKENDELSE_VALG",
    "SCORE_THRESHOLDS",
    "Indikator",
    "Kriterium",
    "Kvalitetsmodel",
    "Note",
    "NotePunkt",
    "Tema",
    "Tilbudstype",
    "applicability",
    "find_tilbudstyper",
    "format_card",
    "format_kilde",
    "godkendelse",
    "indicator_ids",
    "indikator_status",
    "load_model",
    "norm",
    "practice_cases",
    "radar_figure",
    "resolve_tilbudstype",
    "rule_cards",
    "saerligt_overview",
    "saerligt_tilbud",
    "save_radar",
    "score_1b",
    "spindelvaev",
    "taerskler",
    "tilbudstyper",
    "verify_citat",
]
