"""Særligt tilbud for indikator 1.b: each category of the vejledning, both ways, with its quote."""

from __future__ import annotations

import pytest

from kb.errors import KbError
from kb.rules import saerligt_overview, saerligt_tilbud

S1 = "1. Alene tilbud inden for lovgivningens rammer er omfattet"
S2 = "2. Sociale tilbuds egne aktiviteter er ikke omfattet"
S3 = "3. Omfanget af borgernes uddannelse eller beskæftigelse har ikke betydning"

# (description, omfattet, kategori_id, section of the first kilde)
CASES = [
    # Særlige uddannelsestilbud: only STU, specialundervisning for voksne, jobrettet VEU and the like
    ("Borgeren går på STU.", True, "saerligt_uddannelsestilbud", S1),
    ("Borgeren modtager specialundervisning for voksne.", True, "saerligt_uddannelsestilbud", S1),
    ("Borgeren tager et jobrettet VEU-kursus.", True, "saerligt_uddannelsestilbud", S1),
    ("Botilbuddet har selv etableret undervisning i dansk for beboerne.", False, "egne_aktiviteter", S2),
    ("Borgeren ønsker at komme på STU.", None, "hensigt", "Anbefalinger til bedømmelse af indikator 1.b"),
    # Særlige beskæftigelsestilbud: § 103 and § 104, stk. 2
    ("Borgeren er i beskyttet beskæftigelse efter servicelovens § 103.", True, "saerligt_beskaeftigelsestilbud", S1),
    ("Særligt tilrettelagt beskæftigelsesforløb efter § 104, stk. 2", True, "saerligt_beskaeftigelsestilbud", S1),
    ("Borgeren er i beskyttet beskaeftigelse", True, "saerligt_beskaeftigelsestilbud", S1),
    ("Borgeren arbejder i tilbuddets køkken.", None, "egen_regi_arbejde", S2),
    # Unge-tilbud efter beskæftigelseslovgivningen: removed in the 2. udgave
    ("Særligt beskæftigelsestilbud for unge efter beskæftigelsesloven", False, "unge_beskaeftigelseslov",
     "Kolofon (2. udgave)"),
    ("Den unge er i et tilbud efter beskaeftigelseslovgivningen", False, "unge_beskaeftigelseslov",
     "Kolofon (2. udgave)"),
    # Samværs- og aktivitetstilbud: only within § 104
    ("Borgeren kommer i et aktivitets- og samværstilbud efter § 104.", True, "samvaers_aktivitetstilbud", S1),
    ("Borgeren går i et § 104-tilbud tre dage om ugen.", True, "samvaers_aktivitetstilbud", S1),
    ("Borgeren kommer på et værested i byen.", None, "muligt_103_104", S1),
    ("Botilbuddet har sit eget aktivitetstilbud i kælderen.", None, "muligt_103_104", S1),
    # The tilbud's own activities do not count – unless inside § 103/§ 104
    ("Borgeren går på en recovery-skole, som botilbuddet selv driver.", False, "egne_aktiviteter", S2),
    ("Recoverykurser på bostedet", False, "egne_aktiviteter", S2),
    ("Borgeren deltager i ADL-træning på bostedet.", False, "egne_aktiviteter", S2),
    ("Botilbuddet holder kreative aktiviteter for beboerne.", False, "egne_aktiviteter", S2),
    ("Sociale aktiviteter som fællesspisning", False, "egne_aktiviteter", S2),
    ("Fysiske aktiviteter i tilbuddets træningsrum", False, "egne_aktiviteter", S2),
    ("Tilbuddets egen recovery-skole, som er godkendt efter § 104", True, "samvaers_aktivitetstilbud", S1),
    ("ADL-træning i et § 103-tilbud", True, "saerligt_beskaeftigelsestilbud", S1),
    ("Borgeren går på kommunens recovery-skole.", None, "ekstern_recovery", S2),
    # Ordinary work and education count whatever the extent
    ("Borgeren arbejder 4 timer om ugen i et supermarked.", True, "ordinaer_beskaeftigelse", S3),
    ("Borgeren har et fuldtidsjob.", True, "ordinaer_beskaeftigelse", S3),
    ("Borgeren er i fleksjob.", True, "ordinaer_beskaeftigelse", "Anbefalinger til bedømmelse af indikator 1.b"),
    ("Borgeren går på gymnasiet.", True, "ordinaer_uddannelse", "Anbefalinger til bedømmelse af indikator 1.b"),
    ("Borgeren bor på bostedet og har job i Netto.", True, "ordinaer_beskaeftigelse",
     "Anbefalinger til bedømmelse af indikator 1.b"),
    ("Borgeren går til fitness og har et job.", True, "ordinaer_beskaeftigelse",
     "Anbefalinger til bedømmelse af indikator 1.b"),
    ("Borgeren er ikke i job.", None, "ukendt", S1),
    ("Borgeren laver frivilligt arbejde i en genbrugsbutik.", None, "frivilligt_arbejde",
     "5. Støtte til at deltage i meningsfulde aktiviteter"),
    ("Borgeren er i virksomhedspraktik.", None, "beskaeftigelsesindsats", "Kolofon (2. udgave)"),
    # Grundskole: counts, but its extent is set by law
    ("Barnet går i folkeskole.", True, "grundskoletilbud", "Tema: Uddannelse og beskæftigelse"),
    ("Barnet går i folkeskole med nedsat skema.", None, "grundskole_omfang", S3),
    # Temporarily absent counts as being in it
    ("Kvinden er sygemeldt fra sit job under opholdet på krisecentret og kan vende tilbage bagefter.", True,
     "midlertidigt_fravaer", "Borgere, der er midlertidigt fraværende fra deres uddannelse eller beskæftigelse"),
    ("Borgeren har orlov fra sin uddannelse, mens han er i misbrugsbehandling.", True, "midlertidigt_fravaer",
     "Borgere, der er midlertidigt fraværende fra deres uddannelse eller beskæftigelse"),
    ("Borgeren er indlagt og midlertidigt fraværende fra sit arbejde.", True, "midlertidigt_fravaer",
     "Borgere, der er midlertidigt fraværende fra deres uddannelse eller beskæftigelse"),
    ("Borgeren er sygemeldt fra sit job og kan ikke vende tilbage.", None, "fravaer_uafklaret",
     "Borgere, der er midlertidigt fraværende fra deres uddannelse eller beskæftigelse"),
    ("Borgeren er sygemeldt.", None, "fravaer_uafklaret",
     "Borgere, der er midlertidigt fraværende fra deres uddannelse eller beskæftigelse"),
    # Medfølgende børn: dag- or grundskoletilbud outside the krisecenter, not care by mothers or the krisecenter
    ("Det medfølgende barn fortsætter i sin sædvanlige folkeskole.", True, "grundskoletilbud",
     "Dagtilbud og skole til medfølgende børn på voksentilbud"),
    ("Det medfølgende barn går i børnehave nær krisecentret.", True, "dagtilbud",
     "Dagtilbud og skole til medfølgende børn på voksentilbud"),
    ("Barnet går i vuggestue, mens moren bor på krisecentret.", True, "dagtilbud",
     "Dagtilbud og skole til medfølgende børn på voksentilbud"),
    ("Det medfølgende barn er midlertidigt fraværende fra sin skole under opholdet.", True, "grundskoletilbud",
     "Dagtilbud og skole til medfølgende børn på voksentilbud"),
    ("Det medfølgende barn får undervisning af krisecentrets personale.", False, "medfoelgende_egen_pasning",
     "Dagtilbud og skole til medfølgende børn på voksentilbud"),
    ("Moren passer selv sit medfølgende barn på krisecentret.", False, "medfoelgende_egen_pasning",
     "Dagtilbud og skole til medfølgende børn på voksentilbud"),
    ("Barnet går i skole på krisecentret.", False, "medfoelgende_egen_pasning",
     "Dagtilbud og skole til medfølgende børn på voksentilbud"),
    ("Det medfølgende barn er på krisecentret.", None, "boern_uafklaret",
     "Dagtilbud og skole til medfølgende børn på voksentilbud"),
    # Nothing to decide from
    ("Borgeren ser fjernsyn.", None, "ukendt", S1),
]


