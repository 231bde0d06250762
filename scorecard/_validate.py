"""
Checks across records and files: duplicate and dangling ids, contradictions, unknown hedges.
"""

from __future__ import annotations

import difflib
import functools
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ._characters import mixed_scripts, name_key
from ._errors import Problem, Severity
from ._grades import Grade
from ._hedges import lexicon
from ._locate import KeyPath, Lines, dotted, find_line
from ._model import (
    AllRule,
    AnyRule,
    Book,
    ChangeRule,
    Event,
    EventRule,
    Ledger,
    Metric,
    Observation,
    Prediction,
    Rule,
    ThresholdRule,
    known_dates,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from collections.abc import Set as AbstractSet


def cross_check(
    book: Book,
    prediction_files: list[tuple[str, Prediction, Lines]],
    ledger_files: list[tuple[str, Ledger, Lines]],
    *,
    broken: frozenset[str] = frozenset(),
) -> list[Problem]:
    """
    Problems that only show when records are read together.

    *broken* names entries that exist but did not load: their own problems are reported where
    they are, so a reference to one is not reported again as unknown.
    """
    problems: list[Problem] = []
    events = {event.id for event in book.ledger.event} | broken
    metrics = {metric.id: metric for metric in book.ledger.metric}
    words = lexicon(book.settings.hedges)
    known_metrics = metrics.keys() | broken

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
            problems += _dangling(rule, path, shown, lines, events, known_metrics, book.settings.evidence)
        if prediction.hedge is not None and words.find(prediction.hedge) is None:
            guess = difflib.get_close_matches(prediction.hedge, [hedge.phrase for hedge in words.hedges], n=1)
            hint = f"did you mean {guess[0]!r}? Otherwise " if guess else ""
            problems.append(
                Problem(
                    shown,
                    lines.get(("hedge",)),
                    "hedge",
                    f"{prediction.hedge!r} is not in the hedge lexicon, so the prediction is left out of "
                    f"calibration; {hint}add it under [tool.scorecard.hedges]",
                    Severity.WARNING,
                )
            )

    predictions = {prediction.id for prediction in book.predictions}
    ledger_ids = {event.id for event in book.ledger.event} | set(metrics)
    ledger_ids |= {observation.id for observation in book.ledger.observation if observation.id is not None}
    editor = book.settings.editor
    defined: dict[tuple[str, str], tuple[str, Lines, KeyPath]] = {}
    verdicts: dict[tuple[str, str, str], tuple[tuple[str, Lines, KeyPath], str]] = {}
    finals: dict[str, tuple[tuple[str, Lines, KeyPath], str]] = {}
    for shown, ledger, lines in ledger_files:
        named: list[tuple[str, tuple[Metric | Event, ...]]] = [("metric", ledger.metric), ("event", ledger.event)]
        for kind, entries in named:
            for index, entry in lines.numbered(kind, entries):
                if isinstance(entry, Event) and entry.on is None:
                    # A tracked event may be checked again and again ("not yet, as of …"), and
                    # then happen: only its dated entry must be unique.
                    continue
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
        for index, observation in lines.numbered("observation", ledger.observation):
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
            if metric is None and observation.metric not in broken:
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("observation", index, "metric")),
                        f"{field}.metric",
                        f"unknown metric {observation.metric!r}; define it in a [[metric]] table",
                    )
                )
            elif metric is not None and observation.unit is not None and observation.unit != metric.unit:
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("observation", index, "unit")),
                        f"{field}.unit",
                        f"{observation.unit!r} contradicts the unit of metric {metric.id!r}, {metric.unit!r}",
                    )
                )
        for index, verdict in lines.numbered("verdict", ledger.verdict):
            field = f"verdict[{index}]"
            if verdict.prediction not in predictions and verdict.prediction not in broken:
                guess = difflib.get_close_matches(verdict.prediction, sorted(predictions), n=1, cutoff=0.8)
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("verdict", index, "prediction")),
                        f"{field}.prediction",
                        f"unknown prediction {verdict.prediction!r}"
                        + (f" (did you mean {guess[0]!r}?)" if guess else ""),
                    )
                )
            grader = verdict.grader(editor)
            key = (verdict.prediction, name_key(grader), verdict.on.isoformat())
            if key in verdicts:
                other_where, other_grade = verdicts[key]
                what = "contradicts" if other_grade != verdict.grade.value else "repeats"
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("verdict", index)),
                        f"{field}",
                        f"{what} the verdict of the same day by {grader} for {verdict.prediction!r} "
                        f"at {_where(*other_where)}",
                    )
                )
            else:
                verdicts[key] = ((shown, lines, ("verdict", index)), verdict.grade.value)
            for number, cited in enumerate(verdict.evidence):
                if cited not in ledger_ids and cited not in broken:
                    problems.append(
                        Problem(
                            shown,
                            find_line(lines, ("verdict", index, "evidence")),
                            f"{field}.evidence[{number}]",
                            f"unknown ledger entry {cited!r}; cite the id of an event, observation or metric",
                        )
                    )
            if verdict.final:
                if verdict.prediction in finals and finals[verdict.prediction][1] != verdict.grade.value:
                    other_where, other_grade = finals[verdict.prediction]
                    problems.append(
                        Problem(
                            shown,
                            find_line(lines, ("verdict", index, "final")),
                            f"{field}.final",
                            f"a second final verdict for {verdict.prediction!r} grades {verdict.grade.value!r}, "
                            f"the final one at {_where(*other_where)} {other_grade!r}; only one can settle it",
                        )
                    )
                else:
                    finals.setdefault(verdict.prediction, ((shown, lines, ("verdict", index)), verdict.grade.value))
            if verdict.grade is Grade.VOID and verdict.reason is None:
                problems.append(
                    Problem(
                        shown,
                        find_line(lines, ("verdict", index, "grade")),
                        f"{field}.reason",
                        "a void verdict says why: ambiguous, not-a-forecast, premise-failed, unverifiable or withdrawn",
                        Severity.WARNING,
                    )
                )
    problems += _look_alike_names(prediction_files, ledger_files)
    return problems + _verdict_dates(prediction_files, ledger_files, book.ledger)


