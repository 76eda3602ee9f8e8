"""Ingestion of the five real sources: cleaning, structure, pages."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kb.ingest.plaintext import text_to_blocks
from kb.ingest.structure import plain_heading
from kb.text import norm_match

SUSPENDED_NEXT = {"og", "eller", "samt", "som", "til", "hhv", "men", "end"}


def chunk_with(chunks, source, phrase):
    want = norm_match(phrase)
    found = [c for c in chunks[source] if want in norm_match(c.text)]
    assert found, f"no chunk of {source} contains {phrase!r}"
    return found[0]


def test_all_sources_ingest(documents):
    assert set(documents) == {"vejledning", "vive", "billund", "bostoette", "kvalitetsmodel"}
    for doc in documents.values():
        assert len(doc.text) > 15_000
        assert any(b.kind == "heading" for b in doc.blocks)


@pytest.mark.parametrize("source", ["vive", "billund", "bostoette"])
def test_no_line_break_hyphens_left(documents, source):
    text = documents[source].text
    broken = [
        m.group(0) for m in re.finditer(r"\b([a-zæøå]+)- ([a-zæøå]+)", text)
        if m.group(2) not in SUSPENDED_NEXT
    ]
    assert broken == []
    # A word the KORA extraction split over two lines ("til-" / "budsviften") is whole again.
    if source == "billund":
        assert "tilbudsviften fremadrettet" in text
        assert "til- budsviften" not in text and "til-budsviften" not in text


def test_suspended_hyphens_stay(documents):
    assert "uddannelses- og beskæftigelsestilbud" in documents["vejledning"].text
    assert "uddannelses- og beskæftigelsestilbud" in documents["vive"].text or (
        "uddannelses- eller beskæftigelses" in documents["vive"].text
    )


def test_reflowed_paragraphs(documents):
    # KORA has an empty line after every line; the paragraph must read as one.
    text = documents["billund"].text
    assert "Der er et stigende fokus i samfundet på at sikre, at alle unge får mulighed for at gennemføre en " \
           "ungdomsuddannelse" in text


def test_vejledning_sections_and_toc_pages(chunks):
    c = chunk_with(chunks, "vejledning", "Aktiviteter på eller uden for tilbuddet, som tilbuddene selv iværksætter")
    assert c.section == [
        "Brug af kvalitetsmodellen ved vurdering af uddannelse og beskæftigelse",
        "Særlige uddannelses- og beskæftigelsestilbud omfattet af temaet",
        "2. Sociale tilbuds egne aktiviteter er ikke omfattet",
    ]
    assert c.page == 17
    c = chunk_with(chunks, "vejledning", "Personer med alvorlig psykisk lidelse vurderer")
    assert c.section[1].startswith("3. Uddannelse og beskæftigelse er et vigtigt element")
    assert c.page == 7


def test_vive_numbered_headings_and_pages(chunks):
    c = chunk_with(chunks, "vive", "Case-beskrivelserne bygger på interview med i alt 14 ledere og medarbejdere")
    assert c.page is not None
    headings = {" › ".join(ch.section) for ch in chunks["vive"]}
    assert any(h.startswith("3 Erfaringer med at understøtte") and "3.3 At skabe fokus" in h for h in headings)


def test_no_pages_invented_where_unknown(chunks):
    assert all(c.page is None for c in chunks["billund"])
    assert all(c.page is None for c in chunks["bostoette"])
    assert all(c.page is None for c in chunks["kvalitetsmodel"])


def test_kvalitetsmodel_structure(chunks):
    c = chunk_with(chunks, "kvalitetsmodel", "Indikator 2.b gælder ikke sikrede døgninstitutioner")
    assert c.section == ["Tema: Selvstændighed og relationer", "Kriterium 2", "Indikator 2.b"]
    assert "Indikator 2.b: Borgerne indgår i sociale aktiviteter" in c.text
    # The source's slip "Kriterium 7.a" is read as the indicator it is.
    c = chunk_with(chunks, "kvalitetsmodel", "Tilbuddets pædagogiske indsats understøtter, at der ikke forekommer vold")
    assert c.section[-1] == "Indikator 7.a"
    # The note on the whole tema sits inside that tema.
    c = chunk_with(chunks, "kvalitetsmodel", "Temaet Organisation og ledelse gælder ikke for efterskoler")
    assert c.section[0] == "Tema: Organisation og ledelse"


def test_toc_is_not_searchable(chunks):
    for c in chunks["vejledning"]:
        assert "Indhold" not in c.section
        assert not re.search(r"\.{5,}\s*\d+$", c.text, re.M)


def test_reference_lists_are_searchable(chunks):
    """A policy writer looks up what a note number refers to, so the reference lists are indexed."""
    c = chunk_with(chunks, "vejledning", "18. Benjaminsen, Lars, Henriksen, Theresa Dyrvig og Gliese, Torben")
    assert c.section == ["Referencer"]
    c = chunk_with(chunks, "vive", "Kvalitet i bostøtte – Et litteraturstudie")
    assert c.section == ["Litteratur"]


def test_chunks_stay_inside_sections_and_size(documents, chunks):
    for sid, cs in chunks.items():
        text = documents[sid].text
        for c in cs:
            assert text[c.start : c.end].strip() == c.text
            assert len(c.text.split()) <= 200


def test_no_searchable_text_is_lost(documents, chunks):
    """Every paragraph and heading outside the TOC lies inside some passage: a heading with no text of its
    own before its first sub-heading ("4 Metode" / "4.1 Litteraturkortlægning") opens that passage."""
    for sid, doc in documents.items():
        spans = [(c.start, c.end) for c in chunks[sid]]
        for b in doc.blocks:
            if not b.skip:
                assert any(s <= b.start and b.end <= e for s, e in spans) or any(
                    s < b.end and b.start < e for s, e in spans
                ), (sid, b.text[:60])


def test_colophon_after_references_is_searchable(chunks):
    phrase = "særlige beskæftigelsestilbud for unge efter beskæftigelseslovgivningen ikke længere"
    c = chunk_with(chunks, "vejledning", phrase)
    assert "2. udgaven (2024) er identisk med 1. udgaven (2023)" in c.text


def test_a_footnote_with_several_lines_does_not_split_its_paragraph(documents):
    """VIVE's footnote 3 (a lead-in and two URLs) sits between the halves of a paragraph in the source."""
    text = documents["vive"].text
    assert "kan rumme et bredt spektrum af aktiviteter" in text
    footnote = next(p for p in text.split("\n\n") if p.startswith("³ Se eksempelvis"))
    assert footnote.count("https://") == 2 and "spektrum" not in footnote


