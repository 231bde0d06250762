"""
Reading a forecast table (CSV, JSON Lines or Parquet) into the counts that scoring needs.

The pure-Python reader is the reference: it reads any size, line by line with bounded memory.
Large tables go to the columnar engine when the ``tables`` extra is installed; it must give
exactly the same counts, and when it finds anything wrong the pure reader reports it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import attrs

from ._errors import ArgumentError, LoadError, Problem, UsageError
from ._table_counts import DIMENSIONS, POLICIES, ForecastTable, Tally
from ._table_engine import ENGINE_FROM, ENGINE_FROM_ONE_EACH, EngineUnavailable, engine_available, read_with_engine
from ._table_source import (
    BATCH,
    COLUMNS,
    MAX_TABLE_BYTES,
    CsvRows,
    jsonl_records,
    lines_of_rows,
    open_table,
    rows_with_lines,
    table_format,
)
from ._table_values import bad_values, locate

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["COLUMNS", "DIMENSIONS", "ENGINES", "POLICIES", "read_forecasts", "rows_with_lines"]

ENGINES = ("auto", "pure", "duckdb")
#: Whether the note about the tables extra has been printed in this process.
_noted: list[bool] = []


def read_forecasts(
    path: str | Path,
    *,
    policy: str = "all",
    dimensions: Iterable[str] = DIMENSIONS,
    max_bytes: int = MAX_TABLE_BYTES,
    engine: str = "auto",
) -> ForecastTable:
    """
    Read a CSV, JSON Lines (``.jsonl``, ``.ndjson``) or Parquet (``.parquet``) forecast table.

    *policy* ``"all"`` counts every row; the others keep one forecast per forecaster and
    question: ``"latest"`` the last row (by ``made``, then row order), ``"first"`` the earliest,
    ``"last"`` the last made by ``due``, ``"time-average"`` the average of those standing before
    ``due``, weighted by days, as records are scored (see ``POLICIES``). *dimensions* names the
    groupings to keep counts for (``forecaster``, ``tag``, ``year``, ``question``); fewer is
    faster. With ``forecaster``, the table's ``shared`` compares each forecaster with the others
    on shared questions. At most *max_bytes* are read.

    A row made on or after its own ``resolved`` date was made once the outcome was known: no
    policy chooses it and nothing counts it but ``after_resolution`` (and, per grouping value,
    ``after_resolution_groups``); ``after_resolution_lines`` names the first few, read again
    only when there are any. Its values are checked like any other row's.

    *engine* ``"auto"`` counts CSV files of ``ENGINE_FROM`` bytes or more (``ENGINE_FROM_ONE_EACH``
    under ``latest``, ``first`` and ``last``), and every Parquet file, with DuckDB when the
    ``tables`` extra is installed (without it, a large CSV file is read here, with a note on
    stderr); ``"pure"`` never uses the engine, ``"duckdb"`` always does for CSV and Parquet.
    Either way the counts, and the problems reported, are the same.

    Raises:
        LoadError: the file is unreadable, lacks a ``question`` column, or has bad values;
            every problem is listed with its line (its row, for Parquet).
        UsageError: *policy*, *engine* or a dimension is unknown, or the engine is needed
            (Parquet, ``engine="duckdb"``) but not installed.
    """
    if policy not in POLICIES:
        msg = f"policy {policy!r} is not one of {', '.join(POLICIES)}"
        raise UsageError(msg)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int):
        raise ArgumentError("max_bytes", max_bytes, "a whole number of bytes")
    if isinstance(dimensions, str):
        # A string is a collection of its letters: "tag" would ask for "t", "a" and "g".
        raise ArgumentError("dimensions", dimensions, 'a collection of dimensions, such as ["tag"]')
    if engine not in ENGINES:
        msg = f"engine {engine!r} is not one of {', '.join(ENGINES)}"
        raise UsageError(msg)
    wanted = frozenset(dimensions)
    if not wanted <= set(DIMENSIONS):
        msg = f"unknown dimension {min(wanted - set(DIMENSIONS))!r}; use {', '.join(DIMENSIONS)}"
        raise UsageError(msg)
    path = Path(path)
    shown = path.as_posix()
    kind = table_format(path)
    with open_table(path, shown, max_bytes) as handle:
        size = os.fstat(handle.fileno()).st_size
    if _use_engine(kind, size, engine, policy):
        try:
            return _with_late_lines(read_with_engine(path, shown, kind, policy, wanted, max_bytes), path, kind)
        except EngineUnavailable:
            pass  # the pure reader reads it again and reports exactly what is wrong
    tally = Tally(wanted, policy)
    if kind == "jsonl":
        _read_jsonl(path, shown, max_bytes, tally)
    else:
        _read_csv(path, shown, max_bytes, tally)
    bad = bad_values(
        tally.values("probability"), tally.values("outcome"), tally.dates, blank_question=tally.blank_question
    )
    if bad:
        raise LoadError(locate(shown, bad, rows_with_lines(path, kind == "jsonl")))
    return _with_late_lines(tally.finish(shown), path, kind)


def _with_late_lines(table: ForecastTable, path: Path, kind: str) -> ForecastTable:
    """
    The table with the lines of the rows made after their resolution that it names by number (Parquet keeps rows).
    """
    if kind == "parquet" or not table.after_resolution_lines:
        return table
    return attrs.evolve(
        table, after_resolution_lines=lines_of_rows(path, table.after_resolution_lines, kind == "jsonl")
    )


def _use_engine(kind: str, size: int, engine: str, policy: str) -> bool:
    if kind == "parquet" and engine == "pure":
        msg = "Parquet tables are read by the engine only: use engine='auto' or 'duckdb'"
        raise UsageError(msg)
    large = size >= (ENGINE_FROM_ONE_EACH if policy in ("latest", "first", "last") else ENGINE_FROM)
    wanted = engine == "duckdb" or kind == "parquet" or (engine == "auto" and kind == "csv" and large)
    if not wanted or engine == "pure":
        return False
    if engine_available():
        return kind != "jsonl"
    if kind == "parquet" or engine == "duckdb":
        msg = "reading Parquet, or engine='duckdb', needs the tables extra: pip install 'prediction-scorecard[tables]'"
        raise UsageError(msg)
    if not _noted:
        _noted.append(True)
        sys.stderr.write(
            "note: large tables are read faster with the tables extra: pip install 'prediction-scorecard[tables]'\n"
        )
    return False


def _read_csv(path: Path, shown: str, max_bytes: int, tally: Tally) -> None:
    with open_table(path, shown, max_bytes) as handle:
        source = CsvRows(handle, path, shown)
        getters = {name: itemgetter(position) for name, position in source.header.index.items()}
        for batch in source.batches():
            tally.add({name: list(map(getter, batch)) for name, getter in getters.items()}, len(batch))


def _read_jsonl(path: Path, shown: str, max_bytes: int, tally: Tally) -> None:
    problems: list[Problem] = []
    batch: list[list[str]] = []
    getters = {name: itemgetter(position) for position, name in enumerate(COLUMNS)}

    def flush() -> None:
        tally.add({name: list(map(getter, batch)) for name, getter in getters.items()}, len(batch))
        batch.clear()

    with open_table(path, shown, max_bytes) as handle:
        for _, cells, stopped in jsonl_records(handle, shown):
            problems += stopped
            if not problems:
                batch.append(cells)
                if len(batch) == BATCH:
                    flush()
    if problems:
        raise LoadError(problems)
    if not batch and tally.read == 0:
        raise LoadError([Problem(shown, None, "file", "holds no forecasts")])
    flush()


def read_forecasts_from(
    stream: BinaryIO,
    *,
    name: str = "<stdin>",
    policy: str = "all",
    dimensions: Iterable[str] = DIMENSIONS,
    max_bytes: int = MAX_TABLE_BYTES,
) -> ForecastTable:
    """
    Read a forecast table from an open binary *stream* (``score -`` reads standard input).

    The stream is copied to a temporary file, at most *max_bytes*, and read as a file would be;
    problems name the stream as *name*. JSON Lines are told from CSV by their first character.

    Raises:
        LoadError: the table has problems, or is over *max_bytes*.
    """
    with tempfile.TemporaryDirectory(prefix="scorecard-stdin-") as folder:
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise LoadError([Problem(name, None, "file", f"is over the {max_bytes:,}-byte limit; not read")])
        kind = ".jsonl" if data.lstrip()[:1] in (b"{", b"[") else ".csv"
        path = Path(folder) / f"table{kind}"
        path.write_bytes(data)
        try:
            table = read_forecasts(path, policy=policy, dimensions=dimensions, max_bytes=max_bytes, engine="pure")
        except LoadError as error:
            shown = path.as_posix()
            raise LoadError([p._replace(path=name) if p.path == shown else p for p in error.problems]) from None
    return attrs.evolve(table, path=name)
