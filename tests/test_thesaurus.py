"""Which of the field's terms a question names, and so which other words are searched and shown."""

from __future__ import annotations

import pytest

from kb.lexical import Analyzer
from kb.thesaurus import Thesaurus


@pytest.fixture(scope="module")
def terms(engine):
    """The real thesaurus (kb/data/synonymer.yaml) over the real corpus' vocabulary."""
    return engine.thesaurus_terms


def test_thesaurus_gives_the_other_terms_as_written():
    thesaurus = Thesaurus(Analyzer(), [["bosted", "botilbud", "§ 107"], ["krisecenter", "§ 109"]])
    assert thesaurus.expand_terms("beboer på et bosted") == ["botilbud", "§ 107"]
    assert thesaurus.expand_terms("noget helt andet") == []
    # A reference names its group as exactly as a word does.
    assert thesaurus.expand_terms("ophold efter §109") == ["krisecenter"]


def test_thesaurus_terms_come_round_robin_so_a_few_cover_every_concept():
    thesaurus = Thesaurus(Analyzer(), [["borger", "beboer", "bruger", "klient"], ["botilbud", "bosted", "§ 107"]])
    terms = thesaurus.expand_terms("må en beboer på et bosted arbejde")
    assert terms == ["borger", "botilbud", "bruger", "§ 107", "klient"]


def test_a_term_is_named_in_its_inflections(terms):
    assert "botilbud" in terms("beboerne på bostederne")
    assert "sundhed" in terms("skal beboerne tilbydes lægens hjælp")
    assert "kvindekrisecenter" in terms("børn på krisecentre")  # center → centre
    assert "beskæftigelse" in terms("kan jobbet tælle med")  # job → jobbet
    assert "ledelse" in terms("hvor mange ledere blev interviewet")


def test_words_that_only_share_a_stem_with_a_term_name_nothing(terms):
    """Snowball stems "lægges" like "læge" and "ledige" like "leder"; neither is meant."""
    assert "sundhed" not in terms("hvad kan tilsynet lægge vægt på")
    assert "sundhed" not in terms("hvordan lægges pointene sammen")
    assert "ledelse" not in terms("unge ledige i Billund")


def test_a_term_of_several_words_is_named_only_by_all_of_them_in_a_row(terms):
    """ "komme sig" is recovery; "kommer" alone is not."""
    assert "recovery" in terms("hvad skal der til for at komme sig")
    assert "recovery" not in terms("hvornår kommer barnet i skole")
    assert "psykisk lidelse" in terms("unge med psykiske vanskeligheder")


def test_a_compound_names_a_term_by_its_last_part_not_its_first(terms):
    assert "personale" in terms("bostøttemedarbejdere")  # … medarbejdere
    assert "sundhed" not in terms("hvilke forhold kan tillægges vægt")  # til|lægge, not læge


def test_other_inflections_of_a_named_term_are_not_shown_as_other_words():
    thesaurus = Thesaurus(Analyzer(), [["tema", "temaet", "temaer"], ["indikator", "kriterium"]])
    assert thesaurus.expand_terms("hvad siger temaet") == []
    assert thesaurus.expand_terms("temaer og indikatorer") == ["kriterium"]


def test_the_sources_senses_decide_the_groups(terms):
    """In the sources a "studie" is a piece of research, not schooling; "sygdom" is illness, not sick leave."""
    studier = terms("hvor mange studier indgik i litteraturstudiet")
    assert "undersøgelse" in studier and "uddannelse" not in studier
    assert "sygefravær" not in terms("mennesker med psykisk sygdom")
    assert "sygefravær" in terms("medarbejdere, der er sygemeldt")
