"""
Questions a user asks of a graded book: which predictions match, and what comes due.

Pure functions: the command line's ``list``, ``grade`` and ``due`` are these plus printing.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import attrs

from ._characters import name_key
from ._errors import ArgumentError, require
from ._grade import Graded, Result, check_day
from ._grades import Grade
from ._model import Book
from ._time import Duration

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from ._model import Prediction

#: How far ahead ``due`` looks unless told.
DEFAULT_WITHIN = "30d"


def select(
    predictions: Iterable[Prediction],
    *,
    tags: Collection[str] = (),
    by: str | None = None,
    due_before: datetime.date | None = None,
    due_after: datetime.date | None = None,
) -> list[Prediction]:
    """
    The predictions that match, in order of due date, then id.

    A match carries every tag in *tags* (any case), is by *by* (any case, spacing or invisible
    characters: "guangmi  li" finds "Guangmi Li") and is due strictly between the bounds given.
    """
    if isinstance(predictions, Book):
        raise ArgumentError("predictions", predictions, "Prediction records, such as book.predictions")
    if isinstance(tags, str):
        # A string is a collection of its letters: "ai" would ask for the tags "a" and "i".
        raise ArgumentError("tags", tags, 'a collection of tags, such as ["ai"]')
    if by is not None:
        require(by, str, "by", "a name")
    for name, day in (("due_before", due_before), ("due_after", due_after)):
        if day is not None:
            check_day(day, name)
    wanted = {tag.casefold() for tag in tags}
    who = None if by is None else name_key(by)
    chosen = [
        prediction
        for prediction in predictions
        if wanted <= set(prediction.tags)
        and (who is None or name_key(prediction.by) == who)
        and (due_before is None or prediction.due < due_before)
        and (due_after is None or prediction.due > due_after)
    ]
    return sorted(chosen, key=lambda p: (p.due, p.id))


def forecasters(predictions: Iterable[Prediction]) -> list[str]:
    """
    Every forecaster's name, once each, in alphabetical order (any case).
    """
    return sorted({prediction.by for prediction in predictions}, key=lambda name: (name.casefold(), name))


@attrs.frozen
class Due:
    """
    What comes due within *within* of the grading date, and what is past due without evidence.
    """

    as_of: datetime.date
    within: Duration
    horizon: datetime.date
    soon: tuple[Result, ...]
    overdue: tuple[Result, ...]


def due(graded: Graded, *, within: Duration | None = None) -> Due:
    """
    The pending predictions due by ``as_of + within`` and the unresolved ones, by due date.
    """
    require(graded, Graded, "graded", "the Graded that scorecard.grade() returns")
    if within is not None:
        require(within, Duration, "within", 'a Duration such as Duration.parse("30d")')
    span = within or Duration.parse(DEFAULT_WITHIN)
    horizon = span.after(graded.as_of)

    def ordered(results: Iterable[Result]) -> tuple[Result, ...]:
        return tuple(sorted(results, key=lambda r: (r.prediction.due, r.prediction.id)))

    return Due(
        graded.as_of,
        span,
        horizon,
        ordered(r for r in graded if r.grade is Grade.PENDING and r.prediction.due <= horizon),
        ordered(r for r in graded if r.grade is Grade.UNRESOLVED),
    )