def test_single_line_footnotes_stay_single_blocks():
    raw = "Første afsnit slutter midt i en\n\n¹ En kort note.\n\nsætning, der fortsætter her.\n\nNyt afsnit."
    blocks, _ = text_to_blocks(raw, Counter())
    assert [b.text for b in blocks] == [
        "Første afsnit slutter midt i en sætning, der fortsætter her.",
        "¹ En kort note.",
        "Nyt afsnit.",
    ]


def test_chapter_headings_wrapped_by_large_type_are_whole(chunks):
    """The reports' chapter titles wrap onto a second line in lower case; the section keeps both."""
    c = chunk_with(chunks, "bostoette", "den største del af bostøttemedarbejderne (57 %) har en mellemlang uddannelse")
    assert c.section[0] == "2 Præsentation af litteratur: Hvordan understøttes god kvalitet i bostøtte?"
    assert c.section[1].startswith("2.8 Kompetencer")
    c = chunk_with(chunks, "billund", "Billund kommune har en lang række tilbud til unge mellem 15 og 30 år")
    assert c.section[0] == "2 Billund Kommunes nuværende tilbud til målgruppen"


def test_notes_and_table_rows_are_not_chapters(chunks):
    """A numbered note running the full width ("8 Støttende relationer …") or a numbered reference row
    ("64 Inklusion af utilpassede …") is text; it neither names a section nor swallows the next ones."""
    for source in ("billund", "bostoette"):
        chapters = {c.section[0] for c in chunks[source] if c.section and re.match(r"\d", c.section[0])}
        numbers = sorted(int(h.split()[0]) for h in chapters)
        assert numbers == list(range(1, len(numbers) + 1)), chapters
    note = chunk_with(chunks, "bostoette", "Støttende relationer er oftere envejs med brugeren som modtager")
    assert "selv giver og bidrager til relationen" in note.text
    assert not any(h.startswith("8 ") for h in note.section)


