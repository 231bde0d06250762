"""
Tests for reading forecast tables with DuckDB: the same counts, figures and problems as the pure reader.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scorecard
from scorecard import LoadError, UsageError, read_forecasts, score
from scorecard._cli import main
from scorecard._table_counts import POLICIES

from .cases import BAD_TABLES, LATE_GROUPS, LATE_TABLE
from .strategies import dated_tables, forecast_tables, updated_tables

duckdb = pytest.importorskip("duckdb")

HEADER = "question,title,forecaster,probability,made,due,outcome,resolved,tags\n"
OPTIONS: list[tuple[dict[str, object], tuple[str, ...]]] = [
    ({}, ()),
    ({"group_by": "forecaster"}, ("forecaster",)),
    ({"group_by": "tag", "aggregate": "median"}, ("tag", "question")),
    ({"group_by": "year", "aggregate": "median", "include_partly": False}, ("year", "question")),
]


def outcome(path: Path, engine: str, policy: str, options: dict[str, object], dimensions: tuple[str, ...]) -> object:
    try:
        table = read_forecasts(path, policy=policy, dimensions=dimensions, engine=engine)
    except LoadError as error:
        return [str(problem) for problem in error.problems]
    return table.after_resolution_lines, score(table, **options).to_data()  # type: ignore[arg-type]


@settings(max_examples=60)
@given(table=forecast_tables(), quote_all=st.booleans(), policy=st.sampled_from(POLICIES))
def test_engine_and_pure_reader_give_identical_json(
    tmp_path_factory: pytest.TempPathFactory,
    table: tuple[list[str], list[list[str]], str],
    *,
    quote_all: bool,
    policy: str,
) -> None:
    """On any generated table and under every policy, the engine and the pure reader give the same JSON (peer scores included), or the same problems."""
    columns, rows, ending = table
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=ending, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows([columns, *rows])
    path = tmp_path_factory.mktemp("engine") / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")

    for options, dimensions in OPTIONS:
        assert outcome(path, "pure", policy, options, dimensions) == outcome(
            path, "duckdb", policy, options, dimensions
        )


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in BAD_TABLES], ids=[case[0] for case in BAD_TABLES])
def test_engine_reports_bad_tables_like_the_pure_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str], policy: str
) -> None:
    """Each bad table read with the engine gets every problem with its line, exactly as without it, under either policy."""
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text(text, encoding="utf-8")

    with pytest.raises(LoadError) as caught:
        read_forecasts("t.csv", engine="duckdb", policy=policy)

    assert expected == [str(problem) for problem in caught.value.problems]


def test_latest_ties_keep_the_later_row(tmp_path: Path) -> None:
    """Two forecasts made the same day: --policy latest keeps the later row with either reader."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "q1,,ann,0.2,2024-01-01,,yes,,\nq1,,ann,0.9,2024-01-01,,yes,,\n", encoding="utf-8")

    for engine in ("pure", "duckdb"):
        assert {("0.9", "yes"): 1} == read_forecasts(path, policy="latest", engine=engine).pairs


@pytest.mark.parametrize(
    ("later", "expected"), [("0.9", {("0.9", "yes"): 1}), ("0.2", {("0.2", "yes"): 1})], ids=["differ", "equal"]
)
def test_latest_same_day_rows_equal_or_not_keep_one(
    tmp_path: Path, later: str, expected: dict[tuple[str, str], int]
) -> None:
    """Two forecasts made the same day as a forecaster's latest: either reader keeps one, the later row's."""
    path = tmp_path / "t.csv"
    path.write_text(
        HEADER + f"q1,,ann,0.5,2023-12-31,,yes,,\nq1,,ann,0.2,2024-01-01,,yes,,\nq1,,ann,{later},2024-01-01,,yes,,\n",
        encoding="utf-8",
    )

    for engine in ("pure", "duckdb"):
        assert expected == read_forecasts(path, policy="latest", engine=engine).pairs


@pytest.mark.parametrize("length", [3_000_000, 5_000_000])
def test_latest_refuses_long_lines_like_the_pure_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, length: int
) -> None:
    """A line over 2 MiB, shorter or longer than the listing scan's buffer, is reported by its line under --policy latest."""
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text(
        HEADER + "q1,,ann,0.5,2024-01-01,,yes,,\nq2," + "x" * length + ",ann,0.5,,,,,\n", encoding="utf-8"
    )

    with pytest.raises(LoadError) as caught:
        read_forecasts("t.csv", policy="latest", engine="duckdb")

    assert ["t.csv:3: file: has a line over 2,097,152 characters; not read"] == [str(p) for p in caught.value.problems]


