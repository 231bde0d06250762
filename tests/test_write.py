"""
Tests for safe writing: atomic, inside the repository, never over a person's file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from scorecard import WriteError

if TYPE_CHECKING:
    from collections.abc import Callable
from scorecard._write import STAGING, inside, write_files, write_text


def test_write_creates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    """A new file is written; an existing one is refused unless overwriting is asked for."""
    target = tmp_path / "a" / "b.txt"
    write_text(target, "first\n")

    with pytest.raises(WriteError, match="already exists; not overwritten"):
        write_text(target, "second\n")
    assert "first\n" == target.read_text(encoding="utf-8")

    write_text(target, "third\n", overwrite=True)
    assert "third\n" == target.read_text(encoding="utf-8")


def test_failed_write_leaves_previous_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails midway leaves the previous file intact and no temporary file behind."""
    target = tmp_path / "review.md"
    target.write_text("previous\n", encoding="utf-8")

    def broken_fsync(_: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)

    with pytest.raises(WriteError, match="could not be written: No space left on device"):
        write_text(target, "new content that never lands\n", overwrite=True)
    assert "previous\n" == target.read_text(encoding="utf-8")
    assert ["review.md"] == sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize("place", ["../x.txt", "/etc/x.txt", "a/../../x.txt"])
def test_inside_refuses_escapes(tmp_path: Path, place: str) -> None:
    """Relative paths that climb out, and absolute paths, are refused."""
    with pytest.raises(WriteError, match="must be a relative path inside the repository"):
        inside(tmp_path, place)


def test_inside_refuses_symlinks_out(tmp_path: Path) -> None:
    """A symbolic link that leads outside the repository is refused too."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "link").symlink_to(tmp_path)

    with pytest.raises(WriteError) as caught:
        inside(tmp_path / "repo", "link/x.txt")
    assert "link/x.txt: resolves to a place outside the repository" == str(caught.value)


def test_write_files_is_all_or_nothing_when_staging_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that fills up on the third of four files leaves all four previous files as they were."""
    names = ["README.md", "review.json", "index.html", "calibration.svg"]
    for name in names:
        (tmp_path / name).write_text("old\n", encoding="utf-8")
    calls = []

    def filling_fsync(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", filling_fsync)

    with pytest.raises(WriteError, match="could not be written: No space left on device"):
        write_files({tmp_path / name: "new\n" for name in names}, overwrite=True)
    assert ["old\n"] * 4 == [(tmp_path / name).read_text(encoding="utf-8") for name in names]
    assert sorted(names) == sorted(p.name for p in tmp_path.iterdir())


def test_write_files_undoes_its_new_files_when_one_name_is_taken(tmp_path: Path) -> None:
    """Without overwriting, a name already taken refuses the whole set: no file of it is left."""
    (tmp_path / "b.toml").write_text("a person's\n", encoding="utf-8")

    with pytest.raises(WriteError, match="already exists; not overwritten"):
        write_files({tmp_path / "a.toml": "1\n", tmp_path / "b.toml": "2\n"})
    assert ["b.toml"] == sorted(p.name for p in tmp_path.iterdir())
    assert "a person's\n" == (tmp_path / "b.toml").read_text(encoding="utf-8")


def test_abandoned_staging_folder_is_invisible_to_git_and_removed_later(tmp_path: Path) -> None:
    """A killed writer's staging folder ignores itself for git, and the next write removes it."""
    abandoned = tmp_path / f"{STAGING}abc-999999999"
    abandoned.mkdir()
    (abandoned / ".gitignore").write_text("*\n", encoding="utf-8")
    (abandoned / "README.md").write_text("half\n", encoding="utf-8")

    write_text(tmp_path / "x.txt", "x\n")

    assert ["x.txt"] == sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_written_files_follow_the_umask(tmp_path: Path, umask: int) -> None:
    """New and replaced files get the permissions the umask allows, not owner-only ones."""
    previous = os.umask(umask)
    try:
        write_text(tmp_path / "new.html", "a\n")
        (tmp_path / "old.html").write_text("b\n", encoding="utf-8")
        write_text(tmp_path / "old.html", "c\n", overwrite=True)
    finally:
        os.umask(previous)
    assert [0o666 & ~umask] * 2 == [(tmp_path / name).stat().st_mode & 0o777 for name in ("new.html", "old.html")]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: (root / "out").write_text("", encoding="utf-8"), "exists and is not a folder"),
        (lambda root: (root / "out").mkdir(), "exists and is not a regular file; not replaced"),
    ],
)
def test_unwritable_places_are_write_errors(tmp_path: Path, make: Callable[[Path], object], message: str) -> None:
    """A file where a folder should be, or a folder where a file should be, is a WriteError, not a traceback."""
    make(tmp_path)
    target = tmp_path / "out" / "README.md" if message.endswith("folder") else tmp_path / "out"

    with pytest.raises(WriteError) as caught:
        write_text(target, "x\n", overwrite=True)
    assert f"{tmp_path / 'out'}: {message}" == str(caught.value)


def test_read_only_folder_is_a_write_error(tmp_path: Path) -> None:
    """A folder the process may not write into gives a WriteError naming the cause."""
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="could not be written: Permission denied"):
            write_text(tmp_path / "x.txt", "x\n")
    finally:
        tmp_path.chmod(0o755)


def test_name_too_long_is_a_write_error(tmp_path: Path) -> None:
    """A file name longer than the system allows gives a WriteError."""
    with pytest.raises(WriteError, match="could not be written: File name too long"):
        write_text(tmp_path / ("x" * 300), "x\n")


def test_a_failure_inside_the_staging_folder_names_the_file_being_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file system refusing the staging folder is reported at the person's file, not the random stage."""

    def refused(*, dir: str, prefix: str, suffix: str) -> str:  # noqa: A002 - mkdtemp's own keyword
        raise OSError(30, "Read-only file system", f"{dir}/{prefix}x1y2z3{suffix}")

    monkeypatch.setattr(tempfile, "mkdtemp", refused)
    target = tmp_path / "ledger.toml"

    with pytest.raises(WriteError) as caught:
        write_text(target, "x\n")
    assert f"{target}: could not be written: Read-only file system" == str(caught.value)


def test_a_failed_write_takes_back_the_folders_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk while writing into new folders leaves none of those folders behind, and the ones there before."""
    (tmp_path / "reviews").mkdir()

    def full(_: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)

    with pytest.raises(WriteError, match="could not be written: No space left on device"):
        write_files({tmp_path / "reviews/2026/README.md": "x\n", tmp_path / "build/site/index.html": "y\n"})
    assert ["reviews"] == sorted(p.name for p in tmp_path.iterdir())
    assert [] == list((tmp_path / "reviews").iterdir())
