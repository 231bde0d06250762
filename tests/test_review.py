"""
Tests for the yearly review: its figures, its four files, determinism and escaping.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scorecard
from scorecard import (
    Book,
    Citation,
    Confidence,
    Event,
    EventRule,
    Grade,
    JudgmentRule,
    Ledger,
    Prediction,
    Source,
    SourceKind,
    Verdict,
)
from scorecard._cli import main
from scorecard._review import PastReview, review

from .repo import DATA
from .strategies import books

D = datetime.date
MADE = D(2024, 3, 1)
DUE = D(2025, 6, 30)
VERDICT_DAY = D(2025, 7, 1)


def claim(pid: str, *, by: str = "Ann", made: D = MADE, due: D = DUE, **extra: object) -> Prediction:
    values: dict[str, object] = {
        "id": pid,
        "claim": f"Claim {pid}.",
        "by": by,
        "made": made,
        "due": due,
        "source": Source(title="An article", url="https://example.org/a", quote="原话"),
        "rule": JudgmentRule(),
        "tags": ("models",),
    }
    values.update(extra)
    return Prediction(**values)  # type: ignore[arg-type]


def verdict(pid: str, grade: Grade, on: D = VERDICT_DAY) -> Verdict:
    return Verdict(pid, on, grade, f"Because {pid}.", (f"https://example.org/{pid}",))


@pytest.fixture(name="book")
def _book() -> Book:
    predictions = (
        claim("a", probability=0.8),
        claim("b", hedge="大概率"),
        claim("c", by="Bo", hedge="可能"),
        claim("d", by="Bo", probability=0.3),
        claim("e", due=D(2026, 6, 30)),
        claim("f", due=D(2024, 12, 31)),
        claim("g", made=D(2024, 3, 1), due=D(2026, 3, 1), rule=EventRule("early")),
    )
    ledger = Ledger(
        event=(Event("early", "It happened early.", D(2025, 2, 1), "https://example.org/early", Confidence.HIGH),),
        verdict=(
            verdict("a", Grade.YES),
            verdict("b", Grade.PARTLY),
            verdict("c", Grade.NO),
            verdict("d", Grade.VOID),
            verdict("f", Grade.YES, D(2025, 1, 2)),
        ),
    )
    return Book(predictions, ledger)


def test_cohort_is_what_came_due_in_the_year(book: Book) -> None:
    """The scorecard lists only predictions due in the year; g, decided in 2025 but due 2026, is listed as early."""
    result = review(book, year=2025)

    assert [("a", "yes"), ("b", "partly"), ("c", "no"), ("d", "void")] == [
        (e.id, e.grade.value) for e in result.entries
    ]
    assert [("g", "yes", D(2025, 2, 1))] == [(e.id, e.grade.value, e.decided) for e in result.early]
    assert ["f"] == [e.id for e in review(book, year=2024, as_of=D(2025, 12, 31)).entries]
    assert ["g", "e"] == [e.id for e in review(book, year=2026, as_of=D(2026, 12, 31)).entries]
    assert ["e"] == [e.id for e in result.pending]


def test_tallies_and_hit_rates(book: Book) -> None:
    """Tallies count each grade; hit rates count calls (c at 50 % makes none), Sort of earning half credit."""
    result = review(book, year=2025)

    assert (1, 1, 1, 1) == (result.overall.yes, result.overall.partly, result.overall.no, result.overall.void)
    assert (1, 1, 0) == (result.overall.right, result.overall.half, result.overall.wrong)
    assert (0.5, 0.75) == (result.overall.hit_rate.strict, result.overall.hit_rate.half_credit)
    assert [("Ann", 1, 1, 0), ("Bo", 0, 0, 1)] == [(t.name, t.yes, t.partly, t.no) for t in result.by_forecaster]


def test_one_forecaster_written_two_ways_is_one_row() -> None:
    """Records by "Ann Lee", "Ann Lee" and "ann  lee" make one tally, under the spelling most of them use."""
    predictions = (
        claim("a", by="Ann Lee", probability=0.8),
        claim("b", by="ann  lee", probability=0.3),
        claim("c", by="Ann Lee", probability=0.6),
        claim("d", by="Bo", probability=0.5),
    )
    ledger = Ledger(verdict=tuple(verdict(pid, Grade.YES) for pid in "abcd"))

    result = review(Book(predictions, ledger), year=2025)

    assert [("Ann Lee", 3, 2, 1), ("Bo", 1, 0, 0)] == [(t.name, t.yes, t.right, t.wrong) for t in result.by_forecaster]
    assert ["Ann Lee", "Ann Lee", "Ann Lee", "Bo"] == [e.by for e in sorted(result.entries, key=lambda e: e.id)]


def test_between_spellings_used_equally_the_first_in_order_is_kept() -> None:
    """One record by "ann lee" and one by "Ann Lee" are one forecaster named "Ann Lee", whichever file comes first."""
    predictions = (claim("a", by="ann lee"), claim("b", by="Ann Lee"))

    result = review(Book(predictions, Ledger(verdict=(verdict("a", Grade.NO), verdict("b", Grade.NO)))), year=2025)

    assert [("Ann Lee", 2)] == [(t.name, t.no) for t in result.by_forecaster]


def test_calibration_uses_stated_and_hedge_probabilities(book: Book) -> None:
    """Calibration scores stated probabilities and hedge words; void and no-probability rows are left out."""
    result = review(book, year=2025)

    # a: 0.8 -> 1, b: 大概率 0.75 -> 0.5, c: 可能 0.5 -> 0
    assert 3 == result.calibration.n
    assert result.calibration.brier == pytest.approx(((0.8 - 1) ** 2 + (0.75 - 0.5) ** 2 + 0.5**2) / 3)
    excluded = review(book, year=2025, include_partly=False)
    assert 2 == excluded.calibration.n


def test_hedge_table(book: Book) -> None:
    """The hedge table shows each hedge's reading and how often it came true."""
    result = review(book, year=2025)

    assert [("大概率", 0.75, 1, 0.5), ("可能", 0.5, 1, 0.0)] == [
        (h.phrase, h.probability, h.n, h.observed) for h in result.hedges
    ]