def test_numbered_line_running_on_in_lower_case():
    width = "Et afsnit med almindelig tekst, som fylder hele linjens bredde ud, sådan som brødtekst gør det."
    raw = (
        f"{width}\n{width}\n\n"
        "3 Resultater af\nundersøgelsen\n\nTeksten under kapitlet begynder her.\n\n"
        "8 En note, der løber over hele bredden, ganske som brødteksten gør, og fortsætter med\n"
        "små bogstaver på næste linje.\n\nNyt afsnit."
    )
    blocks, _ = text_to_blocks(raw, Counter())
    assert [(b.kind, b.text) for b in blocks[1:]] == [
        ("heading", "3 Resultater af undersøgelsen"),
        ("para", "Teksten under kapitlet begynder her."),
        ("para", "8 En note, der løber over hele bredden, ganske som brødteksten gør, og fortsætter med "
                 "små bogstaver på næste linje."),
        ("para", "Nyt afsnit."),
    ]


def test_references_and_web_addresses_are_not_titles():
    assert plain_heading("Eksempel: Connecting People Project")
    reference = "Connecting People Project (2018). Connecting PEOPLE Practice Guidance. York: University of"
    assert not plain_heading(reference)
    assert not plain_heading("SCIE – Social Care Institute for Excellence (UK) https://www.scie.org.uk/atoz")
    assert not plain_heading("Bilagsfigur B1.1 Diagram over søge-, screenings-, klassifikations- og inklusionsproces")


def test_list_items_that_lost_their_bullets_are_not_titles(chunks):
    """Bostøtte's list of the field's traits lost its bullets in extraction; its items stay text."""
    sections = {h for c in chunks["bostoette"] for h in c.section}
    items = {"Frivillighed i indsatsen", "Kompetencer", "Sammenhæng", "Fase 3: Klassifikation og udvælgelse af studier"}
    assert not sections & items
    c = chunk_with(chunks, "bostoette", "Fraværet af kollegaer i mødet med borgeren")
    assert "Fraværet af kollegaer i mødet med borgeren, som får støtte\n\nFrivillighed i indsatsen\n\n" in c.text
    assert c.section[-1] == "2.8 Kompetencer"
    # A real subheading directly above its text is still a title.
    c = chunk_with(chunks, "bostoette", "Social Færdighedstræning (SFT) er en pædagogisk metode")
    assert c.section[-1] == "Social Færdighedstræning"


def test_a_run_of_short_lines_is_a_list_and_a_title_over_text_is_a_title():
    width = "Et afsnit med almindelig tekst, som fylder hele linjens bredde ud, sådan som brødtekst gør det."
    raw = (
        f"{width}\nog slutter med en liste:\n\n"
        "Mødet med borgeren\nEt fokus på hverdagen\nSædvanligvis tæt kontakt.\n\n"
        f"Social Færdighedstræning\n{width}\n"
    )
    blocks, _ = text_to_blocks(raw, Counter())
    assert [(b.kind, b.text) for b in blocks[1:]] == [
        ("para", "Mødet med borgeren"),
        ("para", "Et fokus på hverdagen"),
        ("para", "Sædvanligvis tæt kontakt."),
        ("heading", "Social Færdighedstræning"),
        ("para", width),
    ]


def test_inline_html_is_removed(documents):
    assert "<i>" not in documents["vive"].text and "</i>" not in documents["vive"].text
    assert "Kvalitet på botilbud (Rasmussen et al., 2020)" in documents["vive"].text