def _look_alike_names(
    prediction_files: list[tuple[str, Prediction, Lines]],
    ledger_files: list[tuple[str, Ledger, Lines]],
) -> list[Problem]:
    """
    Warn where one person's name is written two ways, or in letters that pass for another's.

    "Guangmi Li", "guangmi  li" and one with a zero-width space inside would show as three
    forecasters in tables and the league. "Sаm Altman" with a Cyrillic "а" is not Sam Altman to
    any comparison, and a verdict signed so would pass for an independent grader's.
    """
    # Lines are found only for a name that needs a warning: finding one scans its file.
    places: list[tuple[str, str, Lines, KeyPath, str]] = [
        (prediction.by, shown, lines, ("by",), "by") for shown, prediction, lines in prediction_files
    ]
    places += [
        (verdict.by, shown, lines, ("verdict", index, "by"), f"verdict[{index}].by")
        for shown, ledger, lines in ledger_files
        for index, verdict in lines.numbered("verdict", ledger.verdict)
        if verdict.by is not None
    ]
    first: dict[str, tuple[str, str, Lines, KeyPath]] = {}
    problems = []
    for name, shown, lines, path, field in places:
        scripts = mixed_scripts(name)
        if scripts:
            problems.append(
                Problem(
                    shown,
                    find_line(lines, path),
                    field,
                    f"{name!r} mixes {' and '.join(scripts)} letters in one word, so it can pass for another "
                    "name (a self-grade for an independent one); write each word in one alphabet",
                    Severity.WARNING,
                )
            )
        key = name_key(name)
        if key not in first:
            first[key] = (name, shown, lines, path)
            continue
        known, where, known_lines, known_path = first[key]
        if name != known:
            known_line = find_line(known_lines, known_path)
            problems.append(
                Problem(
                    shown,
                    find_line(lines, path),
                    field,
                    f"{name!r} differs from {known!r} ({where}{'' if known_line is None else f':{known_line}'}) "
                    "only in case, spacing or invisible characters; write one name one way",
                    Severity.WARNING,
                )
            )
    return problems


