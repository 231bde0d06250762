"""
Tests for the terminal renderings: rules in words, text tables, colours and tallies.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard import (
    AllRule,
    AnyRule,
    ChangeRule,
    EventRule,
    JudgmentRule,
    Op,
    Rule,
    ThresholdRule,
    When,
)
from scorecard._characters import unsafe_character
from scorecard._render_text import coloured, rule_in_words, text_table
from scorecard._time import Duration, Period

from .strategies import hostile_text

DUE = datetime.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (EventRule("e1"), "Yes if event 'e1' happens by 2025-06-30."),
        (
            EventRule("e1", partly_within=Duration.parse("6 months")),
            "Yes if event 'e1' happens by 2025-06-30; Sort of if it happens within 6 months after.",
        ),
        (
            EventRule("e1", expect=False, partly_within=Duration.parse("6 months")),
            "Yes if event 'e1' does not happen by 2025-06-30.",
        ),
        (ThresholdRule(metric="m", op=Op.GE, value=5.0), "Yes if metric 'm' reaches >= 5 by 2025-06-30."),
        (
            ThresholdRule(metric="m", op=Op.GT, value=2.5, when=When.AT),
            "Yes if metric 'm' stands > 2.5 at 2025-06-30.",
        ),
        (
            ThresholdRule(metric="m", op=Op.LT, value=1e9, partly=2.5, period=Period.parse("2025-Q1")),
            "Yes if metric 'm' (for 2025-Q1) reaches < 1e+09 by 2025-06-30; Sort of at < 2.5.",
        ),
        (
            ChangeRule(metric="m", from_=Period.parse("2024"), to=Period.parse("2025"), op=Op.LE, factor=0.5),
            "Yes if metric 'm' for 2025 divided by its value for 2024 is <= 0.5.",
        ),
        (
            ChangeRule(
                metric="m", from_=Period.parse("2024"), to=Period.parse("2025-H2"), op=Op.GE, factor=2, partly=1.5
            ),
            "Yes if metric 'm' for 2025-H2 divided by its value for 2024 is >= 2; Sort of at >= 1.5.",
        ),
        (JudgmentRule(), "Decided by a grader's verdict."),
        (JudgmentRule("Most reviewers agree."), "Decided by a grader's verdict: Most reviewers agree."),
        (
            AllRule((EventRule("a"), AnyRule((JudgmentRule(), EventRule("b"))))),
            "All of: (1) Yes if event 'a' happens by 2025-06-30. (2) Any of: (1) Decided by a grader's verdict. "
            "(2) Yes if event 'b' happens by 2025-06-30.",
        ),
    ],
)
def test_rule_in_words(rule: Rule, words: str) -> None:
    """Each rule kind reads as one checkable sentence, nested rules numbered in order."""
    assert rule_in_words(rule, DUE) == words


def test_text_table_escapes_cells_and_headers() -> None:
    """Control and bidi characters in cells and headers are shown as escapes; numbers are left as given."""
    assert text_table([["a\x1b[2J", "x|y"], [1, "\u202e"]], ["h\r", "two"]) == (
        "h\\x0d     two\n--------  ------\na\\x1b[2J  x|y\n1         \\u202e"
    )


def test_text_table_empty() -> None:
    """No rows reads "(none)"."""
    assert text_table([], ["a", "b"]) == "(none)"


def test_text_table_wraps_the_last_column() -> None:
    """With *wrap*, the last column wraps at that width and nothing is cut."""
    assert text_table([["1", "a long text here that wraps"]], ["n", "t"], wrap=10) == (
        "n    t\n---  ----------\n1    a long\n     text here\n     that wraps"
    )


def test_text_table_keeps_numeric_looking_text() -> None:
    """Cells that look like numbers are not reformatted."""
    assert text_table([["0.50", "1e3"]], ["a", "b"], "github") == "| a    | b   |\n|------|-----|\n| 0.50 | 1e3 |"


@given(st.lists(st.lists(hostile_text, min_size=2, max_size=2), min_size=1, max_size=3), hostile_text)
def test_text_table_leaves_no_unsafe_character(rows: list[list[str]], header: str) -> None:
    """Invariant: whatever the cells hold, the table has no unsafe character."""
    assert unsafe_character(text_table(rows, [header, "b"])) is None


def test_coloured_lets_only_its_own_escape_through() -> None:
    """A coloured grade keeps its colour escape in a table while the text inside is escaped."""
    cell = coloured("Yes\x1b", "yes", colour=True)
    assert cell == "\x1b[32mYes\\x1b\x1b[0m"
    assert text_table([[cell]], ["grade"]) == "grade\n-------\n\x1b[32mYes\\x1b\x1b[0m"


def test_coloured_off_returns_the_text() -> None:
    """Without colour the text comes back unchanged."""
    assert coloured("Sort of", "partly", colour=False) == "Sort of"
