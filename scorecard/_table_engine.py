"""
Reading large forecast tables with DuckDB, the optional ``tables`` extra.

The engine computes the same counts as the pure-Python reader, keyed by the same cell texts,
so the figures that follow are identical to the last bit. It decides nothing on its own about
bad input: when DuckDB cannot read a CSV file, a byte in it is not UTF-8, or a value is
wrong, the pure reader reads the file again and reports every problem with its line. Parquet,
which only the engine reads, has its bad rows found by the engine and reported by row number.
Rows made on or after their own resolved date are left out of every count, as the pure reader
leaves them out, and counted apart.
"""

from __future__ import annotations

import importlib.util
import tempfile
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import LoadError, Problem
from ._table_counts import LATE_ROWS, Crowd, ForecastTable, Middle, shared_of
from ._table_source import BATCH, COLUMNS, MAX_TABLE_BYTES, CsvRows, is_utf8, open_table
from ._table_values import DATE_COLUMNS, BadValue, bad_values

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from ._statistics import Shared

#: CSV files from this size go to the engine when it is installed: below it, importing DuckDB
#: and starting its threads costs more than the pure reader spends (measured in benchmarks/).
ENGINE_FROM = 8 << 20
#: The same for the policies that keep one forecast per forecaster and question, where the pure
#: reader does more per row. `score --policy latest --aggregate median`, whole commands, best of
#: five: 2.5 MB (20,000 rows) pure 0.154 s, engine 0.238 s; 5 MB 0.268 / 0.254 s; 7.8 MB 0.368 /
#: 0.277 s; `first` and `last` at 7.8 MB 0.472 / 0.466 s and 0.444 / 0.370 s.
ENGINE_FROM_ONE_EACH = 4 << 20
#: The columns counting reads: all but the title.
_READ = tuple(name for name in COLUMNS if name != "title")
#: Bytes read at a time by the scan that only lists values (DuckDB's default: 32 MiB). Smaller
#: buffers hold less memory (measured: 50-70 MB less at 1,000,000 rows, no slower), but DuckDB
#: then passes over lines longer than a buffer, or reads lines over its limit, without a word:
#: the numbered scan, with the default, still refuses lines over 2 MiB, and both scans must
#: count the same rows.
_LISTING_BUFFER = 2 << 20
#: A row made on or after its own resolved date (``_table_values.made_after_resolution``): once
#: dates are checked, they compare as their text does.
_LATE = "(resolved <> '' AND made >= resolved)"
#: The columns the grouping dimensions read, as SQL over the cleaned columns.
_GROUP_VALUE = {"forecaster": "forecaster", "tag": "tags", "year": "substring(made, 1, 4)"}


class EngineUnavailable(Exception):  # noqa: N818 - a signal to read with the pure reader instead
    """
    The engine cannot read this table exactly; the pure reader must (and reports why).
    """


def engine_available() -> bool:
    """
    Whether DuckDB (the ``tables`` extra) is installed.
    """
    return importlib.util.find_spec("duckdb") is not None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_with_engine(
    path: Path, shown: str, kind: str, policy: str, dimensions: frozenset[str], max_bytes: int = MAX_TABLE_BYTES
) -> ForecastTable:
    """
    Count a CSV or Parquet table with DuckDB; a CSV file's header is read here, within *max_bytes*.

    A CSV file's bytes are checked to be UTF-8 here first, every column: DuckDB checks only the
    columns it reads, and the pure reader decodes them all (at 1,000,000 rows, 126 MB of ASCII,
    0.03 s; 0.07 s when every block holds other characters and is decoded).

    Raises:
        EngineUnavailable: a CSV file the engine cannot read, that is not UTF-8, or that holds a bad value.
        LoadError: a Parquet file that cannot be read or holds bad values (by row).
    """
    if kind == "csv":
        with open_table(path, shown, max_bytes) as handle:
            if not is_utf8(handle):
                raise EngineUnavailable("not UTF-8")
    import duckdb  # noqa: PLC0415 - an optional extra, imported only when a table needs it

    with tempfile.TemporaryDirectory(prefix="scorecard-") as spill, duckdb.connect() as connection:
        # Spill to a private folder, never to the current one, and quietly.
        connection.execute(f"SET temp_directory = {_literal(spill)}")
        connection.execute("SET enable_progress_bar = false")
        try:
            if kind != "csv":
                source = _parquet_source(connection, path, shown)
                return _count(connection, (source, source), shown, kind, policy, dimensions)
            sources = (_csv_source(path, shown, max_bytes), _csv_source(path, shown, max_bytes, _LISTING_BUFFER))
            return _count(connection, sources, shown, kind, policy, dimensions)
        except duckdb.Error as error:
            if kind == "csv":
                raise EngineUnavailable(str(error)) from None
            first = str(error).splitlines()[0][:200]
            raise LoadError(
                [Problem(shown, None, "file", f"is not a Parquet table the engine reads: {first}")]
            ) from None