def _verdict_dates(
    prediction_files: list[tuple[str, Prediction, Lines]],
    ledger_files: list[tuple[str, Ledger, Lines]],
    merged: Ledger,
) -> list[Problem]:
    """
    Verdicts dated before the prediction they grade, or before a source or entry they cite.
    """
    problems: list[Problem] = []
    where = {prediction.id: (shown, lines) for shown, prediction, lines in prediction_files}
    made = {prediction.id: prediction.made for _, prediction, _ in prediction_files}
    dates = known_dates(merged)
    entry_where = _entry_places(ledger_files)
    for shown, ledger, lines in ledger_files:
        for index, verdict in lines.numbered("verdict", ledger.verdict):
            field = f"verdict[{index}].on"
            # The line is looked up only for a problem: finding lines scans the file's text.
            on_line = functools.partial(find_line, lines, ("verdict", index, "on"))
            if verdict.prediction in made and verdict.on < made[verdict.prediction]:
                place = _where(*where[verdict.prediction], ("made",))
                problems.append(
                    Problem(
                        shown,
                        on_line(),
                        field,
                        f"{verdict.on} is before prediction {verdict.prediction!r} was made "
                        f"({made[verdict.prediction]}, {place}): a grade cannot come before the forecast",
                    )
                )
            for number, source in enumerate(verdict.sources):
                if source.published is not None and verdict.on < source.published:
                    problems.append(
                        Problem(
                            shown,
                            on_line(),
                            field,
                            f"{verdict.on} is before its source sources[{number}] ({source.url}) was published "
                            f"({source.published}): date the verdict on or after what it cites",
                        )
                    )
            for entry in verdict.evidence:
                day = dates.get(entry)
                if day is not None and verdict.on < day:
                    problems.append(
                        Problem(
                            shown,
                            on_line(),
                            field,
                            f"{verdict.on} is before ledger entry {entry!r} became known ({day}, "
                            f"{_where(*entry_where[entry]) if entry in entry_where else '?'}): date the verdict on or after what it cites",
                        )
                    )
    return problems


def _entry_places(ledger_files: list[tuple[str, Ledger, Lines]]) -> dict[str, tuple[str, Lines, KeyPath]]:
    # Where each entry is, as a file and key path: its line is looked up only for a problem,
    # since finding lines means scanning the file's text.
    places: dict[str, tuple[str, Lines, KeyPath]] = {}
    for shown, ledger, lines in ledger_files:
        named: list[tuple[str, tuple[Metric | Event | Observation, ...]]] = [
            ("metric", ledger.metric),
            ("event", ledger.event),
            ("observation", ledger.observation),
        ]
        for kind, entries in named:
            for index, entry in lines.numbered(kind, entries):
                if entry.id is not None:
                    places.setdefault(entry.id, (shown, lines, (kind, index)))
    return places


def _stem(shown: str) -> str:
    # String slicing, not PurePosixPath: this runs once per record, ten thousand times a review.
    name = shown.rpartition("/")[2]
    return name[: -len(".toml")] if name.endswith(".toml") and name != ".toml" else PurePosixPath(name).stem


def _where(shown: str, lines: Lines, path: KeyPath) -> str:
    line = find_line(lines, path)
    return shown if line is None else f"{shown}:{line}"


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
    events: AbstractSet[str],
    metrics: AbstractSet[str],
    ledger: str = "reviews/evidence",
) -> list[Problem]:
    if isinstance(rule, EventRule) and rule.event not in events:
        field = (*path, "event")
        return [
            Problem(
                shown,
                find_line(lines, field),
                dotted(field),
                f"unknown event {rule.event!r}; define it in an [[event]] table of the ledger, {ledger}/*.toml "
                f"(`scorecard happened` adds one)",
            )
        ]
    if isinstance(rule, (ThresholdRule, ChangeRule)) and rule.metric not in metrics:
        field = (*path, "metric")
        return [
            Problem(
                shown,
                find_line(lines, field),
                dotted(field),
                f"unknown metric {rule.metric!r}; define it in a [[metric]] table of the ledger, {ledger}/*.toml "
                f"(`scorecard observe --unit` adds one)",
            )
        ]
    return []