def test_history_is_compared(book: Book) -> None:
    """Earlier reviews' figures appear, oldest first; later years are ignored."""
    past = [PastReview(2024, "2024-12-31", 1, 1.0, 1.0, None, 0), PastReview(2026, "x", 0, None, None, None, 0)]

    assert [2024] == [h.year for h in review(book, year=2025, history=past).history]


def test_json_round_trips_history(book: Book) -> None:
    """A review's JSON is read back as the figures of a past review."""
    from scorecard._review import past_review

    data = json.loads(review(book, year=2025).to_json())

    grades = {"a": "yes", "b": "partly", "c": "no", "d": "void"}
    assert PastReview(2025, "2025-12-31", 3, 0.5, 0.75, data["calibration"]["brier"], 3, grades) == past_review(data)


def test_script_in_a_claim_is_text(book: Book) -> None:
    """A claim holding a script tag is escaped in the HTML and never becomes markup."""
    hostile = claim("x", claim="<script>alert(1)</script> | pipes | too", due=D(2025, 3, 1))
    book = Book((*book.predictions, hostile), Ledger(verdict=(verdict("x", Grade.NO),)))
    result = review(book, year=2025)

    html = result.to_html()
    markdown = result.to_markdown()

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    row = next(line for line in markdown.splitlines() if "alert(1)" in line)
    assert 5 == len(re.findall(r"(?<!\\)\|", row))  # four cells: five unescaped pipes
    assert "\\<script\\>alert(1)\\</script\\> \\| pipes \\| too" in row


def test_javascript_links_are_not_links() -> None:
    """Only web addresses become links; a javascript: source is shown as text."""
    hostile = claim("x", source=Source(url="javascript:alert(1)"), due=D(2025, 3, 1))
    result = review(Book((hostile,), Ledger(verdict=(verdict("x", Grade.NO),))), year=2025)

    assert 'href="javascript' not in result.to_html()
    assert "](<javascript" not in result.to_markdown()


def test_svg_chart(book: Book) -> None:
    """The chart has the diagonal and one point per non-empty bin."""
    svg = review(book, year=2025).to_svg()

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="calibration"')
    assert 3 == svg.count("<circle")
    assert '<line class="diag"' in svg


def test_to_records_and_notebook_html(book: Book) -> None:
    """to_records gives plain dicts, and the review shows as an HTML table in notebooks."""
    result = review(book, year=2025)

    assert {"id": "a", "grade": "yes", "probability": 0.8, "call": "right"}.items() <= result.to_records()[0].items()
    assert result._repr_html_().startswith('<div class="wrap"><table class="scorecard">')


