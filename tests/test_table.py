"""
Tests for reading forecast tables: formats, encodings, bad input with exact messages, parallel reading.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scorecard
from scorecard import LoadError, read_forecasts, score
from scorecard._cli import main
from scorecard._table_counts import POLICIES, ForecastTable

from .cases import BAD_TABLES, LATE_GROUPS, LATE_TABLE
from .strategies import forecast_tables

HEADER = "question,title,forecaster,probability,made,due,outcome,resolved,tags\n"
GOOD = (
    HEADER
    + 'q1,"Rain, tomorrow?",ann,0.7,2024-01-02,2024-02-01,yes,2024-02-01,weather;daily\n'
    + "q1,,bob,0.4,2024-01-03,2024-02-01,yes,2024-02-01,weather;daily\n"
    + "q2,Snow?,ann,0.2,2024-03-01,2024-04-01,no,2024-04-01,weather\n"
    + "q3,Void one,bob,0.9,2025-01-01,2025-02-01,void,,\n"
    + "q4,Open one,cy,,2025-01-01,2026-02-01,,,\n"
)


def write(tmp_path: Path, text: str | bytes, name: str = "t.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(LoadError) as caught:
        read_forecasts(path)
    return [str(p) for p in caught.value.problems]


def test_counts_and_scores(tmp_path: Path) -> None:
    """A small table gives the expected counts, Brier, log loss and hit rates."""
    report = score(read_forecasts(write(tmp_path, GOOD)))
    data = report.to_data()

    assert (5, 3, 1, 1, 3) == (data["forecasts"], data["resolved"], data["void"], data["open"], data["forecasters"])
    assert data["brier"] == pytest.approx((0.3**2 + 0.6**2 + 0.2**2) / 3)
    assert {"yes": 2, "partly": 0, "no": 1, "strict": 2 / 3, "half_credit": 2 / 3} == data["hit_rate"]
    assert [0.0, 0.1] == [data["bins"][0]["lo"], data["bins"][0]["hi"]]
    assert 1 == data["bins"][2]["n"]


def test_groups(tmp_path: Path) -> None:
    """Grouping by forecaster, tag and year splits the figures, tags split on ';'."""
    path = write(tmp_path, GOOD)

    by_tag = score(read_forecasts(path), group_by="tag").to_data()["groups"]
    by_year = score(read_forecasts(path), group_by="year").to_data()["groups"]
    by_person = score(read_forecasts(path), group_by="forecaster").to_data()["groups"]

    assert {"daily": 2, "weather": 3} == {name: g["forecasts"] for name, g in by_tag.items()}
    assert {"2024": 3, "2025": 2} == {name: g["forecasts"] for name, g in by_year.items()}
    assert {"ann": 2, "bob": 2, "cy": 1} == {name: g["forecasts"] for name, g in by_person.items()}
    assert 2 == by_tag["weather"]["forecasters"]


def test_latest_policy_and_median(tmp_path: Path) -> None:
    """--policy latest keeps each forecaster's last forecast per question; the crowd median is scored."""
    text = HEADER + "q1,,ann,0.2,2024-01-01,,yes,,\nq1,,ann,0.8,2024-01-05,,yes,,\nq1,,bob,0.6,2024-01-03,,yes,,\n"
    path = write(tmp_path, text)

    everything = score(read_forecasts(path), aggregate="median").to_data()
    latest = score(read_forecasts(path, policy="latest"), aggregate="median").to_data()

    assert 3 == everything["forecasts"]
    assert 2 == latest["forecasts"]
    assert {"median": {"brier": pytest.approx(0.4**2), "questions": 1}} == everything["aggregate"]
    assert {"median": {"brier": pytest.approx(0.3**2), "questions": 1}} == latest["aggregate"]


#: One forecaster's updates on one question due 2024-02-10, the last after due, and a second forecaster.
UPDATES = HEADER + (
    "q1,,ann,0.2,2024-01-01,2024-02-10,yes,,\n"
    "q1,,ann,0.6,2024-01-11,2024-02-10,yes,,\n"
    "q1,,ann,0.9,2024-01-31,2024-02-10,yes,,\n"
    "q1,,ann,0.1,2024-03-01,2024-02-10,yes,,\n"
    "q1,,bob,0.5,2024-01-05,2024-02-10,yes,,\n"
)


