"""
Reading forecast tables (CSV or JSON Lines) into the counts that scoring needs.

A table is streamed in blocks and reduced to counts of distinct cells, so a million rows need
no object per row: a forecast table is, for scoring, how many rows said each probability with
each outcome (per forecaster, tag and year when asked). Large CSV files are split at safe row
boundaries and read on both cores. Values are checked once per distinct value; only when
something is wrong is the file read again to find the lines of the offending rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import os
import re
from collections import Counter
from collections.abc import Mapping
from itertools import count, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import LoadError, Problem, UsageError
from ._model import OUTCOMES

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

COLUMNS = ("question", "title", "forecaster", "probability", "made", "due", "outcome", "resolved", "tags")
DIMENSIONS = ("forecaster", "tag", "year", "question")
POLICIES = ("all", "latest")
#: Tables are refused above this size unless the caller raises it: 2 GiB.
MAX_TABLE_BYTES = 2 << 30
#: The csv module's own default; a longer field is reported, not read.
MAX_FIELD = 131_072
#: Read this many bytes at a time; small enough to keep memory flat, large enough to amortise.
BLOCK = 1 << 20
#: Below this size one process is faster than two.
PARALLEL_FROM = 4 << 20
_YEAR = itemgetter(slice(0, 4))
Cell = tuple[str, str, str, str, str]


@attrs.frozen
class ForecastTable:
    """
    A forecast table reduced to counts: every row is one forecast.

    *pairs* counts rows by (probability, outcome) as written; *cells* by (forecaster, tags,
    year made, probability, outcome) and *questions* by (question, probability, outcome), when
    those dimensions were read. *policy* says which rows were kept.
    """

    path: str
    forecasts: int
    policy: str
    dimensions: frozenset[str]
    pairs: Mapping[tuple[str, str], int] = attrs.field(repr=False)
    forecasters: frozenset[str] = attrs.field(repr=False)
    cells: Mapping[Cell, int] | None = attrs.field(default=None, repr=False)
    questions: Mapping[tuple[str, str, str], int] | None = attrs.field(default=None, repr=False)

    def __len__(self) -> int:
        return self.forecasts


@attrs.define
class _Partial:
    """
    What one reader (one process, one part of the file) found.
    """

    rows: int = 0
    pairs: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    cells: Counter[Cell] = attrs.field(factory=Counter)
    questions: Counter[tuple[str, str, str]] = attrs.field(factory=Counter)
    forecasters: set[str] = attrs.field(factory=set)
    dates: dict[str, set[str]] = attrs.field(factory=lambda: {"made": set(), "due": set(), "resolved": set()})
    blank_question: bool = False
    latest: dict[tuple[str, str], tuple[tuple[str, int, int], tuple[str, ...]]] = attrs.field(factory=dict)
    problems: list[Problem] = attrs.field(factory=list)

    def merge(self, other: _Partial) -> None:
        self.rows += other.rows
        self.pairs.update(other.pairs)
        self.cells.update(other.cells)
        self.questions.update(other.questions)
        self.forecasters |= other.forecasters
        for name, values in other.dates.items():
            self.dates[name] |= values
        self.blank_question |= other.blank_question
        _keep_later(self.latest, other.latest)
        self.problems += other.problems


@attrs.frozen
class _Plan:
    """
    Which columns a reader takes, and which counts it keeps.
    """

    path: str
    shown: str
    index: Mapping[str, int]
    width: int
    dimensions: frozenset[str]
    policy: str

    @property
    def kept(self) -> tuple[str, ...]:
        """
        The columns whose values are counted, in the table's order: a row is read as these.
        """
        if self.policy == "latest":
            wanted = {*LATEST_FIELDS, "due", "resolved"}
        else:
            wanted = {"question", "forecaster", "probability", "made", "due", "resolved", "outcome"}
            if self.dimensions - {"question"}:
                wanted.add("tags")
        return tuple(sorted((name for name in wanted if name in self.index), key=self.index.__getitem__))

    def column(self) -> dict[str, itemgetter[Any] | None]:
        """
        For each canonical column, how to take its value from a kept row (None: not in the table).
        """
        kept = self.kept
        return {name: itemgetter(kept.index(name)) if name in kept else None for name in COLUMNS}

    def keep(self, rows: list[list[str]]) -> list[tuple[str, ...]]:
        """
        Rows of every column (from the csv module or JSON Lines) cut down to the kept columns.
        """
        positions = [self.index[name] for name in self.kept]
        if len(positions) == 1:
            return [(row[positions[0]],) for row in rows]
        return list(map(itemgetter(*positions), rows))

    def row_pattern(self) -> re.Pattern[str] | None:
        """
        A pattern matching one whole line of plain fields, capturing the kept ones.

        A kept field may hold no placeholder (it was quoted: the csv module must read it) and no
        field may be longer than the csv module's limit, so any such line goes unmatched and
        sends its block to the csv module. None when fewer than two columns are kept, since
        ``findall`` would then return strings instead of tuples.
        """
        kept = {self.index[name] for name in self.kept}
        if len(kept) < 2:  # noqa: PLR2004 - see above
            return None
        fields = [
            f"([^,\n{_PLACEHOLDER}]{{0,{MAX_FIELD}}})" if position in kept else f"[^,\n]{{0,{MAX_FIELD}}}"
            for position in range(self.width)
        ]
        return re.compile("^" + ",".join(fields) + "$", re.MULTILINE)


def read_forecasts(
    path: str | Path,
    *,
    policy: str = "all",
    dimensions: Iterable[str] = DIMENSIONS,
    max_bytes: int = MAX_TABLE_BYTES,
    workers: int = 1,
) -> ForecastTable:
    """
    Read a CSV or JSON Lines (``.jsonl``, ``.ndjson``) forecast table.

    *policy* ``"latest"`` keeps only each forecaster's last forecast per question (by ``made``,
    then row order). *dimensions* names the groupings to keep counts for (``forecaster``,
    ``tag``, ``year``, ``question``); fewer is faster. *workers* (at most two) lets a large CSV
    file be read by that many processes; the default reads in this one, since a second process
    was measured slower here (1M rows: 1.74 s with two, 1.54 s with one).

    Raises:
        LoadError: the file is unreadable, lacks a ``question`` column, or has bad values;
            every problem is listed with its line.
        UsageError: *policy* or a dimension is unknown.
    """
    if policy not in POLICIES:
        msg = f"policy {policy!r} is not one of {', '.join(POLICIES)}"
        raise UsageError(msg)
    wanted = frozenset(dimensions)
    if not wanted <= set(DIMENSIONS):
        msg = f"unknown dimension {min(wanted - set(DIMENSIONS))!r}; use {', '.join(DIMENSIONS)}"
        raise UsageError(msg)
    path = Path(path)
    shown = path.as_posix()
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise LoadError([Problem(shown, None, "file", "is not a file")])
    except OSError as error:
        raise LoadError([Problem(shown, None, "file", f"cannot be read: {error.strerror or error}")]) from None
    if size > max_bytes:
        raise LoadError(
            [Problem(shown, None, "file", f"is {size:,} bytes, over the {max_bytes:,}-byte limit; not read")]
        )
    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
    found = _read_jsonl(path, shown, wanted, policy) if jsonl else _read_csv(path, shown, size, wanted, policy, workers)
    if found.problems:
        raise LoadError(found.problems)
    if policy == "latest":
        found = _keep_latest(found, wanted)
    problems = _check_values(found, shown)
    if problems:
        raise LoadError(_locate(path, jsonl, problems))
    return ForecastTable(
        path=shown,
        forecasts=found.rows,
        policy=policy,
        dimensions=wanted,
        pairs=dict(found.pairs),
        forecasters=frozenset(found.forecasters - {""}),
        cells=dict(found.cells) if wanted - {"question"} else None,
        questions=dict(found.questions) if "question" in wanted else None,
    )


def _header(names: list[str], shown: str) -> tuple[dict[str, int], list[Problem]]:
    normal = [name.strip().lower() for name in names]
    index: dict[str, int] = {}
    problems = []
    for position, name in enumerate(normal):
        if name in index and name in COLUMNS:
            problems.append(Problem(shown, 1, name, f"column {name!r} appears twice"))
        index.setdefault(name, position)
    if "question" not in index:
        found = ", ".join(repr(n[:30]) for n in normal) or "none"
        problems.append(Problem(shown, 1, "question", f"the required column 'question' is missing (columns: {found})"))
    return index, problems


def _read_csv(path: Path, shown: str, size: int, dimensions: frozenset[str], policy: str, workers: int) -> _Partial:
    with path.open("rb") as handle:
        first = handle.readline(MAX_FIELD * 4)
        start = handle.tell()
    try:
        header_text = first.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        return _Partial(
            problems=[Problem(shown, 1, "file", f"is not UTF-8 text ({error.reason} at byte {error.start})")]
        )
    header_rows = list(csv.reader(io.StringIO(header_text, newline="")))
    if not header_rows or not any(cell.strip() for cell in header_rows[0]):
        return _Partial(problems=[Problem(shown, None, "file", "is empty: expected a header row naming the columns")])
    index, problems = _header(header_rows[0], shown)
    if problems:
        return _Partial(problems=problems)
    plan = _Plan(path.as_posix(), shown, index, len(header_rows[0]), dimensions, policy)
    from ._parallel import cores as usable_cores  # noqa: PLC0415

    cores = min(workers, usable_cores(), 2)
    ranges = _split(path, start, size, cores if size >= PARALLEL_FROM else 1)
    if len(ranges) == 1 or not hasattr(os, "fork"):
        found = _read_range(plan, ranges[0][0], ranges[-1][1], 0)
    else:
        found = _read_in_parallel(plan, ranges)
    return found


def _read_in_parallel(plan: _Plan, ranges: list[tuple[int, int]]) -> _Partial:
    """
    Read the ranges on both cores and merge what they found.
    """
    from ._parallel import fork_map  # noqa: PLC0415

    parts = fork_map(lambda numbered: _read_range(plan, *numbered[1], numbered[0]), list(enumerate(ranges)))
    found = parts[0]
    for part in parts[1:]:
        found.merge(part)
    return found


def _split(path: Path, start: int, size: int, parts: int) -> list[tuple[int, int]]:
    """
    Cut [start, size) into *parts* ranges at line ends outside quoted fields.

    In CSV a quote inside a quoted field is doubled, so a line end is outside every quoted
    field exactly when the quotes before it are even in number.
    """
    if parts <= 1:
        return [(start, size)]
    cuts = [start]
    with path.open("rb") as handle:
        handle.seek(start)
        position, quotes = start, 0
        for part in range(1, parts):
            target = start + (size - start) * part // parts
            while position < target:
                block = handle.read(min(BLOCK, target - position))
                if not block:
                    break
                quotes += block.count(b'"')
                position += len(block)
            while True:
                line = handle.readline()
                if not line:
                    return [(a, b) for a, b in zip(cuts, [*cuts[1:], size], strict=True) if a < b]
                quotes += line.count(b'"')
                position += len(line)
                if quotes % 2 == 0:
                    break
            cuts.append(position)
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], size], strict=True) if a < b]


def _line_at(path: Path, offset: int) -> int:
    """
    The 1-based line number of byte *offset* (read again only when reporting a problem).
    """
    lines = 1
    with path.open("rb") as handle:
        while offset > 0:
            block = handle.read(min(BLOCK, offset))
            if not block:
                break
            lines += block.count(b"\n")
            offset -= len(block)
    return lines


def _blocks(path: Path, begin: int, end: int) -> Iterator[tuple[int, bytes]]:
    """
    Yield (byte offset, bytes) blocks of [begin, end) that each end on a row boundary.
    """
    with path.open("rb") as handle:
        handle.seek(begin)
        remaining = end - begin
        carry = b""
        position = begin
        while remaining > 0 or carry:
            chunk = handle.read(min(BLOCK, remaining)) if remaining > 0 else b""
            remaining -= len(chunk)
            data = carry + chunk
            if remaining > 0:
                cut = data.rfind(b"\n")
                while cut != -1 and data.count(b'"', 0, cut + 1) % 2:
                    cut = data.rfind(b"\n", 0, cut)
                if cut == -1:
                    carry = data
                    continue
                carry, data = data[cut + 1 :], data[: cut + 1]
            else:
                carry = b""
            yield position, data
            position += len(data)


#: A quoted CSV field, with doubled quotes inside, that is the whole field: the quote opens at
#: the start of a line or after a comma and closes before a comma, a line end or the end. A
#: quoted part glued to other text (`"a"b`, `a"b"`) is left alone, and its stray quote sends
#: the block to the csv module, which refuses it in strict mode.
_QUOTED = re.compile(r'"(?<![^,\n]")[^"]*(?:""[^"]*)*"(?![^,\r\n])')
#: Stands in for a quoted field in the fast path; never valid in a needed column.
_PLACEHOLDER = "\x00"


def _split_fast(text: str, pattern: re.Pattern[str]) -> list[tuple[str, ...]] | None:
    """
    The kept fields of every row, found by one pattern over the whole block.

    None when only the csv module can read the block right. Quoted fields are first replaced by a placeholder, so commas and line ends inside them
    cannot split anything. The result is trusted only if every line matched: a line of the
    wrong width, a stray quote, a quoted value in a kept column or an over-long field each
    leave a line unmatched.
    """
    if _PLACEHOLDER in text:
        return None
    text = _QUOTED.sub(_PLACEHOLDER, text)
    if '"' in text:
        return None
    if "\r" in text:
        # Windows line ends are fine; a lone carriage return is left to the csv module.
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    rows: list[tuple[str, ...]] = pattern.findall(text)
    lines = text.count("\n") + (not text.endswith("\n"))
    return rows if len(rows) == lines else None


def _read_range(plan: _Plan, begin: int, end: int, order: int) -> _Partial:
    """
    Count one byte range of a CSV file (runs in a worker process for large files).
    """
    found = _Partial()
    column = plan.column()
    pattern = plan.row_pattern()
    path = Path(plan.path)
    for offset, data in _blocks(path, begin, end):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = _line_at(path, offset + error.start)
            found.problems.append(Problem(plan.shown, line, "file", f"is not UTF-8 text ({error.reason})"))
            return found
        kept = _split_fast(text, pattern) if pattern is not None else None
        if kept is not None:
            _count(found, kept, column, plan, order, base=found.rows)
            continue
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            rows = [row for row in reader if row]
        except csv.Error as error:
            line = _line_at(path, offset) + reader.line_num - 1
            found.problems.append(Problem(plan.shown, line, "file", f"is not valid CSV: {error}"))
            return found
        if set(map(len, rows)) - {plan.width}:
            found.problems += _ragged(Path(plan.path), plan.shown, plan.width)
            return found
        _count(found, plan.keep(rows), column, plan, order, base=found.rows)
    return found


def _empty(rows: Sequence[Sequence[str]]) -> Iterator[str]:
    return ("" for _ in rows)


def _values(rows: Sequence[Sequence[str]], getter: itemgetter[Any] | None) -> Iterator[str]:
    return _empty(rows) if getter is None else map(getter, rows)


def _count(
    found: _Partial,
    rows: Sequence[Sequence[str]],
    column: Mapping[str, itemgetter[Any] | None],
    plan: _Plan,
    order: int,
    base: int,
) -> None:
    if plan.policy == "latest":
        _count_latest(found, rows, column, {name: n for n, name in enumerate(plan.kept)}, order, base)
        return
    _count_rows(found, rows, column, plan.dimensions)


def _count_rows(
    found: _Partial,
    rows: Sequence[Sequence[str]],
    column: Mapping[str, itemgetter[Any] | None],
    dimensions: frozenset[str],
) -> None:
    found.rows += len(rows)
    found.pairs.update(zip(_values(rows, column["probability"]), _values(rows, column["outcome"]), strict=True))
    found.forecasters.update(_values(rows, column["forecaster"]))
    if "" in _values(rows, column["question"]):
        found.blank_question = True
    for name in ("made", "due", "resolved"):
        found.dates[name].update(_values(rows, column[name]))
    if dimensions - {"question"}:
        found.cells.update(
            zip(
                _values(rows, column["forecaster"]),
                _values(rows, column["tags"]),
                map(_YEAR, _values(rows, column["made"])),
                _values(rows, column["probability"]),
                _values(rows, column["outcome"]),
                strict=True,
            )
        )
    if "question" in dimensions:
        found.questions.update(
            zip(
                _values(rows, column["question"]),
                _values(rows, column["probability"]),
                _values(rows, column["outcome"]),
                strict=True,
            )
        )


#: The fields a kept row needs for counting, in the order ``_count_latest`` stores them.
LATEST_FIELDS = ("question", "forecaster", "probability", "made", "outcome", "tags")


def _keep_later(latest: dict[tuple[str, str], Any], block: dict[tuple[str, str], Any]) -> None:
    """
    Merge *block* into *latest*, each key keeping its later-ranked row.
    """
    for key in block.keys() & latest.keys():
        if block[key][0] < latest[key][0]:
            del block[key]
    latest.update(block)


def _count_latest(
    found: _Partial,
    rows: Sequence[Sequence[str]],
    column: Mapping[str, itemgetter[Any] | None],
    index: Mapping[str, int],
    order: int,
    base: int,
) -> None:
    """
    Keep, per (question, forecaster), the row with the latest ``made`` (then the latest row).

    Within a block a stable sort by ``made`` and a dict built in C keep the last row per key;
    only keys seen in earlier blocks are compared one by one.
    """
    positions = [index.get(name) for name in LATEST_FIELDS]
    if None not in positions:
        cells = list(map(itemgetter(*positions), rows))
    else:
        cells = list(zip(*(list(_values(rows, column[name])) for name in LATEST_FIELDS), strict=True))
    # (rank, cell) pairs sort by rank alone, ranks being unique; building a dict from them in
    # rank order keeps each key's last, that is latest, row.
    ranked = sorted(zip(zip(map(itemgetter(3), cells), repeat(order), count(base)), cells, strict=False))
    block = dict(zip(map(itemgetter(0, 1), map(itemgetter(1), ranked)), ranked, strict=True))
    _keep_later(found.latest, block)
    found.rows += len(rows)
    for name in ("made", "due", "resolved"):
        found.dates[name].update(_values(rows, column[name]))


def _keep_latest(found: _Partial, dimensions: frozenset[str]) -> _Partial:
    kept = _Partial(dates=found.dates)
    rows = [list(cell) for _, cell in found.latest.values()]
    column = {name: itemgetter(position) for position, name in enumerate(LATEST_FIELDS)}
    full = {name: column.get(name) for name in COLUMNS}
    _count_rows(kept, rows, full, dimensions)
    kept.dates = found.dates
    return kept


def _ragged(path: Path, shown: str, width: int) -> list[Problem]:
    problems = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        start = reader.line_num + 1
        for row in reader:
            if row and len(row) != width:
                problems.append(Problem(shown, start, "row", f"has {len(row)} fields, the header has {width}"))
            start = reader.line_num + 1
    return problems


def _jsonl_cell(value: Any, name: str) -> str:
    if value is None:
        return ""
    if name == "tags" and isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ";".join(value)
    if name == "probability" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    if isinstance(value, str):
        return value
    expected = "a string, a number or null" if name == "probability" else "a string or null"
    msg = f"expected {expected}, got {json.dumps(value)[:40]}"
    raise ValueError(msg)


def _read_jsonl(path: Path, shown: str, dimensions: frozenset[str], policy: str) -> _Partial:
    found = _Partial()
    plan = _Plan(path.as_posix(), shown, {name: n for n, name in enumerate(COLUMNS)}, len(COLUMNS), dimensions, policy)
    column = plan.column()
    rows: list[list[str]] = []
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as error:
                    found.problems.append(Problem(shown, number, "row", f"is not valid JSON: {error}"))
                    continue
                if not isinstance(record, dict):
                    found.problems.append(Problem(shown, number, "row", "is not a JSON object"))
                    continue
                if "question" not in record:
                    found.problems.append(Problem(shown, number, "question", "the required key 'question' is missing"))
                    continue
                row = []
                for name in COLUMNS:
                    try:
                        row.append(_jsonl_cell(record.get(name), name))
                    except ValueError as error:
                        found.problems.append(Problem(shown, number, name, str(error)))
                        row.append("")
                rows.append(row)
                if len(rows) == 8192:  # noqa: PLR2004 - keep memory flat
                    _count(found, plan.keep(rows), column, plan, 0, base=found.rows)
                    rows = []
    except UnicodeDecodeError as error:
        return _Partial(
            problems=[Problem(shown, None, "file", f"is not UTF-8 text ({error.reason} at byte {error.start})")]
        )
    _count(found, plan.keep(rows), column, plan, 0, base=found.rows)
    if found.rows == 0 and not found.problems:
        found.problems.append(Problem(shown, None, "file", "holds no forecasts"))
    return found


def probability_value(text: str) -> float | None:
    """
    The probability a cell holds (None for an empty cell); the text has been checked.
    """
    return float(text) if text.strip() else None


def _check_values(found: _Partial, shown: str) -> list[Problem]:
    """
    Check each distinct value once; a problem's line is filled in later by ``_locate``.
    """
    problems = []
    if found.blank_question:
        problems.append(Problem(shown, None, "question", "is empty"))
    for value in sorted({p for p, _ in found.pairs}):
        if not value.strip():
            continue
        try:
            number = float(value)
        except ValueError:
            problems.append(Problem(shown, None, "probability", f"{value[:40]!r} is not a number"))
            continue
        if not (math.isfinite(number) and 0.0 <= number <= 1.0):
            problems.append(Problem(shown, None, "probability", f"{value[:40]!r} is not between 0 and 1"))
    for value in sorted({o for _, o in found.pairs}):
        if value not in OUTCOMES:
            problems.append(
                Problem(shown, None, "outcome", f"{value[:40]!r} is not one of yes, no, partly, void or empty")
            )
    for name in ("made", "due", "resolved"):
        for value in sorted(found.dates[name]):
            if value and not _is_date(value):
                problems.append(Problem(shown, None, name, f"{value[:40]!r} is not an ISO date like 2025-06-30"))
    return problems


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _bad_cell(name: str, value: str, problems: list[Problem]) -> list[Problem]:
    found = []
    for problem in problems:
        if problem.field != name:
            continue
        if (name == "question" and not value) or (value and problem.message.startswith(f"{value[:40]!r} ")):
            found.append(problem)
    return found


def _locate(path: Path, jsonl: bool, problems: list[Problem]) -> list[Problem]:  # noqa: FBT001
    """
    Give every value problem the line of each row that holds the bad value.
    """
    fields = {problem.field for problem in problems}
    located: list[Problem] = []
    for line, row in rows_with_lines(path, jsonl):
        for name in fields:
            located += [problem._replace(line=line) for problem in _bad_cell(name, row.get(name, ""), problems)]
    return located or problems


def rows_with_lines(path: Path, jsonl: bool) -> Iterator[tuple[int, dict[str, str]]]:  # noqa: FBT001
    """
    Each row of a CSV or JSON Lines table as text cells, with the line it starts on.
    """
    if jsonl:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    record = json.loads(line)
                    yield number, {name: _jsonl_cell(record.get(name), name) for name in COLUMNS}
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader)]
        start = reader.line_num + 1
        for row in reader:
            yield start, dict(zip(header, row, strict=False))
            start = reader.line_num + 1
