"""
Tests for reading when each record was first committed.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from typing import TYPE_CHECKING

from scorecard._git import first_commits, update_commits

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def git(root: Path, *args: str, day: str = "2024-03-01") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)  # noqa: S607


def new_repo(root: Path) -> Path:
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "commit.gpgsign", "false")
    return root


def commit(root: Path, day: str, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, day=day)


def test_first_commits_gives_the_day_each_file_was_added(tmp_path: Path) -> None:
    """Each file is keyed by its path from the root and dated by the commit that added it, not later edits."""
    root = new_repo(tmp_path)
    (root / "predictions/a").mkdir(parents=True)
    (root / "predictions/a/one.toml").write_text("x = 1\n", encoding="utf-8")
    commit(root, "2024-03-01", "one")
    (root / "predictions/a/one.toml").write_text("x = 2\n", encoding="utf-8")
    (root / "predictions/a/two.toml").write_text("y = 1\n", encoding="utf-8")
    (root / "elsewhere.toml").write_text("z = 1\n", encoding="utf-8")
    commit(root, "2024-05-20", "two")
    assert first_commits(root, "predictions") == {
        "predictions/a/one.toml": datetime.date(2024, 3, 1),
        "predictions/a/two.toml": datetime.date(2024, 5, 20),
    }


def test_first_commits_relative_to_a_root_below_the_top(tmp_path: Path) -> None:
    """When the root sits below the repository's top, paths are relative to the root."""
    top = new_repo(tmp_path)
    (top / "book/predictions").mkdir(parents=True)
    (top / "book/predictions/é.toml").write_text("x = 1\n", encoding="utf-8")
    commit(top, "2023-12-31", "add")
    assert first_commits(top / "book", "predictions") == {"predictions/é.toml": datetime.date(2023, 12, 31)}


def test_first_commits_ignores_uncommitted_files(tmp_path: Path) -> None:
    """A file not yet committed has no date."""
    root = new_repo(tmp_path)
    (root / "predictions").mkdir()
    (root / "predictions/kept.toml").write_text("x = 1\n", encoding="utf-8")
    commit(root, "2024-01-02", "add")
    (root / "predictions/new.toml").write_text("x = 1\n", encoding="utf-8")
    assert first_commits(root, "predictions") == {"predictions/kept.toml": datetime.date(2024, 1, 2)}


def test_first_commits_are_dated_by_the_committer_not_the_author(tmp_path: Path) -> None:
    """A commit whose author date was set back (``git commit --date``) is dated by the day it was committed."""
    root = new_repo(tmp_path)
    (root / "predictions").mkdir()
    (root / "predictions/old.toml").write_text("x = 1\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "backdated", "--date", "2024-01-05T12:00:00+00:00", day="2026-11-01")
    assert first_commits(root, "predictions") == {"predictions/old.toml": datetime.date(2026, 11, 1)}


def test_first_commits_in_a_repository_without_commits_gives_a_reason(tmp_path: Path) -> None:
    """A repository with nothing committed yet says so, rather than that it is not a repository."""
    root = new_repo(tmp_path)
    (root / "predictions").mkdir()
    assert first_commits(root, "predictions") == "the git repository has no commits yet"


def test_first_commits_readded_file_keeps_its_first_day(tmp_path: Path) -> None:
    """A file deleted and added again is dated by its first addition."""
    root = new_repo(tmp_path)
    (root / "p").mkdir()
    (root / "p/x.toml").write_text("x = 1\n", encoding="utf-8")
    commit(root, "2022-02-02", "add")
    (root / "p/x.toml").unlink()
    (root / "p/keep.toml").write_text("k = 1\n", encoding="utf-8")
    commit(root, "2022-03-03", "remove")
    (root / "p/x.toml").write_text("x = 3\n", encoding="utf-8")
    commit(root, "2022-04-04", "again")
    assert first_commits(root, "p") == {"p/x.toml": datetime.date(2022, 2, 2), "p/keep.toml": datetime.date(2022, 3, 3)}


def test_first_commits_outside_git_gives_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a repository the answer is the reason ``not a git repository``."""
    (tmp_path / "predictions").mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert first_commits(tmp_path, "predictions") == "not a git repository"


def test_first_commits_without_git_gives_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without git on the path the answer is the reason ``git is not installed``."""
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    assert first_commits(tmp_path, "predictions") == "git is not installed"


def test_first_commits_in_a_shallow_clone_gives_a_reason(tmp_path: Path) -> None:
    """In a shallow clone the answer is the reason that its history is cut off."""
    (tmp_path / "origin").mkdir()
    origin = new_repo(tmp_path / "origin")
    (origin / "p").mkdir()
    (origin / "p/a.toml").write_text("a = 1\n", encoding="utf-8")
    commit(origin, "2024-01-01", "one")
    (origin / "p/b.toml").write_text("b = 1\n", encoding="utf-8")
    commit(origin, "2024-02-01", "two")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)],  # noqa: S607
        check=True,
        capture_output=True,
    )
    assert first_commits(clone, "p") == "a shallow clone: its history is cut off"


