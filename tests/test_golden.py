"""
Golden files: the review of the quickstart data, rendered, byte for byte.

Regenerate them after an intended change of the page with
``SCORECARD_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

import scorecard

from .repo import DATA

GOLDEN = Path(__file__).parent / "golden"
RENDERS = {
    "review-2025.md": "to_markdown",
    "review-2025.html": "to_html",
    "review-2025.json": "to_json",
    "review-2025.svg": "to_svg",
}


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_quickstart_review_matches_its_golden_file(name: str) -> None:
    """The quickstart's 2025 review, as of 2026-01-15, renders exactly as its committed golden file."""
    result = scorecard.review(scorecard.load(DATA / "quickstart"), year=2025, as_of=datetime.date(2026, 1, 15))
    text = getattr(result, RENDERS[name])()
    path = GOLDEN / name
    if os.environ.get("SCORECARD_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="\n")

    assert path.read_text(encoding="utf-8") == text


def test_markdown_and_html_show_the_same_sections() -> None:
    """The Markdown and HTML pages carry the same section titles, in the same order."""
    markdown = (GOLDEN / "review-2025.md").read_text(encoding="utf-8")
    html = (GOLDEN / "review-2025.html").read_text(encoding="utf-8")
    in_markdown = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    in_html = [part.split(">", 1)[1].split("</h2>")[0] for part in html.split("<h2 ")[1:]]

    assert in_markdown == in_html
    assert 7 == len(in_markdown)
