"""
Tests for the JSON documents the tool writes: layout, and the keys of each document.
"""

from __future__ import annotations

import datetime
import json

from hypothesis import given

from scorecard import (
    Book,
    Confidence,
    Event,
    EventRule,
    Ledger,
    Prediction,
    Problem,
    Severity,
    Source,
    grade,
)
from scorecard._documents import (
    check_document,
    due_document,
    dumps,
    graded_document,
    list_document,
    prediction_data,
    result_data,
)
from scorecard._query import due
from scorecard._time import Duration

from .strategies import json_values

D = datetime.date
PREDICTION = Prediction(
    id="p1",
    claim="C.",
    by="Ann",
    made=D(2024, 1, 1),
    due=D(2024, 12, 31),
    source=Source(url="https://e.org"),
    rule=EventRule("e1"),
    tags=("ai",),
    probability=0.7,
)
BOOK = Book((PREDICTION,), Ledger(event=(Event("e1", "It happened.", D(2024, 6, 1), "https://s", Confidence.HIGH),)))
RECORD = {
    "id": "p1",
    "claim": "C.",
    "by": "Ann",
    "made": "2024-01-01",
    "due": "2024-12-31",
    "source": {"url": "https://e.org"},
    "rule": {"kind": "event", "event": "e1"},
    "tags": ["ai"],
    "probability": 0.7,
}
GRADED = {
    "id": "p1",
    "by": "Ann",
    "claim": "C.",
    "made": "2024-01-01",
    "due": "2024-12-31",
    "tags": ["ai"],
    "grade": "yes",
    "decided": "2024-06-01",
    "probability": 0.7,
    "probability_basis": "stated",
    "explanation": "It happened (2024-06-01), on or before the 2024-12-31 deadline.",
    "evidence": ["e1"],
    "sources": ["https://s"],
    "rule_grade": "yes",
    "overridden_by_verdict": False,
    "basis": "rule",
    "graders": [],
}


def test_dumps_layout() -> None:
    """The top two levels are one key or item per line, sorted; deeper values are compact; text stays readable."""
    data = {"b": [1, {"x": [1, 2]}], "a": {"k": "é", "j": None}, "c": [], "d": {}}
    assert dumps(data) == (
        '{\n  "a": {\n    "j": null,\n    "k": "é"\n  },\n  "b": [\n    1,\n    {"x": [1, 2]}\n  ],\n'
        '  "c": [],\n  "d": {}\n}'
    )


def test_dumps_of_scalars_and_empty_values() -> None:
    """Scalars and empty containers are written on one line; a top-level list has one item per line."""
    assert (dumps([]), dumps({}), dumps(3), dumps([{"a": 1}])) == ("[]", "{}", "3", '[\n  {"a": 1}\n]')


@given(json_values)
def test_dumps_round_trips(data: object) -> None:
    """Invariant: json.loads(dumps(x)) == x for any JSON document."""
    assert json.loads(dumps(data)) == data


def test_prediction_data() -> None:
    """A record's data is its TOML keys with dates as ISO strings and defaults left out."""
    assert prediction_data(PREDICTION) == RECORD


def test_result_data() -> None:
    """A graded prediction has the keys of the grade --format json contract."""
    graded = grade(BOOK, as_of=D(2025, 1, 1))
    assert result_data(graded.results[0]) == GRADED


def test_graded_document_names_its_day_and_policy() -> None:
    """The grade document gives the day, the policy and each graded prediction."""
    graded = grade(BOOK, as_of=D(2025, 1, 1))
    assert graded_document(graded, graded.results) == {"as_of": "2025-01-01", "policy": "last", "predictions": [GRADED]}


def test_list_document_with_and_without_grades() -> None:
    """List gives each record, with a grade key only when grades were asked for (None when missing)."""
    assert list_document([PREDICTION], None) == [RECORD]
    assert list_document([PREDICTION], {"p1": "yes"}) == [{**RECORD, "grade": "yes"}]
    assert list_document([PREDICTION], {}) == [{**RECORD, "grade": None}]


def test_due_document() -> None:
    """Due gives the day, the window and the two lists of graded predictions."""
    found = due(grade(Book((PREDICTION,), Ledger()), as_of=D(2024, 12, 15)), within=Duration.parse("1 month"))
    assert due_document(found) == {
        "as_of": "2024-12-15",
        "within": "1 month",
        "due_soon": [
            {
                **GRADED,
                "grade": "pending",
                "rule_grade": "pending",
                "decided": None,
                "evidence": [],
                "sources": [],
                "explanation": "No record yet that 'e1' happened; due 2024-12-31.",
            }
        ],
        "past_due_unresolved": [],
    }


def test_check_document() -> None:
    """Check counts errors and warnings and lists every problem with its place and severity."""
    problems = [Problem("a.toml", 1, "f", "m"), Problem("b.toml", None, "g", "w", Severity.WARNING)]
    assert check_document(3, 1, problems) == {
        "predictions": 3,
        "evidence": 1,
        "errors": 1,
        "warnings": 1,
        "problems": [
            {"path": "a.toml", "line": 1, "field": "f", "message": "m", "severity": "error"},
            {"path": "b.toml", "line": None, "field": "g", "message": "w", "severity": "warning"},
        ],
    }
