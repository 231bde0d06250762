"""
Forecasting sites' exports, read as they come: Fatebook, PredictionBook and Metaculus.

Each reader turns a site's own file into rows of scorecard's table columns (question, title,
forecaster, probability, made, due, outcome, resolved, tags), with the line (or, for JSON, the
position) each came from, and names every row it leaves out. The formats were read from the
sites' public source code:

- Fatebook (``lib/web/export.ts``): ``fatebook-forecasts.csv``, one row per forecast, every
  forecaster on the questions shared with you; no question id, so a question is its title and
  creation day; dates ``YYYY-MM-DD HH:MM:S`` in UTC; ``YES``/``NO``/``AMBIGUOUS``. Columns are
  found by name: older exports call two of them ``Question resolution``/``Question resolved at``.
- PredictionBook: the API's ``my_predictions`` JSON (``responses`` hold each person's confidence,
  0-100); its CSV export (``my_predictions.csv``) holds questions only, with ``mean_confidence``,
  everyone's mean, which is nobody's forecast and is left out.
- Metaculus: the data ZIP (``question_data.csv`` and ``forecast_data.csv``), binary questions;
  ``ambiguous`` and ``annulled`` resolve as void.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import LoadError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

#: What ``import --from`` accepts besides scorecard's own table.
SITES = ("fatebook", "predictionbook", "metaculus")
_DAY = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})")
#: Every source file is read whole; forecasting exports are kilobytes to a few megabytes.
MAX_EXPORT_BYTES = 256 << 20
_OUTCOMES = {"yes": "yes", "true": "yes", "no": "no", "false": "no", "ambiguous": "void", "annulled": "void"}


@attrs.frozen
class SiteRows:
    """
    A site's export as scorecard table rows: (line or position, cells), and rows left out.
    """

    rows: tuple[tuple[int, dict[str, str]], ...]
    left_out: tuple[str, ...] = ()


def read_site(path: Path, site: str) -> SiteRows:
    """
    Read *path*, an export of *site*, into table rows.

    Raises:
        LoadError: the file is not that site's export, or a value cannot be read (with lines).
    """
    data = _bytes(path)
    if site == "fatebook":
        return _fatebook(data, path.as_posix())
    if site == "predictionbook":
        return _predictionbook(data, path.as_posix())
    return _metaculus(data, path.as_posix())


def _bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_EXPORT_BYTES + 1)
    except OSError as error:
        raise LoadError(
            [Problem(path.as_posix(), None, "file", f"cannot be read: {error.strerror or error}")]
        ) from None
    if len(data) > MAX_EXPORT_BYTES:
        raise LoadError([Problem(path.as_posix(), None, "file", f"is over the {MAX_EXPORT_BYTES:,}-byte limit")])
    return data


def _csv(data: bytes, shown: str) -> Iterator[tuple[int, dict[str, str]]]:
    """
    The rows of a CSV file as dicts by header name, each with the line it starts on.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError([Problem(shown, None, "file", f"is not UTF-8 text (offset {error.start})")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        # The header is read like any row: one field past the limit is a problem, not a crash.
        raise LoadError([Problem(shown, 1, "file", f"is not CSV: {error}")]) from None
    line = reader.line_num + 1
    try:
        for cells in reader:
            yield line, dict(zip(header, cells, strict=False))
            line = reader.line_num + 1
    except csv.Error as error:
        raise LoadError([Problem(shown, line, "file", f"is not CSV: {error}")]) from None


def _day(text: str) -> str:
    found = _DAY.match(text.strip())
    return found[1] if found else ""


def _need(row: Mapping[str, str], names: tuple[str, ...], shown: str, line: int) -> str:
    for name in names:
        if name in row:
            return row[name]
    raise LoadError([Problem(shown, line, "file", f"has no {names[0]!r} column: is it this site's export?")])


def _question_key(title: str, created: str) -> str:
    # Fatebook has no question id: a question is its title and the day it was asked.
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80].strip("-") or "question"
    return f"{slug}-{created.replace('-', '')}"


def _fatebook(data: bytes, shown: str) -> SiteRows:
    rows, left_out = [], []
    for line, row in _csv(data, shown):
        if row.get("Multiple choice option", "").strip():
            left_out.append(f"line {line}: a multiple-choice option, not a yes/no question")
            continue
        title = _need(row, ("Question title",), shown, line)
        created = _day(_need(row, ("Question created at",), shown, line))
        outcome = _need(row, ("Resolution", "Question resolution"), shown, line).strip().lower()
        cells = {
            "question": _question_key(title, created),
            "title": title,
            "forecaster": _need(row, ("Forecast created by",), shown, line),
            "probability": _need(row, ("Forecast (scale = 0-1)",), shown, line).strip(),
            "made": _day(_need(row, ("Forecast created at",), shown, line)),
            "due": _day(_need(row, ("Question resolve by",), shown, line)),
            "outcome": _OUTCOMES.get(outcome, outcome),
            "resolved": _day(_need(row, ("Resolved at", "Question resolved at"), shown, line)),
            "tags": ";".join(tag.strip() for tag in row.get("Question tags", "").split(";") if tag.strip()),
        }
        rows.append((line, cells))
    return SiteRows(tuple(rows), tuple(left_out))


def _predictionbook(data: bytes, shown: str) -> SiteRows:
    if data.lstrip()[:1] in (b"{", b"["):
        return _predictionbook_json(data, shown)
    rows, left_out = [], []
    for line, row in _csv(data, shown):
        outcome = _need(row, ("outcome",), shown, line).strip().lower()
        cells = {
            "question": _need(row, ("id",), shown, line),
            "title": row.get("description_with_group") or _need(row, ("description",), shown, line),
            "forecaster": _need(row, ("creator_label",), shown, line),
            "probability": "",
            "made": _day(_need(row, ("created_at",), shown, line)),
            "due": _day(_need(row, ("deadline",), shown, line)),
            "outcome": _OUTCOMES.get(outcome, outcome),
            "resolved": _day(row.get("last_judgement_at", "")),
            "tags": "",
        }
        rows.append((line, cells))
    if rows:
        left_out.append(
            "every probability: the CSV's mean_confidence is everyone's mean, nobody's own forecast "
            "(PredictionBook's my_predictions JSON holds each person's)"
        )
    return SiteRows(tuple(rows), tuple(left_out))


def _predictionbook_json(data: bytes, shown: str) -> SiteRows:
    try:
        document: Any = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise LoadError([Problem(shown, None, "file", f"is not JSON: {error}")]) from None
    predictions = document.get("predictions") if isinstance(document, dict) else document
    if not isinstance(predictions, list):
        raise LoadError([Problem(shown, None, "file", "has no list of predictions: is it PredictionBook's JSON?")])
    rows, left_out = [], []
    for number, prediction in enumerate(predictions, start=1):
        if not isinstance(prediction, dict):
            left_out.append(f"prediction {number}: not an object")
            continue
        outcome = str(prediction.get("outcome") if prediction.get("outcome") is not None else "").lower()
        responses = prediction.get("responses") or []
        if not isinstance(responses, list):
            # Any JSON may stand where the list is: a number or a table is named, never iterated.
            left_out.append(f"prediction {number}: its responses are not a list")
            continue
        for response in responses:
            confidence = response.get("confidence") if isinstance(response, dict) else None
            if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
                continue  # a comment without a forecast
            rows.append(
                (
                    number,
                    {
                        "question": str(prediction.get("id", "")),
                        "title": str(prediction.get("description_with_group") or prediction.get("description") or ""),
                        "forecaster": str(response.get("user_label") or response.get("user_id") or ""),
                        "probability": repr(confidence / 100),
                        "made": _day(str(response.get("created_at", ""))),
                        "due": _day(str(prediction.get("deadline", ""))),
                        "outcome": _OUTCOMES.get(outcome, outcome),
                        "resolved": _day(str(prediction.get("last_judgement_at") or "")),
                        "tags": "",
                    },
                )
            )
    return SiteRows(tuple(rows), tuple(left_out))


def _metaculus(data: bytes, shown: str) -> SiteRows:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = {name.rsplit("/", 1)[-1]: name for name in archive.namelist()}
        members = [archive.getinfo(names[name]) for name in ("question_data.csv", "forecast_data.csv")]
        # A ZIP says how large its files unpack, and zipfile stops there: the limit on what is
        # read holds for what is unpacked too (a 600 KB archive may unpack to gigabytes).
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_EXPORT_BYTES:
            message = f"unpacks to {unpacked:,} bytes, over the {MAX_EXPORT_BYTES:,}-byte limit; not read"
            raise LoadError([Problem(shown, None, "file", message)])
        questions_data, forecasts_data = (archive.read(member) for member in members)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, EOFError, zlib.error) as error:
        # RuntimeError: an encrypted member; NotImplementedError: a compression zipfile lacks.
        message = "is not a Metaculus data ZIP with question_data.csv and forecast_data.csv"
        raise LoadError([Problem(shown, None, "file", f"{message} ({error})")]) from None
    questions = {}
    for line, row in _csv(questions_data, f"{shown}:question_data.csv"):
        questions[_need(row, ("Question ID",), shown, line)] = row
    rows, left_out = [], []
    for line, row in _csv(forecasts_data, f"{shown}:forecast_data.csv"):
        question_id = _need(row, ("Question ID",), shown, line)
        question = questions.get(question_id)
        probability = row.get("Probability Yes", "").strip()
        if question is None or not probability:
            why = "its question is not in question_data.csv" if question is None else "not a yes/no forecast"
            left_out.append(f"forecast_data.csv line {line}: {why}")
            continue
        outcome = question.get("Resolution", "").strip().lower()
        if outcome and outcome not in _OUTCOMES:
            left_out.append(f"forecast_data.csv line {line}: resolved {outcome!r}, not yes, no or annulled")
            continue
        tags = ";".join(tag.strip() for tag in question.get("Categories", "").split(";") if tag.strip())
        cells = {
            "question": question_id,
            "title": question.get("Question Title", ""),
            "forecaster": _need(row, ("Forecaster Username",), shown, line),
            "probability": probability,
            "made": _day(_need(row, ("Start Time",), shown, line)),
            "due": _day(question.get("Actual Close Time") or question.get("Scheduled Close Time", "")),
            "outcome": _OUTCOMES.get(outcome, outcome),
            "resolved": _day(question.get("Resolution Known Time", "")),
            "tags": tags,
        }
        rows.append((line, cells))
    return SiteRows(tuple(rows), tuple(left_out))
