"""
Tests for the hindsight checks: forecasts already decided, evidence after today, records made late.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from pathlib import Path

import pytest

import scorecard
from scorecard._cli import main
from scorecard._hindsight import check_repository

from .repo import make_repo

D = datetime.date

THRESHOLD_PREDICTION = """\
id = "hindsight"
claim = "The base metric reaches 5."
by = "Ann"
made = 2026-09-01
due = 2026-12-31
probability = 0.99

[source]
url = "https://example.org/said"

[rule]
kind = "threshold"
metric = "base-metric"
op = ">="
value = 5.0
"""

MET_IN_JULY = """\
[[observation]]
metric = "base-metric"
on = 2026-07-10
value = 6.0
summary = "Six on 10 July."
source = { url = "https://example.org/july", kind = "primary", published = 2026-07-10 }
confidence = "high"
"""


def _problems(root: Path, today: D | None = None) -> list[str]:
    return [str(problem) for problem in scorecard.check(root, today=today)]


def test_a_forecast_already_decided_when_made_is_flagged(tmp_path: Path) -> None:
    """A prediction whose rule was settled by evidence known on its made date is not a forecast: a warning says so."""
    root = make_repo(tmp_path)
    (root / "predictions/base/hindsight.toml").write_text(THRESHOLD_PREDICTION, encoding="utf-8")
    (root / "reviews/evidence/july.toml").write_text(MET_IN_JULY, encoding="utf-8")

    assert [
        "predictions/base/hindsight.toml:4: made: warning: already decided when made (2026-09-01): "
        "'base-metric@2026-07-10', known 2026-07-10, grades it Yes; a statement of what was known is not a forecast"
    ] == _problems(root)


def test_an_update_made_once_the_outcome_was_known_is_flagged(tmp_path: Path) -> None:
    """A forecast update dated on or after the day the deciding evidence became known is named as hindsight."""
    root = make_repo(tmp_path)
    record = (
        THRESHOLD_PREDICTION.replace("2026-09-01", "2026-06-01")
        + "\n[[forecast]]\non = 2026-07-10\nprobability = 1e-2\n"
    )
    (root / "predictions/base/hindsight.toml").write_text(record, encoding="utf-8")
    (root / "reviews/evidence/july.toml").write_text(MET_IN_JULY, encoding="utf-8")

    assert [
        "predictions/base/hindsight.toml:18: forecast[0].on: warning: an update on 2026-07-10 comes once the outcome "
        "was known ('base-metric@2026-07-10', known 2026-07-10, grades it Yes): it is hindsight and is not scored"
    ] == _problems(root)


def test_a_verdict_resting_only_on_what_was_known_when_made_is_flagged(tmp_path: Path) -> None:
    """A judgment call graded by a verdict citing only evidence known on its made date is named as no forecast."""
    root = make_repo(tmp_path)
    (root / "reviews/evidence/july.toml").write_text(
        MET_IN_JULY.replace("[[observation]]", '[[observation]]\nid = "six-in-july"')
        + '\n[[verdict]]\nprediction = "base-prediction"\non = 2026-08-01\ngrade = "yes"\nwhy = "Six."\n'
        'sources = ["https://example.org/v"]\nevidence = ["six-in-july"]\nby = "Bo"\n',
        encoding="utf-8",
    )
    record = root / "predictions/base/base-prediction.toml"
    record.write_text(
        record.read_text(encoding="utf-8")
        .replace("made = 2024-06-27", "made = 2026-07-10")
        .replace("due = 2025-06-30", "due = 2026-12-31"),
        "utf-8",
    )

    assert [
        "predictions/base/base-prediction.toml:4: made: warning: already decided when made (2026-07-10): its "
        "verdict of 2026-08-01 rests only on 'six-in-july', known by 2026-07-10, and grades it Yes; a statement of "
        "what was known is not a forecast"
    ] == _problems(root, today=D(2026, 9, 1))


def test_evidence_after_today_is_flagged(tmp_path: Path) -> None:
    """Evidence dated after today is reported as a warning, naming the field and both dates."""
    root = make_repo(tmp_path)
    (root / "reviews/evidence/july.toml").write_text(MET_IN_JULY, encoding="utf-8")

    assert [
        "reviews/evidence/july.toml:3: observation[0].on: warning: 2026-07-10 is after today (2026-06-01): "
        "evidence cannot be known before it happens"
    ] == _problems(root, today=D(2026, 6, 1))
    assert [] == _problems(root, today=D(2026, 7, 10))


def test_records_and_sources_dated_after_today_are_flagged(tmp_path: Path) -> None:
    """A made, a source's published day or a forecast update after today, and a cited source published after today, warn."""
    root = make_repo(tmp_path)
    record = THRESHOLD_PREDICTION.replace(
        'url = "https://example.org/said"', 'url = "https://example.org/said"\npublished = 2026-09-02'
    )
    record += "\n[[forecast]]\non = 2026-10-01\nprobability = 0.5\n"
    (root / "predictions/base/hindsight.toml").write_text(record, encoding="utf-8")
    (root / "reviews/evidence/july.toml").write_text(
        MET_IN_JULY.replace("published = 2026-07-10", "published = 2026-09-05"), encoding="utf-8"
    )

    late = ": a forecast and its source cannot be dated in the future"
    assert [
        f"predictions/base/hindsight.toml:4: made: warning: 2026-09-01 is after today (2026-08-31){late}",
        f"predictions/base/hindsight.toml:10: source.published: warning: 2026-09-02 is after today (2026-08-31){late}",
        f"predictions/base/hindsight.toml:19: forecast[0].on: warning: 2026-10-01 is after today (2026-08-31){late}",
        "reviews/evidence/july.toml:6: observation[0].source.published: warning: 2026-09-05 is after today "
        "(2026-08-31): evidence cannot be known before it happens",
    ] == [p for p in _problems(root, today=D(2026, 8, 31)) if "source.published" in p or "after today" in p]