def test_latest_reads_again_when_the_scans_disagree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the listing scan counts other rows than the numbered scan, the pure reader reads the table: same counts."""
    import scorecard._table_engine as engine

    listed = engine._distinct_values
    monkeypatch.setattr(engine, "_distinct_values", lambda cursor, source: (0, *listed(cursor, source)[1:]))
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "q1,,ann,0.2,2024-01-01,,yes,,\nq1,,ann,0.9,2024-01-02,,yes,,\n", encoding="utf-8")

    with pytest.raises(engine.EngineUnavailable):
        engine.read_with_engine(path, "t.csv", "csv", "latest", frozenset())
    assert {("0.9", "yes"): 1} == read_forecasts(path, policy="latest", engine="duckdb").pairs


@settings(max_examples=80)
@given(text=dated_tables())
def test_latest_by_either_reader_is_the_same_on_any_dates(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    """Whatever the dates (from year 1 to 9999, none, many the same day), --policy latest gives the same JSON by either reader."""
    path = tmp_path_factory.mktemp("dated") / "t.csv"
    path.write_text(text, encoding="utf-8")

    for options, dimensions in OPTIONS:
        assert outcome(path, "pure", "latest", options, dimensions) == outcome(
            path, "duckdb", "latest", options, dimensions
        )


@settings(max_examples=80)
@given(text=updated_tables())
def test_time_average_by_either_reader_is_the_same_on_any_updates(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """Whatever the updates (same day, after due, without a probability, without made or due, alone), --policy time-average gives the same JSON by either reader."""
    path = tmp_path_factory.mktemp("updated") / "t.csv"
    path.write_text(text, encoding="utf-8")

    for options, dimensions in OPTIONS:
        assert outcome(path, "pure", "time-average", options, dimensions) == outcome(
            path, "duckdb", "time-average", options, dimensions
        )


def test_time_average_adds_the_weighted_days_in_order_of_made(tmp_path: Path) -> None:
    """The engine adds each forecast's probability times its days in order of made, as the pure reader does, to the last bit."""
    # Added in this order the sum is 0.4202631578947369 of the 76 days; in reverse, 0.42026315789473684.
    path = tmp_path / "t.csv"
    path.write_text(
        "question,forecaster,probability,made,due,outcome\n"
        "q1,ann,0.23,2024-01-15,2024-03-17,yes\n"
        "q1,ann,0.43,2024-01-01,2024-03-17,yes\n"
        "q1,ann,0.4,2024-02-13,2024-03-17,yes\n"
        "q1,ann,0.98,2024-01-04,2024-03-17,yes\n",
        encoding="utf-8",
    )

    for engine in ("pure", "duckdb"):
        assert {("0.4202631578947369", "yes"): 1} == read_forecasts(path, policy="time-average", engine=engine).pairs


def test_time_average_of_a_value_written_otherwise_counts_with_it(tmp_path: Path) -> None:
    """An average equal to another forecaster's probability is counted under the same text, by either reader."""
    path = tmp_path / "t.csv"
    path.write_text(
        "question,forecaster,probability,made,due,outcome\n"
        "q1,ann,0.4,2024-01-01,2024-01-21,yes\n"
        "q1,ann,0.6,2024-01-11,2024-01-21,yes\n"
        "q1,bob,0.5,2024-01-01,2024-01-21,yes\n"
        "q1,cy,0.50,2024-01-01,2024-01-21,yes\n",
        encoding="utf-8",
    )

    for engine in ("pure", "duckdb"):
        table = read_forecasts(path, policy="time-average", engine=engine)
        assert {("0.5", "yes"): 2, ("0.50", "yes"): 1} == table.pairs


def parquet(tmp_path: Path, text: str, *, tag_lists: bool = False) -> Path:
    """
    The table as Parquet with typed columns: numbers, dates, and tags as lists when asked.
    """
    source = tmp_path / "source.csv"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "t.parquet"
    tags = " REPLACE (string_split(tags, ';') AS tags)" if tag_lists else ""
    scan = f"read_csv('{source}', header = true, types = {{'outcome': 'VARCHAR', 'question': 'VARCHAR'}})"
    with duckdb.connect() as connection:
        connection.execute(f"COPY (SELECT *{tags} FROM {scan}) TO '{target}' (FORMAT parquet)")  # noqa: S608
    return target


