"""Question -> rule cards, decided from what the question names; the terminal rendering; Øv dig cases."""

from __future__ import annotations

import pytest

from kb.rules import format_card, indicator_ids, practice_cases, rule_cards, saerligt_tilbud
from kb.rules.cards import parse_counts

# question -> the card types it must yield, in order
QUESTIONS = [
    ("Hvad tæller som særligt tilbud?", ["oversigt_saerlige_tilbud"]),
    ("hvad taeller som saerligt tilbud", ["oversigt_saerlige_tilbud"]),
    ("Hvilke særlige uddannelsestilbud er omfattet?", ["oversigt_saerlige_tilbud"]),
    ("Gælder indikator 3.c for et krisecenter?", ["anvendelighed"]),
    ("gaelder 3c for krisecentre", ["anvendelighed"]),
    ("Skal vi bedømme 14.c på et forsorgshjem?", ["anvendelighed"]),
    ("Hvilke indikatorer gælder for et herberg?", ["anvendelighed"]),
    ("indikator 2b", ["indikator"]),
    ("Hvad betyder kriterium 7.a?", ["indikator"]),
    ("Tæller recovery-skole på 1.b?", ["indikator", "saerligt_tilbud"]),
    ("Er beskyttet beskæftigelse efter § 103 omfattet?", ["saerligt_tilbud"]),
    ("Tæller STU?", ["saerligt_tilbud"]),
    ("Kan VEU tælle med?", ["saerligt_tilbud"]),
    ("Tæller det som beskæftigelse, at borgeren går til fitness?", ["saerligt_tilbud"]),
    ("Tæller fitness på bostedet som beskæftigelse?", ["anvendelighed", "saerligt_tilbud"]),
    ("Tæller STU for en elev på en efterskole?", ["anvendelighed", "saerligt_tilbud"]),
    ("Hvilken score får 1.b, når 6 af 10 borgere er i job og 2 er på folkepension?",
     ["indikator", "score_1b", "folkepension"]),
    ("Hvordan scorer man 1b?", ["indikator", "score_1b"]),
    ("12 borgere, 6 er i arbejde – hvilken score?", ["score_1b"]),
    ("Hvad gør vi med borgere på folkepension?", ["folkepension"]),
    ("Hvordan håndteres foertidspension?", ["foertidspension"]),
    ("Borgere der er sygemeldt fra deres job – tæller de?", ["saerligt_tilbud", "midlertidigt_fravaer"]),
    ("Hvad med midlertidigt fraværende borgere?", ["midlertidigt_fravaer"]),
    ("Tæller en borger i misbrugsbehandling, der kan vende tilbage til sit arbejde?",
     ["saerligt_tilbud", "midlertidigt_fravaer"]),
    ("Hvad laver beboerne under opholdet på forsorgshjemmet?", ["anvendelighed"]),
    ("Tæller medfølgende børn i børnehave?", ["saerligt_tilbud", "medfoelgende_boern"]),
    ("medfoelgende boern", ["medfoelgende_boern"]),
    ("Hvad med børn på krisecenter?", ["anvendelighed", "medfoelgende_boern"]),
    ("Hvad betyder en score på 3?", ["skala"]),
    ("Hvad betyder score 3 på indikator 2.a?", ["indikator", "skala"]),
    ("Hvilken skala bruges ved driftsorienteret tilsyn?", ["skala"]),
    ("Hvordan bedømmes indikatorerne ved godkendelse?", ["skala"]),
    ("hvad betyder i hoej grad opfyldt", ["skala"]),
    ("Hvornår skal et tilbud godkendes?", []),
    ("Hvilke indikatorer hører til kriterium 2?", ["kriterium"]),
    ("hvad siger kriterie 10", ["kriterium"]),
    ("Hvad siger indikator 13.a?", ["nummerering"]),
    ("kriterium 11", ["nummerering"]),
    ("Hvilke kriterier hører til tema sundhed og trivsel?", ["tema"]),
    ("hvad bestaar temaet kompetencer af", ["tema"]),
    ("Hvilken forståelse af uddannelse og beskæftigelse bygger indikatorerne på?", []),
    ("Hvorfor springer nummereringen fra kriterium 10 til kriterium 14?", ["kriterium", "kriterium", "nummerering"]),
    ("Hvordan beregnes temascoren?", ["gennemsnit"]),
    ("hvordan udregnes kriteriets vaerdi", ["gennemsnit"]),
    ("Hvordan tegnes spindelvævet?", ["gennemsnit"]),
    ("1.a fik 4 og 1.b fik 2 – hvad bliver kriteriescoren?", ["indikator", "indikator", "gennemsnit"]),
    ("Hvad er den gennemsnitlige alder på krisecentre?", ["anvendelighed"]),
    ("Hvad er gennemsnittet af borgere i job?", []),
    ("Hvad er vejret i morgen?", []),
    ("Hvordan skriver man en god rapport?", []),
    ("1.c", []),
    ("", []),
]


