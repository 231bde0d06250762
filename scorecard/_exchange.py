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

from ._errors import LoadError, Problem, UsageError
from ._grades import VERDICT_GRADES, Grade
from ._model import (
    SLUG,
    Citation,
    Forecast,
    JudgmentRule,
    Ledger,
    Prediction,
    Source,
    Verdict,
    VoidReason,
)
from ._sources import SITES, read_site
from ._table import COLUMNS, read_forecasts, rows_with_lines
from ._table_values import is_date, probability_problem

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
    One table row per forecast, in the columns ``scorecard score`` reads.

    A prediction's first forecast and each later update it carries are one row each, so an
    import of the export rebuilds the same records; ``score --policy latest`` keeps the last.
    """
    rows = []
    for result in graded:
        prediction = result.prediction
        decided = result.outcome.decided
        outcome = result.grade.value if result.grade in VERDICT_GRADES else ""
        for day, probability in result.forecasts or ((prediction.made, result.probability),):
            rows.append(
                {
                    "question": prediction.id,
                    "title": prediction.claim,
                    "forecaster": prediction.by,
                    "probability": "" if probability is None else repr(probability),
                    "made": day.isoformat(),
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
    The records an import makes, and what it left out.

    One prediction per question and forecaster (later forecasts as its updates), and verdicts
    for the questions already resolved.
    """

    predictions: tuple[Prediction, ...]
    ledger: Ledger
    #: Rows read, and each row left out with its line and the reason.
    rows: int = 0
    left_out: tuple[str, ...] = ()

    @property
    def updates(self) -> int:
        """
        How many forecasts became updates of a record rather than its first forecast.
        """
        return sum(len(prediction.forecast) for prediction in self.predictions)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120].strip("-")


@attrs.frozen
class _Row:
    line: int
    order: int
    cells: dict[str, str]

    def get(self, name: str) -> str:
        return self.cells.get(name, "").strip()


def import_table(
    path: str | Path,
    *,
    prefix: str = "",
    by_default: str = "unknown",
    rows: list[tuple[int, dict[str, str]]] | None = None,
) -> Imported:
    """
    Turn a forecast table into prediction records, keeping every forecast.

    Each question and forecaster becomes one record whose id is *prefix*, the question and (when
    several people forecast the question) the forecaster; its first forecast (by ``made``, then
    row order) is the record's, every later one an update (``[[forecast]]``). A resolved
    question gets a verdict on each of its records. Rows that cannot count are left out and
    named; every problem is collected before anything is returned. *rows* are the table's rows
    already read (an adapter for another site's export gives them); else the file is read as a
    scorecard table.

    Raises:
        LoadError: the table is invalid, or a question lacks what a record needs.
    """
    path = Path(path)
    if rows is None:
        read_forecasts(path, dimensions=())  # checks every value, with lines
        jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
        rows = list(rows_with_lines(path, jsonl))
    table = [_Row(line, order, row) for order, (line, row) in enumerate(rows)]
    shown = path.as_posix()
    problems: list[Problem] = []
    left_out: list[str] = []
    by_question: dict[str, dict[str, list[_Row]]] = {}
    for row in table:
        by_question.setdefault(row.get("question"), {}).setdefault(row.get("forecaster") or by_default, []).append(row)
    predictions: list[Prediction] = []
    verdicts: list[Verdict] = []
    ids: dict[str, str] = {}
    for question in sorted(by_question):
        people = by_question[question]
        outcome, resolved, problem = _resolution(question, [row for group in people.values() for row in group], shown)
        if problem is not None:
            problems.append(problem)
            continue
        for person in sorted(people):
            base = question if SLUG.fullmatch(question) else _slug(question)
            parts = [prefix, base, _slug(person) if len(people) > 1 else ""]
            record_id = "-".join(part for part in parts if part)[:120].strip("-")
            first = people[person][0]
            if not base:
                problems.append(Problem(shown, first.line, "question", f"{question!r} gives no usable id"))
                continue
            if record_id in ids:
                problems.append(
                    Problem(
                        shown,
                        first.line,
                        "question",
                        f"{ids[record_id]!r} and {question!r} both become id {record_id!r}",
                    )
                )
                continue
            ids[record_id] = question
            kept = people[person]
            if resolved is not None:
                # A forecast made once the question was resolved is hindsight, whatever its place.
                left_out += [
                    f"line {row.line}: a forecast made on {row.get('made')}, once the question was resolved "
                    f"({resolved}), cannot count"
                    for row in kept
                    if row.get("made") and datetime.date.fromisoformat(row.get("made")) >= resolved
                ]
                kept = [
                    row
                    for row in kept
                    if not row.get("made") or datetime.date.fromisoformat(row.get("made")) < resolved
                ]
                if not kept:
                    continue
            record = _record(record_id, question, person, kept, path, shown, problems, left_out)
            if record is None:
                continue
            predictions.append(record)
            if outcome:
                on = max(resolved or record.due, record.made)
                # A table says only "void": the site annulled it, or could not say yes or no.
                reason = VoidReason.AMBIGUOUS if outcome == "void" else None
                verdicts.append(
                    Verdict(
                        prediction=record_id,
                        on=on,
                        grade=Grade(outcome),
                        why=f"Resolved {outcome} in {path.name}.",
                        sources=(Citation(path.name),),
                        reason=reason,
                    )
                )
    if problems:
        raise LoadError(problems)
    return Imported(tuple(predictions), Ledger(verdict=tuple(verdicts)), len(table), tuple(left_out))


