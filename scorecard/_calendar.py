"""
Due dates as a calendar (``due --format ics``).

Written through icalendar: RFC 5545's escaping and line folding are a library's job.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import icalendar

from ._documents import GENERATOR

if TYPE_CHECKING:
    from ._query import Due


def due_calendar(found: Due) -> bytes:
    """
    The ``due --format ics`` calendar: one all-day event per prediction coming or past due.

    Deterministic: each event's UID is its prediction id and its stamp the grading day, so the
    same repository gives the same file and a calendar app updates events instead of doubling
    them.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{GENERATOR}//due dates//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Predictions coming due")
    stamp = datetime.datetime.combine(found.as_of, datetime.time(), tzinfo=datetime.UTC)
    for result in (*found.overdue, *found.soon):
        prediction = result.prediction
        event = icalendar.Event()
        event.add("uid", f"{prediction.id}@scorecard")
        event.add("dtstamp", stamp)
        event.add("dtstart", prediction.due)
        event.add(
            "dtend", min(prediction.due, datetime.date.max - datetime.timedelta(days=1)) + datetime.timedelta(days=1)
        )
        event.add("summary", f"Due: {prediction.claim}")
        event.add("description", f"{prediction.id} ({prediction.by}, made {prediction.made}). {result.explanation}")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