def test_table_cells_are_not_titles(chunks):
    """Billund's tables of tilbud run from "Tabel 2.x …" to "Kilde: …"; their short cells ("Alle aldre",
    "Sundhedsplejersken tager typisk kontakt …") no longer name the sections of the text after them."""
    c = chunk_with(chunks, "billund", "Den samlede tilbudsvifte i Billund Kommune for unge i aldersgruppen 15-30 år")
    assert c.section == ["2 Billund Kommunes nuværende tilbud til målgruppen"]
    c = chunk_with(chunks, "billund", "De mange samarbejdsrelationer medfører også")
    assert c.section == ["2 Billund Kommunes nuværende tilbud til målgruppen", "2.1 Samarbejde og koordination"]
    # The appendices' own titles still stand after their tables.
    assert any(c.section[:1] == ["Bilag 6 Litteratur"] for c in chunks["billund"])
    assert any(c.section[:1] == ["Bilag 2 Søgeprotokol"] for c in chunks["bostoette"])


def test_a_table_runs_from_its_caption_to_its_source_line():
    raw = (
        "Tabel 2.1 Tilbud – Socialområdet\n\nUnge\n\nFamilieindsatsen SEL § 11\n\nAlle aldre\n\n"
        "Headspace 12-25 år\n\nKilde: Opgørelse fra skabelon\n\nEfter tabellen\n\nDen samlede tilbudsvifte er bred."
    )
    blocks, _ = text_to_blocks(raw, Counter())
    assert [b.text for b in blocks if b.kind == "heading"] == ["Efter tabellen"]


def test_tables_are_cited_by_their_captions(chunks):
    """Billund's Bilag 8 is thirteen prose tables back to back; each passage is cited under its own
    table, and no passage runs from one table into the next. A table between text is a section too."""
    bilag8 = [c for c in chunks["billund"] if c.section[:1] and c.section[0].startswith("Bilag 8 ")]
    tables = {c.section[1] for c in bilag8 if len(c.section) > 1}
    assert sorted(int(t.split()[1].split(".")[1]) for t in tables if t.startswith("Bilagstabel 8.")) == list(
        range(1, 14)
    )
    assert len(tables) == 13
    assert "Bilagstabel 8.1 Mentorordninger i regi af jobcenter" in tables
    assert "Bilagstabel 8.3 Nytteindsats og særligt tilrettelagte projekter" in tables  # one space, as in a title
    c = chunk_with(chunks, "billund", "mentorindsatser virker ved, at der er et tæt samarbejde")
    assert c.section[1:] == ["Bilagstabel 8.1 Mentorordninger i regi af jobcenter"]
    c = chunk_with(chunks, "billund", "Åben Dialog er en netværksorienteret tilgang")
    assert c.section[1:] == ["Bilagstabel 8.13 Åben dialog"]
    for c in bilag8:
        captions = re.findall(r"Bilagstabel 8\.\d+", c.text)
        assert all(f"{cap} " in c.section[-1] + " " for cap in captions), (c.section, c.text[:80])
    # Chapter 2's tables of tilbud stand between the report's text, which is the chapter's again after them.
    c = chunk_with(chunks, "billund", "Familieindsatsen SEL § 11, § 52")
    assert c.section == ["2 Billund Kommunes nuværende tilbud til målgruppen", "Tabel 2.1 Tilbud – Socialområdet"]
    c = chunk_with(chunks, "billund", "Som det fremgår af Tabel 2.1 er der registreret ti tilbud")
    assert c.section == ["2 Billund Kommunes nuværende tilbud til målgruppen"]
    # Without a source line, VIVE's table of studies ends with its last row of tab-separated cells.
    c = chunk_with(chunks, "vive", "Kvalitet på botilbud (Rasmussen et al., 2020)")
    assert c.section[-1] == "Tablet 4.1 De 10 studier, som indgår i kortlægningen"
    c = chunk_with(chunks, "vive", "På tværs af studierne har vi identificeret tilgange og arbejdsmåder")
    assert c.section[-1] == "4.1 Litteraturkortlægning"
    # A caption that wraps onto a second line is whole.
    wrapped = chunk_with(chunks, "bostoette", "Netpunkt (DanBib)")
    assert wrapped.section[-1] == (
        "Bilagstabel B1.1 Antal søgefund opgjort for hver af de anvendte søgekilder (databaser og hjemmesider)"
    )