def _csv_source(path: Path, shown: str, max_bytes: int, buffer_size: int = 0) -> str:
    """
    The SQL reading a CSV file's cells as text, an empty cell as ''; with DuckDB's buffer size unless one is given.
    """
    with open_table(path, shown, max_bytes) as handle:
        header = CsvRows(handle, path, shown).header
    types = ", ".join(f"'c{n}': 'VARCHAR'" for n in range(header.width))
    scan = (
        f"read_csv({_literal(str(path))}, header = true, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {{{types}}}, auto_detect = false, strict_mode = true, null_padding = false"
        + (f", buffer_size = {buffer_size})" if buffer_size else ")")
    )
    cells = [
        f"coalesce(c{header.index[name]}, '') AS {name}" if name in header.index else f"'' AS {name}" for name in _READ
    ]
    return f"SELECT {', '.join(cells)} FROM {scan}"


def _parquet_source(connection: Any, path: Path, shown: str) -> str:
    """
    The SQL reading a Parquet table's cells as text, once its text columns that counting does not read are checked.

    DuckDB checks that the strings it reads are UTF-8, as Parquet requires; the title and any
    other text column are read once here, so that a file with one bad string is refused
    whichever column holds it, as a CSV file is.
    """
    scan = f"read_parquet({_literal(str(path))})"
    described = connection.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    unread = [
        _quote(str(name))
        for name, kind, *_ in described
        if str(name).strip().lower() not in _READ and "VARCHAR" in str(kind)
    ]
    if unread:
        connection.execute(f"SELECT {', '.join(f'count({name})' for name in unread)} FROM {scan}").fetchall()
    found: dict[str, tuple[str, str]] = {}
    for name, kind, *_ in described:
        found.setdefault(str(name).strip().lower(), (str(name), str(kind)))
    if "question" not in found:
        names = ", ".join(repr(str(name)[:30]) for name, *_ in described[:20])
        raise LoadError(
            [Problem(shown, None, "question", f"the required column 'question' is missing (columns: {names})")]
        )
    cells = []
    for name in _READ:
        if name not in found:
            cells.append(f"'' AS {name}")
            continue
        original, kind = found[name]
        column = _quote(original)
        text = f"array_to_string({column}, ';')" if kind.endswith("[]") else f"CAST({column} AS VARCHAR)"
        cells.append(f"coalesce({text}, '') AS {name}")
    return f"SELECT {', '.join(cells)} FROM {scan}"