@pytest.mark.parametrize("text,omfattet,kategori,section", CASES, ids=[c[0][:45] for c in CASES])
def test_case(text, omfattet, kategori, section):
    r = saerligt_tilbud(text)
    assert (r["omfattet"], r["kategori_id"]) == (omfattet, kategori), r["begrundelse"]
    assert r["kilde"]["section"] == section
    assert r["kilde"] == r["kilder"][0]
    assert r["begrundelse"] and r["kategori"]
    if omfattet is None:
        assert r["hvad_undersoeges"]
    else:
        assert "hvad_undersoeges" not in r


def test_each_counting_category_is_decided_both_ways():
    results = {(saerligt_tilbud(t)["kategori_id"], saerligt_tilbud(t)["omfattet"]) for t, *_ in CASES}
    for kategori in ["saerligt_uddannelsestilbud", "saerligt_beskaeftigelsestilbud", "samvaers_aktivitetstilbud",
                     "ordinaer_beskaeftigelse", "grundskoletilbud", "dagtilbud", "midlertidigt_fravaer"]:
        assert (kategori, True) in results
    for kategori in ["egne_aktiviteter", "unge_beskaeftigelseslov", "medfoelgende_egen_pasning"]:
        assert (kategori, False) in results


def test_own_activities_name_the_legal_frame_exception_and_quote_it():
    r = saerligt_tilbud("recovery-skole på botilbuddet")
    assert "§ 103 eller § 104" in r["begrundelse"]
    citater = [k["citat"] for k in r["kilder"]]
    assert any("recovery-skole/-kurser" in c for c in citater)
    assert any("med mindre de ligger inden for en formel lovgivningsmæssig ramme" in c for c in citater)
    assert r["kilde"]["page"] == 17


