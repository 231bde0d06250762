"""
How early: hit rate and Brier score by horizon, and how late the right calls came.

A forecaster who is right a year ahead knows more than one who is right a week ahead, and one
whose events keep arriving a few months late is not the same as one who is simply wrong
(PredictionBook issue #7 asks for bias by horizon). Both profiles use only what was known on the
review's date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from ._grade import briers_and_credits
from ._model import EventRule
from ._rules import known_events
from ._statistics import HitRate

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from ._grade import Result
    from ._model import Ledger

#: Horizon bands in days from made to due: (from, up to but excluding, label). Calendar years
#: are 365 or 366 days, so the bands are cut at whole years by the calendar, not by days.
HORIZONS: tuple[tuple[int, int | None, str], ...] = (
    (0, 1, "under a year"),
    (1, 2, "1 to 2 years"),
    (2, 5, "2 to 5 years"),
    (5, None, "5 years or more"),
)
#: Lateness allowed, in days after the deadline, for the profile of event calls.
LATENESS: tuple[int, ...] = (0, 30, 91, 182, 365, 730)


@attrs.frozen
class HorizonRow:
    """
    The graded predictions made a given time ahead of their due date.
    """

    label: str
    years_from: int
    years_to: int | None
    graded: int
    hit_rate: HitRate
    scored: int
    brier: float | None


@attrs.frozen
class LatenessRow:
    """
    Calls that an event would happen by its deadline, counted as right if it came within *days* after.
    """

    days: int
    #: Calls whose outcome at this lateness is known: the event came in time, or the time is up.
    calls: int
    came_true: int

    @property
    def share(self) -> float | None:
        """
        The share of those calls that came true within the lateness allowed.
        """
        return self.came_true / self.calls if self.calls else None


@attrs.frozen
class Timing:
    """
    A group's horizon and lateness profiles.
    """

    name: str
    horizon: tuple[HorizonRow, ...]
    lateness: tuple[LatenessRow, ...]


def whole_years(made: datetime.date, due: datetime.date) -> int:
    """
    How many whole calendar years lie between *made* and *due* (0 when less than a year).
    """
    years = due.year - made.year
    if (due.month, due.day) < (made.month, made.day):
        years -= 1
    return max(years, 0)


def horizon_profile(results: Iterable[Result], *, include_partly: bool = True) -> tuple[HorizonRow, ...]:
    """
    Hit rate (calls) and Brier score (predictions with a probability) per horizon band.
    """
    bands: list[list[Result]] = [[] for _ in HORIZONS]
    for result in results:
        if result.grade.points is None:
            continue
        years = whole_years(result.prediction.made, result.prediction.due)
        index = next(i for i, (low, high, _) in enumerate(HORIZONS) if years >= low and (high is None or years < high))
        bands[index].append(result)
    rows = []
    for (low, high, label), band in zip(HORIZONS, bands, strict=True):
        scores, earned = briers_and_credits(band, include_partly=include_partly)
        rows.append(
            HorizonRow(
                label,
                low,
                high,
                len(band),
                HitRate(earned.count(1.0), earned.count(0.5), earned.count(0.0)),
                len(scores),
                sum(scores) / len(scores) if scores else None,
            )
        )
    return tuple(rows)


def event_days(ledger: Ledger, as_of: datetime.date) -> dict[str, datetime.date]:
    """
    The day each event happened, for the events known by the end of *as_of* (as grading picks them).
    """
    return {event_id: event.on for event_id, event in known_events(ledger, as_of).items() if event.on is not None}


def lateness_profile(
    results: Iterable[Result], happened: Mapping[str, datetime.date], as_of: datetime.date
) -> tuple[LatenessRow, ...]:
    """
    For each lateness allowed, how many calls that an event would happen came true within it.

    A call here is a prediction whose rule is one event expected to happen, with no probability or
    one above ½, and no verdict overriding the rule. At lateness *d* it counts when the event happened by due + *d*, or when due + *d*
    had passed by *as_of* without it (a miss); otherwise its outcome at *d* is not known yet.
    """
    calls: list[tuple[datetime.date, datetime.date | None]] = []
    for result in results:
        rule, prediction = result.prediction.rule, result.prediction
        # A verdict that overrides the rule says the event does not decide this claim.
        if not isinstance(rule, EventRule) or not rule.expect or prediction.due > as_of or result.verdict is not None:
            continue
        if result.probability is not None and result.probability <= 0.5:  # noqa: PLR2004 - no call, or the other way
            continue
        calls.append((prediction.due, happened.get(rule.event)))
    rows = []
    for days in LATENESS:
        counted = came = 0
        for due, on in calls:
            in_time = on is not None and (on - due).days <= days
            if in_time:
                counted, came = counted + 1, came + 1
            elif (as_of - due).days >= days:
                counted += 1
        rows.append(LatenessRow(days, counted, came))
    return tuple(rows)


def timing(
    name: str,
    results: Sequence[Result],
    happened: Mapping[str, datetime.date],
    as_of: datetime.date,
    *,
    include_partly: bool = True,
) -> Timing:
    """
    Both profiles of one group of predictions.
    """
    return Timing(
        name,
        horizon_profile(results, include_partly=include_partly),
        lateness_profile(results, happened, as_of),
    )