@attrs.define
class _Grouped:
    """
    What one grouping-sets query found: the counts by each set of columns.
    """

    pairs: dict[tuple[str, str], int] = attrs.field(factory=dict)
    forecasters: set[str] = attrs.field(factory=set)
    dates: dict[str, set[str]] = attrs.field(factory=lambda: {name: set() for name in DATE_COLUMNS})
    values: dict[str, set[str]] = attrs.field(factory=lambda: {"probability": set(), "outcome": set()})
    blank_question: bool = False
    groups: dict[str, dict[tuple[str, str, str], int]] = attrs.field(factory=dict)
    members: dict[str, set[tuple[str, str]]] = attrs.field(factory=dict)
    #: The same counts of the rows made on or after their resolved date, when counted apart.
    late: _Grouped | None = None
    #: Whether rows were made on or after their resolved date (True) or not (False), when listed.
    made_late: set[bool] = attrs.field(factory=set)

    def problems(self) -> list[BadValue]:
        pairs = self.pairs.keys() | (self.late.pairs.keys() if self.late is not None else set())
        probabilities = self.values["probability"] | {p for p, _ in pairs}
        outcomes = self.values["outcome"] | {o for _, o in pairs}
        return bad_values(probabilities, outcomes, self.dates, blank_question=self.blank_question)

    def late_groups(self) -> dict[str, dict[str, int]]:
        """
        How many rows each grouping value holds, by dimension, from the counts by (value, probability, outcome).
        """
        found: dict[str, dict[str, int]] = {}
        for name, counted in self.groups.items():
            sums = found.setdefault(name, {})
            for (value, _, _), n in counted.items():
                sums[value] = sums.get(value, 0) + n
        return found


#: Where the rows of one grouping set go, the cells they are kept by, and the probability's position.
Plan = tuple[Any, "Callable[[list[Any]], Any]", int]


def _grouped(
    connection: Any, table: str, sets: list[tuple[str, ...]], *, averaged: bool = False, small: bool = False
) -> _Grouped:
    """
    Count *table* by each set of columns in one query (one scan) and sort its rows by the set they count.

    Each set names columns among probability, outcome, forecaster, the dates, and a grouping
    dimension as ``dimension:SQL``; sets of one column give that column's distinct values.
    *averaged*: the table's probabilities come with a time-average (``average``, NULL where
    there is none), which replaces them, written as the pure reader writes it. *small*: the
    table is one forecast per forecaster and question, scanned once per set instead.
    A set of the one column ``late`` lists whether rows were made on or after their resolved date.
    """
    if averaged:
        sets = [(*found, "average") if "probability" in found else found for found in sets]
    columns = list(dict.fromkeys(name for found in sets for name in found))
    expressions = [name.partition(":")[2] or name for name in columns]
    listed = ", ".join(expressions)
    if small:
        # The rows grouping sets give, from one plain GROUP BY per set: over a table of kept
        # forecasts, a few scans cost less (time-average at 1,000,000 rows, 212,612 kept: 0.11 s
        # of CPU against 0.30 s).
        width = len(columns)
        query = " UNION ALL ".join(
            f"SELECT {sum(1 << (width - 1 - k) for k in range(width) if columns[k] not in found)}, "
            + ", ".join(expression if columns[k] in found else "NULL" for k, expression in enumerate(expressions))
            + f", count(*), count_if(question = '') FROM {table} GROUP BY ALL"
            for found in sets
        )
    else:
        query = (
            f"SELECT grouping_id({listed}), {listed}, count(*), count_if(question = '') FROM {table} GROUP BY"
            f" GROUPING SETS ({', '.join('(' + ', '.join(expressions[columns.index(n)] for n in found) + ')' for found in sets)})"
        )
    found = _Grouped()
    average = columns.index("average") if averaged else -1
    plans: dict[int, Plan] = {}
    for grouping, *cells, n, blanks in connection.execute(query).fetchall():
        plan = plans.get(grouping)
        if plan is None:
            plan = plans[grouping] = _plan(found, columns, grouping)
        found.blank_question = found.blank_question or blanks > 0
        target, key, probability = plan
        if isinstance(target, set):
            target.add(key(cells))
            continue
        if averaged and cells[average] is not None:
            cells[probability] = repr(cells[average])
        counted = key(cells)
        # Under time-average an average and a written probability can have the same text.
        target[counted] = target.get(counted, 0) + n
    return found


