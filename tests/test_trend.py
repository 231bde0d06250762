"""
Tests for the year-over-year change of Brier score and hit rate.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest

from scorecard import Book, Ledger, Prediction, Source, grade
from scorecard._grades import Grade
from scorecard._model import JudgmentRule, Verdict
from scorecard._trend import trends

if TYPE_CHECKING:
    from scorecard._grade import Result

D = datetime.date


def graded(rows: list[tuple[str, str, int, float, Grade]]) -> list[Result]:
    predictions = tuple(
        Prediction(
            id=pid,
            claim=f"Claim {pid}.",
            by=by,
            made=D(2023, 1, 1),
            due=D(year, 6, 30),
            source=Source(url="https://example.org/a"),
            rule=JudgmentRule(),
            probability=p,
        )
        for pid, by, year, p, _ in rows
    )
    verdicts = tuple(
        Verdict(pid, D(2026, 1, 1), found, "Because.", ("https://example.org/v",)) for pid, _, _, _, found in rows
    )
    return list(grade(Book(predictions, Ledger(verdict=verdicts)), as_of=D(2026, 1, 31)))


def test_change_is_now_minus_before_with_an_interval() -> None:
    """Brier 0.25 → 0.01 is a change of −0.24; constant scores give a zero-width interval at the change."""
    rows = [(f"b{i}", "Ann", 2024, 0.5, Grade.YES) for i in range(5)] + [
        (f"n{i}", "Ann", 2025, 0.9, Grade.YES) for i in range(5)
    ]
    results = graded(rows)
    overall, each = trends(
        [r for r in results if r.prediction.due.year == 2025],
        [r for r in results if r.prediction.due.year == 2024],
    )

    assert overall is not None
    assert (0.25, 5, 5) == (overall.brier.before, overall.brier.n_before, overall.brier.n_now)
    assert overall.brier.now == pytest.approx(0.01)
    assert overall.brier.change == pytest.approx(-0.24)
    assert overall.brier.interval is not None
    assert [round(end, 12) for end in overall.brier.interval] == [-0.24, -0.24]
    # 50 % makes no call, so 2024 has no hit rate.
    assert (None, 1.0, None) == (overall.hit_rate.before, overall.hit_rate.now, overall.hit_rate.change)
    assert ["Ann"] == [row.name for row in each]


def test_forecasters_with_few_predictions_in_either_year_are_not_listed() -> None:
    """A change between two predictions says nothing: forecasters need MIN_RANKED in both years."""
    rows = [("b0", "Bo", 2024, 0.7, Grade.NO), ("n0", "Bo", 2025, 0.7, Grade.YES)]
    results = graded(rows)
    overall, each = trends(results[1:], results[:1])

    assert overall is not None
    assert () == each
    assert overall.brier.interval is None


def test_nothing_due_the_year_before_gives_no_trend() -> None:
    """With no predictions due the year before there is nothing to compare."""
    assert (None, ()) == trends(graded([("n0", "Bo", 2025, 0.7, Grade.YES)]), [])