def test_parquet_scores_like_csv(tmp_path: Path) -> None:
    """A Parquet table, typed columns and all, gives the figures of the same table as CSV."""
    text = (
        HEADER
        + "q1,Rain?,ann,0.7,2024-01-02,2024-02-01,yes,2024-02-01,weather;daily\n"
        + "q2,Snow?,bob,0.2,2024-03-01,2024-04-01,no,2024-04-01,weather\n"
        + "q3,Open,cy,,2025-01-01,2026-02-01,,,\n"
    )
    csv_path = tmp_path / "t.csv"
    csv_path.write_text(text, encoding="utf-8")

    mine = score(read_forecasts(parquet(tmp_path, text, tag_lists=True)), group_by="tag").to_data()
    theirs = score(read_forecasts(csv_path), group_by="tag").to_data()

    assert theirs == mine


def test_score_command_reads_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`scorecard score t.parquet --format json` prints the figures of the Parquet table."""
    parquet(tmp_path, "question,probability,outcome\nq1,0.75,yes\nq2,0.25,no\n")

    assert 0 == main(["score", "t.parquet", "--format", "json", "-C", str(tmp_path)])
    data = json.loads(capsys.readouterr().out)

    assert (2, 0.0625) == (data["forecasts"], data["brier"])


def test_parquet_bad_value_is_reported_by_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad value in a Parquet table is reported with the number of each row that holds it."""
    monkeypatch.chdir(tmp_path)
    parquet(tmp_path, "question,probability,outcome\nq1,0.5,yes\nq2,1.5,no\nq3,1.5,\n")

    with pytest.raises(LoadError) as caught:
        read_forecasts("t.parquet")

    assert [
        "t.parquet:2: probability: '1.5' is not between 0 and 1",
        "t.parquet:3: probability: '1.5' is not between 0 and 1",
    ] == [str(problem) for problem in caught.value.problems]


def test_parquet_that_is_not_parquet_is_a_load_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file named .parquet that is not one is refused with one problem."""
    monkeypatch.chdir(tmp_path)
    Path("t.parquet").write_text("question\nq1\n", encoding="utf-8")

    with pytest.raises(LoadError) as caught:
        read_forecasts("t.parquet")

    assert 1 == len(caught.value.problems)
    assert str(caught.value.problems[0]).startswith("t.parquet: file: is not a Parquet table the engine reads: ")


def test_parquet_with_the_pure_reader_is_a_usage_error(tmp_path: Path) -> None:
    """Asking the pure reader for a Parquet table is refused with what to ask instead."""
    path = parquet(tmp_path, "question,probability,outcome\nq1,0.5,yes\n")

    with pytest.raises(UsageError, match="Parquet tables are read by the engine only: use engine='auto' or 'duckdb'"):
        read_forecasts(path, engine="pure")


def test_without_the_extra_parquet_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without DuckDB installed, a Parquet table asks for the tables extra."""
    path = parquet(tmp_path, "question,probability,outcome\nq1,0.5,yes\n")
    monkeypatch.setitem(sys.modules, "duckdb", None)

    with pytest.raises(UsageError, match=r"needs the tables extra: pip install 'prediction-scorecard\[tables\]'"):
        read_forecasts(path)


def test_without_the_extra_large_tables_are_read_with_one_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without DuckDB, a large CSV table is read by the pure reader and the extra is suggested once."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "q1,,ann,0.5,,,yes,,\n" * 450_000, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "duckdb", None)
    monkeypatch.setattr(scorecard._table, "_noted", [])

    first = read_forecasts(path)
    second = read_forecasts(path)

    assert (450_000, 450_000) == (first.forecasts, second.forecasts)
    assert (
        "note: large tables are read faster with the tables extra: pip install 'prediction-scorecard[tables]'\n"
        == capsys.readouterr().err
    )


def test_engine_reads_within_the_callers_limit(tmp_path: Path) -> None:
    """The engine's own look at a CSV file (its header) keeps the limit it was given, not the default."""
    from scorecard._table_engine import read_with_engine

    path = tmp_path / "t.csv"
    path.write_text("question,probability,outcome\nq1,0.5,yes\n", encoding="utf-8")

    with pytest.raises(LoadError) as raised:
        read_with_engine(path, "t.csv", "csv", "all", frozenset(), max_bytes=10)

    assert ["t.csv: file: is 40 bytes, over the 10-byte limit; not read"] == [str(p) for p in raised.value.problems]
    assert 1 == read_with_engine(path, "t.csv", "csv", "all", frozenset(), max_bytes=40).forecasts


