"""
Tests for the command line, called as main(argv) with a fixed day for the clock.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

import scorecard
from scorecard._characters import unsafe_character
from scorecard._cli import main

from .repo import DATA, make_repo, place_fixture

TODAY = datetime.date(2025, 9, 1)

GPT5_PREDICTION = """\
id = "gpt5-by-2024"
claim = "OpenAI releases GPT-5 by the end of 2024."
by = "Guangmi Li"
made = 2024-06-27
due = 2024-12-31
tags = ["models", "openai"]
hedge = "预期"

[source]
document = "001_d9ff357babc1887f.txt"
quote = "gpt-5 预计什么时候来呢?"
translation = "When is GPT-5 expected?"

[rule]
kind = "event"
event = "gpt-5-released"
partly_within = "6 months"
"""

LEDGER = """\
[[event]]
id = "gpt-5-released"
on = 2025-08-07
summary = "OpenAI released GPT-5 in ChatGPT and the API."
source = "https://openai.com/index/introducing-gpt-5/"
confidence = "high"
"""


@pytest.fixture(name="repo")
def _repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path)
    (root / "predictions/li").mkdir()
    (root / "predictions/li/gpt5-by-2024.toml").write_text(GPT5_PREDICTION, encoding="utf-8")
    (root / "reviews/evidence/models.toml").write_text(LEDGER, encoding="utf-8")
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv, today=TODAY)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_clean(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check exits 0 on a clean repository and says what it read."""
    assert (
        0,
        "",
        "note: `made` dates not checked against git: not a git repository\n"
        "2 predictions, 3 evidence entries: 0 error(s), 0 warning(s)\n",
    ) == run(["check", str(repo)], capsys)


