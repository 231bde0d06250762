"""
Keep an honest, public track record of predictions: records, evidence, grades and reviews.

Names are imported on first use (PEP 562), so ``scorecard --version`` and other light
commands do not pay for attrs, cattrs and dateutil.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._errors import (
        ArgumentError,
        AsOfError,
        FieldValueError,
        ItemValueError,
        LoadError,
        Problem,
        ScorecardError,
        Severity,
        UsageError,
        WriteError,
    )
    from ._grade import Basis, Graded, Reading, Result, grade
    from ._grades import Grade
    from ._hindsight import check
    from ._load import load
    from ._model import (
        AllRule,
        AnyRule,
        Book,
        ChangeRule,
        Citation,
        Confidence,
        Event,
        EventRule,
        Forecast,
        JudgmentRule,
        Ledger,
        Metric,
        Observation,
        Op,
        Prediction,
        Rule,
        Settings,
        Source,
        SourceKind,
        ThresholdRule,
        Verdict,
        VoidReason,
        When,
    )
    from ._query import Due, due, select
    from ._review import Review, review
    from ._score import ScoreReport, score
    from ._site import Site, write_site
    from ._table import read_forecasts
    from ._table_counts import ForecastTable
    from ._time import Duration, Period

__all__ = [
    "AllRule",
    "AnyRule",
    "ArgumentError",
    "AsOfError",
    "Basis",
    "Book",
    "ChangeRule",
    "Citation",
    "Confidence",
    "Due",
    "Duration",
    "Event",
    "EventRule",
    "FieldValueError",
    "Forecast",
    "ForecastTable",
    "Grade",
    "Graded",
    "ItemValueError",
    "JudgmentRule",
    "Ledger",
    "LoadError",
    "Metric",
    "Observation",
    "Op",
    "Period",
    "Prediction",
    "Problem",
    "Reading",
    "Result",
    "Review",
    "Rule",
    "ScoreReport",
    "ScorecardError",
    "Settings",
    "Severity",
    "Site",
    "Source",
    "SourceKind",
    "ThresholdRule",
    "UsageError",
    "Verdict",
    "VoidReason",
    "When",
    "WriteError",
    "__version__",
    "check",
    "due",
    "grade",
    "load",
    "read_forecasts",
    "review",
    "score",
    "select",
    "write_site",
]


_LOCATIONS = {
    "AllRule": "_model",
    "AnyRule": "_model",
    "ArgumentError": "_errors",
    "AsOfError": "_errors",
    "Basis": "_grade",
    "Book": "_model",
    "ChangeRule": "_model",
    "Citation": "_model",
    "Confidence": "_model",
    "Due": "_query",
    "Duration": "_time",
    "Event": "_model",
    "EventRule": "_model",
    "FieldValueError": "_errors",
    "Forecast": "_model",
    "ForecastTable": "_table_counts",
    "Grade": "_grades",
    "Graded": "_grade",
    "ItemValueError": "_errors",
    "JudgmentRule": "_model",
    "Ledger": "_model",
    "LoadError": "_errors",
    "Metric": "_model",
    "Observation": "_model",
    "Op": "_model",
    "Period": "_time",
    "Prediction": "_model",
    "Problem": "_errors",
    "Reading": "_grade",
    "Result": "_grade",
    "Review": "_review",
    "Rule": "_model",
    "ScoreReport": "_score",
    "ScorecardError": "_errors",
    "Settings": "_model",
    "Severity": "_errors",
    "Site": "_site",
    "Source": "_model",
    "SourceKind": "_model",
    "ThresholdRule": "_model",
    "UsageError": "_errors",
    "Verdict": "_model",
    "VoidReason": "_model",
    "When": "_model",
    "WriteError": "_errors",
    "check": "_hindsight",
    "due": "_query",
    "grade": "_grade",
    "load": "_load",
    "read_forecasts": "_table",
    "review": "_review",
    "score": "_score",
    "select": "_query",
    "write_site": "_site",
}


def __getattr__(name: str) -> object:
    if name == "__version__":
        from ._version import __version__  # noqa: PLC0415 - only when asked for

        return __version__
    module = _LOCATIONS.get(name)
    if module is None:
        msg = f"module 'scorecard' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(f"scorecard.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
