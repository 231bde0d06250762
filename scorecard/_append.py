"""
Adding to what a person wrote: a forecast update to a record, an entry to the ledger.

The application logic of ``scorecard forecast``, ``resolve``, ``happened`` and ``observe``. The
new entry is appended as TOML text after everything already in the file, which is kept byte for
byte; the repository is read again with the new text in place of the file, and the entry is
written only if it adds no error. The file is then replaced in one rename.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import tomli_w

from ._author import prediction_path, schema_directive, usable_settings
from ._convert import converter
from ._errors import LoadError, Problem, Severity, UsageError
from ._grade import grade
from ._grades import Grade
from ._hindsight import updates_after_decided
from ._load import Files, read_files, read_text, shown_path
from ._locate import key_lines
from ._model import AllRule, AnyRule, EventRule
from ._write import inside, write_files

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping

    from ._model import Book, Event, Forecast, Observation, Prediction, Rule, Verdict


@attrs.frozen
class Change:
    """
    A prediction whose grade, as of the day given, the addition changed.
    """

    id: str
    before: str
    after: str


@attrs.frozen
class Added:
    """
    Where an entry was appended, and every grade it changed.
    """

    path: Path
    changes: tuple[Change, ...]


def add_forecast(root: str | Path, prediction_id: str, update: Forecast, *, today: datetime.date) -> Added:
    """
    Append *update* as a ``[[forecast]]`` table to the record of *prediction_id*.

    Raises:
        UsageError: no prediction has that id.
        LoadError: the update would make the repository invalid (every new problem listed).
        WriteError: the record could not be written.
    """
    root = Path(root)
    usable_settings(root)
    files = read_files(root)
    origin = files.book.origins.get(prediction_id)
    if origin is None:
        known = sorted(prediction.id for prediction in files.book.predictions)
        raise UsageError(_unknown("prediction", prediction_id, known))
    _refuse_backdated(files, prediction_id, update, today)
    return _commit(
        root, files, today, appended={inside(root, origin.path): [("forecast", _data(update))]}, as_of=update.on
    )


def _refuse_backdated(files: Files, prediction_id: str, update: Forecast, today: datetime.date) -> None:
    """
    Refuse an update dated before its prediction was decided but written once that is known.

    Written today, with the outcome known, it would be scored as if made before it: the
    hindsight an update dated after the outcome shows openly (``_commit`` refuses that one).
    """
    result = grade(files.book, as_of=max(today, update.on)).get(prediction_id)
    if result is None:
        return
    settled = [
        outcome
        for outcome in (result.outcome, result.rule_outcome)
        if outcome.grade in (Grade.YES, Grade.PARTLY, Grade.NO) and outcome.decided is not None
    ]
    first = min(settled, key=lambda outcome: outcome.decided or today, default=None)
    if first is None or first.decided is None or update.on >= first.decided:
        return
    cited = ", ".join(repr(entry) for entry in first.evidence) or "the ledger"
    raise LoadError(
        [
            Problem(
                files.book.origins[prediction_id].path,
                None,
                "forecast",
                f"{prediction_id!r} was decided on {first.decided} ({cited}, grades it {first.grade.label}): an "
                f"update dated {update.on} but written now, once the outcome is known, would be scored as if made "
                "before it",
            )
        ]
    )


def ledger_path(root: Path, book: Book) -> Path:
    """
    The ledger file new evidence goes to: the settings' ``ledger``, a file in the evidence folder.
    """
    return inside(root, Path(book.settings.evidence) / book.settings.ledger)


def add_verdict(root: str | Path, verdict: Verdict, *, today: datetime.date) -> Added:
    """
    Append *verdict* to the ledger (see ``add_forecast`` for what is checked).
    """
    return _add_to_ledger(Path(root), "verdict", verdict, today)


def add_event(root: str | Path, event: Event, *, today: datetime.date) -> Added:
    """
    Append *event* to the ledger (see ``add_forecast`` for what is checked).
    """
    return _add_to_ledger(Path(root), "event", event, today)


def add_observation(
    root: str | Path, observation: Observation, *, today: datetime.date, unit: str | None = None
) -> Added:
    """
    Append *observation* to the ledger (see ``add_forecast`` for what is checked).

    With *unit*, a metric the ledger lacks is defined first.
    """
    return _add_to_ledger(Path(root), "observation", observation, today, unit)


def _add_to_ledger(root: Path, table: str, entry: object, today: datetime.date, unit: str | None = None) -> Added:
    usable_settings(root)
    files = read_files(root)
    tables: list[tuple[str, dict[str, object]]] = [(table, _data(entry))]
    metric = getattr(entry, "metric", None)
    if table == "observation" and isinstance(metric, str) and unit is not None:
        defined = {item.id for item in files.book.ledger.metric}
        if metric not in defined:
            tables.insert(0, ("metric", {"id": metric, "unit": unit}))
    return _commit(root, files, today, appended={ledger_path(root, files.book): tables})


def add_prediction(
    root: str | Path,
    prediction: Prediction,
    into: str,
    *,
    today: datetime.date,
    units: Mapping[str, str] | None = None,
) -> Added:
    """
    Write *prediction* to ``predictions/<into>/<id>.toml``, with what its rule needs.

    What the rule names and the ledger lacks is added to the ledger in the same transaction, so
    ``check`` passes at once.
    An event not in the ledger yet is tracked (an undated entry: it has not happened); a metric
    not in the ledger is defined with its unit from *units*.

    Raises:
        UsageError: *into* is not a slug, or a new metric has no unit.
        WriteError: the id is taken anywhere in the repository, or the file exists.
        LoadError: the record would make the repository invalid.
    """
    root = Path(root)
    usable_settings(root)
    files = read_files(root)
    target = prediction_path(root, files.book, prediction, into)
    events = {event.id for event in files.book.ledger.event}
    metrics = {metric.id for metric in files.book.ledger.metric}
    tables: list[tuple[str, dict[str, object]]] = []
    for rule in _leaves(prediction.rule):
        if isinstance(rule, EventRule) and rule.event not in events:
            events.add(rule.event)
            summary = f"Tracked for {prediction.id}: not known to have happened yet."
            tables.append(("event", {"id": rule.event, "summary": summary}))
        name = getattr(rule, "metric", None)
        if isinstance(name, str) and name not in metrics:
            unit = (units or {}).get(name)
            if unit is None:
                msg = f"--unit: metric {name!r} is not in the ledger yet; give its unit (USD, users, tokens, …)"
                raise UsageError(msg)
            metrics.add(name)
            tables.append(("metric", {"id": name, "unit": unit}))
    text = schema_directive(root, target) + tomli_w.dumps(_data(prediction))
    appended = {ledger_path(root, files.book): tables} if tables else {}
    added = _commit(root, files, today, new={target: text}, appended=appended)
    return Added(target, added.changes)


def _leaves(rule: Rule) -> list[Rule]:
    if isinstance(rule, (AllRule, AnyRule)):
        return [leaf for part in rule.of for leaf in _leaves(part)]
    return [rule]


def _data(record: object) -> dict[str, object]:
    data: dict[str, object] = converter().unstructure(record)
    return data


def _commit(
    root: Path,
    before: Files,
    today: datetime.date,
    *,
    new: dict[Path, str] | None = None,
    appended: dict[Path, list[tuple[str, dict[str, object]]]] | None = None,
    as_of: datetime.date | None = None,
) -> Added:
    """
    Write *new* files and append tables to others, all or nothing.

    They are written only if the repository read with them in place has no error it did not
    have *before* (the repository as already read by the caller). With *as_of*, a forecast
    update made once its outcome was known (as of that day) is such an error too.
    """
    texts = dict(new or {})
    for path, tables in (appended or {}).items():
        old = _current(path, root)
        _check_appendable(old, [name for name, _ in tables], shown_path(path, root))
        separator = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
        texts[path] = old + separator + "\n".join(table_text(name, data) for name, data in tables)
    errors_before = {str(p) for p in before.problems if p.severity is Severity.ERROR}
    after = read_files(root, texts=texts)
    added = [p for p in after.problems if p.severity is Severity.ERROR and str(p) not in errors_before]
    if as_of is not None and not added:
        # Hindsight is a warning in a file a person wrote, but no command writes it.
        late = updates_after_decided(after.book, after.predictions, grade(after.book, as_of=as_of))
        was = {str(p) for p in updates_after_decided(before.book, before.predictions, grade(before.book, as_of=as_of))}
        added = [p._replace(severity=Severity.ERROR) for p in late if str(p) not in was]
    if added:
        raise LoadError(added)
    write_files(texts, overwrite=[path for path in appended or {} if path.exists()])
    return Added(next(iter(texts)), _changes(before.book, after.book, today))


def _check_appendable(text: str, names: list[str], shown: str) -> None:
    """
    Refuse to append ``[[name]]`` tables to a file that writes *name* another way.

    TOML cannot add a table to an array written inline (``forecast = [ {…} ]``) or to a single
    ``[forecast]`` table; the appended text would not parse, and the reader would see that
    parser's words about a line it never wrote.

    Raises:
        LoadError: *text* writes one of *names* as something other than ``[[name]]`` tables.
    """
    lines = key_lines(text)
    written = text.split("\n")
    problems = [
        Problem(
            shown,
            line,
            name,
            f"is written inline or as one table, and new entries are appended as [[{name}]] tables, which "
            f"TOML cannot add to it: write its entries as [[{name}]] tables (or add this one by hand)",
        )
        for name in dict.fromkeys(names)
        if (line := lines.get((name,))) is not None and not written[line - 1].lstrip().startswith("[[")
    ]
    if problems:
        raise LoadError(problems)


def _current(path: Path, root: Path) -> str:
    """
    The file exactly as it is (a byte-order mark, CRLF line ends and all), or "" if it is new.
    """
    if not path.exists():
        return ""
    text, problems = read_text(path, shown_path(path, root))
    if text is None:
        raise LoadError(problems)
    return path.read_bytes().decode("utf-8")


def table_text(name: str, entry: dict[str, object]) -> str:
    """
    *entry* as one ``[[name]]`` table whose values are all written inline.

    A sub-table written with its own header (``[source]``) would leave the array it belongs to,
    and tomli_w chooses inline or header form by length; appending needs one form that always
    means the same.
    """
    lines = [f"[[{_key(name)}]]"]
    lines += [f"{_key(key)} = {_inline(value)}" for key, value in entry.items()]
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    written = tomli_w.dumps({key: 0})
    return written[: written.rindex(" = ")]


def _inline(value: object) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(key)} = {_inline(item)}" for key, item in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    written = tomli_w.dumps({"x": value})
    return written.removeprefix("x = ").rstrip("\n")


def _changes(before: Book, after: Book, today: datetime.date) -> tuple[Change, ...]:
    was = {result.prediction.id: result.grade.value for result in grade(before, as_of=today)}
    now = grade(after, as_of=today)
    return tuple(
        Change(result.prediction.id, was.get(result.prediction.id, "—"), result.grade.value)
        for result in now
        if was.get(result.prediction.id) != result.grade.value
    )


def _unknown(kind: str, wanted: str, known: list[str]) -> str:
    import difflib  # noqa: PLC0415 - only on this error path

    guess = difflib.get_close_matches(wanted, known, n=1, cutoff=0.6)
    return f"no {kind} with id {wanted!r}" + (f" (did you mean {guess[0]!r}?)" if guess else "")