@pytest.mark.parametrize("question,types", QUESTIONS, ids=[q[:40] or "tom" for q, _ in QUESTIONS])
def test_question_triggers_cards(question, types):
    cards = rule_cards(question)
    assert [c["type"] for c in cards] == types
    for c in cards:
        assert {"type", "titel", "resultat", "begrundelse", "kilde"} <= set(c)
        assert c["titel"] and c["resultat"] and c["kilde"]["citat"]


def test_pair_card_gives_the_verdict():
    [card] = rule_cards("Gælder indikator 3.c for et krisecenter?")
    assert card["resultat"] == "Nej – indikator 3.c gælder ikke for krisecenter."
    assert card["kilde"]["citat"].startswith("Indikator 3.c. gælder ikke:")
    [card] = rule_cards("Gælder 3.a for et krisecenter?")
    assert card["resultat"].startswith("Ja")
    [card] = rule_cards("gælder 14.c for en døgninstitution")
    assert card["resultat"].startswith("Det afhænger af tilbuddet")
    [card] = rule_cards("Gælder 8.c for et privat opholdssted med en bestyrelse?")
    assert card["resultat"].startswith("Ja")
    [card] = rule_cards("Gælder 8.c for et opholdssted?")
    assert card["resultat"].startswith("Det afhænger")


def test_ambiguous_tilbudstype_with_same_verdict_shares_a_card():
    [card] = rule_cards("Gælder 14.c for et botilbud?")
    assert card["resultat"].startswith("Ja")
    assert {t["id"] for t in card["detaljer"]["tilbudstyper"]} == {"botilbud_107", "botilbud_108"}


def test_efterskole_question_about_1b_says_1b_does_not_apply():
    cards = rule_cards("Tæller STU for en elev på en efterskole?")
    assert cards[0]["resultat"].startswith("Nej – indikator 1.b gælder ikke")


def test_activity_card_carries_the_verdict():
    card = rule_cards("Tæller recovery-skole på 1.b?")[1]
    assert card["resultat"].startswith("Tæller ikke")
    assert card["detaljer"]["omfattet"] is False
    assert rule_cards("Er § 103 omfattet?")[0]["resultat"].startswith("Tæller på indikator 1.b")
    assert rule_cards("Tæller et værested?")[0]["resultat"].startswith("Kan ikke afgøres")


def test_score_card_computes_from_numbers_in_the_question():
    card = next(c for c in rule_cards("Hvilken score får 1.b, når 6 af 10 borgere er i job og 2 er på folkepension?")
                if c["type"] == "score_1b")
    assert card["detaljer"]["score"] == 4 and card["detaljer"]["naevner"] == 8
    assert "kb's læsning" in card["begrundelse"]
    card = next(c for c in rule_cards("Hvordan scorer man 1b?") if c["type"] == "score_1b")
    assert [t["score"] for t in card["detaljer"]["taerskler"]] == [5, 4, 3, 2, 1]
    card = rule_cards("11 af 10 borgere er i job – hvilken score?")[0]
    assert card["resultat"] == "Kan ikke beregnes ud fra tallene."


