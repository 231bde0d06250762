"""
The page description: numbers and explanations written for people, folded tallies.
"""

from __future__ import annotations

import datetime

import pytest

from scorecard import Book, JudgmentRule, Ledger, Prediction, Source, review
from scorecard._page import amount, folded, gloss, page, readable, visible
from scorecard._render_md import render_markdown
from scorecard._render_svg import render_svg
from scorecard._review import Tally
from scorecard._statistics import calibration


def test_large_numbers_are_written_out() -> None:
    """Scientific notation becomes words with thousands separators."""
    assert ["5.12 trillion", "50 million", "12,345", "0.5"] == [amount(v) for v in (5.12e12, 5e7, 12345.0, 0.5)]


def test_readable_writes_numbers_operators_and_dates_once() -> None:
    """An engine explanation loses its e-notation, its >= and a date it already gave."""
    text = "5.12e+12 USD (2025-06) meets nvidia-market-cap-usd >= 5e+12; shipped on 2025-08-07 (2025-08-07)."

    assert "5.12 trillion USD (2025-06) meets nvidia-market-cap-usd ≥ 5 trillion; shipped on 2025-08-07." == readable(
        text
    )


def test_readable_drops_hints_for_the_author() -> None:
    """What the repository's author should do next is not told to the page's readers."""
    assert "A judgment call that was due 2025-02-24; no grader has given a verdict yet." == readable(
        "A judgment call that was due 2025-02-24; it needs a verdict in the ledger."
    )


def test_hedge_words_have_their_english_reading() -> None:
    """A Chinese hedge word is glossed from the lexicon; an English one needs no gloss."""
    assert ("may / possibly", "certainly", None) == (gloss("可能"), gloss("一定"), gloss("likely"))


def test_a_long_tally_is_folded_into_the_top_groups_and_other() -> None:
    """Of twelve groups the eight largest are kept and the other four summed in one row."""
    tallies = [Tally(f"t{n:02}", yes=n, no=1, right=n, wrong=1) for n in range(12)]

    shown, hidden = folded(tallies)

    assert 4 == hidden
    assert ["t11", "t10", "t09", "t08", "t07", "t06", "t05", "t04", "other (4 groups)"] == [t.name for t in shown]
    assert (0 + 1 + 2 + 3, 4) == (shown[-1].yes, shown[-1].no)


def test_printable_text_is_left_alone() -> None:
    """Text with nothing invisible is returned as it is, Chinese punctuation included."""
    assert "可能，“引号” a|b" == visible("可能，“引号” a|b")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\u0645\u06cc\u200c\u0634\u0648\u062f", "\u0645\u06cc\u200c\u0634\u0648\u062f"),  # Persian "می‌شود"
        ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),  # a Devanagari half form
        ("\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f468\u200d\U0001f469\u200d\U0001f467"),  # 👨‍👩‍👧
        ("\U0001f3f3\ufe0f\u200d\U0001f308", "\U0001f3f3\ufe0f\u200d\U0001f308"),  # 🏳️‍🌈
        ("Al\u200dice", "Al‹U+200D›ice"),
        ("ab\u200d中", "ab‹U+200D›中"),
        ("\u200c\u0634", "‹U+200C›\u0634"),
        ("\u00e9\u200d\u200d\u00e9", "\u00e9‹U+200D›‹U+200D›\u00e9"),
        ("李\u200d四", "李‹U+200D›四"),  # changes nothing on screen: shown, or two names would look alike
        ("\u0418\u0432\u0430\u200c\u043d", "\u0418\u0432\u0430‹U+200C›\u043d"),  # Cyrillic likewise
        ("\U0001f468\u200c\U0001f469", "\U0001f468‹U+200C›\U0001f469"),  # a non-joiner fuses no emoji
        ("\u4e2d\u200b\u6587\u200d\u202e", "\u4e2d‹U+200B›\u6587‹U+200D›‹U+202E›"),
    ],
)
def test_joiners_inside_a_word_are_kept_and_others_shown(text: str, shown: str) -> None:
    """A joiner that reshapes a joining or Brahmic script or fuses emoji is kept; one that changes nothing on screen is shown."""
    assert shown == visible(text)


def test_noncharacters_are_written_out() -> None:
    """U+FFFF and U+FDD0, which XML refuses, show as their code points."""
    assert "a‹U+FFFF›b‹U+FDD0›" == visible("a\uffffb\ufdd0")


def test_a_forecaster_with_nothing_graded_has_no_league_row() -> None:
    """A forecaster whose predictions are all pending is named below the league table, not given a row of dashes."""
    pending = Prediction(
        "p",
        "Claim.",
        "Zed",
        datetime.date(2025, 1, 1),
        datetime.date(2026, 6, 30),
        Source(title="A post", url="https://example.org/p"),
        JudgmentRule(),
    )

    markdown = render_markdown(page(review(Book((pending,), Ledger()), year=2025)))

    league = markdown[markdown.index("## 4.") : markdown.index("## 5.")]
    assert "| Zed |" not in league
    assert "Nothing graded yet for: Zed." in league


def test_the_chart_prints_n_and_separates_close_points() -> None:
    """Each point has its n beside it, and two bins with close means are drawn apart."""
    pairs = [(0.88, 1.0)] * 3 + [(0.91, 1.0)] * 4 + [(0.3, 0.0)] * 2

    svg = render_svg(calibration(pairs), title="t")

    circles = [line for line in svg.splitlines() if line.startswith("<circle")]
    xs = [float(line.split('cx="')[1].split('"')[0]) for line in circles]
    labels = sorted(part.split("<")[0] for part in svg.split(">n=")[1:])
    assert ["2", "3", "4"] == labels
    assert 3 == len(circles)
    assert abs(xs[1] - xs[2]) >= 20  # radii 9.1 and 10 on the same row, 10.8 px apart unnudged
    assert "@media (prefers-color-scheme:dark)" in svg
    assert "<desc" in svg