def copy_quickstart(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(DATA / "quickstart", root)
    return root


def test_cli_writes_four_files_and_regenerates_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Review writes the four files, rewrites its own files, and refuses a person's without --force."""
    root = copy_quickstart(tmp_path)

    assert 0 == main(["review", "2025", "-C", str(root)])
    assert ["README.md", "calibration.svg", "index.html", "review.json"] == sorted(
        p.name for p in (root / "reviews/2025").iterdir()
    )
    assert 0 == main(["review", "2025", "-C", str(root)])

    (root / "reviews/2025/README.md").write_text("my own notes\n", encoding="utf-8")
    capsys.readouterr()

    assert 1 == main(["review", "2025", "-C", str(root)])
    assert (
        "reviews/2025/README.md: exists and was not written by scorecard review; use --force to replace it"
        in capsys.readouterr().err
    )
    assert "my own notes\n" == (root / "reviews/2025/README.md").read_text(encoding="utf-8")
    assert 0 == main(["review", "2025", "-C", str(root), "--force"])


def test_cli_reads_earlier_reviews(tmp_path: Path) -> None:
    """A later review compares itself with the review.json of earlier years."""
    root = copy_quickstart(tmp_path)
    main(["review", "2024", "-C", str(root)])
    main(["review", "2025", "-C", str(root)])

    data = json.loads((root / "reviews/2025/review.json").read_text(encoding="utf-8"))

    assert [2024] == [h["year"] for h in data["history"]]


@pytest.mark.parametrize("absolute", [False, True])
def test_cli_out_given_explicitly_may_leave_the_repository(tmp_path: Path, absolute: bool) -> None:
    """--out is the user's own choice: a folder outside the repository is written as asked."""
    root = copy_quickstart(tmp_path)
    out = str(tmp_path / "elsewhere") if absolute else "../elsewhere"

    assert 0 == main(["review", "2025", "-C", str(root), "--out", out, "--as-of", "2025-12-31"])
    assert ["README.md", "calibration.svg", "index.html", "review.json"] == sorted(
        path.name for path in (tmp_path / "elsewhere").iterdir()
    )


def test_cli_default_folder_linked_outside_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A reviews/YEAR that is a symbolic link out of the repository is not written through."""
    root = copy_quickstart(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    shutil.rmtree(root / "reviews/2025", ignore_errors=True)
    (root / "reviews/2025").symlink_to(victim)

    assert 1 == main(["review", "2025", "-C", str(root), "--as-of", "2025-12-31"])
    assert "reviews/2025: resolves to a place outside the repository" in capsys.readouterr().err
    assert [] == list(victim.iterdir())


def test_output_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    """The same inputs give byte-identical files across runs and PYTHONHASHSEED values."""
    outputs = []
    for seed in ("0", "1", "12345"):
        root = copy_quickstart(tmp_path / seed)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "scorecard", "review", "2025", "-C", str(root)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted((root / "reviews/2025").iterdir())})

    assert outputs[0] == outputs[1] == outputs[2]


def test_library_entry_point_matches_cli(tmp_path: Path) -> None:
    """scorecard.review gives the same Markdown the command writes, as of the command's today."""
    root = copy_quickstart(tmp_path)
    main(["review", "2025", "-C", str(root)], today=D(2026, 1, 15))

    assert scorecard.review(scorecard.load(root), year=2025, as_of=D(2026, 1, 15)).to_markdown() == (
        root / "reviews/2025/README.md"
    ).read_text(encoding="utf-8")


def test_rerun_reuses_the_published_date(tmp_path: Path) -> None:
    """Without --as-of, a second run grades as of the published review's date, so it rewrites the same bytes."""
    root = copy_quickstart(tmp_path)
    assert 0 == main(["review", "2025", "-C", str(root)], today=D(2026, 1, 15))
    first = {name: (root / "reviews/2025" / name).read_bytes() for name in ("README.md", "review.json")}
    assert 0 == main(["review", "2025", "-C", str(root)], today=D(2026, 9, 1))

    assert first == {name: (root / "reviews/2025" / name).read_bytes() for name in ("README.md", "review.json")}
    assert "2026-01-15" == json.loads(first["review.json"])["as_of"]


def test_interim_review_says_so_everywhere(tmp_path: Path) -> None:
    """A review dated before its year ends is marked interim in every file's title and in review.json."""
    root = copy_quickstart(tmp_path)
    assert 0 == main(["review", "2025", "-C", str(root)], today=D(2025, 11, 30))
    folder = root / "reviews/2025"

    assert json.loads((folder / "review.json").read_text(encoding="utf-8"))["interim"] is True
    assert "# Scorecard 2025 (interim)" in (folder / "README.md").read_text(encoding="utf-8")
    assert "<title>Scorecard 2025 (interim)</title>" in (folder / "index.html").read_text(encoding="utf-8")


@given(book=books, years=st.lists(st.integers(2023, 2028), min_size=2, max_size=4, unique=True))
def test_no_prediction_is_in_two_years_reviews(book: Book, years: list[int]) -> None:
    """Each prediction is listed in at most one year's scorecard, whatever the evidence and dates."""
    listed = [e.id for year in years for e in review(book, year=year, as_of=D(2030, 1, 1)).entries]

    assert len(listed) == len(set(listed))


_NEGATED = {Grade.YES: Grade.NO, Grade.NO: Grade.YES}


@given(
    graded=st.lists(
        st.tuples(
            st.none() | st.floats(0.01, 0.99),
            st.sampled_from([Grade.YES, Grade.PARTLY, Grade.NO, Grade.VOID]),
        ),
        max_size=12,
    )
)
def test_calls_do_not_depend_on_how_a_claim_is_worded(graded: list[tuple[float | None, Grade]]) -> None:
    """Negating every claim and replacing p by 1 − p leaves a forecaster's calls, hits and hit rates unchanged."""

    def tally(pairs: list[tuple[float | None, Grade]]) -> tuple[int, int, int]:
        predictions = tuple(
            claim(f"p{i}", probability=p, due=D(2025, 3, 1)) for i, (p, _) in enumerate(pairs) if p is not None
        )
        ledger = Ledger(verdict=tuple(verdict(f"p{i}", g) for i, (p, g) in enumerate(pairs) if p is not None))
        overall = review(Book(predictions, ledger), year=2025).overall
        return overall.right, overall.half, overall.wrong

    negated = [(None if p is None else 1 - p, _NEGATED.get(g, g)) for p, g in graded]

    assert tally(graded) == tally(negated)


@given(
    ratings=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=30),
)
def test_weighted_kappa_equals_scikit_learn(ratings: list[tuple[int, int]]) -> None:
    """Linearly weighted κ equals scikit-learn's cohen_kappa_score(weights="linear"), undefined where it is nan."""
    import math
    import warnings

    from sklearn.metrics import cohen_kappa_score  # type: ignore[import-untyped]

    from scorecard._statistics import weighted_kappa

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score([a for a, _ in ratings], [b for _, b in ratings], weights="linear")
    found = weighted_kappa(ratings)

    if math.isnan(expected):
        assert found is None
    else:
        assert found == pytest.approx(expected, abs=1e-12)


