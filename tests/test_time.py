"""
Tests for periods, durations and how gaps between dates are said.
"""

from __future__ import annotations

import datetime

import pytest

from scorecard._time import Duration, Period, describe_gap

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31)),
        ("2024-H2", D(2024, 7, 1), D(2024, 12, 31)),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31)),
        ("2025-02", D(2025, 2, 1), D(2025, 2, 28)),
        ("2024-02-29", D(2024, 2, 29), D(2024, 2, 29)),
    ],
)
def test_periods_span_their_calendar_dates(text: str, start: D, end: D) -> None:
    """A year, half, quarter, month or day covers exactly its first to its last day, and prints as written."""
    period = Period.parse(text)

    assert (start, end, text) == (period.start, period.end, str(period))


def test_a_bad_period_says_what_is_accepted() -> None:
    """An unknown period is refused with the forms that are accepted."""
    with pytest.raises(
        ValueError, match=r"^'2024-H3' is not a period \(use 2024, 2024-H1, 2024-Q3, 2024-06 or 2024-06-30\)$"
    ):
        Period.parse("2024-H3")


def test_months_after_a_long_month_end_on_the_last_day() -> None:
    """Six months after 31 August is the last day of February, as calendars count."""
    assert D(2025, 2, 28) == Duration.parse("6 months").after(D(2024, 8, 31))


def test_gaps_are_said_in_whole_units() -> None:
    """The gap from a deadline to a late event is said in months."""
    assert "7 months" == describe_gap(D(2024, 12, 31), D(2025, 8, 7))