def _resolution(question: str, rows: list[_Row], shown: str) -> tuple[str, datetime.date | None, Problem | None]:
    """
    A question's outcome and resolution day, the same on every row that gives one.
    """
    outcomes = {row.get("outcome") for row in rows} - {""}
    if len(outcomes) > 1:
        line = min(row.line for row in rows if row.get("outcome"))
        said = ", ".join(sorted(outcomes))
        return "", None, Problem(shown, line, "outcome", f"question {question!r} is resolved two ways ({said})")
    days = sorted({row.get("resolved") for row in rows} - {""})
    resolved = datetime.date.fromisoformat(days[-1]) if days else None
    return (outcomes.pop() if outcomes else ""), resolved, None


def _record(
    record_id: str,
    question: str,
    person: str,
    rows: list[_Row],
    path: Path,
    shown: str,
    problems: list[Problem],
    left_out: list[str],
) -> Prediction | None:
    """
    One forecaster's record of one question: the first forecast, then the later ones as updates.
    """
    dated = sorted((row for row in rows if row.get("made")), key=lambda row: (row.get("made"), row.order))
    left_out += [f"line {row.line}: question {question!r} has no made date" for row in rows if not row.get("made")]
    dues = sorted({row.get("due") for row in rows} - {""})
    if not dated or not dues:
        missing = " and ".join(name for name, value in (("made", dated), ("due", dues)) if not value)
        problems.append(
            Problem(
                shown,
                rows[0].line,
                "made" if not dated else "due",
                f"question {question!r} needs {missing} to become a record",
            )
        )
        return None
    due = datetime.date.fromisoformat(dues[-1])
    first, later = dated[0], dated[1:]
    updates: list[Forecast] = []
    for row in later:
        day = datetime.date.fromisoformat(row.get("made"))
        value = _probability(row, left_out)
        if day > due:
            left_out.append(f"line {row.line}: a forecast made after the due date {due} cannot count")
        elif value is not None:
            updates.append(Forecast(day, probability=value))
    try:
        return Prediction(
            id=record_id,
            claim=first.get("title") or question,
            by=person,
            made=datetime.date.fromisoformat(first.get("made")),
            due=due,
            source=Source(document=path.name),
            rule=JudgmentRule(criteria=f"Resolved as recorded in {path.name}."),
            tags=tuple(sorted({t.strip() for t in first.get("tags").split(";") if SLUG.fullmatch(t.strip())})),
            probability=_probability(first, left_out),
            notes=f"Imported from {path.name}, line {first.line}"
            + (f" (and {len(later)} later forecasts)." if later else "."),
            forecast=tuple(updates),
        )
    except ValueError as error:
        field = getattr(error, "field", "row")
        problems.append(Problem(shown, first.line, field, getattr(error, "message", str(error))))
        return None


def _probability(row: _Row, left_out: list[str]) -> float | None:
    text = row.get("probability")
    if not text:
        return None
    value = float(text)
    if not 0.0 < value < 1.0:
        left_out.append(f"line {row.line}: probability {text} is not strictly between 0 and 1, so it is left out")
        return None
    return value


#: The table formats ``import`` reads: its own, and forecasting sites' exports as they come.
SOURCES = ("scorecard", *SITES)


def read_import(path: Path, source: str, *, prefix: str = "") -> Imported:
    """
    Read the table at *path*, written in the format *source* names, into records.

    Raises:
        UsageError: *source* is not a known format.
        LoadError: the table is invalid (every problem, with its line).
    """
    if source not in SOURCES:
        msg = f"--from {source!r} is not a known format; use one of {', '.join(SOURCES)}"
        raise UsageError(msg)
    if source == "scorecard":
        return import_table(path, prefix=prefix)
    site = read_site(path, source)
    problems = _row_problems(site.rows, path.as_posix())
    if problems:
        raise LoadError(problems)
    imported = import_table(path, prefix=prefix, rows=list(site.rows))
    return attrs.evolve(imported, left_out=(*site.left_out, *imported.left_out))


def _row_problems(rows: tuple[tuple[int, dict[str, str]], ...], shown: str) -> list[Problem]:
    """
    The values a site's rows must hold for records: a probability in [0, 1], ISO dates, an outcome.
    """
    problems = []
    for line, row in rows:
        wrong = probability_problem(row["probability"])
        if wrong is not None:
            problems.append(Problem(shown, line, "probability", wrong))
        for name in ("made", "due", "resolved"):
            if row[name] and not is_date(row[name]):
                problems.append(Problem(shown, line, name, f"{row[name]!r} is not a date"))
        if row["outcome"] not in ("", "yes", "no", "void"):
            problems.append(Problem(shown, line, "outcome", f"{row['outcome']!r} is not yes, no or void"))
    return problems
