"""
The exception hierarchy and the problem record every validation reports.
"""

from __future__ import annotations

import datetime
import enum
import errno
import os
import reprlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


class Severity(enum.Enum):
    """
    How bad a problem is: errors fail ``check``, warnings are only shown.
    """

    ERROR = "error"
    WARNING = "warning"


class Problem(NamedTuple):
    """
    One thing wrong with one place in one file, rendered as ``path:line: field: message``.

    A named tuple rather than an attrs class: the command line builds these on its light
    start-up path, before anything heavy is imported.
    """

    path: str
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {self.field}: {prefix}{self.message}"


class ScorecardError(Exception):
    """
    Base class for every error raised by *scorecard*.
    """


class LoadError(ScorecardError, ValueError):
    """
    One or more input files are unreadable or invalid; *problems* lists every one of them.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=problem_order))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(ScorecardError, ValueError):
    """
    A request that cannot be met as asked: an unknown id, a bad option value.
    """


class WriteError(ScorecardError, OSError):
    """
    A file was not written: it exists already, or its place is outside the repository.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.path, problem.line or 0, problem.field, problem.message)


# A wrong argument may be a whole Book, whose repr runs to megabytes: shown cut, at most this long.
_SHORT = reprlib.Repr()
_SHORT.maxother = _SHORT.maxstring = 160


class ArgumentError(ScorecardError, TypeError):
    """
    A library call got an argument of the wrong Python type; *name* is the argument.

    Said at the call, in the argument's name, rather than as an AttributeError from deep inside.
    """

    def __init__(self, name: str, value: object, expected: str, *, hint: str = "") -> None:
        self.name = name
        self.value = value
        kind = "a datetime.datetime" if isinstance(value, datetime.datetime) else type(value).__name__
        super().__init__(f"{name} must be {expected}, got {kind} ({_SHORT.repr(value)}){hint}")


def require(value: object, kind: type, name: str, expected: str) -> None:
    """
    Refuse *value* unless it is a *kind*: an ArgumentError naming the argument *name*.
    """
    if not isinstance(value, kind):
        raise ArgumentError(name, value, expected)


class AsOfError(ArgumentError):
    """
    A day was given as something other than a ``datetime.date``; *name* is the argument.
    """

    def __init__(self, name: str, value: object) -> None:
        super().__init__(name, value, "a datetime.date", hint="; use datetime.date(...) or .date()")


class FieldValueError(ScorecardError, ValueError):
    """
    A value breaks a record's rule; *field* names the key, relative to the record, that is wrong.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class ItemValueError(ScorecardError, ValueError):
    """
    Items of an array break a record's rule: each (index, message), reported at its own item.

    A list of tags or ids with two bad entries is two problems, each at its element's line,
    not one problem about the first.
    """

    def __init__(self, items: Sequence[tuple[int, str]]) -> None:
        self.items = tuple(items)
        super().__init__("; ".join(f"[{index}]: {message}" for index, message in self.items))


def reason_of(error: BaseException) -> str:
    """
    Why an operation failed, in the system's words: an OSError's text, else the error's own.
    """
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, RuntimeError) and str(error).startswith("Symlink loop"):
        # pathlib's resolve() before Python 3.13 reports a loop of links this way, not as ELOOP.
        return os.strerror(errno.ELOOP)
    return str(error) or type(error).__name__
