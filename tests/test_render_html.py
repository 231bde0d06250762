"""
The HTML renderer: text is escaped and invisible characters are written out.
"""

from __future__ import annotations

from scorecard._page import Cell, Page, Span, Table
from scorecard._render_html import render_body


def test_bidi_and_zero_width_characters_never_reach_html_raw() -> None:
    """Names that differ only by a bidi override or zero-width space look different on the page."""
    page = Page("t", (Table(("By",), ((Cell(((Span("Ann\u202eLee\u200b<b>"),),)),),), ""),), (), ())

    body = render_body(page, "")

    assert '<td data-label="By">Ann‹U+202E›Lee‹U+200B›&lt;b&gt;</td>' in body
    assert "\u202e" not in body
    assert "\u200b" not in body