def test_section_seven_reports_graders_and_agreement() -> None:
    """Four predictions, three graders: who graded, what decided, agreement and κ, self against independent, sources."""
    predictions = tuple(claim(pid, by="Fay", due=D(2025, 3, 1)) for pid in "abcd")

    def said(pid: str, grader: str, grade_: Grade, kind: SourceKind = SourceKind.PRESS) -> Verdict:
        return Verdict(pid, VERDICT_DAY, grade_, "Why.", (Citation(f"https://e.org/{pid}", kind=kind),), by=grader)

    ledger = Ledger(
        verdict=(
            said("a", "Ann", Grade.YES),
            said("a", "Bob", Grade.YES),
            said("b", "Ann", Grade.NO),
            said("b", "Bob", Grade.PARTLY),
            said("c", "Ann", Grade.YES, SourceKind.SECONDARY),
            said("c", "Bob", Grade.YES, SourceKind.SECONDARY),
            said("d", "Fay", Grade.YES),
            said("d", "Ann", Grade.NO),
        )
    )
    grading = review(Book(predictions, ledger), year=2025).grading

    assert [("Ann", 4, 0), ("Bob", 3, 0), ("Fay", 1, 1)] == [
        (g.grader, g.graded, g.self_grades) for g in grading.graders
    ]
    assert (0, 3, 0, 1) == (grading.by_rule, grading.by_independent, grading.by_self, grading.disputed)
    assert grading.overall is not None
    assert (3, 2) == (grading.overall.n, grading.overall.agreed)
    assert grading.overall.kappa == pytest.approx(4 / 7)
    assert [("Fay", 1, 1.0, 0.0)] == [(i.forecaster, i.n, i.self_rate, i.independent_rate) for i in grading.inflation]
    assert (2, 1, 0) == (grading.firm_sources, grading.secondary_only, grading.unclassified)


