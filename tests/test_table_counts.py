"""
Tests for counting forecast tables: counts by the requested dimension only, and each question's middle forecasts.
"""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard._table_counts import Tally, chosen, majority, middle, time_average


@given(values=st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.7, 1.0]), min_size=1, max_size=40))
def test_middle_is_what_statistics_median_averages(values: list[float]) -> None:
    """For any forecasts given as counts, the mean of the two middles is exactly statistics.median."""
    counted = [(value, values.count(value)) for value in set(values)]
    lower, upper = middle(counted)

    assert statistics.median(values) == (lower + upper) / 2


def test_majority_breaks_ties_alphabetically() -> None:
    """The outcome most rows carry wins; of equals, the first in alphabetical order."""
    assert ("yes", "no") == (majority({"yes": 3, "no": 2}), majority({"yes": 2, "no": 2}))


def test_counts_are_kept_for_the_requested_dimension_only() -> None:
    """Grouping by forecaster keeps (forecaster, probability, outcome) counts and nothing per tag, year or question."""
    tally = Tally(frozenset({"forecaster"}))
    tally.add(
        {
            "question": ["q1", "q2", "q3"],
            "forecaster": ["ann", "ann", "bob"],
            "probability": ["0.5", "0.5", "0.2"],
            "outcome": ["yes", "yes", "no"],
            "tags": ["a", "b", "c"],
            "made": ["2024-01-01", "2025-01-01", "2025-01-01"],
        },
        3,
    )
    table = tally.finish("t.csv")

    assert {"forecaster": {("ann", "0.5", "yes"): 2, ("bob", "0.2", "no"): 1}} == table.groups
    assert ({}, None) == (table.members, table.crowd)


def test_latest_keeps_each_forecasters_last_forecast_across_batches() -> None:
    """Under --policy latest, a later batch's earlier-made forecast does not replace a later one."""
    tally = Tally(frozenset(), "latest")
    first = {
        "question": ["q1"],
        "forecaster": ["ann"],
        "probability": ["0.9"],
        "outcome": ["yes"],
        "made": ["2024-06-01"],
    }
    second = {
        "question": ["q1"],
        "forecaster": ["ann"],
        "probability": ["0.1"],
        "outcome": ["yes"],
        "made": ["2024-01-01"],
    }
    tally.add(first, 1)
    tally.add(second, 1)

    assert {("0.9", "yes"): 1} == tally.finish("t.csv").pairs


def test_time_average_is_the_hand_computed_mean() -> None:
    """0.2 for 10 days, 0.6 for 20 and 0.9 for the 10 before due average to 0.575; the later update does not count."""
    forecasts = [("2024-01-01", "0.2"), ("2024-01-11", "0.6"), ("2024-01-31", "0.9"), ("2024-03-01", "0.1")]

    assert 0.575 == time_average(forecasts, "2024-02-10")


@pytest.mark.parametrize(
    ("forecasts", "due"),
    [
        ([("2024-01-01", "0.2"), ("2024-01-11", "0.6")], ""),
        ([("", "0.2"), ("2024-01-11", "0.6")], "2024-02-10"),
        ([("2024-01-01", "0.2")], "2024-02-10"),
        ([("2024-03-01", "0.2"), ("2024-03-05", "0.6")], "2024-02-10"),
        ([("2024-01-01", "0.2"), ("2024-01-01", "0.6")], "2024-01-01"),
        ([("2024-01-01", ""), ("2024-01-11", "")], "2024-02-10"),
    ],
    ids=["no due", "no date", "one forecast", "all after due", "no days", "no numbers"],
)
def test_time_average_falls_back_to_the_last(forecasts: list[tuple[str, str]], due: str) -> None:
    """Without a due, a date, a second forecast or a span of days with a number, there is no average (the last is scored)."""
    assert None is time_average(forecasts, due)


def test_ties_and_late_forecasts_under_first_and_last() -> None:
    """Of forecasts made the same day the later row counts, of undated ones the first is first; when all came after due, last scores the first."""
    rows = [
        ("2024-01-01", 0, "q1", "ann", "2024-02-01", "0.1", "yes", ""),
        ("2024-01-01", 1, "q1", "ann", "2024-02-01", "0.3", "yes", ""),
        ("2024-03-01", 2, "q1", "ann", "2024-02-01", "0.9", "yes", ""),
        ("2024-05-01", 3, "q2", "ann", "2024-02-01", "0.4", "no", ""),
        ("2024-04-01", 4, "q2", "ann", "2024-02-01", "0.6", "no", ""),
    ]

    undated = [("", 0, "q1", "ann", "", "0.1", "yes", ""), ("", 1, "q1", "ann", "", "0.3", "yes", "")]

    assert ["0.3", "0.6"] == [kept[4] for kept in chosen(rows, "first")]
    assert (["0.1"], ["0.3"]) == ([k[4] for k in chosen(undated, "first")], [k[4] for k in chosen(undated, "last")])
    assert ["0.3", "0.6"] == [kept[4] for kept in chosen(rows, "last")]
