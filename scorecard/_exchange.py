"""
Moving predictions between records and tables: ``scorecard export`` and ``scorecard import``.

An export is a forecast table that ``scorecard score`` reads back; an import turns a table's
questions into prediction records (and its resolutions into verdicts).
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._errors import LoadError, Problem
from ._model import SLUG, VERDICT_GRADES, Citation, Grade, JudgmentRule, Ledger, Prediction, Source, Verdict
from ._table import COLUMNS, read_forecasts, rows_with_lines

if TYPE_CHECKING:
    from ._grade import Graded

#: A cell starting with one of these is read as a formula by spreadsheets; exports defuse it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(cell: str) -> str:
    """
    Neutralise spreadsheet formula injection: a cell that would start a formula gets a leading quote.
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def export_rows(graded: Graded) -> list[dict[str, str]]:
    """
    One table row per graded prediction, in the columns ``scorecard score`` reads.
    """
    rows = []
    for result in graded:
        prediction = result.prediction
        decided = result.outcome.decided
        outcome = result.grade.value if result.grade in VERDICT_GRADES else ""
        rows.append(
            {
                "question": prediction.id,
                "title": prediction.claim,
                "forecaster": prediction.by,
                "probability": "" if result.probability is None else repr(result.probability),
                "made": prediction.made.isoformat(),
                "due": prediction.due.isoformat(),
                "outcome": outcome,
                "resolved": decided.isoformat() if decided is not None and outcome else "",
                "tags": ";".join(prediction.tags),
            }
        )
    return rows


def export_text(graded: Graded, fmt: str = "csv") -> str:
    """
    The export as CSV (formula-safe) or JSON Lines.
    """
    rows = export_rows(graded)
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)
    return csv_text([{key: defuse(value) for key, value in row.items()} for row in rows])


def csv_cell(text: str) -> str:
    r"""
    One CSV field: quoted when it holds a comma, a quote, or any line break (a lone CR included).

    The csv module quotes only characters of its line terminator, so with ``"\n"`` a lone
    carriage return went out bare and split the row when read back.
    """
    if any(mark in text for mark in (",", '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(rows: list[dict[str, str]]) -> str:
    """
    A table in the columns ``scorecard score`` reads, as CSV text with one row per dict.
    """
    lines = [",".join(COLUMNS)]
    lines += [",".join(csv_cell(row.get(name, "")) for name in COLUMNS) for row in rows]
    return "\n".join(lines) + "\n"


@attrs.frozen
class Imported:
    """
    The records an import makes: predictions, and verdicts for the questions already resolved.
    """

    predictions: tuple[Prediction, ...]
    ledger: Ledger


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120].strip("-")


def import_table(path: str | Path, *, by_default: str = "unknown") -> Imported:
    """
    Turn a forecast table into one prediction per question, with verdicts for resolved ones.

    A question's record takes its latest forecast (by ``made``, then row order): its forecaster,
    probability and dates. Every problem is collected before anything is returned.

    Raises:
        LoadError: the table is invalid, or a question lacks what a record needs.
    """
    path = Path(path)
    read_forecasts(path, dimensions=())  # checks every value, with lines
    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
    latest: dict[str, tuple[str, int, int, dict[str, str]]] = {}
    for order, (line, row) in enumerate(rows_with_lines(path, jsonl)):
        question = row.get("question", "")
        rank = (row.get("made", ""), order)
        if question not in latest or rank >= latest[question][:2]:
            latest[question] = (*rank, line, row)
    shown = path.as_posix()
    problems: list[Problem] = []
    predictions: list[Prediction] = []
    verdicts: list[Verdict] = []
    ids: dict[str, str] = {}
    for question in sorted(latest):
        _, _, line, row = latest[question]
        record_id = question if SLUG.fullmatch(question) else _slug(question)
        if not record_id:
            problems.append(Problem(shown, line, "question", f"{question!r} gives no usable id"))
            continue
        if record_id in ids:
            problems.append(
                Problem(shown, line, "question", f"{question!r} and {ids[record_id]!r} both become id {record_id!r}")
            )
            continue
        ids[record_id] = question
        made, due = row.get("made", ""), row.get("due", "")
        if not made or not due:
            missing = " and ".join(name for name, value in (("made", made), ("due", due)) if not value)
            problems.append(
                Problem(
                    shown,
                    line,
                    "made" if not made else "due",
                    f"question {question!r} needs {missing} to become a record",
                )
            )
            continue
        probability_text = row.get("probability", "")
        probability = float(probability_text) if probability_text else None
        notes = f"Imported from {path.name}, line {line}."
        if probability is not None and not 0.0 < probability < 1.0:
            notes += f" Its probability {probability_text} is not strictly between 0 and 1, so it is left out."
            probability = None
        try:
            prediction = Prediction(
                id=record_id,
                claim=row.get("title", "").strip() or question,
                by=row.get("forecaster", "").strip() or by_default,
                made=datetime.date.fromisoformat(made),
                due=datetime.date.fromisoformat(due),
                source=Source(document=path.name),
                rule=JudgmentRule(criteria=f"Resolved as recorded in {path.name}."),
                tags=tuple(sorted({t.strip() for t in row.get("tags", "").split(";") if SLUG.fullmatch(t.strip())})),
                probability=probability,
                notes=notes,
            )
        except ValueError as error:
            problems.append(Problem(shown, line, getattr(error, "field", "row"), getattr(error, "message", str(error))))
            continue
        predictions.append(prediction)
        outcome = row.get("outcome", "")
        if outcome:
            resolved = row.get("resolved", "")
            verdicts.append(
                Verdict(
                    prediction=record_id,
                    on=datetime.date.fromisoformat(resolved) if resolved else prediction.due,
                    grade=Grade(outcome),
                    why=f"Resolved {outcome} in {path.name}, line {line}.",
                    sources=(Citation(path.name),),
                )
            )
    if problems:
        raise LoadError(problems)
    return Imported(tuple(predictions), Ledger(verdict=tuple(verdicts)))