def test_a_table_ends_on_its_source_line_and_the_text_after_it_is_its_sections_again():
    """A caption is a title where its table's end is known: the notes and source line under it, or the
    next table straight after it. The text after a table belongs to the section around the table."""
    from kb.chunking import chunk_document
    from kb.ingest.document import Document
    from kb.ingest.structure import assign_levels, table_sections

    def sections(raw):
        blocks, _ = text_to_blocks(raw, Counter())
        table_sections(blocks)
        assign_levels(blocks)
        return [(c.section, c.text.split()[0]) for c in chunk_document(Document.from_blocks("t", "T", blocks))]

    intro = "1 Tilbuddene\n\nDer er mange tilbud i kommunen, og de er opgjort i tabellerne nedenfor.\n\n"
    table = "Tabel {n} Tilbud i kommunen\n\nHeadspace 12-25 år\n\n"
    source = "Kilde: Opgørelse fra skabelon\n\n"
    prose = "Tabellerne viser, at tilbuddene er mange og rækker over hele aldersspændet.\n\n"
    after = "2 Diskussion\n\nTilbuddene er mange.\n"
    t11, t12 = "Tabel 1.1 Tilbud i kommunen", "Tabel 1.2 Tilbud i kommunen"
    # A table with its source line, then the report's text: that text is the chapter's again.
    assert sections(intro + table.format(n="1.1") + source + prose + after) == [
        (["1 Tilbuddene"], "1"), (["1 Tilbuddene", t11], "Tabel"), (["1 Tilbuddene"], "Tabellerne"),
        (["2 Diskussion"], "2"),
    ]
    # A table whose source line was lost, straight before one that has it: both are titles.
    two = sections(intro + table.format(n="1.1") + table.format(n="1.2") + source + prose + after)
    assert [s for s, _ in two][1:4] == [["1 Tilbuddene", t11], ["1 Tilbuddene", t12], ["1 Tilbuddene"]]
    # Without a known end the caption stays text: as a title it would claim the text after the table.
    assert [s for s, _ in sections(intro + table.format(n="1.1") + prose + after)] == [
        ["1 Tilbuddene"], ["2 Diskussion"]
    ]
    # Without a source line, rows with tabs between their cells end where the tabs do.
    tabbed = "Tabel 1.1 Tilbud i kommunen\n\nTilbud\tAlder\n\nHeadspace\t12-25 år\n\n"
    assert [s for s, _ in sections(intro + tabbed + prose + after)] == [
        ["1 Tilbuddene"], ["1 Tilbuddene", t11], ["1 Tilbuddene"], ["2 Diskussion"]
    ]
    # Footnotes with nothing after them before the next heading go with the table.
    with_note = sections(intro + table.format(n="1.1") + source + "12 Se studiet for en gennemgang.\n\n" + after)
    assert with_note[1] == (["1 Tilbuddene", t11], "Tabel") and len(with_note) == 3
    # A caption that repeats its section's title adds nothing to a citation.
    same = "1 Tilbud i kommunen\n\nDe er opgjort nedenfor i en tabel over dem alle.\n\n"
    assert [s for s, _ in sections(same + table.format(n="1.1") + source + after)] == [
        ["1 Tilbud i kommunen"], ["2 Diskussion"]
    ]


def test_titles_opening_with_a_quote_or_naming_a_paragraph_are_titles():
    assert plain_heading("”Dusørjob”/lønnede arbejdsopgaver på bostedet")
    assert plain_heading("Voksne i hjemløshed – § 110-botilbud/-boformer")
    assert plain_heading("Voksne med stofmisbrug (§ 101-tilbud)")
    # A table cell ends on its number; a line that opens with the § is a reference, not a title.
    assert not plain_heading("Familieindsatsen SEL § 11")
    assert not plain_heading("§ 85-støtte i eget hjem")


