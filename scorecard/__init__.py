"""
Keep an honest, public track record of predictions: records, evidence, grades and reviews.
"""

from __future__ import annotations

from ._errors import FieldValueError, LoadError, Problem, ScorecardError, Severity, UsageError, WriteError
from ._grade import Graded, Result, grade
from ._load import check, load
from ._model import (
    AllRule,
    AnyRule,
    Book,
    ChangeRule,
    Confidence,
    Event,
    EventRule,
    Grade,
    JudgmentRule,
    Ledger,
    Metric,
    Observation,
    Op,
    Prediction,
    Rule,
    Settings,
    Source,
    ThresholdRule,
    Verdict,
    When,
)
from ._time import Duration, Period

__all__ = [
    "AllRule",
    "AnyRule",
    "Book",
    "ChangeRule",
    "Confidence",
    "Duration",
    "Event",
    "EventRule",
    "FieldValueError",
    "Grade",
    "Graded",
    "JudgmentRule",
    "Ledger",
    "LoadError",
    "Metric",
    "Observation",
    "Op",
    "Period",
    "Prediction",
    "Problem",
    "Result",
    "Rule",
    "ScorecardError",
    "Settings",
    "Severity",
    "Source",
    "ThresholdRule",
    "UsageError",
    "Verdict",
    "When",
    "WriteError",
    "__version__",
    "check",
    "grade",
    "load",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked for

        return version("scorecard")
    msg = f"module 'scorecard' has no attribute {name!r}"
    raise AttributeError(msg)