def test_first_commits_follows_a_moved_file(tmp_path: Path) -> None:
    """A record moved to another folder keeps the day it was first committed, under its new path."""
    root = new_repo(tmp_path)
    (root / "p").mkdir()
    (root / "p/a.toml").write_text("x = 1\n", encoding="utf-8")
    commit(root, "2024-01-01", "add")
    (root / "p/sub").mkdir()
    git(root, "mv", "p/a.toml", "p/sub/a.toml")
    commit(root, "2024-05-01", "move")
    found = first_commits(root, "p")
    assert isinstance(found, dict)
    assert found.get("p/sub/a.toml") == datetime.date(2024, 1, 1)


def test_update_commits_gives_the_day_each_update_was_first_written(tmp_path: Path) -> None:
    """Each update's date is keyed to the commit that first added its line, in a table or an inline one."""
    root = new_repo(tmp_path)
    (root / "p").mkdir()
    record = 'id = "a"\nmade = 2024-01-01\n'
    (root / "p/a.toml").write_text(record, encoding="utf-8")
    commit(root, "2024-01-01", "add")
    record += "\n[[forecast]]\non = 2024-02-01\nprobability = 0.4\n"
    (root / "p/a.toml").write_text(record, encoding="utf-8")
    commit(root, "2024-02-03", "update")
    record += '\nforecast = [{on = 2024-03-01, probability = 0.5}]\nclaim = "Made on = 2099-01-01 in words."\n'
    (root / "p/a.toml").write_text(record, encoding="utf-8")
    commit(root, "2024-06-30", "late")
    (root / "p/a.toml").write_text(record.replace("probability = 0.4", "probability = 0.45"), encoding="utf-8")
    commit(root, "2024-07-01", "edit the probability, not the date")

    assert update_commits(root, "p") == {
        "p/a.toml": {
            datetime.date(2024, 2, 1): datetime.date(2024, 2, 3),
            datetime.date(2024, 3, 1): datetime.date(2024, 6, 30),
            datetime.date(2099, 1, 1): datetime.date(2024, 6, 30),
        }
    }


def test_update_commits_follow_a_moved_file(tmp_path: Path) -> None:
    """A record moved to another folder keeps the days its updates were first committed."""
    root = new_repo(tmp_path)
    (root / "p").mkdir()
    (root / "p/a.toml").write_text('id = "a"\n\n[[forecast]]\non = 2024-02-01\n', encoding="utf-8")
    commit(root, "2024-02-01", "add")
    (root / "p/sub").mkdir()
    git(root, "mv", "p/a.toml", "p/sub/a.toml")
    commit(root, "2024-05-01", "move")

    assert update_commits(root, "p") == {
        "p/a.toml": {datetime.date(2024, 2, 1): datetime.date(2024, 2, 1)},
        "p/sub/a.toml": {datetime.date(2024, 2, 1): datetime.date(2024, 2, 1)},
    }


def test_update_commits_in_a_repository_without_commits_gives_a_reason(tmp_path: Path) -> None:
    """A repository with no commits yet cannot date any update, and says why."""
    assert update_commits(new_repo(tmp_path), "p") == "the git repository has no commits yet"


def test_reading_the_history_runs_no_program_the_repository_names(tmp_path: Path) -> None:
    """A repository whose own config asks git to check signatures with its program gets its history read, the program never run."""
    (tmp_path / "repo").mkdir()
    root = new_repo(tmp_path / "repo")
    mark = tmp_path / "ran"
    program = tmp_path / "gpg.sh"
    # Signs with a stand-in signature; asked to verify, it leaves a mark.
    program.write_text(
        "#!/bin/sh\n"
        f'for a in "$@"; do [ "$a" = --verify ] && touch {mark} && exit 0; done\n'
        "cat >/dev/null\n"
        "echo '[GNUPG:] SIG_CREATED ' >&2\n"
        "printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nAAAA\\n-----END PGP SIGNATURE-----\\n'\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    (root / "predictions").mkdir()
    (root / "predictions/one.toml").write_text("x = 1\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "-c", f"gpg.program={program}", "commit", "-q", "-S", "-m", "signed", day="2024-03-01")
    git(root, "config", "log.showSignature", "true")
    git(root, "config", "gpg.program", str(program))

    assert {"predictions/one.toml": datetime.date(2024, 3, 1)} == first_commits(root, "predictions")
    assert not mark.exists()