def _plan(found: _Grouped, columns: list[str], grouping: int) -> Plan:
    """
    Where the rows of one grouping set go, the cells they are kept by, and the probability's position.

    Counts go to a dict keyed by (probability, outcome) or (group, probability, outcome);
    distinct values to a set of them, and members to a set of (group, forecaster).
    """
    width = len(columns)
    at = {columns[k]: k for k in range(width) if not grouping >> (width - 1 - k) & 1}
    names = set(at) - {"average"}
    dimension = next((name for name in names if ":" in name), None)
    probability = at.get("probability", -1)
    if names == {"probability", "outcome"}:
        return found.pairs, itemgetter(probability, at["outcome"]), probability
    if names == {"forecaster"}:
        return found.forecasters, itemgetter(at["forecaster"]), probability
    if names == {"late"}:
        return found.made_late, itemgetter(at["late"]), probability
    if len(names) == 1 and names <= found.dates.keys():
        return found.dates[min(names)], itemgetter(at[min(names)]), probability
    if len(names) == 1 and names <= found.values.keys():
        return found.values[min(names)], itemgetter(at[min(names)]), probability
    group = "forecaster" if dimension is None else dimension.partition(":")[0]
    keyed = at["forecaster"] if dimension is None else at[dimension]
    if "probability" in names:
        return found.groups.setdefault(group, {}), itemgetter(keyed, probability, at["outcome"]), probability
    return found.members.setdefault(group, set()), itemgetter(keyed, at["forecaster"]), probability


def _count(
    connection: Any, sources: tuple[str, str], shown: str, kind: str, policy: str, dimensions: frozenset[str]
) -> ForecastTable:
    """
    Count a table read by *sources*: the SQL reading its cells, and the same with less memory, for listing values.
    """
    source = sources[0]
    checks = [("made",), ("due",), ("resolved",)]
    counts: list[tuple[str, ...]] = [("probability", "outcome"), ("forecaster",)]
    for dimension in sorted(dimensions - {"question"}):
        if dimension == "forecaster":
            counts.append(("forecaster", "probability", "outcome"))
            continue
        column = f"{dimension}:{_GROUP_VALUE[dimension]}"
        counts += [(column, "probability", "outcome"), (column, "forecaster")]
    one_scan = policy == "all" and kind == "csv"
    late_rows: tuple[int, ...] = ()
    late_source = None
    if one_scan:
        # One scan of the file counts everything, finds every distinct value to check, and
        # whether any row was made after its resolution (one more set of two groups costs less
        # than counting those rows apart in every set).
        checked = _grouped(connection, f"(SELECT *, {_LATE} AS late FROM ({source}))", [*counts, *checks, ("late",)])
        table = f"(SELECT * FROM ({source}) WHERE NOT {_LATE})"
        if True in checked.made_late:
            # Then the file is read again, for the rows scored and for those left out.
            one_scan = False
            late_source = f"(SELECT *, row_number() OVER () AS ordinal FROM ({source}))"
    elif kind == "csv" and policy in _SCANNED:
        table = "kept"
        checked, late_count = _keep_in_one_scan(connection, sources, policy, dimensions)
        if late_count:
            # Read again only when there are rows made after their resolution, to count them by group.
            late_source = f"(SELECT *, row_number() OVER () AS ordinal FROM ({source}))"
    else:
        # Rows are numbered to report bad values by row (Parquet) and to order forecasts made
        # the same day: ties go to the later row.
        connection.execute(
            f"CREATE TEMP TABLE forecast_rows AS SELECT *, row_number() OVER () AS ordinal FROM ({source})"
        )
        table = "forecast_rows"
        checked = _grouped(connection, table, [("probability",), ("outcome",), *checks])
    bad = checked.problems()
    if bad:
        if kind == "csv":
            raise EngineUnavailable("bad values")
        raise LoadError(_rows_of(connection, shown, bad))
    if table == "forecast_rows":
        late_source = "forecast_rows"
    if late_source is not None:
        # Few rows, as a rule: kept apart, numbered, to count by group and to name the first.
        connection.execute(f"CREATE TEMP TABLE left_out AS SELECT * FROM {late_source} WHERE {_LATE}")
        checked.late = _grouped(connection, "left_out", counts)
        found = connection.execute(f"SELECT ordinal FROM left_out ORDER BY ordinal LIMIT {LATE_ROWS}").fetchall()
        late_rows = tuple(row for (row,) in found)
    if table == "forecast_rows":
        # The rows a policy may choose from: none made once the outcome was known.
        connection.execute(f"CREATE TEMP VIEW candidates AS SELECT * FROM forecast_rows WHERE NOT {_LATE}")
        table = "candidates"
    if policy == "time-average" and table == "candidates":
        connection.execute(f"CREATE TEMP TABLE scanned AS {_averaged('candidates', dimensions)}")
        connection.execute(f"CREATE TEMP VIEW kept AS {_KEPT[policy](dimensions)}")
        table = "kept"
    elif policy != "all" and table == "candidates":
        connection.execute(f"CREATE TEMP TABLE kept AS {_KEEP[policy]}")
        table = "kept"
    averaged = policy == "time-average"
    counted = checked if one_scan else _grouped(connection, table, counts, averaged=averaged, small=table == "kept")
    chance = "coalesce(average, TRY_CAST(probability AS DOUBLE))" if averaged else "TRY_CAST(probability AS DOUBLE)"
    late = checked.late or _Grouped()
    return ForecastTable(
        path=shown,
        forecasts=sum(counted.pairs.values()),
        policy=policy,
        dimensions=dimensions,
        pairs=counted.pairs,
        forecasters=frozenset(counted.forecasters - {""}),
        groups=counted.groups,
        members={name: frozenset(found) for name, found in counted.members.items()},
        crowd=_crowd(connection, table, chance) if "question" in dimensions else None,
        shared=_shared(connection, table, averaged=averaged) if "forecaster" in dimensions else {},
        after_resolution=sum(late.pairs.values()),
        after_resolution_groups=late.late_groups(),
        # Rows by number: the caller finds a CSV file's lines.
        after_resolution_lines=late_rows,
    )