def test_check_lists_every_problem(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check prints every problem as path:line: field: message and exits 1."""
    for name in ("syntax-unclosed-string", "misspelt-key", "probability-too-high"):
        place_fixture(repo, DATA / "invalid" / f"{name}.toml")

    code, out, err = run(["check", str(repo)], capsys)

    assert 1 == code
    assert [
        "predictions/fx/misspelt-key.toml:6: probablity: unknown key (did you mean 'probability'?)",
        "predictions/fx/probability-too-high.toml:6: probability: must be strictly between 0 and 1, got 1.5",
        "predictions/fx/syntax-unclosed-string.toml:2: toml: invalid TOML: illegal character '\\n' (column 17)",
    ] == out.splitlines()
    assert "Traceback" not in err


def test_bad_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command or a bad date exits 2 with a usage message."""
    code, _, err = run(["frobnicate"], capsys)
    assert 2 == code
    assert "invalid choice: 'frobnicate'" in err

    code, _, err = run(["grade", "--as-of", "2025-13-01"], capsys)
    assert 2 == code
    assert "scorecard grade: error: argument --as-of: '2025-13-01' is not a date like 2025-12-31" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version."""
    assert (0, f"scorecard {scorecard.__version__}\n", "") == run(["--version"], capsys)


def test_grade_json_contract(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Grade --format json has the keys DESIGN.md fixes, with the grade trail."""
    code, out, _ = run(["grade", "-C", str(repo), "--as-of", "2025-12-31", "--format", "json"], capsys)
    data = json.loads(out)

    assert 0 == code
    assert "2025-12-31" == data["as_of"]
    entry = next(p for p in data["predictions"] if p["id"] == "gpt5-by-2024")
    assert {
        "id": "gpt5-by-2024",
        "by": "Guangmi Li",
        "made": "2024-06-27",
        "due": "2024-12-31",
        "grade": "no",
        "probability": 0.75,
        "explanation": (
            "OpenAI released GPT-5 in ChatGPT and the API (2025-08-07): 7 months after the 2024-12-31 deadline, "
            "beyond the 6 months allowed for Sort of."
        ),
        "evidence": ["gpt-5-released"],
        "sources": ["https://openai.com/index/introducing-gpt-5/"],
    }.items() <= entry.items()


def test_grade_defaults_to_today(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --as-of, grade uses the day the command runs."""
    _, out, _ = run(["grade", "-C", str(repo), "--format", "json"], capsys)

    assert TODAY.isoformat() == json.loads(out)["as_of"]


def test_grade_table_and_filters(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Grade prints a table filtered by tag, with a tally line."""
    code, out, _ = run(["grade", "-C", str(repo), "--as-of", "2025-03-01", "--tag", "openai"], capsys)

    assert 0 == code
    assert "gpt5-by-2024" in out
    assert "base-prediction" not in out
    assert out.rstrip().endswith("1 predictions: 1 pending as of 2025-03-01.")


def test_list_filters(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """List filters by forecaster, due dates and status."""
    _, out, _ = run(["list", "-C", str(repo), "--by", "guangmi li", "--format", "json"], capsys)
    assert ["gpt5-by-2024"] == [row["id"] for row in json.loads(out)]

    _, out, _ = run(["list", "-C", str(repo), "--due-after", "2025-01-01", "--format", "json"], capsys)
    assert ["base-prediction"] == [row["id"] for row in json.loads(out)]

    _, out, _ = run(
        ["list", "-C", str(repo), "--status", "unresolved", "--as-of", "2025-07-01", "--format", "json"], capsys
    )
    assert [("gpt5-by-2024", "unresolved"), ("base-prediction", "unresolved")] == [
        (row["id"], row["grade"]) for row in json.loads(out)
    ]


def test_list_as_of_leaves_out_predictions_not_yet_made(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As of the day before both predictions were made the list is empty; as of that day it holds both."""
    _, before, _ = run(["list", "-C", str(repo), "--as-of", "2024-06-26", "--format", "json"], capsys)
    _, made, _ = run(["list", "-C", str(repo), "--as-of", "2024-06-27", "--format", "json"], capsys)

    assert [] == json.loads(before)
    assert [("gpt5-by-2024", "pending"), ("base-prediction", "pending")] == [
        (row["id"], row["grade"]) for row in json.loads(made)
    ]


def test_show(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Show prints the record, its quote and translation, and the grade trail."""
    code, out, _ = run(["show", "gpt5-by-2024", "-C", str(repo), "--as-of", "2025-12-31"], capsys)

    assert 0 == code
    assert "  quote:     gpt-5 预计什么时候来呢?" in out
    assert "  translation: When is GPT-5 expected?" in out
    assert "grade as of 2025-12-31: No" in out
    assert "  source:    https://openai.com/index/introducing-gpt-5/" in out


def test_show_lists_every_graders_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    """Show lists each grader's verdict, marking self-grades, with each source's kind and date."""
    argv = ["show", "li-2024-ai-search-first-killer-app", "--as-of", "2026-01-31", "-C", str(DATA / "quickstart")]
    code, out, _ = run(argv, capsys)

    assert 0 == code
    assert out.endswith(
        "verdicts:\n"
        "  2026-01-05 by Guangmi Li (self-grade): yes: Search-style answering is still what most people use chatbots "
        "for.\n"
        "    source (self, published 2026-01-05): https://example.org/own-post\n"
        "  2026-01-08 by Ann: partly: Information seeking is the largest category of use, but chat assistants, not "
        "search products, carry it.\n"
        "    source (research, published 2025-09-15): https://example.org/usage-study\n"
        "  2026-01-10 by Bo: partly: The largest use is asking for information, through general assistants rather "
        "than AI search engines.\n"
        "    source (press, published 2025-12-02): https://example.org/usage-report\n"
    )


@pytest.mark.parametrize(
    ("as_of", "verdicts"),
    [
        ("2025-09-01", ""),
        ("2026-01-07", "verdicts:\n"
         "  2026-01-05 by Guangmi Li (self-grade): yes: Search-style answering is still what most people use chatbots "
         "for.\n"
         "    source (self, published 2026-01-05): https://example.org/own-post\n"),
    ],
)  # fmt: skip
def test_show_as_of_a_day_lists_only_the_verdicts_known_by_then(
    capsys: pytest.CaptureFixture[str], as_of: str, verdicts: str
) -> None:
    """Show as of a day leaves out the verdicts that came later (Ann's and Bo's): they were not known on it."""
    argv = ["show", "li-2024-ai-search-first-killer-app", "--as-of", as_of, "-C", str(DATA / "quickstart")]
    code, out, _ = run(argv, capsys)

    assert 0 == code
    assert out[out.index("\n", out.index("grade as of")) :].split("\n", 1)[1].endswith(verdicts)
    assert "verdicts:" in out if verdicts else "verdicts:" not in out
    assert ("2026-01-08", "2026-01-10") == tuple(day for day in ("2026-01-08", "2026-01-10") if day not in out)


def test_show_and_list_as_json_write_every_date_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    """Dates nested in a record (a source's published, a forecast update's on) come out as ISO text in JSON."""
    root = DATA / "quickstart"
    shown = {}
    for path in sorted((root / "predictions").rglob("*.toml")):
        record_id = tomli.loads(path.read_text(encoding="utf-8"))["id"]
        code, out, err = run(["show", record_id, "-C", str(root), "--as-of", "2026-01-15", "--format", "json"], capsys)
        assert (0, "") == (code, err)
        shown[record_id] = json.loads(out)["prediction"]
    code, out, _ = run(["list", "-C", str(root), "--format", "json"], capsys)

    assert 0 == code
    assert sorted(shown) == sorted(row["id"] for row in json.loads(out))
    published = [p["source"]["published"] for p in shown.values() if p["source"].get("published")]
    assert published
    assert all(isinstance(day, str) and datetime.date.fromisoformat(day) for day in published)


def test_every_command_prints_its_help() -> None:
    """`scorecard COMMAND --help` works for every command (help texts are %-formatted by argparse)."""
    from scorecard._cli import _parser

    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for name in [None, *commands]:
        with pytest.raises(SystemExit) as stopped:
            parser.parse_args(["--help"] if name is None else [name, "--help"])
        assert 0 == stopped.value.code, name


def test_show_unknown_id(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Show with an unknown id is a usage error."""
    assert (2, "", "scorecard show: error: no prediction with id 'nope'\n") == run(
        ["show", "nope", "-C", str(repo)], capsys
    )


def test_due(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Due lists what comes due soon and what is past due without evidence."""
    code, out, _ = run(["due", "-C", str(repo), "--as-of", "2025-06-15", "--within", "30d", "--format", "json"], capsys)
    data = json.loads(out)

    assert 0 == code
    assert ["gpt5-by-2024", "base-prediction"] == [r["id"] for r in data["due_soon"]]
    assert [] == data["past_due_unresolved"]

    _, out, _ = run(["due", "-C", str(repo), "--as-of", "2025-07-15", "--format", "json"], capsys)
    data = json.loads(out)

    assert [] == data["due_soon"]
    assert ["gpt5-by-2024", "base-prediction"] == [r["id"] for r in data["past_due_unresolved"]]


def test_commands_on_a_broken_repo_exit_1(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every reading command reports the problems of a broken repository and exits 1."""
    place_fixture(repo, DATA / "invalid/probability-too-high.toml")
    for argv in (["list"], ["show", "gpt5-by-2024"], ["grade"], ["due"]):
        code, out, err = run([*argv, "-C", str(repo)], capsys)
        assert 1 == code, argv
        assert (
            "predictions/fx/probability-too-high.toml:6: probability: must be strictly between 0 and 1, got 1.5\n"
            == out
        )
        assert "Traceback" not in err


def test_new_writes_a_valid_record_and_refuses_to_overwrite(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """New writes a record that check accepts, and will not overwrite it."""
    argv = [
        "new", "-C", str(repo), "--id", "new-one", "--claim", "Robots fold laundry at home by 2027.",
        "--by", "Someone", "--made", "2025-01-15", "--due", "2027-12-31", "--tag", "robotics",
        "--into", "someone-2025", "--url", "https://example.org/talk", "--hedge", "likely",
    ]  # fmt: skip

    assert (0, "predictions/someone-2025/new-one.toml\n", "") == run(argv, capsys)
    assert [] == scorecard.check(repo)
    assert "Robots fold laundry at home by 2027." == scorecard.load(repo).prediction("new-one").claim  # type: ignore[union-attr]
    before = (repo / "predictions/someone-2025/new-one.toml").read_bytes()

    code, _, err = run(argv, capsys)

    assert 1 == code
    assert (
        "scorecard new: error: predictions/someone-2025/new-one.toml: already holds id 'new-one'; choose another id\n"
        == err
    )
    assert before == (repo / "predictions/someone-2025/new-one.toml").read_bytes()


def test_new_refuses_an_id_taken_in_another_folder(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ids are global: new refuses an id that a record in another folder already has."""
    argv = ["new", "-C", str(repo), "--id", "gpt5-by-2024", "--claim", "c", "--by", "b", "--made", "2025-01-01",
            "--due", "2025-02-01", "--into", "elsewhere", "--url", "u"]  # fmt: skip
    taken = next(repo.glob("predictions/**/gpt5-by-2024.toml")).relative_to(repo).as_posix()

    assert (1, "", f"scorecard new: error: {taken}: already holds id 'gpt5-by-2024'; choose another id\n") == run(
        argv, capsys
    )
    assert not (repo / "predictions/elsewhere").exists()


def test_new_with_a_mistyped_root_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-C naming a folder that does not exist is refused; no tree of folders is made there."""
    typo = tmp_path / "typo"
    argv = ["new", "-C", str(typo), "--id", "x", "--claim", "c", "--by", "b", "--made", "2025-01-01",
            "--due", "2025-02-01", "--into", "s", "--url", "u"]  # fmt: skip

    code, _, err = run(argv, capsys)

    assert 1 == code
    assert (
        f"scorecard new: error: {typo}: is not a folder; give an existing repository (or run scorecard init)\n" == err
    )
    assert not typo.exists()


def test_new_refuses_an_id_with_a_trailing_newline(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An id ending in a newline is not a slug: no file named with a newline is written."""
    argv = ["new", "-C", str(repo), "--id", "n1\n", "--claim", "c", "--by", "b", "--made", "2025-01-01",
            "--due", "2025-02-01", "--into", "s", "--url", "u"]  # fmt: skip

    code, _, err = run(argv, capsys)

    assert 2 == code
    assert (
        "scorecard new: error: --id: 'n1\\n' is not a slug: use lowercase letters, digits and hyphens, "
        "starting with a letter or digit, at most 120 characters\n"
    ) == err
    assert not (repo / "predictions/s").exists()


@pytest.mark.parametrize("slug", ["../outside", "/abs", "Bad Slug"])
def test_new_refuses_paths_outside(repo: Path, capsys: pytest.CaptureFixture[str], slug: str) -> None:
    """New refuses an --into that is not a slug, so nothing lands outside the repository."""
    argv = ["new", "-C", str(repo), "--id", "x", "--claim", "c", "--by", "b", "--made", "2025-01-01",
            "--due", "2025-02-01", "--into", slug, "--url", "u"]  # fmt: skip

    assert 2 == run(argv, capsys)[0]
    assert not (repo.parent / "outside").exists()


def test_new_rejects_bad_values(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """New reports a bad value as a usage error naming the option."""
    argv = ["new", "-C", str(repo), "--id", "x", "--claim", "c", "--by", "b", "--made", "2025-01-01",
            "--due", "2024-02-01", "--into", "s", "--url", "u"]  # fmt: skip

    assert (2, "", "scorecard new: error: --due: 2024-02-01 is before made = 2025-01-01\n") == run(argv, capsys)


def test_schema_describes_both_file_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    """Schema prints a JSON Schema for predictions and for evidence files."""
    _, out, _ = run(["schema"], capsys)
    prediction = json.loads(out)
    _, out, _ = run(["schema", "evidence"], capsys)
    evidence = json.loads(out)

    assert ["id", "claim", "by", "made", "due", "source", "rule"] == prediction["required"]
    assert prediction["additionalProperties"] is False
    assert {"metric", "event", "observation", "verdict"} == set(evidence["properties"])


def test_python_dash_m(tmp_path: Path) -> None:
    """Python -m scorecard runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "scorecard", "check", str(tmp_path)], capture_output=True, text=True, check=False
    )

    assert (
        0,
        "note: no predictions/ folder here or in any folder above; `scorecard init` starts a repository\n"
        "0 predictions, 0 evidence entries: 0 error(s), 0 warning(s)\n",
    ) == (done.returncode, done.stderr)


class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        """Always a terminal."""
        return True


def test_colour_only_on_a_terminal_without_no_color(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Grades are coloured on a TTY, plain in a pipe, and plain on a TTY when NO_COLOR is set."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    main(["grade", "-C", str(repo), "--as-of", "2025-12-31"], today=TODAY)
    assert "\x1b[31mNo\x1b[0m" in terminal.getvalue()

    monkeypatch.setenv("NO_COLOR", "1")
    plain = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", plain)
    main(["grade", "-C", str(repo), "--as-of", "2025-12-31"], today=TODAY)
    assert "\x1b[" not in plain.getvalue()


def test_check_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Check --format json lists problems as objects with path, line, field, message and severity."""
    place_fixture(repo, DATA / "invalid/probability-too-high.toml")

    code, out, _ = run(["check", str(repo), "--format", "json"], capsys)

    assert 1 == code
    assert {
        "predictions": 2,
        "evidence": 3,
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "path": "predictions/fx/probability-too-high.toml",
                "line": 6,
                "field": "probability",
                "message": "must be strictly between 0 and 1, got 1.5",
                "severity": "error",
            }
        ],
    } == json.loads(out)


def test_main_gives_the_garbage_collector_back(tmp_path: Path) -> None:
    """A command pauses the cyclic collector for speed and re-enables it when it returns."""
    assert gc.isenabled()
    assert main(["check", str(tmp_path)]) == 0
    assert gc.isenabled()


@pytest.mark.parametrize(("columns", "width"), [("50", 50), ("not a number", 80)])
def test_help_fits_the_terminal(
    columns: str, width: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Help is wrapped to $COLUMNS, or to 80 columns when neither it nor a terminal says otherwise."""
    monkeypatch.setenv("COLUMNS", columns)

    def no_terminal(_: int) -> os.terminal_size:
        raise OSError

    monkeypatch.setattr(os, "get_terminal_size", no_terminal)

    assert main(["score", "--help"]) == 0

    # argparse never breaks inside one option's usage, so only prose lines are measured.
    prose = [line for line in capsys.readouterr().out.splitlines() if "[" not in line and "{" not in line]
    assert max(map(len, prose)) <= width
    assert max(map(len, prose)) > width - 15


FAR_FUTURE = """\
id = "far-future"
claim = "Something happens before the calendar ends."
by = "Someone"
made = 2024-01-01
due = 9999-12-31

[source]
url = "https://example.org/far"

[rule]
kind = "event"
event = "gpt-5-released"
partly_within = "6 months"
"""


@pytest.mark.parametrize(
    "argv",
    [["grade"], ["due", "--within", "10000y"], ["show", "far-future"], ["export"], ["list", "--status", "yes"],
     ["due", "--as-of", "9999-12-31"], ["grade", "--as-of", "9999-12-31"]],
)  # fmt: skip
def test_a_deadline_at_the_end_of_the_calendar_works_everywhere(
    repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """A record due 9999-12-31 with a late window is graded, shown and exported without an overflow."""
    (repo / "predictions/li/far-future.toml").write_text(FAR_FUTURE, encoding="utf-8")

    code, out, err = run([*argv, "-C", str(repo)], capsys)

    assert (0, "") == (code, err)
    assert ("far-future" in out) is (argv[0] != "due")  # it was decided early, so nothing is due


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["due", "--within", "99999y"], "'99999y' is longer than the calendar (at most 10,005 years)"),
        (["review", "0000"], "'0000' is not a year like 2025"),
        (["review", "２０２５"], "'２０２５' is not a year like 2025"),
    ],
)
def test_out_of_range_arguments_are_usage_errors(
    repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Durations past the calendar and year zero are refused as bad command lines, exit 2."""
    code, _, err = run([*argv, "-C", str(repo)], capsys)

    assert 2 == code
    assert message in err


def test_review_of_year_one_is_written_under_a_four_digit_folder(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review of year 1 lands in reviews/0001, the folder name every other year has."""
    code, out, _ = run(["review", "0001", "-C", str(repo), "--as-of", "2025-01-01"], capsys)

    assert 0 == code
    assert "reviews/0001/README.md" in out.splitlines()


def test_terminal_escapes_from_a_table_are_shown_not_obeyed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A forecaster name that clears the screen is printed as visible escapes by score."""
    table = tmp_path / "t.csv"
    table.write_text("question,forecaster,probability,outcome\nq1,\x1b[2J\x1b]0;pwned\x07,0.7,yes\n", encoding="utf-8")

    code, out, _ = run(["score", str(table), "--group-by", "forecaster"], capsys)

    assert 0 == code
    assert "\x1b" not in out
    assert "\\x07" in out
    assert "\\x1b[2J\\x1b]0;pwned\\x07" in out


def test_bidi_and_c1_controls_from_a_table_are_escaped_in_score_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Score --format json writes a bidi override and a C1 control as JSON escapes: the same names, nothing obeyed."""
    table = tmp_path / "t.csv"
    table.write_text("question,forecaster,probability,outcome\nq1,ev\u202eil\x9b2J,0.7,yes\n", encoding="utf-8")

    code, out, _ = run(["score", str(table), "--group-by", "forecaster", "--format", "json"], capsys)

    assert 0 == code
    assert unsafe_character(out) is None
    assert '"ev\\u202eil\\u009b2J": {' in out
    assert ["ev\u202eil\x9b2J"] == list(json.loads(out)["groups"])


def test_check_escapes_a_key_that_would_drive_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A TOML key holding escape sequences is named in check's problems as visible escapes, in text and in JSON."""
    (tmp_path / "pyproject.toml").write_text('[tool.scorecard]\n"\\u001b[2J\\u202e" = 1\n', encoding="utf-8")

    text = run(["check", "-C", str(tmp_path)], capsys)
    data = run(["check", "-C", str(tmp_path), "--format", "json"], capsys)

    assert (1, "pyproject.toml: tool.scorecard.\\x1b[2J\\u202e: unknown key; expected one of: predictions, "
            "evidence, reviews, editor, ledger, hedges\n") == text[:2]  # fmt: skip
    assert unsafe_character(data[1]) is None
    assert "tool.scorecard.\x1b[2J\u202e" == json.loads(data[1])["problems"][0]["field"]


def test_score_max_bytes_sets_the_table_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--max-bytes replaces the 2 GiB limit on a table, both lower and higher."""
    table = tmp_path / "t.csv"
    table.write_text("question,probability,outcome\nq1,0.5,yes\n", encoding="utf-8")

    low = run(["score", str(table), "--max-bytes", "10", "--format", "json"], capsys)
    high = run(["score", str(table), "--max-bytes", "40", "--format", "json"], capsys)

    assert (1, f"{table}: file: is 40 bytes, over the 10-byte limit; not read\n", "1 problem(s) found\n") == low
    assert 0 == high[0]
    assert 0.25 == json.loads(high[1])["brier"]


def test_score_max_bytes_must_be_a_positive_whole_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --max-bytes of zero, below zero or in another notation is a usage error, exit 2."""
    for value in ("0", "-5", "1e9", "١٢"):
        code, out, err = run(["score", str(tmp_path / "t.csv"), "--max-bytes", value], capsys)

        assert (2, "") == (code, out)
        assert (
            f"scorecard score: error: argument --max-bytes: {value!r} is not a number of bytes like 20000000000\n"
            in err
        )


def test_an_argument_that_is_not_utf8_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bytes that are not UTF-8 in an argument (lone surrogates) are refused, exit 2, nothing written."""
    claim = b"caf\xe9".decode("utf-8", "surrogateescape")
    argv = ["new", "-C", str(repo), "--id", "x", "--claim", claim, "--by", "b", "--made", "2025-01-01",
            "--due", "2025-02-01", "--into", "s", "--url", "u"]  # fmt: skip

    code, _, err = run(argv, capsys)

    assert 2 == code
    assert "scorecard: error: --claim contains unnamed U+DCE9 at position 4; give plain UTF-8 text\n" == err
    assert not (repo / "predictions/s").exists()


def test_an_ascii_terminal_gets_escapes_not_a_traceback(repo: Path) -> None:
    """Show on a terminal that only takes ASCII prints the Chinese quote as escapes and exits 0."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "scorecard", "show", "gpt5-by-2024", "-C", str(repo)],
        capture_output=True, env=env, check=False,
    )  # fmt: skip

    assert (0, b"") == (done.returncode, done.stderr)
    assert b"\\u9884\\u671f" in done.stdout


def test_a_reader_that_stops_early_ends_the_command_quietly(repo: Path) -> None:
    """`scorecard list | head -1`: the closed pipe ends the command with no traceback and exit 0."""
    for number in range(300):
        record = GPT5_PREDICTION.replace("gpt5-by-2024", f"gpt5-by-2024-{number}")
        (repo / f"predictions/li/gpt5-by-2024-{number}.toml").write_text(record, encoding="utf-8")
    done = subprocess.run(  # noqa: S602 - a fixed pipeline
        f"{sys.executable} -m scorecard list -C {repo} | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True, capture_output=True, executable="/bin/bash", check=False,
    )  # fmt: skip

    assert (0, b"") == (done.returncode, done.stderr)
    assert 1 == len(done.stdout.splitlines())


@pytest.mark.parametrize("command", [["check"], ["list"], ["grade"]])
def test_commands_find_the_repository_from_a_sub_folder(
    repo: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Started inside predictions/li/, a command works on the whole repository, as git does."""
    code, out, err = run([*command, "-C", str(repo / "predictions/li")], capsys)

    assert 0 == code
    assert "gpt5-by-2024" in out or "2 predictions" in err


def test_check_takes_minus_c_like_every_command(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The check command takes -C DIR, as every other command takes -C."""
    code, _, err = run(["check", "-C", str(repo)], capsys)

    assert (0, "2 predictions, 3 evidence entries: 0 error(s), 0 warning(s)\n") == (code, err.split("\n", 1)[-1])


def test_new_writes_any_rule_from_options_with_the_schema_directive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a repository from init, new writes an event rule from options, made today, with the editor directive."""
    main(["init", str(tmp_path)], today=TODAY)
    capsys.readouterr()
    argv = ["new", "-C", str(tmp_path), "--id", "gpt6-by-2027", "--claim", "GPT-6 is released by 2027.", "--by", "Me",
            "--due", "2027-12-31", "--into", "mine", "--url", "https://example.org/me", "--event", "gpt-6-released",
            "--partly-within", "6 months", "--probability", "0.3"]  # fmt: skip

    assert (0, "predictions/mine/gpt6-by-2027.toml\n", "") == run(argv, capsys)
    text = (tmp_path / "predictions/mine/gpt6-by-2027.toml").read_text(encoding="utf-8")
    assert text.startswith('#:schema ../../docs/prediction.schema.json\nid = "gpt6-by-2027"\n')
    assert "made = 2025-09-01\n" in text
    assert '[rule]\nkind = "event"\nevent = "gpt-6-released"\npartly_within = "6 months"\n' in text


@pytest.mark.parametrize(("typed", "written"), [("40%", "0.4"), ("40 %", "0.4"), ("0.25", "0.25")])
def test_new_takes_a_probability_as_forecast_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], typed: str, written: str
) -> None:
    """The new command takes a percentage for --probability as forecast takes one, and writes the fraction."""
    main(["init", str(tmp_path)], today=TODAY)
    capsys.readouterr()
    argv = ["new", "-C", str(tmp_path), "--id", "gpt6-by-2027", "--claim", "GPT-6 is released by 2027.", "--by", "Me",
            "--due", "2027-12-31", "--into", "mine", "--url", "https://example.org/me", "--event", "gpt-6-released",
            "--probability", typed]  # fmt: skip

    assert 0 == run(argv, capsys)[0]
    assert f"probability = {written}\n" in (tmp_path / "predictions/mine/gpt6-by-2027.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("typed", ["forty", "nan", "40%%", ""])
def test_new_refuses_a_probability_that_is_no_number(
    repo: Path, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    """A probability that is neither a number nor a percentage is refused by name, with exit code 2."""
    argv = ["new", "-C", str(repo), "--id", "x", "--claim", "c", "--by", "b", "--due", "2026-01-01", "--into", "s",
            "--probability", typed]  # fmt: skip

    code, _, err = run(argv, capsys)

    assert (2, f"argument --probability: {typed!r} is not a number or a percentage") == (
        code,
        err.strip().splitlines()[-1].split(": error: ", 1)[1],
    )


def test_new_reports_every_option_problem_at_once(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A probability of 1.5, a threshold rule without its metric, op and value, and no source: all in one message."""
    argv = ["new", "-C", str(repo), "--id", "x", "--claim", "c", "--by", "b", "--due", "2026-01-01", "--into", "s",
            "--rule", "threshold", "--probability", "1.5"]  # fmt: skip

    code, _, err = run(argv, capsys)

    assert 2 == code
    assert (
        "scorecard new: error: --probability: must be strictly between 0 and 1, got 1.5; --metric: required key "
        "is missing; --op: required key is missing; --value: required key is missing; --document: give the "
        "source's document or its url\n"
    ) == err


def test_list_by_matches_any_spelling_and_names_the_forecasters_when_none_match(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--by finds 'Guangmi Li' from 'guangmi  LI'; a name with no match lists the known forecasters."""
    code, out, _ = run(["list", "--by", "guangmi  LI", "-C", str(repo)], capsys)
    assert 0 == code
    assert "gpt5-by-2024" in out

    assert (0, "(none)\n", "No predictions by 'bob'; the forecasters are: A Forecaster, Guangmi Li\n") == run(
        ["list", "--by", "bob", "-C", str(repo)], capsys
    )


def test_list_status_takes_the_label_the_pages_show(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--status 'Sort of' is the same as --status partly."""
    assert run(["list", "--status", "Sort of", "-C", str(repo)], capsys) == run(
        ["list", "--status", "partly", "-C", str(repo)], capsys
    )


def test_show_prints_the_rule_in_words(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Show says what the rule means instead of printing its JSON."""
    _, out, _ = run(["show", "gpt5-by-2024", "-C", str(repo)], capsys)

    assert (
        "  rule:      Yes if event 'gpt-5-released' happens by 2024-12-31; Sort of if it happens within 6 months after."
    ) in out.splitlines()


def test_due_wraps_what_is_missing_instead_of_cutting_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A long 'what is missing' wraps within the column: every word appears, the end (what to do) included."""
    record = GPT5_PREDICTION.replace("gpt5-by-2024", "never-by-2024").replace(
        'event = "gpt-5-released"', 'event = "never"'
    )
    (repo / "predictions/li/never-by-2024.toml").write_text(record, encoding="utf-8")
    (repo / "reviews/evidence/tracked.toml").write_text(
        '[[event]]\nid = "never"\nsummary = "Never."\n', encoding="utf-8"
    )

    _, out, _ = run(["due", "-C", str(repo)], capsys)

    text = " ".join(out.split())
    assert "and no source checked on or after 2025-06-30 shows that it had not happened." in text
    assert max(len(line) for line in out.splitlines()) <= 120


def test_due_as_a_calendar_has_one_all_day_event_per_prediction_and_no_clock(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Due --format ics is a calendar a parser reads back: each past-due prediction on its due day, stamped as_of."""
    import icalendar

    _, first, _ = run(["due", "--format", "ics", "-C", str(repo)], capsys)
    _, second, _ = run(["due", "--format", "ics", "-C", str(repo)], capsys)
    events = icalendar.Calendar.from_ical(first).walk("VEVENT")

    assert first == second
    assert [
        ("base-prediction@scorecard", datetime.date(2025, 6, 30), datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC))
    ] == [(str(event["uid"]), event.decoded("dtstart"), event.decoded("dtstamp")) for event in events]
    assert "Due: Search remains the largest consumer AI use case." == str(events[0]["summary"])


def test_score_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Score - reads the table from standard input, and names it <stdin> in problems."""
    good = io.TextIOWrapper(io.BytesIO(b"question,probability,outcome\nq1,0.7,yes\nq2,0.2,no\n"))
    monkeypatch.setattr(sys, "stdin", good)
    code, out, _ = run(["score", "-", "--format", "json"], capsys)
    assert (0, pytest.approx(0.065, abs=1e-12)) == (code, json.loads(out)["brier"])

    bad = io.TextIOWrapper(io.BytesIO(b"question,probability,outcome\nq1,1.7,yes\n"))
    monkeypatch.setattr(sys, "stdin", bad)
    assert (1, "<stdin>:2: probability: '1.7' is not between 0 and 1\n", "1 problem(s) found\n") == run(
        ["score", "-"], capsys
    )


def test_show_suggests_the_id_meant(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Show with a misspelt id names the id it probably meant, exit 2."""
    assert (
        2,
        "",
        "scorecard show: error: no prediction with id 'gpt5-by-2042' (did you mean 'gpt5-by-2024'?)\n",
    ) == run(["show", "gpt5-by-2042", "-C", str(repo)], capsys)


@pytest.mark.parametrize(
    ("policy", "said"),
    [
        ("all", "Policy: all (every row is one forecast)."),
        (
            "time-average",
            "Policy: time-average (each forecaster's forecasts per question, averaged by the days each stood before due).",
        ),
    ],
)
def test_score_says_its_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str, said: str) -> None:
    """The score table ends with one line naming the policy, and the JSON carries it as "policy"."""
    table = tmp_path / "t.csv"
    table.write_text("question,forecaster,probability,outcome\nq1,ann,0.7,yes\n", encoding="utf-8")

    code, out, _ = run(["score", str(table), "--policy", policy], capsys)
    _, data, _ = run(["score", str(table), "--policy", policy, "--format", "json"], capsys)

    assert (0, said, policy) == (code, out.splitlines()[-1], json.loads(data)["policy"])


def test_score_by_forecaster_prints_the_comparisons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Grouped by forecaster, score prints each compared forecaster's peer score, relative Brier and shared questions."""
    table = tmp_path / "t.csv"
    table.write_text(
        "question,forecaster,probability,outcome\nq1,ann,0.8,yes\nq1,bob,0.6,yes\nq2,cy,0.3,no\n", encoding="utf-8"
    )

    code, out, _ = run(["score", str(table), "--group-by", "forecaster"], capsys)
    lines = out.splitlines()
    start = lines.index(
        "On shared questions (peer score: above 0 beats the others' log score;"
        " relative Brier: below 0 beats the others' median):"
    )

    assert 0 == code
    assert [["ann", "+28.8", "-0.1200", "1"], ["bob", "-28.8", "+0.1200", "1"]] == [
        line.split() for line in lines[start + 3 : start + 5]
    ]


def test_paths_typed_in_a_sub_folder_are_read_and_written_there(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """From predictions/li/, score FILE reads and export --out writes beside it, not at the repository's root."""
    folder = repo / "predictions/li"
    (folder / "t.csv").write_text("question,probability,outcome\nq1,0.5,yes\n", encoding="utf-8")

    scored = run(["score", "t.csv", "-C", str(folder), "--format", "json"], capsys)
    exported = run(["export", "-C", str(folder), "--as-of", "2025-12-31", "--out", "mine.csv"], capsys)

    assert (0, 0.25) == (scored[0], json.loads(scored[1])["brier"])
    assert (0, "predictions/li/mine.csv\n") == exported[:2]
    assert (folder / "mine.csv").read_text(encoding="utf-8").startswith("question,")
    assert not (repo / "mine.csv").exists()


def test_site_out_typed_in_a_sub_folder_lands_there_inside_the_repository(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """From predictions/li/, site --out built writes predictions/li/built/, still inside the repository."""
    code, out, _ = run(["site", "-C", str(repo / "predictions/li"), "--out", "built", "--as-of", "2025-12-31"], capsys)

    assert (0, "predictions/li/built/:") == (code, out.split(" ", 1)[0])
    assert (repo / "predictions/li/built/index.html").is_file()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "-C", "loop"], "loop: path: is not a folder\n"),
        (["list", "-C", "loop/inside"], "loop/inside: path: is not a folder\n"),
        (["score", "t.csv", "-C", "loop"], "loop/t.csv: file: cannot be read: Too many levels of symbolic links\n"),
    ],
)
def test_a_loop_of_symbolic_links_is_a_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    """-C naming a link that leads to itself is reported with its path and exit 1 (pathlib raised RuntimeError)."""
    (tmp_path / "loop").symlink_to("loop")
    monkeypatch.chdir(tmp_path)

    assert (1, expected) == run(argv, capsys)[:2]


def test_site_out_through_a_loop_of_links_is_refused_by_name(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A site folder that is a link to itself is refused with the system's reason, nothing written."""
    (repo / "self").symlink_to("self")

    code, _, err = run(["site", "-C", str(repo), "--out", "self", "--as-of", "2025-12-31"], capsys)

    assert (1, "scorecard site: error: self: is not a usable path: Too many levels of symbolic links\n") == (code, err)


def test_a_closed_stdout_writes_nowhere_and_keeps_diagnostics_out_of_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With stdout closed (`>&-`) the command runs, and stderr still gets only the diagnostics."""
    err = io.StringIO()
    monkeypatch.setattr(sys, "stdout", None)

    code = main(["check", "-C", str(repo)], today=TODAY, stderr=err)

    assert (0, "2 predictions, 3 evidence entries: 0 error(s), 0 warning(s)\n") == (
        code,
        err.getvalue().splitlines(keepends=True)[-1],
    )


def test_a_closed_stderr_keeps_the_summary_out_of_the_json(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With stderr closed (`2>&-`) the summary goes nowhere, not into the JSON on stdout."""
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", None)

    code = main(["check", "-C", str(repo), "--format", "json"], today=TODAY)

    assert 0 == code
    assert {"errors": 0, "evidence": 3, "predictions": 2, "problems": [], "warnings": 0} == json.loads(out.getvalue())


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["list"], ["grade", "--format", "json"], ["schema"]])
def test_output_to_a_full_disk_is_one_message_and_exit_1(repo: Path, command: list[str]) -> None:
    """`scorecard list > /dev/full`: one line saying the output could not be written, no traceback."""
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "scorecard", *command, "-C", str(repo)],
            stdout=full, stderr=subprocess.PIPE, check=False,
        )  # fmt: skip

    assert 1 == done.returncode
    assert f"scorecard {command[0]}: error: the output could not be written: No space left on device\n" == (
        done.stderr.decode()
    )


@pytest.mark.parametrize("command", [["review", "2025"], ["site", "--as-of", "2025-12-31"], ["export"]])
def test_an_empty_out_is_a_bad_command_line(repo: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """--out '' (an unset variable in a script) is refused the same way by every command, and nothing is written."""
    before = sorted(path for path in repo.rglob("*"))

    assert (2, "", "scorecard: error: --out must not be empty; leave it out for the default place\n") == run(
        [*command, "--out", "", "-C", str(repo)], capsys
    )
    assert before == sorted(path for path in repo.rglob("*"))


@pytest.mark.parametrize(
    ("as_of", "updates"), [("2024-08-01", None), ("2024-10-01", [{"on": "2024-09-01", "probability": 0.3}])]
)
def test_the_record_in_json_as_of_a_day_holds_only_the_updates_made_by_then(
    repo: Path, capsys: pytest.CaptureFixture[str], as_of: str, updates: list[dict[str, object]] | None
) -> None:
    """Show and list --format json as of a day leave out forecast updates made after it."""
    record = repo / "predictions/li/gpt5-by-2024.toml"
    record.write_text(GPT5_PREDICTION + "\n[[forecast]]\non = 2024-09-01\nprobability = 0.3\n", encoding="utf-8")

    _, shown, _ = run(["show", "gpt5-by-2024", "--as-of", as_of, "--format", "json", "-C", str(repo)], capsys)
    _, listed, _ = run(["list", "--as-of", as_of, "--format", "json", "-C", str(repo)], capsys)

    assert updates == json.loads(shown)["prediction"].get("forecast")
    assert [updates] == [entry.get("forecast") for entry in json.loads(listed) if entry["id"] == "gpt5-by-2024"]
