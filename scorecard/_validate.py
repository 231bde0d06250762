"""
Checks across records and files: duplicate and dangling ids, contradictions, unknown hedges.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ._errors import Problem, Severity
from ._hedges import lexicon
from ._locate import KeyPath, Lines, find_line
from ._model import (
    AllRule,
    AnyRule,
    Book,
    ChangeRule,
    Event,
    EventRule,
    Ledger,
    Metric,
    Prediction,
    Rule,
    ThresholdRule,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping


def cross_check(
    book: Book,
    prediction_files: list[tuple[str, Prediction, Lines]],
    ledger_files: list[tuple[str, Ledger, Lines]],
) -> list[Problem]:
    """
    Problems that only show when records are read together.
    """
    problems: list[Problem] = []
    events = {event.id for event in book.ledger.event}
    metrics = {metric.id: metric for metric in book.ledger.metric}
    words = lexicon(book.settings.hedges)

    first_seen: dict[str, str] = {}
    for shown, prediction, lines in prediction_files:
        stem = _stem(shown)
        if stem != prediction.id:
            problems.append(
                Problem(shown, lines.get(("id",)), "id", f"{prediction.id!r} must equal the file name {stem!r}")
            )
        if prediction.id in first_seen:
            problems.append(
                Problem(
                    shown, lines.get(("id",)), "id", f"{prediction.id!r} is already used by {first_seen[prediction.id]}"
                )
            )
        else:
            first_seen[prediction.id] = shown
        for path, rule in _rules(prediction.rule, ("rule",)):
            problems += _dangling(rule, path, shown, lines, events, metrics)
        if prediction.hedge is not None and words.find(prediction.hedge) is None:
            problems.append(
                Problem(
                    shown,
                    lines.get(("hedge",)),
                    "hedge",
                    f"{prediction.hedge!r} is not in the hedge lexicon; add it under [tool.scorecard.hedges] "
                    "to use it in calibration",
                    Severity.WARNING,
                )
            )

    predictions = {prediction.id for prediction in book.predictions}
    defined: dict[tuple[str, str], tuple[str, Lines, KeyPath]] = {}
    verdicts: dict[tuple[str, str], tuple[tuple[str, Lines, KeyPath], str]] = {}
    for shown, ledger, lines in ledger_files:
        named: list[tuple[str, tuple[Metric | Event, ...]]] = [("metric", ledger.metric), ("event", ledger.event)]
        for kind, entries in named:
            for index, entry in enumerate(entries):
                if (kind, entry.id) in defined:
                    problems.append(
                        Problem(
                            shown,
                            find_line(lines, (kind, index, "id")),
                            f"{kind}[{index}].id",
                            f"{kind} {entry.id!r} is already defined at {_where(*defined[kind, entry.id])}",
                        )
                    )
                else:
                    defined[kind, entry.id] = (shown, lines, (kind, index))
        for index, observation in enumerate(ledger.observation):
            field = f"observation[{index}]"
            if observation.id is not None:
                if ("observation", observation.id) in defined:
                    problems.append(
                        Problem(
                            shown,
                            find_line(lines, ("observation", index)),
                            f"{field}.id",
                            f"observation {observation.id!r} is already defined at "
                            f"{_where(*defined['observation', observation.id])}",
                        )
                    )
                else:
                    defined["observation", observation.id] = (shown, lines, ("observation", index))
            metric = metrics.get(observation.metric)
            if metric is None:
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("observation", index, "metric")),
                        f"{field}.metric",
                        f"unknown metric {observation.metric!r}; define it in a [[metric]] table",
                    )
                )
            elif observation.unit is not None and observation.unit != metric.unit:
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("observation", index, "unit")),
                        f"{field}.unit",
                        f"{observation.unit!r} contradicts the unit of metric {metric.id!r}, {metric.unit!r}",
                    )
                )
        for index, verdict in enumerate(ledger.verdict):
            field = f"verdict[{index}]"
            if verdict.prediction not in predictions:
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("verdict", index, "prediction")),
                        f"{field}.prediction",
                        f"unknown prediction {verdict.prediction!r}",
                    )
                )
            key = (verdict.prediction, verdict.on.isoformat())
            if key in verdicts:
                other_where, other_grade = verdicts[key]
                what = "contradicts" if other_grade != verdict.grade.value else "repeats"
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("verdict", index)),
                        f"{field}",
                        f"{what} the verdict of the same day for {verdict.prediction!r} at {_where(*other_where)}",
                    )
                )
            else:
                verdicts[key] = ((shown, lines, ("verdict", index)), verdict.grade.value)
    return problems


def _stem(shown: str) -> str:
    # String slicing, not PurePosixPath: this runs once per record, ten thousand times a review.
    name = shown.rpartition("/")[2]
    return name[: -len(".toml")] if name.endswith(".toml") and name != ".toml" else PurePosixPath(name).stem


def _where(shown: str, lines: Lines, path: KeyPath) -> str:
    return f"{shown}:{find_line(lines, path)}"


def _rules(rule: Rule, path: KeyPath) -> Iterator[tuple[KeyPath, Rule]]:
    yield path, rule
    if isinstance(rule, (AllRule, AnyRule)):
        for index, sub in enumerate(rule.of):
            yield from _rules(sub, (*path, "of", index))


def _dangling(
    rule: Rule,
    path: KeyPath,
    shown: str,
    lines: Lines,
    events: set[str],
    metrics: Mapping[str, Metric],
) -> list[Problem]:
    from ._locate import dotted  # noqa: PLC0415 - tiny helper, avoid widening the import line

    if isinstance(rule, EventRule) and rule.event not in events:
        field = (*path, "event")
        return [
            Problem(
                shown,
                find_line(lines, field),
                dotted(field),
                f"unknown event {rule.event!r}; define it in an [[event]] table of the ledger",
            )
        ]
    if isinstance(rule, (ThresholdRule, ChangeRule)) and rule.metric not in metrics:
        field = (*path, "metric")
        return [
            Problem(
                shown,
                find_line(lines, field),
                dotted(field),
                f"unknown metric {rule.metric!r}; define it in a [[metric]] table of the ledger",
            )
        ]
    return []