#: The forecast kept per (question, forecaster) from the numbered rows made before their resolution, by policy (see
#: ``_table_counts.chosen``): rows order by made, then row; ``last`` takes the last made by the
#: due of the forecaster's last row, or the earliest when all came after it.
_FIELDS = "struct_pack(probability, outcome, forecaster, tags, made)"
#: The earliest forecast: of rows made the same day the later, of rows without a date the first.
_EARLIEST = "(made, CASE WHEN made = '' THEN ordinal ELSE -ordinal END)"
_KEEP = {
    "latest": (
        f"SELECT question, unnest(last) FROM (SELECT question, arg_max({_FIELDS}, (made, ordinal)) AS last"
        " FROM candidates GROUP BY question, forecaster)"
    ),
    "first": (
        f"SELECT question, unnest(first) FROM (SELECT question, arg_min({_FIELDS}, {_EARLIEST}) AS first"
        " FROM candidates GROUP BY question, forecaster)"
    ),
    "last": (
        "SELECT question, unnest(coalesce(standing, first)) FROM (SELECT question,"
        f" arg_max({_FIELDS}, (made, ordinal)) FILTER (WHERE due_at = '' OR made <= due_at) AS standing,"
        f" arg_min({_FIELDS}, {_EARLIEST}) AS first"
        " FROM candidates JOIN (SELECT question, forecaster, arg_max(due, (made, ordinal)) AS due_at"
        " FROM candidates GROUP BY question, forecaster) USING (question, forecaster)"
        " GROUP BY question, forecaster)"
    ),
}


