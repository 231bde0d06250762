"""
Tests for export and import: tables that score reads back, records that check accepts.
"""

from __future__ import annotations

import datetime
import json
import shutil
import statistics
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scorecard
from scorecard._cli import main
from scorecard._exchange import csv_text, defuse
from scorecard._table_source import COLUMNS, rows_with_lines

from .repo import DATA


@pytest.mark.parametrize(
    ("cell", "safe"), [("=1+1", "'=1+1"), ("+A1", "'+A1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("plain", "plain")]
)
def test_formula_cells_are_defused(cell: str, safe: str) -> None:
    """Cells that spreadsheets would run as formulas get a leading quote."""
    assert safe == defuse(cell)


def test_export_round_trips_through_score(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An export scored by `score` gives the counts and Brier of the graded records."""
    root = tmp_path / "repo"
    shutil.copytree(DATA / "quickstart", root)

    assert 0 == main(["export", "-C", str(root), "--as-of", "2025-12-31", "--out", "export.csv"])
    capsys.readouterr()
    assert 0 == main(["score", "-C", str(root), "export.csv", "--format", "json"])
    data = json.loads(capsys.readouterr().out)

    assert (2, 1, 1, 0) == (data["forecasts"], data["open"], data["hit_rate"]["no"], data["hit_rate"]["yes"])
    assert data["brier"] == pytest.approx(0.75**2)


def test_export_jsonl_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Export --format jsonl prints one JSON object per prediction."""
    root = tmp_path / "repo"
    shutil.copytree(DATA / "quickstart", root)

    assert 0 == main(["export", "-C", str(root), "--as-of", "2025-12-31", "--format", "jsonl"], today=None)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert [
        {"question": "li-2024-ai-search-first-killer-app", "outcome": "", "resolved": "", "probability": "0.7"},
        {"question": "li-2024-gpt5-by-end-2024", "outcome": "no", "resolved": "2025-08-07", "probability": "0.75"},
    ] == [{key: row[key] for key in ("question", "outcome", "resolved", "probability")} for row in rows]


def test_export_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Export --out never replaces a file without --force."""
    root = tmp_path / "repo"
    shutil.copytree(DATA / "quickstart", root)
    (root / "mine.csv").write_text("keep me\n", encoding="utf-8")

    assert 1 == main(["export", "-C", str(root), "--out", "mine.csv"])
    assert "keep me\n" == (root / "mine.csv").read_text(encoding="utf-8")
    assert 0 == main(["export", "-C", str(root), "--out", "mine.csv", "--force"])


TABLE = (
    "question,title,forecaster,probability,made,due,outcome,resolved,tags\n"
    "q1,Rain?,ann,0.2,2024-01-01,2024-02-01,,,weather\n"
    "q1,Rain?,bob,0.7,2024-01-05,2024-02-01,yes,2024-02-02,weather;daily\n"
    "Q 2!,Snow?,cy,1.0,2024-03-01,2024-04-01,no,2024-04-02,\n"
)


def test_import_writes_valid_records_and_verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Import writes one record per question and forecaster, ids under the slug, a verdict for each resolved one."""
    (tmp_path / "club.csv").write_text(TABLE, encoding="utf-8")

    assert 0 == main(["import", "-C", str(tmp_path), "club.csv", "--into", "predictions/club"])
    book = scorecard.load(tmp_path)

    assert [
        "3 rows: 3 predictions (0 later forecasts kept as updates) written to predictions/club/",
        "3 verdicts written to reviews/evidence/import-club.toml",
        "left out: line 4: probability 1.0 is not strictly between 0 and 1, so it is left out",
    ] == capsys.readouterr().out.splitlines()
    assert [] == scorecard.check(tmp_path)
    assert ["club-q-2", "club-q1-ann", "club-q1-bob"] == sorted(p.id for p in book.predictions)
    bob = book.prediction("club-q1-bob")
    assert bob is not None
    assert ("bob", 0.7, ("daily", "weather")) == (bob.by, bob.probability, bob.tags)
    q2 = book.prediction("club-q-2")
    assert q2 is not None
    assert q2.probability is None
    graded = scorecard.grade(book, as_of=datetime.date(2024, 12, 31))
    assert {"club-q1-ann": "yes", "club-q1-bob": "yes", "club-q-2": "no"} == {
        r.prediction.id: r.grade.value for r in graded
    }


def test_import_leaves_out_forecasts_made_once_the_question_was_resolved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row made on or after its question's resolved day is hindsight: named and left out, never made a record."""
    (tmp_path / "late.csv").write_text(
        "question,forecaster,probability,made,due,outcome,resolved\n"
        "q1,ann,0.5,2024-01-01,2025-01-01,yes,2024-03-01\n"
        "q1,ann,0.99,2024-03-01,2025-01-01,yes,2024-03-01\n"
        "q1,bob,0.9,2024-06-01,2025-01-01,yes,2024-03-01\n",
        encoding="utf-8",
    )

    assert 0 == main(["import", "-C", str(tmp_path), "late.csv", "--into", "predictions/x"])
    assert [
        "3 rows: 1 predictions (0 later forecasts kept as updates) written to predictions/x/",
        "1 verdicts written to reviews/evidence/import-x.toml",
        "left out: line 3: a forecast made on 2024-03-01, once the question was resolved (2024-03-01), cannot count",
        "left out: line 4: a forecast made on 2024-06-01, once the question was resolved (2024-03-01), cannot count",
    ] == capsys.readouterr().out.splitlines()
    book = scorecard.load(tmp_path)
    assert [("x-q1-ann", 0.5, ())] == [(p.id, p.probability, p.forecast) for p in book.predictions]
    assert [datetime.date(2024, 3, 1)] == [verdict.on for verdict in book.ledger.verdict]


def test_import_refuses_unusable_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With settings in error, import says why (exit 1) and writes nothing to the default folders."""
    (tmp_path / "club.csv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.scorecard\n", encoding="utf-8")

    assert 1 == main(["import", "-C", str(tmp_path), "club.csv", "--into", "predictions/club"])
    assert "pyproject.toml:1: toml: invalid TOML: expected ']' at the end of a table declaration (column 16)\n" == (
        capsys.readouterr().out
    )
    assert ["club.csv", "pyproject.toml"] == sorted(path.name for path in tmp_path.rglob("*"))


def test_import_refuses_to_overwrite_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second import writes nothing and names every clash."""
    (tmp_path / "club.csv").write_text(TABLE, encoding="utf-8")
    main(["import", "-C", str(tmp_path), "club.csv", "--into", "predictions/club"])
    capsys.readouterr()

    assert 1 == main(["import", "-C", str(tmp_path), "club.csv", "--into", "predictions/club"])
    assert (
        "scorecard import: error: predictions/club/club-q-2.toml, predictions/club/club-q1-ann.toml, "
        "predictions/club/club-q1-bob.toml, reviews/evidence/import-club.toml: "
        "already exist; nothing was written\n"
    ) == capsys.readouterr().err


@pytest.mark.parametrize("into", ["../outside", "/abs/path", "predictions/Bad Slug"])
def test_import_into_must_be_a_slug_inside(tmp_path: Path, capsys: pytest.CaptureFixture[str], into: str) -> None:
    """--into outside predictions/ or not a slug is a usage error and writes nothing."""
    (tmp_path / "club.csv").write_text(TABLE, encoding="utf-8")

    assert 2 == main(["import", "-C", str(tmp_path), "club.csv", "--into", into])
    assert not (tmp_path / "predictions").exists()


def test_import_reports_questions_without_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A question without made or due cannot become a record, and says so with its line."""
    (tmp_path / "t.csv").write_text("question,made,due\nq1,2024-01-01,\nq2,,\n", encoding="utf-8")

    assert 1 == main(["import", "-C", str(tmp_path), "t.csv", "--into", "predictions/x"])
    assert [
        f"{tmp_path}/t.csv:2: due: question 'q1' needs due to become a record",
        f"{tmp_path}/t.csv:3: made: question 'q2' needs made and due to become a record",
    ] == capsys.readouterr().out.splitlines()


def test_score_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Score prints a table by default and the JSON contract with --format json."""
    (tmp_path / "club.csv").write_text(TABLE, encoding="utf-8")

    assert 0 == main(["score", "-C", str(tmp_path), "club.csv", "--group-by", "forecaster", "--aggregate", "median"])
    text = capsys.readouterr().out
    assert "Crowd (median per question): Brier 0.5450 over 2 questions." in text
    assert 0 == main(["score", "-C", str(tmp_path), "club.csv", "--format", "json", "--bins", "acx"])
    data = json.loads(capsys.readouterr().out)
    assert {"forecasts": 3, "resolved": 2, "void": 0, "open": 1, "forecasters": 3} == {
        key: data[key] for key in ("forecasts", "resolved", "void", "open", "forecasters")
    }
    assert [0.5, 0.55] == [data["bins"][0]["lo"], data["bins"][0]["hi"]]


def test_export_quotes_a_lone_carriage_return(tmp_path: Path) -> None:
    """A cell with a lone CR is quoted, so it stays one cell and no formula starts a line of its own."""
    text = csv_text([{"question": "q1", "title": defuse("Sales up\r=cmd|' /C calc'!A0"), "probability": "0.5"}])
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8", newline="")

    assert "q1,\"Sales up\r=cmd|' /C calc'!A0\",,0.5,,,,,\n" == text.split("\n", 1)[1]
    assert [(2, "Sales up\r=cmd|' /C calc'!A0")] == [(line, row["title"]) for line, row in rows_with_lines(path, False)]
    assert 1 == scorecard.read_forecasts(path).forecasts


@given(cells=st.lists(st.text(), min_size=len(COLUMNS), max_size=len(COLUMNS)))
def test_export_round_trips_any_text(tmp_path_factory: pytest.TempPathFactory, cells: list[str]) -> None:
    """Any text in the free-text columns reads back through the table reader exactly as written, formula-defused."""
    row = {name: defuse(cell) for name, cell in zip(COLUMNS, cells, strict=True)}
    row.update(question="q" + row["question"], probability="0.5", made="", due="", outcome="yes", resolved="")
    path = tmp_path_factory.mktemp("export") / "t.csv"
    path.write_text(csv_text([row]), encoding="utf-8", newline="")

    table = scorecard.read_forecasts(path)

    assert [(2, row)] == list(rows_with_lines(path, False))
    assert (1, {("0.5", "yes"): 1}) == (table.forecasts, dict(table.pairs))


def test_export_then_import_keeps_grades_forecasts_and_brier(tmp_path: Path) -> None:
    """A repository exported and imported elsewhere grades the same, keeps each update, and scores the same Brier."""
    import shutil

    from scorecard._exchange import export_text

    day = datetime.date(2026, 1, 15)
    source = tmp_path / "source"
    shutil.copytree(DATA / "quickstart", source)
    # Written by hand: `scorecard forecast` refuses an update once the outcome is known, as on `day`.
    with (source / "predictions/li-2024/li-2024-gpt5-by-end-2024.toml").open("a", encoding="utf-8") as record:
        record.write("\n[[forecast]]\non = 2024-09-01\nprobability = 0.4\n")
    exported = export_text(scorecard.grade(scorecard.load(source), as_of=day))
    (tmp_path / "target").mkdir()
    (tmp_path / "target/export.csv").write_text(exported, encoding="utf-8")

    assert 0 == main(["import", "-C", str(tmp_path / "target"), "export.csv", "--into", "copy"], today=day)
    before = scorecard.grade(scorecard.load(source), as_of=day)
    after = scorecard.grade(scorecard.load(tmp_path / "target"), as_of=day)

    assert {r.prediction.id: r.grade for r in before} == {r.prediction.id.removeprefix("copy-"): r.grade for r in after}
    moved = after.get("copy-li-2024-gpt5-by-end-2024")
    assert moved is not None
    assert (0.4, 1) == (moved.probability, len(moved.prediction.forecast))
    rescored = export_text(after).replace("copy-", "")
    (tmp_path / "again.csv").write_text(rescored, encoding="utf-8")
    assert (
        scorecard.score(scorecard.read_forecasts(tmp_path / "target/export.csv")).to_data()["brier"]
        == (scorecard.score(scorecard.read_forecasts(tmp_path / "again.csv")).to_data()["brier"])
    )


#: Two forecasters' predictions due in 2024, updated along the way, each graded by an independent grader.
UPDATED = {
    "ann-rain": (
        'id = "ann-rain"\nclaim = "It rains."\nby = "Ann"\nmade = 2024-01-01\ndue = 2024-09-30\nprobability = 0.6\n[source]\nurl = "https://example.org/a"\n'
        '[rule]\nkind = "judgment"\n'
        "[[forecast]]\non = 2024-03-01\nprobability = 0.3\n[[forecast]]\non = 2024-06-01\nprobability = 0.85\n"
    ),
    "bo-snow": (
        'id = "bo-snow"\nclaim = "It snows."\nby = "Bo"\nmade = 2024-02-01\ndue = 2024-08-31\nprobability = 0.4\n[source]\nurl = "https://example.org/b"\n'
        '[rule]\nkind = "judgment"\n'
        "[[forecast]]\non = 2024-02-15\nprobability = 0.45\n[[forecast]]\non = 2024-05-01\nprobability = 0.1\n"
    ),
    "bo-sun": (
        'id = "bo-sun"\nclaim = "The sun shines."\nby = "Bo"\nmade = 2024-03-01\ndue = 2024-12-31\nprobability = 0.9\n[source]\nurl = "https://example.org/c"\n'
        '[rule]\nkind = "judgment"\n'
    ),
}
VERDICTS = "".join(
    f'[[verdict]]\nprediction = "{name}"\non = 2025-01-10\ngrade = "{grade}"\nby = "Cy"\nwhy = "Seen."\n'
    f'sources = [{{ url = "https://example.org/{name}", kind = "press", published = 2025-01-05 }}]\n\n'
    for name, grade in (("ann-rain", "yes"), ("bo-snow", "no"), ("bo-sun", "yes"))
)


@pytest.mark.parametrize("policy", ["first", "last", "time-average"])
def test_policies_on_records_and_on_their_export_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str
) -> None:
    """The Brier of records under a policy (grade and review) is the Brier of their export scored under the same policy."""
    (tmp_path / "predictions/weather").mkdir(parents=True)
    (tmp_path / "reviews/evidence").mkdir(parents=True)
    for name, text in UPDATED.items():
        (tmp_path / f"predictions/weather/{name}.toml").write_text(text, encoding="utf-8")
    (tmp_path / "reviews/evidence/verdicts.toml").write_text(VERDICTS, encoding="utf-8")
    where = ["-C", str(tmp_path)]

    assert 0 == main(["export", *where, "--as-of", "2025-06-30", "--out", "export.csv"])
    capsys.readouterr()
    assert 0 == main(["grade", *where, "--as-of", "2025-06-30", "--policy", policy, "--format", "json"])
    graded = json.loads(capsys.readouterr().out)["predictions"]
    assert 0 == main(["review", "2024", *where, "--as-of", "2025-06-30", "--policy", policy])
    reviewed = json.loads((tmp_path / "reviews/2024/review.json").read_text(encoding="utf-8"))
    capsys.readouterr()
    assert 0 == main(["score", *where, "export.csv", "--policy", policy, "--format", "json"])
    scored = json.loads(capsys.readouterr().out)

    outcomes = {"yes": 1.0, "no": 0.0}
    from_grade = statistics.fmean((p["probability"] - outcomes[p["grade"]]) ** 2 for p in graded)
    assert (3, policy) == (scored["forecasts"], scored["policy"])
    assert pytest.approx(from_grade, abs=1e-12) == scored["brier"]
    assert pytest.approx(reviewed["calibration"]["brier"], abs=1e-6) == scored["brier"]