def test_legal_frame_wins_over_own_regi_and_says_so():
    r = saerligt_tilbud("Botilbuddet driver selv et beskyttet værksted efter § 103.")
    assert r["omfattet"] is True
    assert "formel lovgivningsmæssig ramme" in r["begrundelse"]
    assert r["kilde"]["page"] == 16


def test_extent_does_not_matter_and_is_quoted():
    r = saerligt_tilbud("Borgeren arbejder 2 timer om ugen.")
    assert r["omfattet"] is True and "få timer om ugen til fuld tid" in r["begrundelse"]
    assert "fra få timer om ugen til fuld tid" in r["kilde"]["citat"]


def test_text_without_danish_letters():
    assert saerligt_tilbud("beskyttet beskaeftigelse efter paragraf 103")["omfattet"] is True
    assert saerligt_tilbud("medfoelgende boern passes af moren")["omfattet"] is False


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_text_is_an_error(text):
    with pytest.raises(KbError, match="Beskriv aktiviteten"):
        saerligt_tilbud(text)


def test_overview_lists_what_counts_and_what_does_not():
    o = saerligt_overview()
    assert set(o) == {"titel", "omfattet", "ikke_omfattet", "saerregler"}
    omfattet = {c["kategori"]: c for c in o["omfattet"]}
    ikke = {c["kategori"]: c for c in o["ikke_omfattet"]}
    assert "Særligt uddannelsestilbud" in omfattet
    assert any("STU" in e for e in omfattet["Særligt uddannelsestilbud"]["eksempler"])
    beskaeftigelse = omfattet["Særligt beskæftigelsestilbud (servicelovens § 103 og § 104, stk. 2)"]
    assert any("§ 103" in e for e in beskaeftigelse["eksempler"])
    assert any("§ 104" in e for e in omfattet["Samværs- og aktivitetstilbud (servicelovens § 104)"]["eksempler"])
    assert any("Recovery" in e for e in ikke["Tilbuddets egne aktiviteter"]["eksempler"])
    assert any("2. udgave" in e for c in ikke.values() for e in c["eksempler"])
    assert [r["titel"] for r in o["saerregler"]] == [
        "Folkepension", "Førtidspension", "Midlertidigt fraværende", "Omfang", "Grundskoletilbud", "Medfølgende børn"
    ]
    for entry in o["omfattet"] + o["ikke_omfattet"] + o["saerregler"]:
        assert entry["kilde"]["citat"]
