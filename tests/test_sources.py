"""
Tests for reading forecasting sites' exports as they come: import --from fatebook, predictionbook, metaculus.
"""

from __future__ import annotations

import datetime
import zipfile
from typing import TYPE_CHECKING

import scorecard
from scorecard import _sources
from scorecard._cli import main

from .repo import DATA

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

EXPORTS = DATA / "exports"


def grades(root: Path, day: datetime.date) -> dict[str, tuple[str, str, float | None, int]]:
    graded = scorecard.grade(scorecard.load(root), as_of=day)
    return {
        r.prediction.id: (r.prediction.by, r.grade.value, r.probability, len(r.prediction.forecast)) for r in graded
    }


def test_fatebook_export_keeps_every_forecaster_and_update(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Fatebook's CSV: a record per question and forecaster, later forecasts as updates, YES/AMBIGUOUS read, options left out."""
    argv = [
        "import",
        str(EXPORTS / "fatebook-forecasts.csv"),
        "--into",
        "fb",
        "--from",
        "fatebook",
        "-C",
        str(tmp_path),
    ]

    assert 0 == main(argv, today=datetime.date(2025, 1, 1))
    assert [
        "4 rows: 3 predictions (1 later forecasts kept as updates) written to predictions/fb/",
        "3 verdicts written to reviews/evidence/import-fb.toml",
        "left out: line 5: a multiple-choice option, not a yes/no question",
    ] == capsys.readouterr().out.splitlines()
    assert [] == scorecard.check(tmp_path, today=datetime.date(2025, 1, 1))
    assert {
        "fb-is-the-launch-delayed-20240501": ("Alice Smith", "void", 0.5, 0),
        "fb-will-the-new-office-open-by-1-march-20240115-alice-smith": ("Alice Smith", "yes", 0.9, 1),
        "fb-will-the-new-office-open-by-1-march-20240115-bob-jones": ("Bob Jones", "yes", 0.4, 0),
    } == grades(tmp_path, datetime.date(2025, 1, 1))


def test_predictionbook_json_gives_each_person_their_forecasts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PredictionBook's JSON: each response with a confidence (0-100) is a forecast; a comment alone is not."""
    argv = ["import", str(EXPORTS / "predictionbook-my_predictions.json"), "--into", "pb", "--from", "predictionbook",
            "-C", str(tmp_path)]  # fmt: skip

    assert 0 == main(argv, today=datetime.date(2025, 1, 1))
    assert {"pb-145678": ("Alice", "yes", 0.55, 1)} == grades(tmp_path, datetime.date(2025, 1, 1))


def test_predictionbook_csv_has_questions_but_no_ones_forecast(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PredictionBook's CSV: questions and outcomes; mean_confidence, everyone's mean, is left out and said so."""
    argv = ["import", str(EXPORTS / "predictionbook-my_predictions.csv"), "--into", "pb", "--from", "predictionbook",
            "-C", str(tmp_path)]  # fmt: skip

    assert 0 == main(argv, today=datetime.date(2025, 1, 1))
    out = capsys.readouterr().out
    assert "left out: every probability: the CSV's mean_confidence is everyone's mean, nobody's own forecast" in out
    assert {"pb-145678": ("alice", "yes", None, 0), "pb-196001": ("alice", "no", None, 0)} == grades(
        tmp_path, datetime.date(2025, 1, 1)
    )


def test_metaculus_zip_joins_forecasts_to_their_questions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Metaculus's data ZIP: forecasts joined to questions by id, the close time as due, the update kept."""
    archive = tmp_path / "user_data.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("question_data.csv", "forecast_data.csv"):
            zipped.write(EXPORTS / "metaculus" / name, f"user_data/{name}")
    (tmp_path / "repo").mkdir()
    argv = ["import", str(archive), "--into", "mc", "--from", "metaculus", "-C", str(tmp_path / "repo")]

    assert 0 == main(argv, today=datetime.date(2025, 6, 1))
    assert {"mc-31542": ("alice_f", "no", 0.12, 1)} == grades(tmp_path / "repo", datetime.date(2025, 6, 1))


def test_a_file_that_is_not_the_site_s_export_is_one_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Our own table given as a Fatebook export is refused with the column it lacks, exit 1."""
    table = tmp_path / "t.csv"
    table.write_text("question,probability\nq1,0.5\n", encoding="utf-8")

    assert 1 == main(["import", str(table), "--into", "x", "--from", "fatebook", "-C", str(tmp_path)])
    assert f"{table.as_posix()}:2: file: has no 'Question title' column: is it this site's export?\n" == (
        capsys.readouterr().out
    )


def _metaculus_zip(path: Path, forecasts: bytes) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("question_data.csv", "Question ID,Question Title\n1,Rain?\n")
        zipped.writestr("forecast_data.csv", forecasts)
    return path


def _imported(archive: Path, root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    root.mkdir()
    code = main(["import", str(archive), "--into", "mc", "--from", "metaculus", "-C", str(root)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_zip_that_unpacks_past_the_limit_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a ZIP unpacks to is held to the export limit before anything is unpacked: exit 1, nothing written."""
    monkeypatch.setattr(_sources, "MAX_EXPORT_BYTES", 1000)
    archive = _metaculus_zip(tmp_path / "bomb.zip", b"0" * 5000)

    assert (1, f"{archive}: file: unpacks to 5,035 bytes, over the 1,000-byte limit; not read\n") == _imported(
        archive, tmp_path / "repo", capsys
    )[:2]
    assert [] == list((tmp_path / "repo").iterdir())


def test_a_header_field_past_the_csv_limit_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A header line with one enormous field is reported with its line, like any row, not raised."""
    archive = _metaculus_zip(tmp_path / "long.zip", b"0" * 200_000 + b"\n")

    assert (
        1,
        f"{archive}:forecast_data.csv:1: file: is not CSV: field larger than field limit (131072)\n",
        "1 problem(s) found\n",
    ) == _imported(archive, tmp_path / "repo", capsys)


def test_an_encrypted_zip_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ZIP whose files are encrypted is not an export that can be read: one problem, exit 1."""
    archive = _metaculus_zip(tmp_path / "locked.zip", b"Question ID\n1\n")
    data = bytearray(archive.read_bytes())
    # Set the "encrypted" flag (bit 0) in every local and central header, as a password tool would.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start >= 0:
            data[start + offset] |= 1
            start = data.find(signature, start + 1)
    archive.write_bytes(bytes(data))

    code, out, _ = _imported(archive, tmp_path / "repo", capsys)

    assert 1 == code
    assert out.startswith(
        f"{archive}: file: is not a Metaculus data ZIP with question_data.csv and forecast_data.csv (File "
    )
    assert "is encrypted, password required for extraction)\n" in out


def test_predictionbook_responses_that_are_not_a_list_are_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A prediction whose responses are a number, a flag or a table is named and left out, not a traceback."""
    export = tmp_path / "my_predictions.json"
    export.write_text('[{"responses": 5}, {"responses": true}, {"responses": {"confidence": 50}}]', encoding="utf-8")
    (tmp_path / "repo").mkdir()

    assert 0 == main(["import", str(export), "--into", "pb", "--from", "predictionbook", "-C", str(tmp_path / "repo")])
    assert [
        "0 rows: 0 predictions (0 later forecasts kept as updates) written to predictions/pb/",
        "left out: prediction 1: its responses are not a list",
        "left out: prediction 2: its responses are not a list",
        "left out: prediction 3: its responses are not a list",
    ] == capsys.readouterr().out.splitlines()