def test_average_card_quotes_the_model_and_works_out_the_scores_it_is_given():
    """Kriterium = mean of its indikatorer, tema = mean of its kriterier, as the Kvalitetsmodel says; an
    indicator that does not apply to the tilbudstype is left out, not averaged in."""
    [card] = rule_cards("Hvordan beregnes temascoren?")
    assert "gennemsnit af henholdsvis indikatorernes og kriteriernes værdier" in card["kilde"]["citat"]
    assert "detaljer" not in card
    card = rule_cards("Indikator 3.a: 4, 3.b: 2, 3.c: 5, 3.d = 3. Hvad bliver gennemsnittet for et krisecenter?")[-1]
    assert card["type"] == "gennemsnit"
    assert card["detaljer"]["kriterier"] == {"3": 3.0} and card["detaljer"]["udeladt"] == ["3.c"]
    assert "kriterium 3: 3,00" in card["resultat"] and "3.c" in card["begrundelse"]
    card = rule_cards("2.a fik 5, 2.b fik 3 og 8.a fik 2. Hvad er gennemsnittet?")[-1]
    assert card["detaljer"]["kriterier"] == {"2": 4.0, "8": 2.0}
    # Only the scored criteria's missing indicators are named, not the whole model's.
    assert "2.c" in card["begrundelse"] and "1.a" not in card["begrundelse"]
    # A score outside 1–5 is not a score: the card then explains the rule without numbers.
    card = rule_cards("1.a fik 7 og 1.b fik 9 – hvad bliver kriteriescoren?")[-1]
    assert card["type"] == "gennemsnit" and "detaljer" not in card


def test_scale_card_names_the_score_asked_about_and_the_approvals_verdicts():
    [card] = rule_cards("Hvad betyder en score på 3?")
    assert card["resultat"].startswith("Score 3 betyder »I middel grad opfyldt«")
    assert card["kilde"]["citat"] == "Ved det driftsorienterede tilsyn bedømmes indikatorerne efter følgende skala:"
    [card] = rule_cards("Hvad betyder i meget høj grad opfyldt?")
    assert card["resultat"].startswith("Score 5 betyder")
    [card] = rule_cards("Hvordan bedømmes indikatorerne ved godkendelse?")
    assert card["resultat"].startswith("Ved godkendelse gives ingen score")
    assert "Tilbuddet forventes ikke at kunne opfylde indikatoren" in card["resultat"]
    assert card["kilde"]["section"] == "Bedømmelse af kvalitetsmodellens indikatorer og kriterier ved godkendelse"


def test_tema_card_lists_its_criteria_and_indicators_with_its_notes():
    [card] = rule_cards("Hvilke indikatorer er der under temaet organisation og ledelse?")
    assert card["detaljer"] == {"kriterier": ["8", "9"], "indikatorer": ["8.a", "8.b", "8.c", "9.a", "9.b", "9.c"]}
    assert card["begrundelse"].startswith("Anvendelighed: Temaet Organisation og ledelse gælder ikke for efterskoler")
    assert card["kilde"]["section"] == "Tema: Organisation og ledelse"


def test_criterion_card_lists_its_indicators_and_a_missing_number_is_explained():
    [card] = rule_cards("Hvilke indikatorer hører til kriterium 2?")
    assert card["detaljer"]["indikatorer"] == ["2.a", "2.b", "2.c", "2.f"]
    assert card["kilde"]["citat"].startswith("Kriterium 2: Tilbuddet styrker borgernes kompetencer")
    [card] = rule_cards("Hvad siger indikator 13.a?")
    assert card["titel"] == "Indikator 13.a findes ikke i Kvalitetsmodellen"
    assert "temaet Økonomi" in card["kilde"]["citat"]
    [card] = rule_cards("kriterium 11")
    assert "har intet kriterium 11" in card["resultat"]


@pytest.mark.parametrize(
    "question,counts",
    [
        ("6 af 10 borgere er i job", {"borgere": 10, "i_aktivitet": 6, "folkepension_uden_aktivitet": 0}),
        ("6 af 10 borgere er i job og 2 er på folkepension", {"borgere": 10, "i_aktivitet": 6,
                                                              "folkepension_uden_aktivitet": 2}),
        ("12 borgere, 6 er i arbejde", {"borgere": 12, "i_aktivitet": 6, "folkepension_uden_aktivitet": 0}),
        ("Hvordan scorer man 1.b?", None),
    ],
)
def test_parse_counts(question, counts):
    assert parse_counts(question) == counts


