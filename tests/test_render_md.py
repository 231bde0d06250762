"""
The Markdown renderer: every value in a table cell stays in its cell, whatever it holds.

Checked with a CommonMark + GFM renderer (markdown-it-py with tables and strikethrough), parsing
the Markdown as GitHub does before it shows a README.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from scorecard import Book, Grade, JudgmentRule, Ledger, Prediction, Source, Verdict, review
from scorecard._page import Cell, Page, Span, Table, safe_url, visible
from scorecard._render_md import md_cell, render_markdown
from scorecard._review import PastReview

from .strategies import markup_text, markup_urls, record_markup_text, record_markup_urls

if TYPE_CHECKING:
    from markdown_it.token import Token

GFM = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _text(children: list[Token]) -> tuple[str, list[str]]:
    """The plain text of inline tokens, and the kinds of markup found among them."""
    text = []
    markup = []
    for token in children:
        if token.type in {"text", "text_special", "code_inline"}:
            text.append(token.content)
        elif token.type in {"softbreak", "hardbreak"}:
            text.append(" ")
        elif token.type == "html_inline" and token.content == "<br>":
            text.append("\n")
        else:
            markup.append(token.type)
    return "".join(text), markup


def _rows(markdown: str) -> list[list[tuple[str, list[str]]]]:
    """Each table row of the rendered Markdown as (text, markup) per cell."""
    rows: list[list[tuple[str, list[str]]]] = []
    row: list[tuple[str, list[str]]] | None = None
    for token in GFM.parse(markdown):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(_text(token.children or []))
    return rows


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every table of the rendered Markdown: rows of cell texts."""
    tables: list[list[list[str]]] = []
    for token in GFM.parse(markdown):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type == "inline" and tables and tables[-1] and token.level > 3:
            tables[-1][-1].append(_text(token.children or [])[0])
    return tables


def _expected(text: str) -> str:
    return visible(" ".join(text.split()))


@given(st.lists(markup_text, min_size=3, max_size=3))
def test_a_markdown_cell_round_trips_any_text(texts: list[str]) -> None:
    """Any text in a cell renders as exactly that text (whitespace collapsed), in its own column, with no markup."""
    markdown = "| a | b | c |\n|---|---|---|\n| " + " | ".join(md_cell(t) for t in texts) + " |\n"

    rows = _rows(markdown)

    assert [[(_expected(t), []) for t in texts]] == rows[1:]


@given(st.one_of(markup_text, st.text()))
def test_a_markdown_cell_escapes_as_escaping_every_character_does(text: str) -> None:
    """Escaping only texts that hold markup gives, for any text, what escaping every character gives."""
    every = visible(" ".join(text.split())).translate({ord(c): "\\" + c for c in "\\|*_`[]<>#~&$"})

    assert every == md_cell(text)


@given(markup_text, markup_urls)
def test_a_rendered_table_keeps_its_columns_for_any_link(text: str, url: str) -> None:
    """A page's table keeps its columns and its text for any link text and address; only web addresses are linked."""
    cell = Cell(((Span(text, link=safe_url(url), strong=True),), (Span(url, em=True),)))
    table = Table(("Prediction", "Evidence", "Grade"), ((cell, Cell(((Span("x"),),)), Cell(((Span("No"),),))),), "")
    page = Page("t", (table,), (), (Span("end"),))

    rows = _rows(render_markdown(page))

    assert 2 == len(rows)
    assert ["Prediction", "Evidence", "Grade"] == [cell for cell, _ in rows[0]]
    (first, first_markup), *rest = rows[1]
    assert [("x", []), ("No", [])] == rest
    # A span keeps the spaces at its edges outside its emphasis, so each line is compared trimmed.
    assert [_expected(text), _expected(url)] == [line.strip() for line in first.split("\n")]
    assert set(first_markup) <= {"strong_open", "strong_close", "em_open", "em_close", "link_open", "link_close"}


