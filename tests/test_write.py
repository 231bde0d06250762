"""
Tests for safe writing: atomic, inside the repository, never over a person's file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scorecard import WriteError
from scorecard._write import inside, write_text


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

    with pytest.raises(WriteError, match="resolves to a place outside the repository"):
        inside(tmp_path / "repo", "link/x.txt")
