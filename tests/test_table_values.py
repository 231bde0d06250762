"""
Tests for what a forecast table's cells may hold: probabilities, outcomes and dates.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard._table_values import BadValue, bad_values, is_date, locate, probability_problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.5", None),
        (" 0.25 ", None),
        ("1", None),
        ("0", None),
        (".5", None),
        ("5e-1", None),
        ("", None),
        ("0.5_5", "'0.5_5' is not a number"),
        ("\u0660\u066b\u0665", "'٠٫٥' is not a number"),
        ("\u0661", "'١' is not a number"),
        ("0x1", "'0x1' is not a number"),
        ("1" + "0" * 400, f"'1{'0' * 39}' is not between 0 and 1"),
        ("1e400", "'1e400' is not between 0 and 1"),
        ("NaN", "'NaN' is not between 0 and 1"),
        ("-0.1", "'-0.1' is not between 0 and 1"),
    ],
)
def test_probability_problems(text: str, expected: str | None) -> None:
    """Only ASCII decimal numbers in [0, 1] are probabilities: no digit groupings, no other scripts' digits."""
    assert expected == probability_problem(text)


@given(number=st.floats(0, 1))
def test_every_float_repr_in_range_is_a_probability(number: float) -> None:
    """Any float in [0, 1], written as Python writes it, is accepted."""
    assert probability_problem(repr(number)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-02-29", True), ("2023-02-29", False), ("20240102", False), ("2024-W01-1", False), ("٢٠٢٤-٠١-٠٢", False)],
)
def test_dates_are_written_yyyy_mm_dd(text: str, *, expected: bool) -> None:
    """A date is a calendar day written YYYY-MM-DD in ASCII digits."""
    assert expected == is_date(text)


def test_bad_values_are_located_on_every_row() -> None:
    """Each row holding a bad value gets its own problem with its line."""
    bad = bad_values(["0.5", "2"], ["yes", "maybe"], {"made": ["x"]}, blank_question=False)
    rows = iter([(2, {"probability": "2"}), (3, {"outcome": "maybe", "made": "x"}), (4, {"probability": "2"})])

    assert [
        "t.csv:2: probability: '2' is not between 0 and 1",
        "t.csv:3: outcome: 'maybe' is not one of yes, no, partly, void or empty",
        "t.csv:3: made: 'x' is not an ISO date like 2025-06-30",
        "t.csv:4: probability: '2' is not between 0 and 1",
    ] == [str(problem) for problem in locate("t.csv", bad, rows)]


def test_unlocated_values_are_still_reported() -> None:
    """A bad value no row is found holding is reported without a line, never dropped."""
    assert ["t.csv: question: is empty"] == [
        str(problem) for problem in locate("t.csv", [BadValue("question", "", "is empty")], iter([]))
    ]