def test_a_url_cannot_forge_a_grade() -> None:
    """The hostile source address of issue 16 stays in its cell and is not linked; the Grade column says No."""
    url = "https://openai.com/index/introducing-gpt-5/|**Yes**|"
    cells = (Cell(((Span("source", link=safe_url(url)),),)), Cell(((Span(url),),)), Cell(((Span("No"),),)))
    page = Page("t", (Table(("Prediction", "Evidence", "Grade"), (cells,), ""),), (), (Span("end"),))

    rows = _rows(render_markdown(page))

    assert [("source", []), (url, []), ("No", [])] == rows[1]


def test_a_carriage_return_in_a_url_adds_no_row() -> None:
    """A bare CR inside an address neither links it nor starts a row."""
    url = "https://example.com/a\r| x | **Yes** |"

    rows = _rows(
        render_markdown(Page("t", (Table(("A",), ((Cell(((Span(url, link=safe_url(url)),),)),),), ""),), (), ()))
    )

    assert [[("A", [])], [("https://example.com/a | x | **Yes** |", [])]] == rows


def test_a_url_ending_in_a_backslash_is_not_linked() -> None:
    """An address ending in a backslash is shown as text, so it cannot escape the end of its link."""
    assert safe_url("https://example.com/\\") is None
    assert "https://example.com/\\\\" == md_cell("https://example.com/\\")


def test_strikethrough_markers_are_escaped() -> None:
    """Two tildes do not strike text through."""
    assert [[("t", [])], [("~~gone~~", [])]] == _rows(
        render_markdown(Page("t", (Table(("t",), ((Cell(((Span("~~gone~~"),),)),),), ""),), (), ()))
    )


def test_bidi_and_zero_width_characters_are_written_out() -> None:
    """A right-to-left override and a zero-width space show as their code points, never raw."""
    assert "Ann‹U+202E›ac ‹U+200B›Lee" == md_cell("Ann\u202eac \u200bLee")


@given(
    record_markup_text,
    record_markup_text,
    record_markup_text,
    record_markup_urls,
    record_markup_text,
    record_markup_urls,
)
def test_a_review_readme_keeps_its_scorecard_columns_for_hostile_records(
    claim: str, by: str, title: str, url: str, why: str, evidence: str
) -> None:
    """Whatever a record and a verdict hold, the README's scorecard has its four columns and the true grade."""
    try:
        prediction = Prediction(
            id="p",
            claim=claim + "x",
            by=by + "x",
            made=datetime.date(2024, 3, 1),
            due=datetime.date(2025, 6, 30),
            source=Source(title=title + "x", url=url or None, quote=why + "x"),
            rule=JudgmentRule(),
            probability=0.3,
        )
        verdict = Verdict("p", datetime.date(2025, 7, 1), Grade.NO, why + "x", (evidence + "x",))
    except (ValueError, TypeError):
        assume(False)
        raise
    markdown = review(Book((prediction,), Ledger(verdict=(verdict,))), year=2025).to_markdown()

    scorecard = next(t for t in _tables(markdown) if t[0] == ["Prediction", "Probability", "Evidence", "Grade"])

    assert 2 == len(scorecard)
    assert 4 == len(scorecard[1])
    assert ["30 %", "No\ncall right"] == [scorecard[1][1], scorecard[1][3]]
    assert scorecard[1][0].startswith(_expected(claim + "x"))


def test_a_hostile_earlier_review_date_stays_text() -> None:
    """An as_of read back from an earlier review.json that holds HTML or a link shows as text in the history table."""
    hostile = "<img src=x onerror=alert(1)>[x](javascript:alert(1))|"
    past = PastReview(2024, hostile, 1, 1.0, 1.0, None, 0)
    prediction = Prediction(
        "p",
        "Claim.",
        "Ann",
        datetime.date(2024, 3, 1),
        datetime.date(2025, 6, 30),
        Source(title="A post", url="https://example.org/p"),
        JudgmentRule(),
    )

    markdown = review(Book((prediction,), Ledger()), year=2025, history=[past]).to_markdown()

    history = next(t for t in _tables(markdown) if t[0][:2] == ["Year", "As of"])
    assert ["2024", hostile] == history[1][:2]
    assert all(len(row) == 7 for row in history)
    inline = [token for block in GFM.parse(markdown) for token in block.children or []]
    assert [] == [t.content for t in inline if t.type == "html_inline" and t.content != "<br>"]