def test_a_grade_resting_only_on_secondary_sources_is_flagged(tmp_path: Path) -> None:
    """A graded prediction whose every source is secondary gets a warning asking for a better one."""
    root = make_repo(tmp_path)
    (root / "reviews/evidence/verdict.toml").write_text(
        '[[verdict]]\nprediction = "base-prediction"\non = 2025-07-10\ngrade = "yes"\nwhy = "Still first."\n'
        'sources = [{ url = "https://blog.example/x", kind = "secondary" }]\n',
        encoding="utf-8",
    )

    assert [
        "predictions/base/base-prediction.toml:1: sources: warning: its grade rests only on secondary sources; "
        "cite the primary, press or research source they rely on"
    ] == _problems(root, today=D(2025, 8, 1))


def _git(root: Path, *args: str, day: str) -> None:
    stamp = f"{day}T12:00:00+00:00"
    environment = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=environment)  # noqa: S607


@pytest.fixture(name="history")
def _history(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo")
    _git(root, "init", "-q", day="2024-06-27")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".", day="2024-06-27")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first", day="2024-06-27")
    late = (
        (root / "predictions/base/base-prediction.toml")
        .read_text(encoding="utf-8")
        .replace('id = "base-prediction"', 'id = "late-one"')
    )
    (root / "predictions/base/late-one.toml").write_text(late, encoding="utf-8")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".", day="2024-09-01")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "late", day="2024-09-01")
    return root


def test_a_record_committed_long_after_made_is_flagged(history: Path) -> None:
    """A record first committed more than 30 days after made, with no published source to attest it, is flagged."""
    checked = check_repository(history)

    assert checked.history_note is None
    assert [
        "predictions/base/late-one.toml:4: made: warning: recorded after the fact: first committed 2024-09-01, "
        "66 days after made = 2024-06-27, and no [source] published on or before 2024-06-27 attests it"
    ] == [str(p) for p in checked.problems]


def test_a_record_not_committed_yet_is_recorded_today(history: Path) -> None:
    """A record git has never seen is recorded today at the earliest: made long before, it is flagged too."""
    record = (history / "predictions/base/late-one.toml").read_text(encoding="utf-8")
    (history / "predictions/base/untracked.toml").write_text(
        record.replace('id = "late-one"', 'id = "untracked"'), encoding="utf-8"
    )

    assert [
        "predictions/base/untracked.toml:4: made: warning: recorded after the fact: not committed yet on 2025-08-01, "
        "400 days after made = 2024-06-27, and no [source] published on or before 2024-06-27 attests it"
    ] == [str(p) for p in check_repository(history, today=D(2025, 8, 1)).problems if "untracked" in p.path]


def test_a_published_source_attests_made(history: Path) -> None:
    """A [source] published on or before made attests the date, however late the record was committed."""
    path = history / "predictions/base/late-one.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[source]\n", "[source]\npublished = 2024-06-27\n"), encoding="utf-8"
    )

    assert [] == [str(p) for p in check_repository(history).problems]


