"""
Tests for the due dates calendar (``due --format ics``).
"""

from __future__ import annotations

import datetime

import icalendar

from scorecard import Book, JudgmentRule, Ledger, Prediction, Source, grade
from scorecard._calendar import due_calendar
from scorecard._query import due

D = datetime.date


def prediction(pid: str, due_on: D, claim: str = "A claim.") -> Prediction:
    return Prediction(
        id=pid,
        claim=claim,
        by="Ann, Lee",
        made=D(2024, 1, 1),
        due=due_on,
        source=Source(url="https://example.org"),
        rule=JudgmentRule(),
    )


BOOK = Book(
    (
        prediction("soon", D(2025, 1, 10), "Chips; many, cheaper\nthan now."),
        prediction("late", D(2024, 12, 1)),
        prediction("far", D(2026, 1, 1)),
    ),
    Ledger(),
)


def parsed() -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(due_calendar(due(grade(BOOK, as_of=D(2025, 1, 1)))))


def test_calendar_header() -> None:
    """The calendar names its producer, version and title."""
    calendar = parsed()
    assert (str(calendar["prodid"]), str(calendar["version"]), str(calendar["x-wr-calname"])) == (
        "-//scorecard review//due dates//EN",
        "2.0",
        "Predictions coming due",
    )


def test_calendar_events_parse_back() -> None:
    """One all-day event per overdue, then coming, prediction: id as UID, grading day as stamp, text escaped."""
    events = parsed().walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["late@scorecard", "soon@scorecard"]
    soon = events[1]
    assert soon.decoded("dtstart") == D(2025, 1, 10)
    assert soon.decoded("dtend") == D(2025, 1, 11)
    assert soon.decoded("dtstamp") == datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    assert str(soon["summary"]) == "Due: Chips; many, cheaper\nthan now."
    assert str(soon["description"]) == (
        "soon (Ann, Lee, made 2024-01-01). A judgment call, due 2025-01-10; no verdict yet."
    )
    assert str(events[0]["description"]) == (
        "late (Ann, Lee, made 2024-01-01). A judgment call that was due 2024-12-01; it needs a verdict in the ledger."
    )


def test_calendar_is_deterministic() -> None:
    """The same graded book gives the same bytes."""
    found = due(grade(BOOK, as_of=D(2025, 1, 1)))
    assert due_calendar(found) == due_calendar(found)


def test_calendar_without_events() -> None:
    """With nothing due the calendar holds no events but still parses."""
    found = due(grade(BOOK, as_of=D(2023, 6, 1)), within=None)
    assert parsed_events(due_calendar(found)) == []


def test_calendar_event_due_on_the_last_day() -> None:
    """A prediction due on the last representable day ends that same day instead of overflowing."""
    book = Book((prediction("end", datetime.date.max),), Ledger())
    event = icalendar.Calendar.from_ical(due_calendar(due(grade(book, as_of=datetime.date.max)))).walk("VEVENT")
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in event] == [(datetime.date.max, datetime.date.max)]


def parsed_events(data: bytes) -> list[str]:
    return [str(e["uid"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
