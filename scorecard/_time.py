"""
Periods ("2024", "2024-H1", "2024-Q3", "2024-06", "2024-06-30") and durations ("6 months").
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re

import attrs
from dateutil.relativedelta import relativedelta

from ._errors import UsageError, require

# ASCII digits only, matched whole: "\d" would take Arabic-Indic digits, "$" a trailing newline.
_PERIOD = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?))?"
)
_DURATION = re.compile(r"\s*(?P<amount>[0-9]+)\s*(?P<unit>d|w|m|y|days?|weeks?|months?|years?)\s*")
_UNIT_NAMES = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
#: The longest duration: the whole calendar, 0001-01-01 to 9999-12-31, in days.
MAX_DAYS = (datetime.date.max - datetime.date.min).days
_UNIT_DAYS = {"days": 1, "weeks": 7, "months": 28, "years": 365}


@attrs.frozen(order=True)
class Period:
    """
    A closed range of calendar days named by its *label*; a single day is a period too.
    """

    start: datetime.date
    end: datetime.date
    label: str = attrs.field(order=False, eq=False)

    @classmethod
    def parse(cls, text: str) -> Period:
        """
        Read a period label.

        Raises:
            UsageError: *text* is not a year, half, quarter, month or ISO date (a ValueError).
            ArgumentError: *text* is not a string.
        """
        require(text, str, "text", 'a period such as "2024-H1"')
        return _parse_period(text)

    @classmethod
    def _parse(cls, text: str) -> Period:
        match = _PERIOD.fullmatch(text.strip())
        if match is None:
            msg = f"{text!r} is not a period (use 2024, 2024-H1, 2024-Q3, 2024-06 or 2024-06-30)"
            raise UsageError(msg)
        year = int(match["year"])
        if year < 1:
            msg = f"{text!r} is not a period: there is no year 0"
            raise UsageError(msg)
        if match["day"]:
            try:
                day = datetime.date(year, int(match["month"]), int(match["day"]))
            except ValueError:
                msg = f"{text!r} is not a real calendar date"
                raise UsageError(msg) from None
            return cls.day(day)
        if match["half"]:
            first_month, months = 6 * (int(match["half"]) - 1) + 1, 6
        elif match["quarter"]:
            first_month, months = 3 * (int(match["quarter"]) - 1) + 1, 3
        elif match["month"]:
            first_month, months = int(match["month"]), 1
            if not 1 <= first_month <= 12:  # noqa: PLR2004 - months of the year
                msg = f"{text!r} has no month {first_month}"
                raise UsageError(msg)
        else:
            first_month, months = 1, 12
        start = datetime.date(year, first_month, 1)
        # The last day of the last month, computed within the period: 9999-H2 ends on 9999-12-31.
        last_month = first_month + months - 1
        end = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
        return cls(start, end, text.strip())

    @classmethod
    def day(cls, day: datetime.date) -> Period:
        """
        The one-day period of *day*.
        """
        return cls(day, day, day.isoformat())

    def __str__(self) -> str:
        return self.label


@functools.lru_cache(maxsize=4096)
def _parse_period(text: str) -> Period:
    # Ledgers repeat the same few hundred labels thousands of times.
    return Period._parse(text)  # noqa: SLF001 - the cache wraps the class's own parser


@attrs.frozen
class Duration:
    """
    A calendar length such as "6 months", kept with the text it was written as.
    """

    amount: int
    unit: str
    text: str = attrs.field(eq=False)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """
        Read "6 months", "2 years", "30 days", "30d", "4w".

        Raises:
            UsageError: *text* is not a number followed by days, weeks, months or years (a ValueError).
            ArgumentError: *text* is not a string.
        """
        require(text, str, "text", 'a duration such as "6 months"')
        match = _DURATION.fullmatch(text)
        if match is None:
            msg = f"{text!r} is not a duration (use e.g. '6 months', '2 years', '30 days', '30d')"
            raise UsageError(msg)
        unit = match["unit"]
        unit = _UNIT_NAMES.get(unit, unit if unit.endswith("s") else unit + "s")
        if len(match["amount"]) > 6 or int(match["amount"]) > MAX_DAYS // _UNIT_DAYS[unit]:  # noqa: PLR2004
            msg = f"{text!r} is longer than the calendar (at most {MAX_DAYS // _UNIT_DAYS[unit]:,} {unit})"
            raise UsageError(msg)
        return cls(int(match["amount"]), unit, text.strip())

    def after(self, day: datetime.date) -> datetime.date:
        """
        The day this long after *day* (month ends clip: 2024-08-31 + 6 months = 2025-02-28).

        A day past the calendar's end is its last day, 9999-12-31: deadlines there never pass.
        """
        return _after(self.amount, self.unit, day)

    def __str__(self) -> str:
        return self.text


@functools.lru_cache(maxsize=8192)
def _after(amount: int, unit: str, day: datetime.date) -> datetime.date:
    # Grading asks for the same few deadlines plus "6 months" thousands of times.
    if unit == "days":
        step = relativedelta(days=amount)
    elif unit == "weeks":
        step = relativedelta(weeks=amount)
    elif unit == "months":
        step = relativedelta(months=amount)
    else:
        step = relativedelta(years=amount)
    try:
        result: datetime.date = day + step
    except (OverflowError, ValueError):
        return datetime.date.max
    return result


def describe_gap(earlier: datetime.date, later: datetime.date) -> str:
    """
    Say how far apart two days are, in the largest whole unit: "7 months", "12 days".
    """
    gap = relativedelta(later, earlier)
    months = gap.years * 12 + gap.months
    if months >= 24:  # noqa: PLR2004 - switch to years from two years on
        return _plural(gap.years, "year")
    if months >= 1:
        return _plural(months, "month")
    return _plural((later - earlier).days, "day")


def _plural(amount: int, unit: str) -> str:
    return f"{amount} {unit}" if amount == 1 else f"{amount} {unit}s"