def test_a_forecast_update_committed_long_after_its_date_is_flagged(history: Path) -> None:
    """An update dated 2024-07-01 but first committed on 2024-09-01 is flagged; one committed on its day is not."""
    path = history / "predictions/base/base-prediction.toml"
    on_time = path.read_text(encoding="utf-8") + "\n[[forecast]]\non = 2024-07-01\nprobability = 0.7\n"
    path.write_text(on_time, encoding="utf-8")
    _git(history, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "on time", day="2024-07-01")
    path.write_text(on_time + "\n[[forecast]]\non = 2024-07-20\nprobability = 0.9\n", encoding="utf-8")
    _git(history, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "backdated", day="2024-09-01")

    assert [
        "predictions/base/base-prediction.toml:18: forecast[1].on: warning: recorded after the fact: first committed "
        "2024-09-01, 43 days after on = 2024-07-20; an update written down later than it says may have been written "
        "knowing more"
    ] == [str(p) for p in check_repository(history).problems if "base-prediction" in p.path]


def test_a_forecast_update_not_committed_yet_is_recorded_today(history: Path) -> None:
    """An update git has never seen, dated long before today, is flagged as not committed yet."""
    path = history / "predictions/base/base-prediction.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[[forecast]]\non = 2025-01-10\nprobability = 0.7\n", encoding="utf-8"
    )

    assert [
        "predictions/base/base-prediction.toml:14: forecast[0].on: warning: recorded after the fact: not committed yet "
        "on 2025-08-01, 203 days after on = 2025-01-10; an update written down later than it says may have been "
        "written knowing more"
    ] == [str(p) for p in check_repository(history, today=D(2025, 8, 1)).problems if "base-prediction" in p.path]


def test_an_update_backdated_after_the_verdict_is_not_scored_by_any_command(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An update dated 2024-07-15 but committed with the verdict of 2024-08-01 is left out by grade and review."""
    path = history / "predictions/base/base-prediction.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n[[forecast]]\non = 2024-07-15\nprobability = 0.9\n", encoding="utf-8"
    )
    with (history / "reviews/evidence/base.toml").open("a", encoding="utf-8") as ledger:
        ledger.write(
            '\n[[verdict]]\nprediction = "base-prediction"\non = 2024-08-01\ngrade = "yes"\nwhy = "It did."\n'
            'sources = ["https://example.org/v"]\n'
        )
    _git(history, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "after the fact", day="2024-09-01")

    def probability() -> object:
        argv = ["grade", "-C", str(history), "--as-of", "2025-07-01", "--format", "json"]
        assert 0 == main(argv, today=D(2025, 8, 1))
        found = json.loads(capsys.readouterr().out)["predictions"]
        return next(p["probability"] for p in found if p["id"] == "base-prediction")

    assert probability() is None
    assert [
        "predictions/base/base-prediction.toml:14: forecast[0].on: warning: recorded after the fact: first committed "
        "2024-09-01, 48 days after on = 2024-07-15; the outcome was known on 2024-08-01, so it is hindsight and is "
        "not scored"
    ] == [str(p) for p in check_repository(history, today=D(2025, 8, 1)).problems if "forecast" in p.field]
    assert 0 == main(["review", "2025", "-C", str(history), "--as-of", "2025-07-01"], today=D(2025, 8, 1))
    capsys.readouterr()
    (entry,) = [
        e
        for e in json.loads((history / "reviews/2025/review.json").read_text(encoding="utf-8"))["scorecard"]
        if e["id"] == "base-prediction"
    ]
    assert entry["probability"] is None
    # Written down in time, the same update counts.
    _git(history, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--amend", "--no-edit", day="2024-07-20")
    assert probability() == 0.9


def test_no_git_history_is_said_once_and_is_not_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Outside a git repository check notes that made dates were not checked, once, and still exits 0."""
    root = make_repo(tmp_path)

    assert 0 == main(["check", str(root)], today=D(2025, 8, 1))
    assert 1 == capsys.readouterr().err.count("note: `made` dates not checked against git: not a git repository")


def test_the_review_marks_a_late_record(history: Path) -> None:
    """The review marks a prediction recorded after the fact, on its scorecard row and in review.json."""
    assert 0 == main(["review", "2025", "-C", str(history)], today=D(2026, 1, 15))
    folder = history / "reviews/2025"
    data = (folder / "review.json").read_text(encoding="utf-8")

    rows = {row["id"]: row["recorded_late"] for row in json.loads(data)["scorecard"]}
    assert {"base-prediction": False, "late-one": True} == rows
    assert "recorded after the fact" in (folder / "README.md").read_text(encoding="utf-8")