@pytest.mark.parametrize("engine", ["pure", "duckdb"])
@pytest.mark.parametrize(
    ("policy", "ann"),
    [
        ("latest", 0.1),
        ("first", 0.2),
        ("last", 0.9),
        # 0.2 for 10 days, 0.6 for 20, 0.9 for the 10 to due; the update after due is left out.
        ("time-average", (0.2 * 10 + 0.6 * 20 + 0.9 * 10) / 40),
    ],
)
def test_policies_choose_one_forecast_per_forecaster(tmp_path: Path, engine: str, policy: str, ann: float) -> None:
    """Each policy scores one of ann's forecasts (or their time-average) and bob's only one, on either reader."""
    pytest.importorskip("duckdb")
    data = score(
        read_forecasts(write(tmp_path, UPDATES), policy=policy, engine=engine), group_by="forecaster"
    ).to_data()

    assert (2, policy) == (data["forecasts"], data["policy"])
    assert pytest.approx((ann - 1) ** 2) == data["groups"]["ann"]["brier"]
    assert 0.25 == data["groups"]["bob"]["brier"]


def test_bom_crlf_and_quoted_newlines(tmp_path: Path) -> None:
    """A BOM, Windows line ends and newlines inside quoted fields read like a plain file."""
    text = "\ufeff" + GOOD.replace("Rain, tomorrow?", "Rain,\ntomorrow?").replace("\n", "\r\n")
    plain = score(read_forecasts(write(tmp_path, GOOD, "plain.csv"))).to_data()

    assert plain == score(read_forecasts(write(tmp_path, text.encode("utf-8"), "odd.csv"))).to_data()


def test_jsonl_reads_like_csv(tmp_path: Path) -> None:
    """The same forecasts as JSON Lines give the same figures."""
    lines = [
        {
            "question": "q1",
            "forecaster": "ann",
            "probability": 0.7,
            "made": "2024-01-02",
            "outcome": "yes",
            "tags": ["weather", "daily"],
        },
        {
            "question": "q1",
            "forecaster": "bob",
            "probability": 0.4,
            "made": "2024-01-03",
            "outcome": "yes",
            "tags": "weather;daily",
        },
        {
            "question": "q2",
            "forecaster": "ann",
            "probability": 0.2,
            "made": "2024-03-01",
            "outcome": "no",
            "tags": "weather",
        },
        {"question": "q3", "forecaster": "bob", "probability": 0.9, "made": "2025-01-01", "outcome": "void"},
        {"question": "q4", "forecaster": "cy", "probability": None, "made": "2025-01-01", "outcome": None},
    ]
    path = write(tmp_path, "\n".join(json.dumps(line) for line in lines) + "\n", "t.jsonl")

    mine = score(read_forecasts(path), group_by="tag").to_data()
    theirs = score(read_forecasts(write(tmp_path, GOOD)), group_by="tag").to_data()

    assert theirs == mine


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in BAD_TABLES], ids=[case[0] for case in BAD_TABLES])
def test_bad_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str]) -> None:
    """Each bad table is refused with every problem and its line."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text)

    assert expected == problems(Path("t.csv"))


def test_nul_in_a_title_is_text(tmp_path: Path) -> None:
    """A NUL character inside a field is kept as text, as the csv module reads it."""
    table = read_forecasts(write(tmp_path, "question,title,probability\nq1,a\x00b,0.5\n"))

    assert 1 == table.forecasts


def test_non_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytes that are not UTF-8 are reported with their line."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, b"question,title\nq1,ok\nq2,caf\xe9\n")

    assert ["t.csv:3: file: is not UTF-8 text (invalid continuation byte)"] == problems(Path("t.csv"))


def test_huge_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 10 MB line is reported with its line, not read into a forecast."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "question,title\nq1," + "x" * 10_000_000 + "\n")

    assert ["t.csv:2: file: has a line over 2,097,152 characters; not read"] == problems(Path("t.csv"))


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table over the size limit is refused unread."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, GOOD)

    with pytest.raises(LoadError) as caught:
        read_forecasts("t.csv", max_bytes=100)

    assert [f"t.csv: file: is {len(GOOD.encode()):,} bytes, over the 100-byte limit; not read"] == [
        str(p) for p in caught.value.problems
    ]


def test_bad_jsonl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON Lines problems are listed per line."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        '{"question": "q1", "probability": "x"}\n[1, 2]\nnot json\n{"title": "no question"}\n{"question": "q5", "probability": true}\n',
        "t.jsonl",
    )

    assert [
        "t.jsonl:2: row: is not a JSON object",
        "t.jsonl:3: row: is not valid JSON: Expecting value: line 1 column 1 (char 0)",
        "t.jsonl:4: question: the required key 'question' is missing",
        "t.jsonl:5: probability: expected a string, a number or null, got true",
    ] == problems(Path("t.jsonl"))


def test_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing file is one problem."""
    monkeypatch.chdir(tmp_path)

    assert ["nope.csv: file: cannot be read: No such file or directory"] == problems(Path("nope.csv"))


