"""
Tests for scoring a forecast table: figures overall, per group and for the crowd, on a hand-computed table.
"""

from __future__ import annotations

import math
import random
import statistics
from typing import TYPE_CHECKING

import pytest

from scorecard import ForecastTable, UsageError, read_forecasts, score
from scorecard._score import figures

if TYPE_CHECKING:
    from pathlib import Path

TABLE = """\
question,forecaster,probability,outcome,made,tags
q1,ann,0.8,yes,2024-01-01,ai;chips
q1,bob,0.6,yes,2024-02-01,ai;chips
q2,ann,0.3,no,2025-01-01,ai
q2,bob,0.5,no,2025-03-01,ai
q3,ann,0.9,partly,2025-01-01,
q4,bob,0.4,void,2024-05-01,
q5,ann,0.7,,2025-06-01,
"""


def bits(probability: float, outcome: float) -> float:
    return -(outcome * math.log2(probability) + (1 - outcome) * math.log2(1 - probability))


@pytest.fixture
def table(tmp_path: Path) -> ForecastTable:
    path = tmp_path / "t.csv"
    path.write_text(TABLE, encoding="utf-8")
    return read_forecasts(path)


def test_overall_figures(table: ForecastTable) -> None:
    """Counts, Brier, log loss and hit rates over the whole table match the hand computation."""
    overall = score(table).overall
    assert (overall.forecasts, overall.resolved, overall.void, overall.open, overall.forecasters) == (7, 5, 1, 1, 2)
    # (0.2² + 0.4² + 0.3² + 0.5² + 0.4²) / 5, the partly outcome counting as 0.5.
    assert overall.calibration.brier == pytest.approx(0.70 / 5)
    expected_bits = (bits(0.8, 1) + bits(0.6, 1) + bits(0.3, 0) + bits(0.5, 0) + bits(0.9, 0.5)) / 5
    assert overall.calibration.log_loss == pytest.approx(expected_bits)
    assert (overall.hit_rate.yes, overall.hit_rate.partly, overall.hit_rate.no) == (2, 1, 2)
    assert (overall.hit_rate.strict, overall.hit_rate.half_credit) == (0.4, 0.5)


def test_overall_without_partly(table: ForecastTable) -> None:
    """Without partly outcomes, the Sort of forecast leaves the proper scores but not the counts."""
    overall = score(table, include_partly=False).overall
    assert overall.calibration.n == 4
    assert overall.calibration.brier == pytest.approx(0.54 / 4)
    assert overall.resolved == 5


def test_groups_by_forecaster(table: ForecastTable) -> None:
    """Each forecaster's figures count only their rows, in name order."""
    report = score(table, group_by="forecaster")
    assert report.group_by == "forecaster"
    assert [name for name, _ in report.groups] == ["ann", "bob"]
    ann, bob = (found for _, found in report.groups)
    assert (ann.forecasts, ann.resolved, ann.void, ann.open, ann.forecasters) == (4, 3, 0, 1, 1)
    assert (bob.forecasts, bob.resolved, bob.void, bob.open, bob.forecasters) == (3, 2, 1, 0, 1)
    assert ann.calibration.brier == pytest.approx(0.29 / 3)
    assert bob.calibration.brier == pytest.approx(0.41 / 2)


def test_groups_by_tag(table: ForecastTable) -> None:
    """A row counts once under each of its tags; untagged rows belong to no tag group."""
    groups = dict(score(table, group_by="tag").groups)
    assert list(groups) == ["ai", "chips"]
    assert (groups["ai"].forecasts, groups["ai"].forecasters) == (4, 2)
    assert groups["ai"].calibration.brier == pytest.approx(0.54 / 4)
    assert (groups["chips"].forecasts, groups["chips"].hit_rate.strict) == (2, 1.0)
    assert groups["chips"].calibration.brier == pytest.approx(0.20 / 2)


def test_crowd_median(table: ForecastTable) -> None:
    """The crowd's Brier score uses each resolved question's median forecast."""
    # Medians 0.7 (yes), 0.4 (no), 0.9 (partly): (0.3² + 0.4² + 0.4²) / 3.
    median = score(table, aggregate="median").median
    assert median is not None
    assert median.questions == 3
    assert median.brier == pytest.approx(0.41 / 3)
    without = score(table, aggregate="median", include_partly=False).median
    assert without is not None
    assert without.questions == 2
    assert without.brier == pytest.approx(0.25 / 2)


def test_records_are_flat_rows(table: ForecastTable) -> None:
    """to_records gives one flat row per group, the whole table first, with the peer comparison of each forecaster."""
    records = score(table, group_by="forecaster").to_records()
    assert [r["group"] for r in records] == ["all", "ann", "bob"]
    assert {k: v for k, v in records[2].items() if k not in {"brier", "log_loss", "peer_score", "relative_brier"}} == {
        "group": "bob",
        "forecasts": 3,
        "after_resolution": 0,
        "resolved": 2,
        "void": 1,
        "open": 0,
        "forecasters": 1,
        "yes": 1,
        "partly": 0,
        "no": 1,
        "hit_rate": 0.5,
        "hit_rate_half_credit": 0.5,
        "shared_questions": 2,
    }
    # Bob against Ann on q1 (yes: 0.6 against 0.8) and q2 (no: 0.5 against 0.7).
    assert records[2]["peer_score"] == pytest.approx(100 * (math.log(0.6 / 0.8) + math.log(0.5 / 0.7)) / 2)
    assert records[2]["relative_brier"] == pytest.approx(((0.16 - 0.04) + (0.25 - 0.09)) / 2)
    assert (None, None, None) == (
        records[0]["peer_score"],
        records[0]["relative_brier"],
        records[0]["shared_questions"],
    )


