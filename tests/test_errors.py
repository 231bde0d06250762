"""
Tests for the exception hierarchy and the problem record.
"""

from __future__ import annotations

import datetime

import pytest

from scorecard._errors import (
    ArgumentError,
    AsOfError,
    FieldValueError,
    LoadError,
    Problem,
    ScorecardError,
    Severity,
    UsageError,
    WriteError,
    problem_order,
)


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        (Problem("a.toml", 3, "due", "is before made"), "a.toml:3: due: is before made"),
        (Problem("a.toml", None, "file", "is empty"), "a.toml: file: is empty"),
        (
            Problem("b.toml", 7, "hedge", "is unknown", Severity.WARNING),
            "b.toml:7: hedge: warning: is unknown",
        ),
        (Problem("c.toml", 0, "id", "is empty"), "c.toml:0: id: is empty"),
    ],
)
def test_problem_string_form(problem: Problem, expected: str) -> None:
    """A problem reads ``path:line: field: message``, the line left out when unknown and warnings marked."""
    assert str(problem) == expected


def test_problem_defaults_to_error() -> None:
    """A problem without a severity is an error."""
    assert Problem("a", 1, "f", "m").severity is Severity.ERROR


def test_problem_order_key() -> None:
    """The order key is path, line (none counting as 0), field and message."""
    assert problem_order(Problem("p", None, "f", "m", Severity.WARNING)) == ("p", 0, "f", "m")
    assert problem_order(Problem("p", 12, "f", "m")) == ("p", 12, "f", "m")


def test_problem_order_sorts_by_path_then_line_numerically() -> None:
    """Problems sort by path, then by line as a number, then field and message."""
    found = [
        Problem("b", 1, "x", "m"),
        Problem("a", 10, "x", "m"),
        Problem("a", 2, "y", "m"),
        Problem("a", 2, "x", "n"),
        Problem("a", None, "z", "m"),
    ]
    assert sorted(found, key=problem_order) == [
        Problem("a", None, "z", "m"),
        Problem("a", 2, "x", "n"),
        Problem("a", 2, "y", "m"),
        Problem("a", 10, "x", "m"),
        Problem("b", 1, "x", "m"),
    ]


def test_load_error_sorts_and_joins_its_problems() -> None:
    """A load error keeps its problems in order and its message is their lines joined."""
    error = LoadError([Problem("b", 1, "f", "late"), Problem("a", 2, "g", "early")])
    assert error.problems == (Problem("a", 2, "g", "early"), Problem("b", 1, "f", "late"))
    assert str(error) == "a:2: g: early\nb:1: f: late"


def test_write_error_message() -> None:
    """A write error keeps its path and reason and reads ``path: reason``."""
    error = WriteError("out/x.toml", "exists already")
    assert (error.path, error.reason, str(error)) == ("out/x.toml", "exists already", "out/x.toml: exists already")


def test_as_of_error_names_a_datetime() -> None:
    """A datetime given for a day is named as such, with its repr and the fix."""
    value = datetime.datetime(2025, 1, 2, 3, 4, tzinfo=datetime.UTC)
    error = AsOfError("as_of", value)
    assert str(error) == (
        "as_of must be a datetime.date, got a datetime.datetime "
        "(datetime.datetime(2025, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)); use datetime.date(...) or .date()"
    )
    assert (error.name, error.value) == ("as_of", value)


def test_as_of_error_names_other_types() -> None:
    """Any other value is named by its type."""
    assert str(AsOfError("day", "2025-01-01")) == (
        "day must be a datetime.date, got str ('2025-01-01'); use datetime.date(...) or .date()"
    )


def test_argument_error_cuts_a_long_repr() -> None:
    """A wrong argument as big as a whole book is shown cut, not megabytes long."""
    error = ArgumentError("book", "x" * 10_000, "a Book")

    assert (error.name, len(str(error))) == ("book", len("book must be a Book, got str ()") + 160)


def test_field_value_error_message() -> None:
    """A field value error keeps its field and message and reads ``field: message``."""
    error = FieldValueError("rule.value", "must be finite")
    assert (error.field, error.message, str(error)) == ("rule.value", "must be finite", "rule.value: must be finite")


@pytest.mark.parametrize(
    ("error", "bases"),
    [
        (LoadError([]), (ScorecardError, ValueError)),
        (UsageError("x"), (ScorecardError, ValueError)),
        (WriteError("p", "r"), (ScorecardError, OSError)),
        (AsOfError("n", 1), (ScorecardError, TypeError, ArgumentError)),
        (ArgumentError("n", 1, "a name"), (ScorecardError, TypeError)),
        (FieldValueError("f", "m"), (ScorecardError, ValueError)),
    ],
)
def test_every_error_is_a_scorecard_error(error: Exception, bases: tuple[type[Exception], ...]) -> None:
    """Each error derives from ScorecardError and from the built-in exception callers already catch."""
    assert all(isinstance(error, base) for base in bases)