def _shared(connection: Any, table: str, *, averaged: bool = False) -> dict[str, Shared]:
    """
    The comparisons on shared questions: on the kept forecasts, or under ``all`` on each forecaster's latest.

    *table* is ``kept``, numbered rows (``candidates``) or the SQL of rows in file order.
    *averaged*: the kept forecasts come with a time-average (NULL where there is none) that replaces their probability.
    """
    if table != "kept":
        numbered = table if table == "candidates" else f"(SELECT *, row_number() OVER () AS ordinal FROM {table})"
        table = (
            "(SELECT question, forecaster, last.probability AS probability, last.outcome AS outcome FROM"
            " (SELECT question, forecaster, arg_max(struct_pack(probability, outcome), (made, ordinal)) AS last"
            f" FROM {numbered} WHERE forecaster <> '' GROUP BY question, forecaster))"
        )
    # On one thread: each of DuckDB's threads holds its own table of (question, forecaster)
    # groups, and at 1,000,000 rows the second one took peak memory from 240 to 308 MB (DuckDB's
    # own query: 240 MB) for no gain in time (1.85 s against 1.63 s, DuckDB 1.87 and 1.55 s).
    connection.execute("SET threads = 1")
    cursor = connection.execute(
        f"SELECT question, forecaster, probability, outcome{', average' if averaged else ''} FROM {table}"
        " WHERE forecaster <> '' AND outcome IN ('yes', 'no') QUALIFY count(*) OVER (PARTITION BY question) > 1"
        " ORDER BY question"
    )
    # In batches, so that only the per-forecaster scores are held, not every forecast.
    rows: Iterator[tuple[Any, ...]] = chain.from_iterable(iter(lambda: cursor.fetchmany(BATCH), []))
    kept = ((q, f, p if a is None else repr(a), o) for q, f, p, o, a in rows) if averaged else rows
    try:
        return shared_of(kept)
    finally:
        connection.execute("RESET threads")


#: The order ``latest`` keeps by: ``made``, then row. Once every date is checked, a date's day
#: number orders as its text does (an empty ``made``, -1, first), and one integer compares
#: faster than a (text, row) pair.
_LATEST_ORDER = "(coalesce(TRY_CAST(made AS DATE) - DATE '0001-01-01', -1) << 40) + ordinal"
#: The columns a kept forecast carries for each grouping dimension that needs one.
_CARRIED = {"tag": "tags", "year": "made"}


#: The columns whose values are checked, besides blank questions.
_CHECKED = ("probability", "outcome", *DATE_COLUMNS)


def _keep_in_one_scan(
    connection: Any, sources: tuple[str, str], policy: str, dimensions: frozenset[str]
) -> tuple[_Grouped, int]:
    """
    Keep each forecaster's forecast per question under *policy* (view ``kept``) in one numbered scan of a CSV file.

    Numbering the rows keeps that scan on one thread, so a second scan lists each checked
    column's distinct values meanwhile, on another: only they (a few thousand) come to Python,
    where they are checked exactly, as the pure reader checks them. That scan also counts the
    rows made on or after their resolved date, which the first leaves out; how many is returned.

    Raises:
        EngineUnavailable: the two scans did not read the same number of rows.
    """
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - only this reading starts a thread

    source, listing = sources
    numbered = f"(SELECT *, row_number() OVER () AS ordinal FROM ({source}) WHERE NOT {_LATE})"
    # One thread per scan: DuckDB's threads would share two cores with no gain, and each holds
    # its own buffers (measured: 30-50 MB more at 1,000,000 rows under latest; time-average at
    # 10,000,000 rows with two threads for its scan: 1,475 MB against 1,395, 50.7 s of CPU
    # against 40.5 s, wall time alike, load average 3.6).
    connection.execute("SET threads = 1")
    with connection.cursor() as cursor, ThreadPoolExecutor(max_workers=1) as pool:
        listed = pool.submit(_distinct_values, cursor, listing)
        try:
            connection.execute(f"CREATE TEMP TABLE scanned AS {_SCANNED[policy](numbered, dimensions)}")
        except BaseException:
            cursor.interrupt()
            raise
        rows, late, found = listed.result()
    connection.execute("RESET threads")
    if connection.execute("SELECT coalesce(sum(rows), 0) FROM scanned").fetchall()[0][0] != rows - late:
        raise EngineUnavailable("the scans read different rows")
    connection.execute(f"CREATE TEMP VIEW kept AS {_KEPT[policy](dimensions)}")
    return found, late


