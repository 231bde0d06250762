"""
Tests for starting a repository: init, and the scripts it writes.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

import scorecard
from scorecard._cli import main

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

TODAY = datetime.date(2026, 1, 5)


def test_init_writes_a_repository_that_check_accepts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Init writes settings, an example, a ledger, schemas, a hook and a workflow; check passes at once."""
    assert 0 == main(["init", str(tmp_path / "mine"), "--by", "Ann Lee"], today=TODAY)

    assert [
        "wrote pyproject.toml",
        "wrote predictions/example/example-first-prediction.toml",
        "wrote reviews/evidence/ledger.toml",
        "wrote docs/prediction.schema.json",
        "wrote docs/evidence.schema.json",
        "wrote .pre-commit-config.yaml",
        "wrote .github/workflows/scorecard.yml",
        "wrote .github/scripts/due_issues.py",
        "next: edit predictions/example/example-first-prediction.toml, then run `scorecard check`",
    ] == capsys.readouterr().out.splitlines()
    assert [] == scorecard.check(tmp_path / "mine", today=TODAY)
    book = scorecard.load(tmp_path / "mine")
    assert ["example-first-prediction"] == [p.id for p in book.predictions]
    assert ("Ann Lee", datetime.date(2027, 12, 31)) == (book.predictions[0].by, book.predictions[0].due)
    assert "Ann Lee" == book.settings.editor


@pytest.mark.parametrize("name", ['Zoë "Z" O\'Neil \\ x', "Ann\nLee"])
def test_init_writes_any_name_a_record_can_hold_so_that_check_accepts_it(tmp_path: Path, name: str) -> None:
    """A name with quotes, backslashes or a newline is written as TOML escapes: the settings and example load."""
    assert 0 == main(["init", str(tmp_path / "mine"), "--by", name], today=TODAY)

    book = scorecard.load(tmp_path / "mine")
    assert [] == scorecard.check(tmp_path / "mine", today=TODAY)
    assert (name, name) == (book.settings.editor, book.predictions[0].by)


@pytest.mark.parametrize("name", ["", "   "])
def test_init_refuses_a_blank_name_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """A blank --by would write settings check refuses: it is a usage error (exit 2), and nothing is written."""
    assert 2 == main(["init", str(tmp_path / "mine"), "--by", name], today=TODAY)

    assert (
        f"scorecard init: error: --by {name!r}: must not be empty; give your name as your records will write it\n"
        == capsys.readouterr().err
    )
    assert not (tmp_path / "mine").exists()


def test_init_extends_an_existing_pyproject_and_refuses_a_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Python project's pyproject.toml keeps its text and gains [tool.scorecard]; a second init is refused."""
    project = '[project]\nname = "mine"\n'
    (tmp_path / "pyproject.toml").write_text(project, encoding="utf-8")

    assert 0 == main(["init", "-C", str(tmp_path)], today=TODAY)
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8").startswith(project + "\n[tool.scorecard]\n")
    capsys.readouterr()

    assert 1 == main(["init", "-C", str(tmp_path)], today=TODAY)
    assert f"scorecard init: error: {tmp_path}: is already a scorecard repository" in capsys.readouterr().err


def test_the_due_issues_script_opens_one_issue_per_new_past_due_prediction(tmp_path: Path) -> None:
    """The workflow's script opens an issue for each past-due prediction without one, and none twice."""
    assert 0 == main(["init", str(tmp_path / "repo")], today=TODAY)
    item = {"id": "new-one", "claim": "C.", "by": "B", "made": "2025-01-01", "due": "2025-06-30",
            "explanation": "A judgment call that was due 2025-06-30; it needs a verdict in the ledger."}  # fmt: skip
    due = {"as_of": "2026-01-05", "within": "30d", "due_soon": [],
           "past_due_unresolved": [item, {**item, "id": "old-one"}]}  # fmt: skip

    done = _run_due_issues(tmp_path, due, open_titles=["Due without a grade: old-one"])

    assert (0, "1 issue(s) opened\n") == (done.returncode, done.stdout)
    made = _gh_calls(tmp_path)
    assert ["issue", "list"] == made[0][:2]
    assert ["issue", "create", "--title", "Due without a grade: new-one"] == made[1][:4]
    assert 2 == len(made)


