"""
Every command on every bad input: exit 1 or 2, a message naming the file, never a traceback.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import scorecard
from scorecard._cli import main
from scorecard._site import site_files

from .cases import BAD_TABLES
from .repo import DATA, make_repo, place_fixture

if TYPE_CHECKING:
    from collections.abc import Callable

DAY = datetime.date(2025, 6, 1)
INVALID = sorted((DATA / "invalid").glob("*.toml"))
REPOSITORY_COMMANDS = [
    ["check"],
    ["list"],
    ["list", "--format", "json"],
    ["show", "base-prediction"],
    ["grade", "--format", "json"],
    ["due"],
    ["review", "2025"],
    ["export"],
]


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_every_command_on_every_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], fixture: Path) -> None:
    """Each repository command reports the bad file with its path and exits 1."""
    root = make_repo(tmp_path)
    shown = place_fixture(root, fixture)
    for command in REPOSITORY_COMMANDS:
        argv = [command[0], str(root), *command[1:]] if command[0] == "check" else [*command, "-C", str(root)]

        code = main(argv)
        captured = capsys.readouterr()

        assert 1 == code, argv
        assert shown in captured.out, argv
        assert "Traceback" not in captured.out + captured.err
    assert not (root / "reviews/2025").exists()


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in BAD_TABLES], ids=[case[0] for case in BAD_TABLES])
def test_table_commands_on_every_bad_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: list[str]
) -> None:
    """Score and import report every problem of a bad table with its line and exit 1, writing nothing."""
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    for argv in (
        ["score", "t.csv"],
        ["score", "t.csv", "--format", "json"],
        ["import", "t.csv", "--into", "predictions/x"],
    ):
        code = main([*argv, "-C", str(tmp_path)])
        captured = capsys.readouterr()

        assert 1 == code, argv
        assert [line.replace(f"{tmp_path}/", "") for line in captured.out.splitlines()] == expected
        assert "Traceback" not in captured.err
    assert not (tmp_path / "predictions").exists()


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nonsense"],
        ["grade", "--as-of", "yesterday"],
        ["grade", "--format", "xml"],
        ["review", "twenty"],
        ["due", "--within", "soon"],
        ["score"],
        ["score", "x.csv", "--group-by", "planet"],
        ["new", "--id", "x"],
        ["list", "--status", "maybe"],
    ],
)
def test_bad_command_lines_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """A bad command line exits 2 with a usage message and no traceback."""
    code = main(argv)
    captured = capsys.readouterr()

    assert 2 == code
    assert "error:" in captured.err
    assert "Traceback" not in captured.err


def test_missing_repository_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Commands pointed at a folder that does not exist report it and exit 1."""
    for argv in (["check", str(tmp_path / "nope")], ["grade", "-C", str(tmp_path / "nope")]):
        assert 1 == main(argv)
        assert f"{tmp_path}/nope: path: is not a folder" in capsys.readouterr().out