@pytest.mark.parametrize(
    "text,ids",
    [
        ("1.b", ["1.b"]), ("1b og 2.c", ["1.b", "2.c"]), ("indikator 3 c", ["3.c"]), ("1. b", ["1.b"]),
        ("14.c", ["14.c"]), ("Kriterium 7.a", ["7.a"]), ("§ 101 a", []), ("§ 66, stk. 1, nr. 5", []),
        ("1 af borgerne", []), ("1.c", []), ("2014", []), ("10.b.", ["10.b"]),
    ],
)
def test_indicator_ids(text, ids):
    assert indicator_ids(text) == ids


@pytest.mark.parametrize(
    "question",
    ["§", "§§§ 1.b 1b 1 b", "æøå" * 500, "1" * 2000, "\x00\n\t", "Gælder ? for !!!", "a" * 10000, "😀 krisecenter",
     "0 af 0 borgere", "5 af 3 borgere på folkepension", "indikator 99.z", None, 42],
)
def test_never_raises_on_arbitrary_text(question):
    assert isinstance(rule_cards(question), list)


def test_format_card_is_plain_danish_text_with_the_quote():
    card = rule_cards("Gælder 14.c for et forsorgshjem?")[0]
    text = format_card(card)
    assert text.splitlines()[0] == "■ Gælder indikator 14.c for forsorgshjem eller herberg?"
    assert "Nej – indikator 14.c gælder ikke" in text
    assert "Kilde: Socialstyrelsen: Kvalitetsmodel for socialtilsyn" in text and "uden sidetal" in text
    assert "- Forsorgshjem oprettet efter servicelovens § 110." in text
    text = format_card(rule_cards("Tæller recovery-skole?")[0])
    assert "s. 17" in text and "»Aktiviteter på eller uden for tilbuddet" in text


def test_practice_cases_are_answered_by_the_engine():
    cases = practice_cases()
    assert len(cases) >= 15
    assert {"anvendelighed", "saerligt_tilbud", "score_1b", "folkepension", "skala", "gennemsnit"} <= {
        c["type"] for c in cases
    }
    assert len({c["id"] for c in cases}) == len(cases)
    for c in cases:
        assert {"id", "spoergsmaal", "svarmuligheder", "korrekt", "forklaring", "kilde"} <= set(c)
        assert c["korrekt"] in c["svarmuligheder"] and c["forklaring"] and c["kilde"]["citat"]
    by_id = {c["id"]: c for c in cases}
    assert by_id["anvendelighed-3.c-ambulant_stofmisbrugsbehandling"]["korrekt"] == "Nej, den gælder ikke"
    assert by_id["anvendelighed-8.c-opholdssted-privat"]["korrekt"] == "Ja, den gælder"
    assert by_id["anvendelighed-14.c-doegninstitution"]["korrekt"] == "Det afhænger af tilbuddet"
    recovery = next(c for c in cases if "recovery-skole" in c["spoergsmaal"])
    assert recovery["korrekt"] == "Nej, det tæller ikke"
    assert saerligt_tilbud(recovery["spoergsmaal"].split(" Tæller")[0])["omfattet"] is False
    pension = next(c for c in cases if c["type"] == "folkepension")
    assert pension["kilde"]["section"] == "Borgere med folkepension"
    # A kriterium's average leaves out the indicator that does not apply; the naive mean is a wrong option.
    krise = next(c for c in cases if c["type"] == "gennemsnit" and "krisecenter" in c["spoergsmaal"])
    assert krise["korrekt"] == "3,00" and "3,50" in krise["svarmuligheder"]
    assert "3.c gælder ikke for krisecenter" in krise["forklaring"]
    assert by_id["skala-2"]["korrekt"] == "2 – I lav grad opfyldt"