@pytest.mark.parametrize("policy", POLICIES)
def test_parquet_scores_like_csv_under_every_policy(tmp_path: Path, policy: str) -> None:
    """A Parquet table with forecast updates gives the figures and peer scores of the same table as CSV, under each policy."""
    text = (
        HEADER
        + "q1,,ann,0.2,2024-01-01,2024-02-10,yes,,a\n"
        + "q1,,ann,0.6,2024-01-11,2024-02-10,yes,,a\n"
        + "q1,,ann,0.1,2024-03-01,2024-02-10,yes,,a\n"
        + "q1,,bob,0.5,2024-01-05,2024-02-10,yes,,a\n"
        + "q1,,bob,0.7,2024-01-05,2024-02-10,yes,,a\n"
        + "q2,,ann,0.3,2024-02-01,2024-06-01,no,,b\n"
        + "q2,,cy,0.9,2024-03-01,2024-06-01,no,,b\n"
    )
    csv_path = tmp_path / "t.csv"
    csv_path.write_text(text, encoding="utf-8")

    mine = score(read_forecasts(parquet(tmp_path, text), policy=policy), group_by="forecaster").to_data()
    theirs = score(read_forecasts(csv_path, policy=policy, engine="pure"), group_by="forecaster").to_data()

    assert theirs == mine
    assert (4 if policy == "all" else 2, 2) == (
        mine["groups"]["ann"]["forecasts"],
        mine["groups"]["ann"]["shared_questions"],
    )


@pytest.mark.parametrize(
    ("size", "policy", "engine_reads"),
    [
        (5 << 20, "latest", True),
        (5 << 20, "first", True),
        (5 << 20, "last", True),
        (5 << 20, "all", False),
        (5 << 20, "time-average", False),
        (3 << 20, "latest", False),
        (8 << 20, "all", True),
    ],
)
def test_the_engine_takes_csv_tables_from_a_size_that_depends_on_the_policy(
    size: int, policy: str, engine_reads: bool
) -> None:
    """Keeping one forecast each goes to the engine from 4 MiB, counting every row from 8 MiB."""
    from scorecard._table import _use_engine

    assert engine_reads is _use_engine("csv", size, "auto", policy)


@pytest.mark.parametrize("policy", POLICIES)
def test_engine_leaves_out_rows_made_after_resolution(tmp_path: Path, policy: str) -> None:
    """Under every policy the engine leaves out the rows made on or after their resolved date, counts them per group, and names their lines."""
    path = tmp_path / "t.csv"
    path.write_text(LATE_TABLE, encoding="utf-8")

    for group_by in ("forecaster", "tag", "year"):
        table = read_forecasts(path, policy=policy, dimensions=(group_by, "question"), engine="duckdb")
        data = score(table, group_by=group_by, aggregate="median").to_data()
        groups = {name: (g["forecasts"], g["after_resolution"], g["forecasters"]) for name, g in data["groups"].items()}

        assert ((3, 4, 8), 4, 3) == (table.after_resolution_lines, data["forecasts"], data["after_resolution"])
        assert data["brier"] == pytest.approx((0.2**2 + 0.4**2 + 0.5**2) / 3)
        assert {"brier": pytest.approx(0.45 / 3), "questions": 3} == data["aggregate"]["median"]
        assert LATE_GROUPS[group_by] == groups


@pytest.mark.parametrize("policy", POLICIES)
def test_parquet_names_the_rows_made_after_resolution(tmp_path: Path, policy: str) -> None:
    """A Parquet table's rows made after resolution are left out like a CSV file's, and named by row number."""
    table = read_forecasts(parquet(tmp_path, LATE_TABLE), policy=policy, dimensions=("forecaster",))
    data = score(table, group_by="forecaster").to_data()

    assert ((2, 3, 7), 4, 3) == (table.after_resolution_lines, data["forecasts"], data["after_resolution"])
    assert LATE_GROUPS["forecaster"] == {
        name: (g["forecasts"], g["after_resolution"], g["forecasters"]) for name, g in data["groups"].items()
    }


