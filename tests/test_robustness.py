"""
Every command on every bad input: exit 1 or 2, a message naming the file, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard._cli import main

from .cases import BAD_TABLES
from .repo import DATA, make_repo, place_fixture

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