def test_the_due_issues_script_puts_what_people_wrote_in_a_code_block(tmp_path: Path) -> None:
    """A claim's @mention, #reference and backticks reach the issue inside a fence longer than any of its runs."""
    assert 0 == main(["init", str(tmp_path / "repo")], today=TODAY)
    item = {"id": "new-one", "claim": "Ask @someone about #12 and ```code```.", "by": "B", "made": "2025-01-01",
            "due": "2025-06-30", "explanation": "Due 2025-06-30."}  # fmt: skip
    due = {"as_of": "2026-01-05", "within": "30d", "due_soon": [], "past_due_unresolved": [item]}

    _run_due_issues(tmp_path, due, open_titles=[])

    created = _gh_calls(tmp_path)[1]
    assert (
        "````text\nAsk @someone about #12 and ```code```.\nB, made 2025-01-01, due 2025-06-30\n\nDue 2025-06-30.\n````\n\n"
        "Add the evidence (`scorecard happened`, `scorecard observe`) or a verdict "
        "(`scorecard resolve new-one yes|partly|no --why ... --source URL`)."
    ) == created[created.index("--body") + 1]


def _run_due_issues(
    tmp_path: Path, due: Mapping[str, object], *, open_titles: list[str]
) -> subprocess.CompletedProcess[str]:
    """Run the script init wrote in tmp_path/repo on *due*, with a stand-in gh that logs its calls."""
    fake = tmp_path / "bin"
    fake.mkdir()
    listed = json.dumps([{"title": title} for title in open_titles])
    (fake / "gh").write_text(
        "#!/usr/bin/env python3\nimport json, sys\n"
        f"open({str(tmp_path / 'calls.jsonl')!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "if sys.argv[1:3] == ['issue', 'list']:\n"
        f"    print({listed!r})\n",
        encoding="utf-8",
    )
    (fake / "gh").chmod(0o755)
    return subprocess.run(
        [sys.executable, str(tmp_path / "repo/.github/scripts/due_issues.py")],
        input=json.dumps(due), capture_output=True, text=True, check=False,
        env={**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"},
    )  # fmt: skip


def _gh_calls(tmp_path: Path) -> list[list[str]]:
    return [json.loads(line) for line in (tmp_path / "calls.jsonl").read_text(encoding="utf-8").splitlines()]


def test_init_inside_another_repositorys_records_is_refused_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A repository started in another's predictions or evidence folder would be read as its records: refused."""
    outer = tmp_path / "outer"
    assert 0 == main(["init", str(outer)], today=TODAY)
    capsys.readouterr()

    for inner in (outer / "predictions/sub", outer / "reviews/evidence/x"):
        area = outer.resolve() / ("predictions" if "predictions" in inner.parts else "reviews/evidence")
        assert 1 == main(["init", str(inner)], today=TODAY)
        assert (
            f"scorecard init: error: {inner}: lies inside {area} of the repository at {outer.resolve()}: its files "
            "would be read as that repository's records; choose a folder outside it\n"
        ) == capsys.readouterr().err
        assert not inner.exists()
    assert [] == scorecard.check(outer, today=TODAY)
    assert 0 == main(["init", str(outer / "elsewhere")], today=TODAY)


def test_the_workflow_gives_each_job_only_the_rights_it_uses(tmp_path: Path) -> None:
    """Checking a pull request runs with a read-only token; only the review may push and only the due job open issues."""
    assert 0 == main(["init", str(tmp_path / "mine"), "--by", "Ann"], today=TODAY)
    workflow = (tmp_path / "mine/.github/workflows/scorecard.yml").read_text(encoding="utf-8")
    top, _, jobs = workflow.partition("\njobs:\n")
    check, _, rest = jobs.partition("\n  review:\n")
    review, _, due = rest.partition("\n  due:\n")

    assert "permissions:\n  contents: read\n" in top + "\n"
    assert ("write" not in check, "persist-credentials: false" in check) == (True, True)
    assert "    permissions:\n      contents: write\n" in review
    assert "    permissions:\n      contents: read\n      issues: write\n" in due
