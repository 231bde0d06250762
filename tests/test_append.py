"""
Tests for adding to what a person wrote: forecasts to records, evidence to the ledger.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest

import scorecard
from scorecard._append import table_text
from scorecard._cli import main

from .repo import make_repo

if TYPE_CHECKING:
    from pathlib import Path

TODAY = datetime.date(2025, 9, 1)

EVENT_PREDICTION = """\
# A comment the person wrote, kept byte for byte.
id = "launch-by-2025"
claim = "The launch happens by mid-2025."
by = "A Forecaster"
made = 2024-06-27
due = 2025-06-30
probability = 0.7

[source]
url = "https://example.org/launch"

[rule]
kind = "event"
event = "launch"
"""


@pytest.fixture(name="repo")
def _repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path)
    (root / "predictions/base/launch-by-2025.toml").write_text(EVENT_PREDICTION, encoding="utf-8")
    (root / "reviews/evidence/tracked.toml").write_text(
        '[[event]]\nid = "launch"\nsummary = "The launch."\n\n[[event]]\nid = "other"\nsummary = "Another."\non = 2025-01-01\n'
        'source = "https://example.org/o"\nconfidence = "high"\n',
        encoding="utf-8",
    )
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv, today=TODAY)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_resolve_appends_a_verdict_and_prints_the_grade_it_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A verdict for a judgment call is appended to the ledger, and the command says pending became yes."""
    argv = ["resolve", "base-prediction", "Yes", "--why", "Search stayed first.", "--source", "https://example.org/s",
            "--kind", "press", "--published", "2025-07-01", "--on", "2025-07-02", "-C", str(repo)]  # fmt: skip

    assert (0, "added to reviews/evidence/ledger.toml\nbase-prediction: unresolved → yes\n", "") == run(argv, capsys)
    assert [] == scorecard.check(repo)
    assert (repo / "reviews/evidence/ledger.toml").read_text(encoding="utf-8") == (
        '[[verdict]]\nprediction = "base-prediction"\non = 2025-07-02\ngrade = "yes"\nwhy = "Search stayed first."\n'
        'sources = [{ url = "https://example.org/s", published = 2025-07-01, kind = "press" }]\n'
    )


