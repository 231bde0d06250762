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

from ._convert import converter
from ._errors import LoadError, Severity, UsageError
from ._grade import grade
from ._load import read_files, read_text
from ._write import inside, write_text

if TYPE_CHECKING:
    import datetime

    from ._model import Book, Event, Forecast, Observation, Verdict


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
    files = read_files(root)
    origin = files.book.origins.get(prediction_id)
    if origin is None:
        known = sorted(prediction.id for prediction in files.book.predictions)
        raise UsageError(_unknown("prediction", prediction_id, known))
    return _append(root, inside(root, origin.path), {"forecast": [_data(update)]}, files.book, today)


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


def add_observation(root: str | Path, observation: Observation, *, today: datetime.date) -> Added:
    """
    Append *observation* to the ledger (see ``add_forecast`` for what is checked).
    """
    return _add_to_ledger(Path(root), "observation", observation, today)


def _add_to_ledger(root: Path, table: str, entry: object, today: datetime.date) -> Added:
    files = read_files(root)
    return _append(root, ledger_path(root, files.book), {table: [_data(entry)]}, files.book, today)


def _data(record: object) -> dict[str, object]:
    data: dict[str, object] = converter().unstructure(record)
    return data


def _append(
    root: Path, path: Path, entry: dict[str, list[dict[str, object]]], before: Book, today: datetime.date
) -> Added:
    shown = _relative(path, root)
    old = ""
    if path.exists():
        text, problems = read_text(path, shown)
        if text is None:
            raise LoadError(problems)
        # The file exactly as it is (a byte-order mark, CRLF line ends and all): it is kept.
        old = path.read_bytes().decode("utf-8")
    separator = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    new = old + separator + "".join(table_text(name, values[0]) for name, values in entry.items())
    errors_before = {str(p) for p in read_files(root).problems if p.severity is Severity.ERROR}
    after = read_files(root, texts={path: new})
    added = [p for p in after.problems if p.severity is Severity.ERROR and str(p) not in errors_before]
    if added:
        raise LoadError(added)
    write_text(path, new, overwrite=True)
    return Added(path, _changes(before, after.book, today))


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


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