def _misuses(root: Path, table: Path) -> list[tuple[str, Callable[[], object], type[Exception], str]]:
    """Library calls with an argument of the wrong Python type, and what each must say."""
    book = scorecard.load(root)
    graded = scorecard.grade(book, as_of=DAY)
    forecasts = scorecard.read_forecasts(table)
    day_hint = "; use datetime.date(...) or .date()"
    return [
        ("grade(path)", lambda: scorecard.grade(str(root), as_of=DAY), scorecard.ArgumentError,  # type: ignore[arg-type]
         f"book must be a Book from scorecard.load(), got str ({str(root)!r})"),
        ("grade(None)", lambda: scorecard.grade(None, as_of=DAY), scorecard.ArgumentError,  # type: ignore[arg-type]
         "book must be a Book from scorecard.load(), got NoneType (None)"),
        ("review(path)", lambda: scorecard.review("x", year=2025), scorecard.ArgumentError,  # type: ignore[arg-type]
         "book must be a Book from scorecard.load(), got str ('x')"),
        ("site_files(path)", lambda: site_files("x", as_of=DAY), scorecard.ArgumentError,  # type: ignore[arg-type]
         "book must be a Book from scorecard.load(), got str ('x')"),
        ("review(history=[1])", lambda: scorecard.review(book, year=2025, history=[1]), scorecard.ArgumentError,  # type: ignore[list-item]
         "history[0] must be a PastReview, got int (1)"),
        ("due(book)", lambda: scorecard.due(book), scorecard.ArgumentError,  # type: ignore[arg-type]
         "graded must be the Graded that scorecard.grade() returns, got Book ("),
        ("due(within=str)", lambda: scorecard.due(graded, within="30d"), scorecard.ArgumentError,  # type: ignore[arg-type]
         "within must be a Duration such as Duration.parse(\"30d\"), got str ('30d')"),
        ("select(tags=str)", lambda: scorecard.select(book.predictions, tags="ai"), scorecard.ArgumentError,
         "tags must be a collection of tags, such as [\"ai\"], got str ('ai')"),
        ("select(by=int)", lambda: scorecard.select(book.predictions, by=3), scorecard.ArgumentError,  # type: ignore[arg-type]
         "by must be a name, got int (3)"),
        ("select(due_before=str)", lambda: scorecard.select(book.predictions, due_before="2025-01-01"),  # type: ignore[arg-type]
         scorecard.AsOfError, f"due_before must be a datetime.date, got str ('2025-01-01'){day_hint}"),
        ("check(today=str)", lambda: scorecard.check(root, today="2025-01-01"), scorecard.AsOfError,  # type: ignore[arg-type]
         f"today must be a datetime.date, got str ('2025-01-01'){day_hint}"),
        ("write_site(as_of=str)", lambda: scorecard.write_site(root, as_of="2025-01-01"), scorecard.AsOfError,  # type: ignore[arg-type]
         f"as_of must be a datetime.date, got str ('2025-01-01'){day_hint}"),
        ("write_site(today=datetime)", lambda: scorecard.write_site(root, today=datetime.datetime(2025, 1, 1)),  # noqa: DTZ001
         scorecard.AsOfError,
         f"today must be a datetime.date, got a datetime.datetime (datetime.datetime(2025, 1, 1, 0, 0)){day_hint}"),
        ("load(workers=str)", lambda: scorecard.load(root, workers="2"), scorecard.ArgumentError,  # type: ignore[arg-type]
         "workers must be a whole number, got str ('2')"),
        ("score(path)", lambda: scorecard.score(str(table)), scorecard.ArgumentError,  # type: ignore[arg-type]
         f"table must be a ForecastTable from scorecard.read_forecasts(), got str ({str(table)!r})"),
        ("score(table, group_by=int)", lambda: scorecard.score(forecasts, group_by=3), scorecard.UsageError,  # type: ignore[arg-type]
         "group_by 3 is not one of forecaster, tag, year"),
        ("read_forecasts(max_bytes=str)", lambda: scorecard.read_forecasts(table, max_bytes="3"),  # type: ignore[arg-type]
         scorecard.ArgumentError, "max_bytes must be a whole number of bytes, got str ('3')"),
        ("read_forecasts(dimensions=str)", lambda: scorecard.read_forecasts(table, dimensions="tag"),
         scorecard.ArgumentError, "dimensions must be a collection of dimensions, such as [\"tag\"], got str ('tag')"),
        ("review(recorded_late=str)", lambda: scorecard.review(book, year=2025, recorded_late="abc"),
         scorecard.ArgumentError, "recorded_late must be a collection of prediction ids, such as [\"a-id\"], got str ('abc')"),
        ("site_files(recorded_late=str)", lambda: site_files(book, as_of=DAY, recorded_late="abc"),
         scorecard.ArgumentError, "recorded_late must be a collection of prediction ids, such as [\"a-id\"], got str ('abc')"),
        ("select(book)", lambda: scorecard.select(book), scorecard.ArgumentError,  # type: ignore[arg-type]
         "predictions must be Prediction records, such as book.predictions, got Book ("),
        ("Period.parse(None)", lambda: scorecard.Period.parse(None), scorecard.ArgumentError,  # type: ignore[arg-type]
         'text must be a period such as "2024-H1", got NoneType (None)'),
        ("Period.parse(2025-Q5)", lambda: scorecard.Period.parse("2025-Q5"), scorecard.UsageError,
         "'2025-Q5' is not a period (use 2024, 2024-H1, 2024-Q3, 2024-06 or 2024-06-30)"),
        ("Duration.parse(-5d)", lambda: scorecard.Duration.parse("-5d"), scorecard.UsageError,
         "'-5d' is not a duration (use e.g. '6 months', '2 years', '30 days', '30d')"),
    ]  # fmt: skip


def test_library_calls_with_wrong_arguments_say_which_argument(tmp_path: Path) -> None:
    """Each misuse raises a ScorecardError naming its argument, never an AttributeError from inside."""
    root = make_repo(tmp_path)
    table = tmp_path / "forecasts.csv"
    table.write_text("question,forecaster,probability,outcome\nq1,a,0.3,yes\n", encoding="utf-8")
    for label, call, kind, message in _misuses(root, table):
        with pytest.raises(kind) as caught:
            call()

        assert isinstance(caught.value, scorecard.ScorecardError), label
        assert str(caught.value).startswith(message), label
