"""
Is it improving: this year's cohort against last year's, with a bootstrap interval on the change.

PredictionBook's users had "no way to tell whether my calibration is improving" (its issue #33).
Both years are graded as of the same date, so a change is not an artefact of one year having had
more time to resolve, and each year's cohort is the predictions due in it, as in the reviews.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from ._grade import briers_and_credits
from ._statistics import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, MIN_RANKED, bootstrap_difference

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ._grade import Result


@attrs.frozen
class Change:
    """
    One figure in two years: its values, the change (now − before) and a 95 % bootstrap interval.
    """

    before: float | None
    now: float | None
    n_before: int
    n_now: int
    interval: tuple[float, float] | None

    @property
    def change(self) -> float | None:
        """
        The later year's figure minus the earlier one's, when both exist.
        """
        return None if self.before is None or self.now is None else self.now - self.before


@attrs.frozen
class Trend:
    """
    A group's Brier score and half-credit hit rate in the year before and in the review's year.
    """

    name: str
    brier: Change
    hit_rate: Change


def _change(now: Sequence[float], before: Sequence[float]) -> Change:
    return Change(
        sum(before) / len(before) if before else None,
        sum(now) / len(now) if now else None,
        len(before),
        len(now),
        bootstrap_difference(now, before, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED),
    )


def trend(name: str, now: Sequence[Result], before: Sequence[Result], *, include_partly: bool = True) -> Trend:
    """
    The change in Brier score and half-credit hit rate from the *before* cohort to the *now* cohort.
    """
    briers_now, credits_now = briers_and_credits(now, include_partly=include_partly)
    briers_before, credits_before = briers_and_credits(before, include_partly=include_partly)
    return Trend(name, _change(briers_now, briers_before), _change(credits_now, credits_before))


def trends(
    now: Sequence[Result], before: Sequence[Result], *, include_partly: bool = True
) -> tuple[Trend | None, tuple[Trend, ...]]:
    """
    The overall trend (None when nothing was due the year before) and one per forecaster.

    A forecaster is listed when both years hold at least ``MIN_RANKED`` of their graded calls or
    scored predictions: a change between two or three predictions says nothing.
    """
    if not before:
        return None, ()
    by_now: dict[str, list[Result]] = {}
    by_before: dict[str, list[Result]] = {}
    for result in now:
        by_now.setdefault(result.prediction.by, []).append(result)
    for result in before:
        by_before.setdefault(result.prediction.by, []).append(result)
    listed = []
    for name in sorted(by_now.keys() & by_before.keys()):
        # Counting first: the bootstrap intervals are the cost, and most forecasters are not listed.
        briers_now, earned_now = briers_and_credits(by_now[name], include_partly=include_partly)
        briers_before, earned_before = briers_and_credits(by_before[name], include_partly=include_partly)
        if (
            min(len(briers_now), len(briers_before)) >= MIN_RANKED
            or min(len(earned_now), len(earned_before)) >= MIN_RANKED
        ):
            listed.append(Trend(name, _change(briers_now, briers_before), _change(earned_now, earned_before)))
    return trend("everyone", now, before, include_partly=include_partly), tuple(listed)
