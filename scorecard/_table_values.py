"""
What a forecast table's cells may hold: probabilities, outcomes and dates, checked once per distinct value.

A table is checked by its distinct values, not its rows; only when a value is wrong are the rows
read again, to report every line that holds it.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import TYPE_CHECKING

import attrs

from ._errors import Problem
from ._grades import OUTCOMES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

DATE_COLUMNS = ("made", "due", "resolved")
#: A decimal number in ASCII digits, as a spreadsheet writes it: no digit groupings
#: (``0.5_5``), no other scripts' digits, which ``float`` would accept.
_NUMBER = re.compile(r"[ \t]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*\Z")
_NOT_FINITE = re.compile(r"[ \t]*[+-]?(?:nan|inf|infinity)[ \t]*\Z", re.IGNORECASE)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def probability_value(text: str) -> float | None:
    """
    The probability a cell holds (None for an empty cell); the text has been checked.
    """
    return float(text) if text.strip() else None


def probability_problem(text: str) -> str | None:
    """
    What is wrong with a probability cell, or None if it is empty or a number in [0, 1].
    """
    if not text.strip():
        return None
    if _NUMBER.match(text) is None and _NOT_FINITE.match(text) is None:
        return f"{text[:40]!r} is not a number"
    number = float(text)
    if not (math.isfinite(number) and 0.0 <= number <= 1.0):
        return f"{text[:40]!r} is not between 0 and 1"
    return None


def is_date(text: str) -> bool:
    """
    Whether *text* is a calendar date written as YYYY-MM-DD.
    """
    if _DATE.match(text) is None:
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def made_after_resolution(made: str, resolved: str) -> bool:
    """
    Whether a row was made on or after its own resolved date: a forecast made once the outcome was known.

    Checked dates compare as their text does; a row lacking either date is not.
    """
    return bool(resolved) and made >= resolved


@attrs.frozen
class BadValue:
    """
    One value that a column may not hold, and why.
    """

    field: str
    value: str
    message: str


def bad_values(
    probabilities: Iterable[str],
    outcomes: Iterable[str],
    dates: Mapping[str, Iterable[str]],
    *,
    blank_question: bool,
) -> list[BadValue]:
    """
    Every distinct value that is wrong, with its message.
    """
    found = []
    if blank_question:
        found.append(BadValue("question", "", "is empty"))
    for value in sorted(set(probabilities)):
        message = probability_problem(value)
        if message is not None:
            found.append(BadValue("probability", value, message))
    for value in sorted(set(outcomes)):
        if value not in OUTCOMES:
            found.append(BadValue("outcome", value, f"{value[:40]!r} is not one of yes, no, partly, void or empty"))
    for name in DATE_COLUMNS:
        for value in sorted(set(dates.get(name, ()))):
            if value and not is_date(value):
                found.append(BadValue(name, value, f"{value[:40]!r} is not an ISO date like 2025-06-30"))
    return found


def locate(shown: str, bad: list[BadValue], rows: Iterator[tuple[int, Mapping[str, str]]]) -> list[Problem]:
    """
    A problem for every row holding a bad value, with its line (without a line if none is found).
    """
    wanted: dict[str, dict[str, str]] = {}
    for item in bad:
        wanted.setdefault(item.field, {})[item.value] = item.message
    located = []
    for line, row in rows:
        for name, messages in wanted.items():
            message = messages.get(row.get(name, ""))
            if message is not None:
                located.append(Problem(shown, line, name, message))
    return located or [Problem(shown, None, item.field, item.message) for item in bad]