def _carried(dimensions: frozenset[str]) -> list[str]:
    """
    The columns a kept forecast carries: its probability, its outcome, and what the grouping dimensions read.
    """
    return ["probability", "outcome", *(column for name, column in _CARRIED.items() if name in dimensions)]


def _latest(numbered: str, dimensions: frozenset[str]) -> str:
    """
    Each forecaster's last row per question, from numbered rows, with how many rows each had.
    """
    return (
        "SELECT question, forecaster, count(*) AS rows,"
        f" arg_max(struct_pack({', '.join(_carried(dimensions))}), {_LATEST_ORDER}) AS last"
        f" FROM {numbered} GROUP BY question, forecaster"
    )


def _averaged(numbered: str, dimensions: frozenset[str]) -> str:
    """
    Per forecaster and question, from numbered rows: the ``last`` forecast, the time-average of all (or NULL), and how many rows.

    As ``_table_counts.chosen`` and ``time_average`` do: rows order by ``made``, then row; the
    due is the last row's; the first row always starts a span, later ones only if made by the
    due, and since rows are ordered by ``made`` those are the rows right after the first, so
    each span ends at the next row's ``made`` if that row starts one, and at the due otherwise.
    """
    fields = f"struct_pack({', '.join(_carried(dimensions))})"
    ordered = (
        "SELECT *, row_number() OVER w AS k, first_value(made) OVER w AS first_made, lead(made) OVER w AS next_made,"
        " last_value(due) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS due_at"
        f" FROM {numbered} WINDOW w AS (PARTITION BY question, forecaster ORDER BY made, ordinal)"
    )
    spans = (
        "SELECT *, k = 1 OR made <= due_at AS starts, TRY_CAST(probability AS DOUBLE) AS value,"
        " TRY_CAST(CASE WHEN next_made <= due_at THEN next_made ELSE due_at END AS DATE) - TRY_CAST(made AS DATE)"
        f" AS span FROM ({ordered})"
    )
    counted = "FILTER (WHERE starts AND value IS NOT NULL AND span > 0)"
    # The weighted sum is added up in row order, as the pure reader adds it, so that its last
    # bits agree: DuckDB's sum() adds in whatever order its threads meet the rows.
    weighted = (
        f"list_reduce(list_transform(list_sort(list(struct_pack(k, w := value * span)) {counted}), lambda x: x.w),"
        " lambda total, x: total + x, 0.0)"
    )
    return (
        "SELECT question, forecaster, count(*) AS rows,"
        f" coalesce(arg_max({fields}, k) FILTER (WHERE due_at = '' OR made <= due_at),"
        f" arg_max({fields}, k) FILTER (WHERE k = 1 OR (first_made <> '' AND made = first_made))) AS last,"
        " CASE WHEN any_value(due_at) <> '' AND any_value(first_made) <> '' AND any_value(first_made) < any_value(due_at)"
        f" AND count(*) FILTER (WHERE starts) > 1 AND sum(span) {counted} > 0"
        f" THEN {weighted} / sum(span) {counted} END AS average"
        f" FROM ({spans}) GROUP BY question, forecaster"
    )


#: The query keeping one forecast per forecaster and question in one scan, by policy.
_SCANNED = {"latest": _latest, "time-average": _averaged}


def _kept_latest(dimensions: frozenset[str]) -> str:
    columns = ", ".join(f"last.{name} AS {name}" for name in _carried(dimensions))
    return f"SELECT question, forecaster, {columns} FROM scanned"


def _kept_average(dimensions: frozenset[str]) -> str:
    columns = ", ".join(f"last.{name} AS {name}" for name in _carried(dimensions))
    return f"SELECT question, forecaster, {columns}, average FROM scanned"


#: The view ``kept`` over ``scanned``, by policy.
_KEPT = {"latest": _kept_latest, "time-average": _kept_average}