def test_happened_decides_an_event_rule_and_keeps_the_ledger_as_written(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An event appended to an existing ledger grades the rule that waits on it; the old text stays as it was."""
    ledger = repo / "reviews/evidence/base.toml"
    before = ledger.read_bytes()
    argv = ["happened", "launch", "--on", "2025-05-01", "--summary", "It launched.", "--source",
            "https://example.org/l", "-C", str(repo)]  # fmt: skip
    (repo / "pyproject.toml").write_text('[tool.scorecard]\nledger = "base.toml"\n', encoding="utf-8")

    code, out, _ = run(argv, capsys)

    assert (0, "added to reviews/evidence/base.toml\nlaunch-by-2025: unresolved → yes\n") == (code, out)
    assert ledger.read_bytes().startswith(before)
    assert [] == scorecard.check(repo)


def test_forecast_appends_an_update_that_grading_uses(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A forecast update lands at the end of the record, comment kept, and becomes the probability scored at due."""
    argv = ["forecast", "launch-by-2025", "40%", "--on", "2025-01-10", "--why", "Delays.", "-C", str(repo)]

    code, out, _ = run(argv, capsys)

    record = (repo / "predictions/base/launch-by-2025.toml").read_text(encoding="utf-8")
    assert (0, "added to predictions/base/launch-by-2025.toml\nno grade changed\n") == (code, out)
    assert record == EVENT_PREDICTION + '\n[[forecast]]\non = 2025-01-10\nprobability = 0.4\nwhy = "Delays."\n'
    result = scorecard.grade(scorecard.load(repo), as_of=TODAY).get("launch-by-2025")
    assert result is not None
    assert (0.4, "stated on 2025-01-10") == (result.probability, result.probability_basis)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["forecast", "launch-by-2025", "0.4", "--on", "2025-07-01"],
         "predictions/base/launch-by-2025.toml:16: forecast: an update on 2025-07-01 is after due = 2025-06-30\n"),
        (["resolve", "base-prediction", "yes", "--why", "w", "--source", "https://example.org/s", "--on", "2024-01-01"],
         "reviews/evidence/ledger.toml:3: verdict[0].on: 2024-01-01 is before prediction 'base-prediction' was made "
         "(2024-06-27, predictions/base/base-prediction.toml:4): a grade cannot come before the forecast\n"),
        (["happened", "other", "--on", "2025-01-01", "--summary", "s", "--source", "https://example.org/o"],
         "reviews/evidence/tracked.toml:6: event[1].id: event 'other' is already defined at "
         "reviews/evidence/ledger.toml:1\n"),
    ],
)  # fmt: skip
def test_an_addition_that_would_break_the_repository_is_refused_and_nothing_is_written(
    repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """An update after due, a verdict before made, or a second event with the same id: exit 1, files untouched."""
    before = {path: path.read_bytes() for path in repo.rglob("*.toml")}

    code, out, _ = run([*argv, "-C", str(repo)], capsys)

    assert 1 == code
    assert out.startswith(message)
    assert before == {path: path.read_bytes() for path in repo.rglob("*.toml")}


def _launched_on_march_1(repo: Path) -> None:
    # The event launch-by-2025 waits on, known on 2025-03-01, in a ledger of its own.
    (repo / "reviews/evidence/launch.toml").write_text(
        '[[event]]\nid = "launch"\non = 2025-03-01\nsummary = "It launched."\nsource = "https://example.org/l"\n'
        'confidence = "high"\n',
        encoding="utf-8",
    )
    (repo / "reviews/evidence/tracked.toml").write_text("", encoding="utf-8")


def test_an_update_made_once_the_outcome_was_known_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A forecast dated on or after the day its deciding event was known is hindsight: exit 1, the record untouched."""
    _launched_on_march_1(repo)
    before = {path: path.read_bytes() for path in repo.rglob("*.toml")}

    code, out, err = run(["forecast", "launch-by-2025", "0.99", "--on", "2025-03-01", "-C", str(repo)], capsys)

    assert (1, "1 problem(s) found\n") == (code, err)
    assert out == (
        "predictions/base/launch-by-2025.toml:17: forecast[0].on: an update on 2025-03-01 comes once the outcome was "
        "known ('launch', known 2025-03-01, grades it Yes): it is hindsight and is not scored\n"
    )
    assert before == {path: path.read_bytes() for path in repo.rglob("*.toml")}


def test_a_backdated_update_written_once_the_outcome_is_known_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An update dated before its event but written after it was known would be scored as foresight: exit 1."""
    _launched_on_march_1(repo)
    before = {path: path.read_bytes() for path in repo.rglob("*.toml")}

    assert (
        1,
        "predictions/base/launch-by-2025.toml: forecast: 'launch-by-2025' was decided on 2025-03-01 ('launch', grades "
        "it Yes): an update dated 2025-02-15 but written now, once the outcome is known, would be scored as if made "
        "before it\n",
        "1 problem(s) found\n",
    ) == run(["forecast", "launch-by-2025", "0.99", "--on", "2025-02-15", "-C", str(repo)], capsys)
    assert before == {path: path.read_bytes() for path in repo.rglob("*.toml")}


@pytest.mark.parametrize(
    "argv",
    [
        ["happened", "launch", "--on", "2025-05-01", "--summary", "It launched.", "--source", "https://example.org/l"],
        ["resolve", "base-prediction", "yes", "--why", "w", "--source", "https://example.org/s", "--on", "2025-07-02"],
        ["forecast", "launch-by-2025", "0.4", "--on", "2025-01-10"],
        ["new", "--id", "fresh", "--claim", "C.", "--by", "B", "--due", "2027-01-01", "--into", "base", "--url", "u"],
    ],
)
def test_a_writing_command_refuses_unusable_settings_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """With settings in error, a command that writes says why (exit 1) instead of writing to the default places."""
    (repo / "pyproject.toml").write_text('[tool.scorecard]\nevidence = "../elsewhere"\n', encoding="utf-8")
    before = {path: path.read_bytes() for path in repo.rglob("*") if path.is_file()}

    assert (
        1,
        "pyproject.toml:2: tool.scorecard.evidence: '../elsewhere' must be a folder inside the repository\n",
        "1 problem(s) found\n",
    ) == run([*argv, "-C", str(repo)], capsys)
    assert before == {path: path.read_bytes() for path in repo.rglob("*") if path.is_file()}


def test_options_are_checked_all_at_once(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad grade, a misspelt source kind and an empty reason are reported together, by option."""
    argv = ["resolve", "base-prediction", "maybe", "--why", " ", "--source", "https://example.org/s", "--kind", "pres",
            "-C", str(repo)]  # fmt: skip

    code, _, err = run(argv, capsys)

    assert 2 == code
    assert (
        "scorecard resolve: error: --grade: unknown value 'maybe'; expected one of 'yes', 'partly', 'no', 'pending', "
        "'unresolved', 'void', 'disputed'; --kind: unknown value 'pres' (did you mean 'press'?); "
        "--why: must not be empty\n"
    ) == err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["forecast", "base-prediction", "0.4", "--why", " "], "scorecard forecast: error: --why: must not be empty\n"),
        (["forecast", "base-prediction", " "], "scorecard forecast: error: --probability: must not be empty\n"),
        (["observe", "funding", "5", "--on", "2025-01-01", "--summary", "s", "--source", "https://example.org/o",
          "--unit", " "], "scorecard observe: error: --unit: must not be empty\n"),
        (["new", "--id", "n1", "--claim", "c", "--by", "Ann", "--due", "2026-12-31", "--into", "s", "--url",
          "https://example.org/n", "--rule", "threshold", "--metric", "m2", "--op", ">=", "--value", "3", "--unit", ""],
         "scorecard new: error: --unit: must not be empty\n"),
    ],
)  # fmt: skip
def test_every_empty_option_is_named_and_nothing_is_written(
    repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """An empty --why, P or --unit is a bad command line naming its option, not a problem at a ledger line never written."""
    before = {path: path.read_bytes() for path in repo.rglob("*") if path.is_file()}

    assert (2, "", message) == run([*argv, "-C", str(repo)], capsys)
    assert before == {path: path.read_bytes() for path in repo.rglob("*") if path.is_file()}


def test_table_text_writes_sub_tables_inline() -> None:
    """An entry with a sub-table is one [[table]] with inline values, so it cannot leave its array."""
    text = table_text(
        "event", {"id": "e", "source": {"url": "https://x", "kind": "press"}, "on": datetime.date(2025, 1, 2)}
    )

    assert '[[event]]\nid = "e"\nsource = { url = "https://x", kind = "press" }\non = 2025-01-02\n' == text


def test_an_update_cannot_join_updates_written_as_an_inline_array_and_the_record_is_untouched(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Updates written as an inline array cannot take a [[forecast]] table: the refusal says so, at their line."""
    record = repo / "predictions/base/launch-by-2025.toml"
    inline = "\nforecast = [\n  { on = 2025-01-05, probability = 0.5 },\n]\n"
    # The updates go before [source], where a top-level key must stand.
    record.write_text(EVENT_PREDICTION.replace("\n[source]", inline + "\n[source]", 1), encoding="utf-8")
    before = record.read_bytes()

    code, out, _ = run(["forecast", "launch-by-2025", "40%", "--on", "2025-01-10", "-C", str(repo)], capsys)

    assert (1, "predictions/base/launch-by-2025.toml:9: forecast: is written inline or as one table, and new "
            "entries are appended as [[forecast]] tables, which TOML cannot add to it: write its entries as "
            "[[forecast]] tables (or add this one by hand)\n") == (code, out)  # fmt: skip
    assert before == record.read_bytes()


def test_evidence_cannot_join_a_ledger_array_written_inline(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ledger whose events are an inline array is refused by name, and left as it was."""
    ledger = repo / "reviews/evidence/ledger.toml"
    ledger.write_text('event = [\n  { id = "inline", summary = "s" },\n]\n', encoding="utf-8")
    before = ledger.read_bytes()

    code, out, _ = run(
        ["happened", "launch", "--on", "2025-05-01", "--summary", "s", "--source", "https://example.org/l", "-C",
         str(repo)], capsys
    )  # fmt: skip

    assert 1 == code
    assert out.startswith("reviews/evidence/ledger.toml:1: event: is written inline or as one table")
    assert before == ledger.read_bytes()