def test_what_changed_since_an_earlier_review(book: Book) -> None:
    """A grade that differs from the one an earlier review published is listed with both grades, on the page too."""
    past = PastReview(2024, "2024-12-31", 1, 1.0, 1.0, None, 0, {"a": "no", "b": "partly", "gone": "yes"})
    result = review(book, year=2025, history=[past])

    assert [("a", 2024, "no", Grade.YES)] == [(c.id, c.year, c.before, c.now) for c in result.changes]
    assert "| Claim a. | 2024 | No | Yes |" in result.to_markdown()


def test_an_earlier_review_published_after_the_review_date_is_not_known(book: Book) -> None:
    """A review as of a day leaves out an earlier review published later: no figures or re-grades from after its date."""
    later = PastReview(2024, "2026-11-30", 1, 1.0, 1.0, None, 0, {"a": "no"})
    known = PastReview(2023, "2025-06-30", 1, 0.0, 0.0, None, 0, {"a": "no"})

    result = review(book, year=2025, as_of=datetime.date(2025, 12, 31), history=[later, known])

    assert [2023] == [h.year for h in result.history]
    assert [("a", 2023, "no", Grade.YES)] == [(c.id, c.year, c.before, c.now) for c in result.changes]
    assert "2026-11-30" not in result.to_markdown()


def test_review_refuses_a_datetime(book: Book) -> None:
    """review() says as_of must be a date when given a datetime, as AsOfError."""
    with pytest.raises(scorecard.AsOfError, match=r"^as_of must be a datetime\.date, got a datetime\.datetime"):
        review(book, year=2025, as_of=datetime.datetime(2025, 12, 31, tzinfo=datetime.UTC))


def test_a_person_s_readme_that_mentions_the_command_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand-written README quoting the generator's sentence is still a person's file: refused without --force."""
    root = copy_quickstart(tmp_path)
    (root / "reviews/2025").mkdir(parents=True, exist_ok=True)
    mine = "# Notes\n\nThe other pages are generated by `scorecard review`.\n"
    (root / "reviews/2025/README.md").write_text(mine, encoding="utf-8")

    assert 1 == main(["review", "2025", "-C", str(root), "--as-of", "2025-12-31"])
    assert (
        "README.md: exists and was not written by scorecard review; use --force to replace it"
        in capsys.readouterr().err
    )
    assert mine == (root / "reviews/2025/README.md").read_text(encoding="utf-8")


HOSTILE_REVIEWS = {
    "script in as_of": '{"year": 2024, "as_of": "<img src=x onerror=alert(1)>", "tallies": {"overall": {"graded": 1, "hit_rate": {"strict": 1, "half_credit": 1}}}, "calibration": {"brier": 0.1, "forecasts": 1}}',
    "string count": '{"year": 2024, "as_of": "2024-12-31", "tallies": {"overall": {"graded": "many", "hit_rate": {"strict": 1, "half_credit": 1}}}, "calibration": {"brier": 0.1, "forecasts": 1}}',
    "huge year": '{"year": 1e400, "as_of": "2024-12-31"}',
    "deep nesting": "[" * 5000 + "]" * 5000,
    "list": "[]",
    "wrong grade": '{"year": 2024, "as_of": "2024-12-31", "tallies": {"overall": {"graded": 1, "hit_rate": {"strict": 1, "half_credit": 1}}}, "calibration": {"brier": 0.1, "forecasts": 1}, "scorecard": [{"id": "x", "grade": "[x](javascript:alert(1))"}]}',
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HOSTILE_REVIEWS))
def test_a_hostile_earlier_review_is_skipped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """An earlier review.json with wrong types, markup or absurd nesting is skipped with a note; nothing of it is shown."""
    root = copy_quickstart(tmp_path)
    (root / "reviews/2024").mkdir(parents=True, exist_ok=True)
    (root / "reviews/2024/review.json").write_text(HOSTILE_REVIEWS[name], encoding="utf-8")

    assert 0 == main(["review", "2025", "-C", str(root), "--as-of", "2025-12-31"])
    err = capsys.readouterr().err
    readme = (root / "reviews/2025/README.md").read_text(encoding="utf-8")

    assert "reviews/2024/review.json: skipped: not a scorecard review.json: " in err
    assert "onerror" not in readme
    assert "javascript" not in readme
    assert [] == json.loads((root / "reviews/2025/review.json").read_text(encoding="utf-8"))["history"]


def test_a_named_pipe_in_place_of_a_review_file_is_refused_not_waited_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO where review.json or README.md belongs is refused at once, as an earlier review or as a target."""
    root = copy_quickstart(tmp_path)
    (root / "reviews/2024").mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "reviews/2024/review.json")

    assert 0 == main(["review", "2025", "-C", str(root), "--as-of", "2025-12-31"])
    assert "reviews/2024/review.json: skipped: is not a regular file (a device, pipe or socket); not read" in (
        capsys.readouterr().err
    )

    (root / "reviews/2025/README.md").unlink()
    os.mkfifo(root / "reviews/2025/README.md")
    assert 1 == main(["review", "2025", "-C", str(root), "--as-of", "2025-12-31"])
    assert "scorecard review: error: reviews/2025/README.md: is not a regular file; not replaced\n" == (
        capsys.readouterr().err
    )


