"""
Tests for how early: horizon bands by whole calendar years, and the lateness profile of event calls.
"""

from __future__ import annotations

import datetime

from scorecard import Book, Confidence, Event, EventRule, Ledger, Prediction, Source, grade
from scorecard._grades import Grade
from scorecard._model import JudgmentRule, Verdict
from scorecard._statistics import HitRate
from scorecard._timing import HorizonRow, LatenessRow, event_days, horizon_profile, lateness_profile, whole_years

D = datetime.date
AS_OF = D(2026, 1, 31)


def claim(pid: str, rule: object, *, made: D, due: D, probability: float | None = None) -> Prediction:
    return Prediction(
        id=pid,
        claim=f"Claim {pid}.",
        by="Ann",
        made=made,
        due=due,
        source=Source(url="https://example.org/a"),
        rule=rule,  # type: ignore[arg-type]
        probability=probability,
    )


def event(eid: str, on: D, reported: D | None = None) -> Event:
    return Event(eid, "It happened.", on, "https://example.org/e", Confidence.HIGH, reported=reported)


def test_whole_years_count_calendar_years() -> None:
    """A horizon is a whole year only on the anniversary: 2024-03-01 to 2025-02-28 is under a year, to 2025-03-01 one."""
    assert (0, 1, 1, 4) == (
        whole_years(D(2024, 3, 1), D(2025, 2, 28)),
        whole_years(D(2024, 3, 1), D(2025, 3, 1)),
        whole_years(D(2024, 2, 29), D(2025, 2, 28)) + 1,
        whole_years(D(2020, 1, 1), D(2024, 12, 31)),
    )


def test_horizon_profile_groups_graded_predictions_by_band() -> None:
    """Each band counts its graded predictions, their calls with half credit, and the Brier score of those with a probability."""
    predictions = (
        claim("near", JudgmentRule(), made=D(2025, 1, 1), due=D(2025, 6, 30), probability=0.8),
        claim("far", JudgmentRule(), made=D(2022, 1, 1), due=D(2025, 6, 30), probability=0.2),
        claim("farther", JudgmentRule(), made=D(2022, 1, 1), due=D(2025, 6, 30)),
        claim("open", JudgmentRule(), made=D(2025, 1, 1), due=D(2025, 6, 30)),
    )
    verdicts = tuple(
        Verdict(pid, D(2025, 7, 1), found, "Because.", ("https://example.org/v",))
        for pid, found in (("near", Grade.YES), ("far", Grade.PARTLY), ("farther", Grade.NO))
    )
    rows = horizon_profile(grade(Book(predictions, Ledger(verdict=verdicts)), as_of=AS_OF))

    assert (
        HorizonRow("under a year", 0, 1, 1, HitRate(1, 0, 0), 1, (0.8 - 1) ** 2),
        HorizonRow("1 to 2 years", 1, 2, 0, HitRate(0, 0, 0), 0, None),
        HorizonRow("2 to 5 years", 2, 5, 2, HitRate(0, 1, 1), 1, (0.2 - 0.5) ** 2),
        HorizonRow("5 years or more", 5, None, 0, HitRate(0, 0, 0), 0, None),
    ) == rows


def test_lateness_profile_counts_calls_that_came_true_within_each_allowance() -> None:
    """An event 62 days late is a miss at 0 and 30 days and a hit from 91; one that never came counts only once its time is up."""
    predictions = (
        claim("late", EventRule("late"), made=D(2024, 1, 1), due=D(2025, 6, 30)),
        claim("never", EventRule("never"), made=D(2024, 1, 1), due=D(2025, 6, 30), probability=0.9),
        claim("on-time", EventRule("on-time"), made=D(2024, 1, 1), due=D(2025, 6, 30), probability=0.7),
        # Not a call that it happens: left out.
        claim("doubted", EventRule("on-time"), made=D(2024, 1, 1), due=D(2025, 6, 30), probability=0.3),
        claim("against", EventRule("on-time", expect=False), made=D(2024, 1, 1), due=D(2025, 6, 30)),
        # A verdict overrode the rule: the event does not decide this claim.
        claim("overruled", EventRule("late"), made=D(2024, 1, 1), due=D(2025, 6, 30)),
    )
    overruled = Verdict("overruled", D(2025, 7, 1), Grade.NO, "Not the event meant.", ("https://example.org/v",))
    ledger = Ledger(event=(event("late", D(2025, 8, 31)), event("on-time", D(2025, 1, 1))), verdict=(overruled,))
    results = grade(Book(predictions, ledger), as_of=AS_OF)

    rows = lateness_profile(results, event_days(ledger, AS_OF), AS_OF)

    # 2025-06-30 + 365 days is after 2026-01-31, so 'never' is not yet counted at 365 or 730.
    assert (
        LatenessRow(0, 3, 1),
        LatenessRow(30, 3, 1),
        LatenessRow(91, 3, 2),
        LatenessRow(182, 3, 2),
        LatenessRow(365, 2, 2),
        LatenessRow(730, 2, 2),
    ) == rows
    assert 1 / 3 == rows[0].share


def test_event_days_use_only_what_was_known() -> None:
    """An event reported after the date asked about is not known then."""
    ledger = Ledger(event=(event("a", D(2025, 1, 1), reported=D(2025, 3, 1)), event("b", D(2025, 1, 1))))

    assert {"b": D(2025, 1, 1)} == event_days(ledger, D(2025, 2, 1))
    assert {"a": D(2025, 1, 1), "b": D(2025, 1, 1)} == event_days(ledger, D(2025, 3, 1))