def test_unknown_options() -> None:
    """Unknown policies, dimensions, groupings and bins are usage errors."""
    with pytest.raises(
        scorecard.UsageError, match="policy 'firstly' is not one of all, latest, first, last, time-average"
    ):
        read_forecasts("x.csv", policy="firstly")
    table = ForecastTable("x", 0, "all", frozenset(), {}, frozenset())
    with pytest.raises(scorecard.UsageError, match="the table was read without forecaster"):
        score(table, group_by="forecaster")
    with pytest.raises(scorecard.UsageError, match="bins 'tens' is not one of deciles, quintiles, acx"):
        score(table, bins="tens")


@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_scorecard_errors(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    """Whatever bytes a table holds, reading and scoring raise nothing but ScorecardError."""
    folder = tmp_path_factory.mktemp("fuzz")
    for name in ("t.csv", "t.jsonl"):
        path = folder / name
        path.write_bytes(b"question,probability,outcome\n" + data if name.endswith("csv") else data)
        with contextlib.suppress(scorecard.ScorecardError):
            score(read_forecasts(path))


@given(table=forecast_tables(), quote_all=st.booleans(), policy=st.sampled_from(POLICIES))
def test_batched_reader_counts_what_the_csv_module_reads(
    tmp_path_factory: pytest.TempPathFactory,
    table: tuple[list[str], list[list[str]], str],
    *,
    quote_all: bool,
    policy: str,
) -> None:
    """Whatever the column order, quoting and line ends, the table counts exactly the rows the csv module reads."""
    columns, rows, ending = table
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=ending, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows([columns, *rows])
    text = buffer.getvalue()
    folder = tmp_path_factory.mktemp("split")
    dimensions = ("forecaster", "tag", "year", "question")
    try:
        found: ForecastTable | list[str] = read_forecasts(write(folder, text), dimensions=dimensions, policy=policy)
    except LoadError as error:  # a lone carriage return, written unquoted, ends a row
        found = [str(problem) for problem in error.problems]
    read = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    if any(len(row) != len(columns) for row in read):
        assert isinstance(found, list)
        return
    cells = [dict(zip([name.lower() for name in read[0]], row, strict=True)) for row in read[1:]]
    jsonl = "".join(json.dumps(cell) + "\n" for cell in cells)
    expected = read_forecasts(write(folder, jsonl, "t.jsonl"), dimensions=dimensions, policy=policy)
    # Lines are each file's own: a quoted line break spans CSV lines, never JSON Lines ones.
    lines = found.after_resolution_lines if isinstance(found, ForecastTable) else ()

    assert attrs.evolve(expected, path=str(folder / "t.csv"), after_resolution_lines=lines) == found


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_file_that_opens_but_cannot_be_read_is_a_problem_not_a_traceback() -> None:
    """/proc/self/mem opens as a regular file of size 0 and fails on read: that failure is reported by name."""
    with pytest.raises(LoadError) as raised:
        read_forecasts("/proc/self/mem", engine="pure")

    assert ["/proc/self/mem: file: cannot be read: Input/output error"] == [str(p) for p in raised.value.problems]


@pytest.mark.parametrize("policy", POLICIES)
def test_rows_made_on_or_after_their_resolution_are_not_scored(tmp_path: Path, policy: str) -> None:
    """Under every policy, rows made on or after their own resolved date are counted apart, never scored nor chosen, with their first lines."""
    table = read_forecasts(write(tmp_path, LATE_TABLE), policy=policy, dimensions=("question",))
    data = score(table, aggregate="median").to_data()

    assert (3, (3, 4, 8)) == (table.after_resolution, table.after_resolution_lines)
    assert (4, 3, 3, 0, 1, 3) == (
        data["forecasts"],
        data["after_resolution"],
        data["resolved"],
        data["void"],
        data["open"],
        data["forecasters"],
    )
    # Scored: 0.8 yes, 0.4 no, 0.5 yes (0.6 is open); ann's later 0.99 on q1 is hindsight.
    assert data["brier"] == pytest.approx((0.2**2 + 0.4**2 + 0.5**2) / 3)
    assert {"yes": 2, "partly": 0, "no": 1, "strict": 2 / 3, "half_credit": 2 / 3} == data["hit_rate"]
    assert {"brier": pytest.approx(0.45 / 3), "questions": 3} == data["aggregate"]["median"]


@pytest.mark.parametrize("group_by", ["forecaster", "tag", "year"])
def test_each_group_counts_its_rows_made_after_resolution(tmp_path: Path, group_by: str) -> None:
    """Each group counts its rows made after resolution beside its forecasts; a group with only such rows is listed with none scored."""
    table = read_forecasts(write(tmp_path, LATE_TABLE), dimensions=(group_by,))
    groups = score(table, group_by=group_by).to_data()["groups"]

    assert LATE_GROUPS[group_by] == {
        name: (found["forecasts"], found["after_resolution"], found["forecasters"]) for name, found in groups.items()
    }


def test_a_bad_value_in_a_row_made_after_resolution_is_still_reported(tmp_path: Path) -> None:
    """A row left out as hindsight is still checked: its bad probability is reported with its line."""
    text = LATE_TABLE.replace("q2,,ann,0.3,", "q2,,ann,1.3,")

    path = write(tmp_path, text)

    assert [f"{path.as_posix()}:4: probability: '1.3' is not between 0 and 1"] == problems(path)


def test_a_table_of_only_rows_made_after_resolution_scores_nothing(tmp_path: Path) -> None:
    """A JSON Lines table whose every row was made after its resolution reads, with no forecast scored."""
    row = {"question": "q1", "probability": 0.5, "made": "2024-02-01", "outcome": "yes", "resolved": "2024-01-01"}
    table = read_forecasts(write(tmp_path, json.dumps(row) + "\n", "t.jsonl"))

    assert (0, 1, (1,), None) == (
        table.forecasts,
        table.after_resolution,
        table.after_resolution_lines,
        score(table).overall.calibration.brier,
    )


def test_one_row_made_after_resolution_in_json_lines_is_named_by_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In JSON Lines, blank lines count as lines but not as rows: the one row left out is named by its own line."""
    rows = [
        {"question": "q1", "probability": 0.5, "outcome": "yes", "made": "2024-01-01", "resolved": "2024-02-01"},
        {"question": "q2", "probability": 0.5, "outcome": "no", "made": "2024-03-01", "resolved": "2024-02-01"},
    ]
    path = write(tmp_path, "\n  \n" + json.dumps(rows[0]) + "\n\n" + json.dumps(rows[1]) + "\n", "t.jsonl")

    assert 0 == main(["score", str(path)])
    assert [
        f"{path.as_posix()}:5: made: warning: 1 row made on or after its own resolved date,"
        " once the outcome was known, left out of every score (line 5)"
    ] == capsys.readouterr().err.splitlines()
