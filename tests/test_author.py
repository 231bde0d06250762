"""
Tests for adding records: import writes every file or none, and only files the loader reads.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import scorecard
import scorecard._author
from scorecard._author import LEDGER_PART_BYTES, write_import
from scorecard._load import MAX_FILE_BYTES


def resolved_table(path: Path, questions: int) -> Path:
    rows = ["question,title,forecaster,probability,made,due,outcome,resolved"]
    rows += [
        f"q{n},Will the long-titled question number {n} of this club resolve the way its forecaster said?,"
        f"ann,0.{n % 9 + 1},2024-01-01,2024-06-30,{'yes' if n % 2 else 'no'},2024-07-01"
        for n in range(questions)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_ledger_parts_stay_under_the_loader_limit() -> None:
    """An imported ledger is cut at half the loader's size limit, so every part loads."""
    assert MAX_FILE_BYTES // 2 == LEDGER_PART_BYTES


def test_a_large_import_splits_its_ledger_into_files_that_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Verdicts beyond one part's size go to further ledger files, each within the size; the repository stays valid."""
    monkeypatch.setattr(scorecard._author, "LEDGER_PART_BYTES", 20_000)
    table = resolved_table(tmp_path / "club.csv", 400)

    written = write_import(tmp_path, table, "predictions/club")

    ledgers = sorted((tmp_path / "reviews/evidence").glob("*.toml"))
    assert (400, 400) == (written.predictions, written.verdicts)
    names = ["import-club.toml"] + [f"import-club-{n}.toml" for n in range(2, written.ledger_files + 1)]
    assert sorted(names) == [path.name for path in ledgers]
    assert 3 == written.ledger_files
    assert all(path.stat().st_size <= 20_000 for path in ledgers)
    assert [] == scorecard.check(tmp_path)


def test_an_import_that_fails_part_way_leaves_nothing_and_can_be_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up while placing file 150 of 300 undoes the import; the retry then succeeds."""
    table = resolved_table(tmp_path / "club.csv", 300)
    link, calls = os.link, []

    def failing_link(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 150:
            raise OSError(28, "No space left on device", target)
        link(source, target)

    monkeypatch.setattr(os, "link", failing_link)
    with pytest.raises(scorecard.WriteError, match="could not be written: No space left on device"):
        write_import(tmp_path, table, "predictions/club")
    monkeypatch.undo()

    assert [] == list(tmp_path.rglob("*.toml"))
    assert 300 == write_import(tmp_path, table, "club").predictions
    assert [] == scorecard.check(tmp_path)
