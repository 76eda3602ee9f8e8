"""Safe Markdown for passages: document text can never become markup; our own emphasis can."""

from __future__ import annotations

import re

from kb.app.highlight import escape_block, escape_md, highlight, query_terms, quote_block


def unescape(md: str) -> str:
    """What a reader sees, roughly: our directives and bold removed, backslash escapes resolved."""
    md = re.sub(r":orange-background\[((?:\\.|[^\]\\])*)\]", r"\1", md)
    md = md.replace("**", "")
    return re.sub(r"\\(.)", r"\1", md)


def test_escape_md_neutralises_markdown_html_latex_and_directives():
    text = "**fed** _kursiv_ [link](http://x) <b>html</b> $x^2$ :red[farve] :smile: `kode` # 1. - |a|"
    out = escape_md(text)
    # Every Markdown/HTML/LaTeX/directive character is backslash-escaped.
    assert re.findall(r"(?<!\\)[*_\[\]()<>$:`#|]", out) == []
    assert unescape(out) == text


def test_escape_block_keeps_paragraphs_but_not_structure():
    text = "# Overskrift\n- punkt\n\n1. liste\n> citat"
    out = escape_block(text)
    assert out.split("\n\n")[0].startswith("\\# Overskrift")
    assert "\\- punkt" in out and "1\\. liste" in out and "\\> citat" in out


def test_quote_block_prefixes_every_line():
    out = quote_block("Første linje.\nAnden linje.\n\nNyt afsnit.")
    assert all(line.startswith(">") for line in out.splitlines())


def test_query_terms_drop_stopwords_and_stem():
    terms = query_terms("Hvad tæller som særligt tilbud efter indikator 1.b?")
    assert "hvad" not in terms and "som" not in terms
    assert "tilbud" in terms and "1.b" in terms


def test_highlight_marks_terms_and_bolds_the_best_sentence():
    text = (
        "Indledning om noget andet. Aktiviteter, som tilbuddene selv iværksætter, tæller ikke. "
        "Til sidst en note."
    )
    best = "Aktiviteter, som tilbuddene selv iværksætter, tæller ikke."
    md = highlight(text, "hvad tæller som særligt tilbud", best)
    assert ":orange-background[tilbuddene]" in md
    assert ":orange-background[tæller]" in md
    bold = re.findall(r"\*\*(.+?)\*\*", md)
    assert len(bold) == 1 and unescape(bold[0]) == best
    assert unescape(md) == text


def test_highlight_escapes_hostile_source_text():
    text = "Se [her](javascript:alert(1)) og <script>x</script> om tilbud."
    md = highlight(text, "tilbud", None)
    assert "](" not in md and "<script>" not in md
    assert unescape(md) == text


def test_highlight_never_spans_paragraph_breaks():
    text = "Første afsnit om tilbud.\n\nAndet afsnit om tilbud."
    md = highlight(text, "tilbud", None, mark_all=True)
    for para in md.split("\n\n"):
        assert para.count("**") == 2