def _distinct_values(cursor: Any, source: str) -> tuple[int, int, _Grouped]:
    """
    How many rows there are and how many were made after their resolution, whether a question is blank, and the checked columns' distinct values, in one scan.
    """
    lists = ", ".join(f"list(DISTINCT {name})" for name in _CHECKED)
    rows, late, blank, *values = cursor.execute(
        f"SELECT count(*), count_if({_LATE}), bool_or(question = ''), {lists} FROM ({source})"
    ).fetchall()[0]
    found = _Grouped(blank_question=bool(blank))
    for name, distinct in zip(_CHECKED, values, strict=True):
        (found.values if name in found.values else found.dates)[name].update(distinct or ())
    return rows, late, found


#: ``majority`` in SQL, of counts named yes, no and partly: the outcome most rows carry, of equals
#: the first in alphabetical order (an outcome no row carries never wins, as some row does).
_MAJORITY = "CASE WHEN no >= partly AND no >= yes THEN 'no' WHEN partly >= yes THEN 'partly' ELSE 'yes' END"


def _crowd(connection: Any, kept: str, chance: str) -> Crowd:
    """
    Each question's middle forecasts, picked from its sorted forecasts as ``statistics.median`` does.

    *chance* is the SQL giving a kept forecast's probability as a number (NULL without one).
    """
    # Probabilities are checked by now: DuckDB reads each valid text as Python's float does.
    scored = (
        f"SELECT question, outcome, p FROM (SELECT question, outcome, {chance} AS p FROM {kept}"
        " WHERE outcome IN ('yes', 'no', 'partly')) WHERE p IS NOT NULL"
    )
    # quantile_disc(p, 0.5) is the value at 0-based position floor((n - 1) / 2) of the sorted
    # values, the lower middle; the same of -p is minus the upper middle.
    middles = (
        "quantile_disc(p, 0.5) AS lower, -quantile_disc(-p, 0.5) AS upper, count_if(outcome = 'yes') AS yes,"
        " count_if(outcome = 'no') AS no"
    )
    rows = connection.execute(
        f"SELECT question, lower, upper, {_MAJORITY}, CASE WHEN partly = 0 THEN {_MAJORITY} END,"
        f" partly > 0 AND yes + no > 0 FROM (SELECT question, {middles}, count_if(outcome = 'partly') AS partly"
        f" FROM ({scored}) GROUP BY question)"
    ).fetchall()
    found: dict[bool, dict[str, Middle]] = {True: {}, False: {}}
    for question, lower, upper, outcome, firm, _ in rows:
        found[True][question] = Middle(lower, upper, outcome)
        if firm is not None:
            # No row was resolved partly, so leaving them out changes nothing.
            found[False][question] = Middle(lower, upper, firm)
    if any(mixed for *_, mixed in rows):
        # Questions resolved partly by some rows and not by others have other middles without them.
        rows = connection.execute(
            f"SELECT question, lower, upper, {_MAJORITY} FROM (SELECT question, {middles}, 0 AS partly FROM ({scored})"
            f" WHERE outcome <> 'partly' AND question IN (SELECT question FROM ({scored}) WHERE outcome = 'partly')"
            " GROUP BY question)"
        ).fetchall()
        for question, lower, upper, outcome in rows:
            found[False][question] = Middle(lower, upper, outcome)
    return Crowd(found[True], found[False])


def _rows_of(connection: Any, shown: str, bad: list[BadValue]) -> list[Problem]:
    """
    A problem for each row of a Parquet table holding a bad value, by row number.
    """
    problems = []
    for item in bad:
        found = connection.execute(
            f"SELECT ordinal FROM forecast_rows WHERE {item.field} = ? ORDER BY ordinal LIMIT 1000", [item.value]
        ).fetchall()
        problems += [Problem(shown, row, item.field, item.message) for (row,) in found]
    return problems or [Problem(shown, None, item.field, item.message) for item in bad]