def test_a_title_over_a_numbered_list_is_a_title():
    blocks, _ = text_to_blocks(
        "Det første handler om at skabe ro.\n\nOpstart og forløb\n\n1. Der foretages en hurtig screening.\n"
        "2. Borger får tildelt en kontaktperson.\n",
        Counter(),
    )
    assert [(b.kind, b.text) for b in blocks][:2] == [
        ("para", "Det første handler om at skabe ro."),
        ("heading", "Opstart og forløb"),
    ]


def test_a_templates_recurring_parts_sit_under_the_heading_they_belong_to(chunks):
    """VIVE's appendix describes each indsats under "Målgruppe", "Formål" and "Virkning": each part
    belongs to its indsats, and an indsats with nothing of its own before its parts keeps its title."""
    virkning = chunk_with(chunks, "vive", "Der foreligger ikke studier, der har evalueret virkningen af lønnede")
    assert virkning.section[-2:] == ["”Dusørjob”/lønnede arbejdsopgaver på bostedet", "Virkning"]
    cti = chunk_with(chunks, "vive", "CTI-metoden er udviklet i USA")
    assert cti.section[-2:] == ["CTI-metoden (Critical Time Intervention)", "Målgruppe"]
    assert cti.section[0] == "Bilag 1 Dokumentation for vidensgrundlag" and len(cti.section) == 3
    # A title that also opens its parent's run is a repeated name, not a template's part.
    billund = [c.section for c in chunks["billund"] if c.section[-1:] == ["Produktionsskolen"]]
    assert billund and {len(s) for s in billund} == {2}


def test_every_appendix_opens_its_part_with_its_whole_title(documents):
    """KORA's appendices follow a table's source line or wrap over two lines ("… eksterne leverandø-" /
    "rer"); each is still a part of its own, so its passages are cited under it."""
    titles = [b.text for b in documents["billund"].blocks if b.kind == "heading" and b.text.startswith("Bilag ")]
    assert [t.split()[1] for t in titles] == [str(n) for n in range(1, 9)]
    assert "Bilag 3 Tilbud leveret af eksterne leverandører" in titles
    # A title whose line breaks inside a name the report uses ("… i Billund" / "Kommune") is whole.
    assert "Bilag 1 Skema til indsamling af oplysninger om tilbud til unge (15-30 år) i Billund Kommune" in titles
    assert "Bilag 7 Særligt relevant litteratur publiceret efter litteraturanalysens afslutning" in titles
    assert all(b.level == 1 for b in documents["billund"].blocks if b.kind == "heading" and b.text in titles)


def test_markdown_keeps_the_levels_it_states(tmp_path):
    """Recurring sub-headings are nested only where extracted text has lost its levels; in Markdown
    the author's "##" is the level."""
    from kb.ingest import load_document
    from kb.sources import Source

    (tmp_path / "a.md").write_text(
        "# Indsatser\n\n## Indsats A\n\nTekst om A.\n\n## Målgruppe\n\nVoksne.\n\n"
        "## Indsats B\n\nTekst om B.\n\n## Målgruppe\n\nUnge.\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(
        "Indsatser\n\nIndsats A\n\nTekst om A.\n\nMålgruppe\n\nVoksne.\n\nIndsats B\n\nTekst om B.\n\n"
        "Målgruppe\n\nUnge.\n",
        encoding="utf-8",
    )

    def levels(name):
        doc = load_document(Source(id="a", title="A", publisher="P", file=name), tmp_path)
        return [(b.text, b.level) for b in doc.blocks if b.kind == "heading"]

    assert [lvl for t, lvl in levels("a.md") if t == "Målgruppe"] == [2, 2]
    text = levels("a.txt")
    assert [lvl for t, lvl in text if t == "Målgruppe"] == [lvl + 1 for t, lvl in text if t.startswith("Indsats ")]