def test_score_warns_once_of_rows_made_after_resolution(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The score command prints one warning line naming the first such line, how many rows and why, and says it under the tables."""
    (tmp_path / "t.csv").write_text(LATE_TABLE, encoding="utf-8")
    parquet(tmp_path, LATE_TABLE)

    assert 0 == main(["score", "t.csv", "-C", str(tmp_path)])
    out, err = capsys.readouterr()
    assert 0 == main(["score", "t.parquet", "--format", "json", "-C", str(tmp_path)])
    data, parquet_err = capsys.readouterr()

    assert [
        f"{tmp_path.as_posix()}/t.csv:3: made: warning: 3 rows made on or after their own resolved date,"
        " once the outcome was known, left out of every score (lines 3, 4, 8)"
    ] == err.splitlines()
    assert "Not scored: 3 rows made on or after their resolved date." == out.splitlines()[-3]
    assert [
        f"{tmp_path.as_posix()}/t.parquet:2: made: warning: 3 rows made on or after their own resolved date,"
        " once the outcome was known, left out of every score (rows 2, 3, 7)"
    ] == parquet_err.splitlines()
    assert (4, 3) == (json.loads(data)["forecasts"], json.loads(data)["after_resolution"])


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("column", ["title", "tags", "extra"])
def test_engine_refuses_bytes_that_are_not_utf8_in_columns_it_does_not_count(
    tmp_path: Path, column: str, policy: str
) -> None:
    """A byte that is not UTF-8 in a column the engine does not read is reported as the pure reader reports it, with its line."""
    # DuckDB checks only the columns it reads, and on a small file every column: 1,000 rows get past that.
    cells = {"title": "Title", "tags": "a", "extra": "x"}
    rows = [f"q{n % 7},{cells['title']},ann,0.5,2024-01-01,,yes,,{cells['tags']},{cells['extra']}" for n in range(1000)]
    rows[500] = rows[500].replace(cells[column], cells[column] + "\udcff", 1)
    path = tmp_path / "t.csv"
    text = HEADER.replace("\n", ",extra\n") + "\n".join(rows) + "\n"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))

    for engine in ("pure", "duckdb"):
        with pytest.raises(LoadError) as caught:
            read_forecasts(path, policy=policy, dimensions=(), engine=engine)
        assert [f"{path.as_posix()}:502: file: is not UTF-8 text (invalid start byte)"] == [
            str(problem) for problem in caught.value.problems
        ]


def test_parquet_refuses_a_title_that_is_not_utf8(tmp_path: Path) -> None:
    """A Parquet string that is not UTF-8 is refused even in the title, which counting does not read."""
    pyarrow = pytest.importorskip("pyarrow")
    parquet_io = pytest.importorskip("pyarrow.parquet")
    table = pyarrow.table({"question": ["q1"], "title": ["Ti__tle"], "probability": [0.5], "outcome": ["yes"]})
    path = tmp_path / "t.parquet"
    parquet_io.write_table(table, path, compression="NONE", use_dictionary=False, write_statistics=False)
    # Uncompressed, plain and without statistics, the string is in the file once, as written.
    path.write_bytes(path.read_bytes().replace(b"Ti__tle", b"Ti\xff\xfetle"))

    with pytest.raises(LoadError) as caught:
        read_forecasts(path)

    assert [
        f"{path.as_posix()}: file: is not a Parquet table the engine reads: Invalid Input Error: Invalid string"
        f' encoding found in Parquet file "{path}": value "Ti\\xFF\\xFEtle" is not valid UTF8!'
    ] == [str(problem) for problem in caught.value.problems]


#: Rows made after resolution after blank lines and rows of several lines (lines 7, 8 and 11).
SPREAD = (
    "question,forecaster,probability,made,outcome,resolved,title\n\n"
    'q1,ann,0.5,2024-01-01,yes,2024-02-01,"two\nlines"\n\n\n'
    "q2,bob,0.5,2024-03-01,yes,2024-02-01,x\n"
    'q3,bob,0.5,2024-03-01,yes,2024-03-01,"a\r\nb"\n\n'
    "q4,cy,0.5,2024-03-01,yes,2024-02-01,x\n"
)


@pytest.mark.parametrize("policy", POLICIES)
def test_lines_of_rows_made_after_resolution_count_blank_and_quoted_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str
) -> None:
    """Either reader names the lines the rows made after resolution start on, past blank lines and line breaks in quotes."""
    path = tmp_path / "t.csv"
    path.write_bytes(SPREAD.encode())

    for engine in ("pure", "duckdb"):
        table = read_forecasts(path, policy=policy, engine=engine)
        assert (3, (7, 8, 11), 1) == (table.after_resolution, table.after_resolution_lines, table.forecasts)
    assert 0 == main(["score", str(path), "--policy", policy])
    assert [
        f"{path.as_posix()}:7: made: warning: 3 rows made on or after their own resolved date,"
        " once the outcome was known, left out of every score (lines 7, 8, 11)"
    ] == capsys.readouterr().err.splitlines()