def test_review_names_its_policy_in_the_page_and_the_json(tmp_path: Path) -> None:
    """Review --policy first scores first forecasts, and says so in review.json and on the page."""
    root = copy_quickstart(tmp_path)

    assert 0 == main(["review", "2025", "-C", str(root), "--as-of", "2025-12-31", "--policy", "first"])

    data = json.loads((root / "reviews/2025/review.json").read_text(encoding="utf-8"))
    readme = (root / "reviews/2025/README.md").read_text(encoding="utf-8")
    assert "first" == data["policy"]
    assert "each is scored at its first forecast, updates ignored." in readme
    assert readme.endswith("*Generated by `scorecard review 2025 --as-of 2025-12-31 --policy first`.*\n")


def test_review_bins_acx_folds_the_reliability_table(tmp_path: Path) -> None:
    """Review --bins acx folds forecasts below 50 % and bins from 50 %, and review.json names the preset."""
    root = copy_quickstart(tmp_path)

    assert 0 == main(["review", "2025", "-C", str(root), "--as-of", "2026-01-15", "--bins", "acx"])

    data = json.loads((root / "reviews/2025/review.json").read_text(encoding="utf-8"))
    assert "acx" == data["calibration"]["bins_preset"]
    assert [0.5, 0.55, 0.65, 0.75, 0.85, 0.925, 0.97] == [b["lo"] for b in data["calibration"]["bins"]]
    readme = (root / "reviews/2025/README.md").read_text(encoding="utf-8")
    assert "Reliability table, ACX style" in readme
    assert readme.endswith("*Generated by `scorecard review 2025 --as-of 2026-01-15 --bins acx`.*\n")


def test_review_refuses_unknown_bins(book: Book) -> None:
    """An unknown bins preset is a usage error that names the presets."""
    with pytest.raises(scorecard.UsageError, match=r"^bins 'tens' is not one of deciles, quintiles, acx$"):
        review(book, year=2025, bins="tens")


def test_calibration_beyond_bins_uses_yes_and_no_outcomes() -> None:
    """Sharpness takes every scored probability; calibration in the large, recalibration and Z only Yes and No."""
    predictions = (
        claim("a", probability=0.9),
        claim("b", probability=0.8),
        claim("c", probability=0.3),
        claim("d", probability=0.6),
        claim("e", probability=0.5),
    )
    verdicts = (
        verdict("a", Grade.YES),
        verdict("b", Grade.NO),
        verdict("c", Grade.NO),
        verdict("d", Grade.YES),
        verdict("e", Grade.PARTLY),
    )
    result = review(Book(predictions, Ledger(verdict=verdicts)), year=2025)

    assert result.sharpness is not None
    # |p − ½| over 0.9, 0.8, 0.3, 0.6, 0.5: (0.4 + 0.3 + 0.2 + 0.1 + 0) / 5.
    assert result.sharpness.mean_distance == pytest.approx(0.2)
    # Yes and No only: mean p (0.9 + 0.8 + 0.3 + 0.6) / 4 = 0.65 against 2 of 4 true.
    assert result.calibration_in_the_large == pytest.approx(0.15)
    assert result.spiegelhalter is not None
    data = json.loads(result.to_json())["calibration"]
    assert data["calibration_in_the_large"] == pytest.approx(0.15)
    assert {"z", "p_value"} == set(data["spiegelhalter"])
    assert "Spiegelhalter's Z" in result.to_markdown()


def test_league_says_when_no_question_is_shared(book: Book) -> None:
    """With no two forecasters on the same question, the page says the ranking compares different questions."""
    page = review(book, year=2025).to_markdown()

    assert "No shared questions: no two forecasters forecast the same question with a probability" in page
    assert {"shared_questions": 0, "peer_score": None, "relative_brier": None}.items() <= json.loads(
        review(book, year=2025).to_json()
    )["league"][0].items()