def test_figures_from_counted_pairs() -> None:
    """Figures weigh each (probability, outcome) pair by its count; an unparsable probability is not scored."""
    found = figures([(("0.5", "yes"), 3), (("0.5", "no"), 1), (("", "no"), 2), (("0.2", ""), 4)], 5)
    assert (found.forecasts, found.resolved, found.open, found.forecasters) == (10, 6, 4, 5)
    assert found.calibration.n == 4
    assert found.calibration.brier == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"bins": "x"}, "bins 'x' is not one of deciles, quintiles, acx"),
        ({"group_by": "x"}, "group_by 'x' is not one of forecaster, tag, year"),
        ({"aggregate": "mean"}, "aggregate 'mean' is not one of median"),
    ],
)
def test_unknown_options(table: ForecastTable, options: dict[str, str], message: str) -> None:
    """An unknown option is a usage error naming the allowed values."""
    with pytest.raises(UsageError) as raised:
        score(table, **options)  # type: ignore[arg-type]
    assert str(raised.value) == message


def test_missing_dimension(tmp_path: Path) -> None:
    """Grouping by a dimension the table was read without is a usage error naming it."""
    path = tmp_path / "t.csv"
    path.write_text(TABLE, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        score(read_forecasts(path, dimensions=["forecaster"]), group_by="tag", aggregate="median")
    assert str(raised.value) == "the table was read without question, tag; read it with that dimension"


def crowded_table(seed: int) -> str:
    """
    A contest-like table: 60 forecasters on 30 questions, most answering most, some updating, some rows unusable.
    """
    rng = random.Random(seed)
    outcomes = [rng.choice(["yes", "no", "no", "void", ""]) for _ in range(30)]
    lines = []
    for question, outcome in enumerate(outcomes):
        for person in range(60):
            if rng.random() < 0.3:
                continue
            for _ in range(rng.choice([1, 1, 2, 3])):
                probability = rng.choice(["", "0", "1", f"{rng.randint(1, 99) / 100}", f"{rng.random()}"])
                made = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                lines.append(f"q{question},f{person},{probability},{made},2024-12-31,{outcome}")
    rng.shuffle(lines)
    return "\n".join(["question,forecaster,probability,made,due,outcome", *lines]) + "\n"


def independently(text: str) -> dict[str, tuple[float, float, int]]:
    """
    Peer score, relative Brier and shared questions per forecaster, computed directly from the rows.

    Each forecaster's last row per question by made, then position; then, per question, every
    pair of forecasters compared one by one and the others' median taken by statistics.median.
    """
    rows = [line.split(",") for line in text.splitlines()[1:]]
    last: dict[str, dict[str, tuple[str, int, str, str]]] = {}
    for position, (question, person, probability, made, _, outcome) in enumerate(rows):
        held = last.setdefault(question, {}).get(person)
        if held is None or (made, position) >= held[:2]:
            last[question][person] = (made, position, probability, outcome)
    peer: dict[str, list[float]] = {}
    relative: dict[str, list[float]] = {}
    for forecasts in last.values():
        usable = {
            person: (float(probability), 1.0 if outcome == "yes" else 0.0)
            for person, (_, _, probability, outcome) in forecasts.items()
            if probability and outcome in ("yes", "no")
        }
        if len(usable) < 2:
            continue
        for person, (p, o) in usable.items():
            q = min(max(p, 0.001), 0.999)
            mine = math.log(q if o else 1 - q)
            others = [(x, y) for name, (x, y) in usable.items() if name != person]
            theirs = [math.log(min(max(x, 0.001), 0.999) if y else 1 - min(max(x, 0.001), 0.999)) for x, y in others]
            peer.setdefault(person, []).append(100 * (mine - sum(theirs) / len(theirs)))
            median = statistics.median(x for x, _ in others)
            relative.setdefault(person, []).append((p - o) ** 2 - (median - o) ** 2)
    return {
        person: (statistics.fmean(peer[person]), statistics.fmean(relative[person]), len(peer[person]))
        for person in peer
    }


@pytest.mark.parametrize("engine", ["pure", "duckdb"])
def test_peer_scores_match_an_independent_implementation(tmp_path: Path, engine: str) -> None:
    """On a contest-like table, each forecaster's peer score, relative Brier and shared questions match a direct computation to 1e-9."""
    pytest.importorskip("duckdb")
    text = crowded_table(18)
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")

    groups = score(read_forecasts(path, dimensions=["forecaster"], engine=engine), group_by="forecaster").to_data()[
        "groups"
    ]
    expected = independently(text)

    assert 60 == len(expected)
    for person, (peer, relative, shared) in expected.items():
        found = groups[person]
        assert shared == found["shared_questions"]
        assert abs(peer - found["peer_score"]) < 1e-9
        assert abs(relative - found["relative_brier"]) < 1e-9


def test_a_forecaster_without_shared_questions_has_no_peer_score(tmp_path: Path) -> None:
    """A forecaster alone on their questions gets null peer score and relative Brier over 0 shared questions."""
    path = tmp_path / "t.csv"
    path.write_text(
        "question,forecaster,probability,outcome\nq1,ann,0.8,yes\nq1,bob,0.6,yes\nq2,cy,0.7,no\n", encoding="utf-8"
    )

    groups = score(read_forecasts(path), group_by="forecaster").to_data()["groups"]

    assert {"peer_score": None, "relative_brier": None, "shared_questions": 0} == {
        key: groups["cy"][key] for key in ("peer_score", "relative_brier", "shared_questions")
    }
    assert pytest.approx(100 * (math.log(0.8) - math.log(0.6))) == groups["ann"]["peer_score"]
    assert pytest.approx(0.2**2 - 0.4**2) == groups["ann"]["relative_brier"]
