"""
Tests for comparisons on shared questions: which records share one, peer and relative scores, head to head.
"""

from __future__ import annotations

import datetime
import math
from typing import TYPE_CHECKING

import pytest

from scorecard import (
    Book,
    Confidence,
    Event,
    EventRule,
    Grade,
    Ledger,
    Prediction,
    Source,
    ThresholdRule,
    Verdict,
    grade,
)
from scorecard._comparison import HeadToHead, compare, question_key
from scorecard._model import AllRule, JudgmentRule, Op
from scorecard._time import Duration

if TYPE_CHECKING:
    from scorecard._grade import Result

D = datetime.date
AS_OF = D(2026, 1, 31)


DUE = D(2025, 6, 30)
MADE = D(2024, 6, 1)


def claim(pid: str, by: str, rule: object, *, probability: float | None, due: D = DUE, made: D = MADE) -> Prediction:
    return Prediction(
        id=pid,
        claim=f"Claim {pid}.",
        by=by,
        made=made,
        due=due,
        source=Source(url="https://example.org/a"),
        rule=rule,  # type: ignore[arg-type]
        probability=probability,
    )


LAUNCH = Event("launch", "It launched.", D(2025, 3, 1), "https://example.org/launch", Confidence.HIGH)


@pytest.fixture(name="results")
def _results() -> list[Result]:
    predictions = (
        claim("ann", "Ann", EventRule("launch"), probability=0.8),
        # Asked the other way round: 40 % that it does not launch is 60 % that it does.
        claim("bo", "Bo", EventRule("launch", expect=False), probability=0.4),
        claim("cy", "Cy", EventRule("launch"), probability=0.5),
        # A later deadline is another question.
        claim("dee", "Dee", EventRule("launch"), probability=0.9, due=D(2025, 12, 31)),
        # Cy said it twice; the later one made counts.
        claim("cy-early", "Cy", EventRule("launch"), probability=0.1, made=D(2024, 1, 1)),
        claim("judged", "Ann", JudgmentRule(), probability=0.7),
    )
    return list(grade(Book(predictions, Ledger(event=(LAUNCH,))), as_of=AS_OF))


def test_an_event_asked_either_way_round_by_the_same_deadline_is_one_question(results: list[Result]) -> None:
    """Ann, Bo (who said it would not happen) and Cy share one question; Dee's later deadline does not."""
    found = compare(results)

    assert 1 == len(found.questions)
    assert 1.0 == found.questions[0].outcome
    assert [("Ann", 0.8), ("Bo", 0.6), ("Cy", 0.5)] == [
        (name, round(p, 12)) for name, p in found.questions[0].forecasts
    ]
    assert (("launch", 4),) == found.related


def test_peer_and_relative_scores_on_the_shared_question(results: list[Result]) -> None:
    """Peer score is 100 × (ln q − mean ln q of the others); relative Brier is against the others' median."""
    standings = {row.forecaster: row for row in compare(results).standings}
    a, b, c = math.log(0.8), math.log(0.6), math.log(0.5)

    assert standings["Ann"].peer_score == pytest.approx(100 * (a - (b + c) / 2), abs=1e-9)
    assert standings["Bo"].peer_score == pytest.approx(100 * (b - (a + c) / 2), abs=1e-9)
    # Ann's Brier 0.04 against the median of 0.6 and 0.5 (0.55: Brier 0.2025).
    assert standings["Ann"].relative_brier == pytest.approx(0.04 - 0.2025, abs=1e-12)
    assert {"Ann": 1, "Bo": 1, "Cy": 1} == {name: row.shared for name, row in standings.items()}


def test_head_to_head_is_the_mean_brier_difference_per_pair(results: list[Result]) -> None:
    """Each pair of forecasters gets first's Brier minus second's on their shared questions; one question has no interval."""
    pairs = [(p.first, p.second, p.questions, round(p.mean_difference, 12), p.interval) for p in compare(results).pairs]

    assert [
        ("Ann", "Bo", 1, round(0.04 - 0.16, 12), None),
        ("Ann", "Cy", 1, round(0.04 - 0.25, 12), None),
        ("Bo", "Cy", 1, round(0.16 - 0.25, 12), None),
    ] == pairs


def test_judgments_never_share_a_question() -> None:
    """A judgment rule has its own criteria, so it asks a question of its own, even inside a compound rule."""
    assert question_key(claim("x", "Ann", JudgmentRule(), probability=0.5)) is None
    assert question_key(claim("x", "Ann", AllRule((EventRule("launch"), JudgmentRule())), probability=0.5)) is None


def test_an_event_with_a_sort_of_margin_is_not_the_negation_of_its_opposite() -> None:
    """With partly_within, 'it happens' can earn Sort of where 'it does not' cannot, so the two are different questions."""
    late = Duration.parse("3 months")
    happens = question_key(claim("x", "Ann", EventRule("launch", partly_within=late), probability=0.5))
    does_not = question_key(claim("y", "Bo", EventRule("launch", expect=False, partly_within=late), probability=0.5))

    assert happens is not None
    assert does_not is not None
    assert happens[0] != does_not[0]


def test_thresholds_share_a_question_only_with_the_same_bar_and_deadline() -> None:
    """Two forecasters on the same metric share a question only when the bar and the deadline match too."""
    same = ThresholdRule("price", Op.LE, 1.0)
    assert question_key(claim("x", "Ann", same, probability=0.5)) == question_key(
        claim("y", "Bo", same, probability=0.2)
    )
    assert question_key(claim("x", "Ann", same, probability=0.5)) != question_key(
        claim("y", "Bo", ThresholdRule("price", Op.LE, 2.0), probability=0.2)
    )


def test_no_shared_question_gives_empty_comparisons() -> None:
    """Forecasters on different questions get no standings and no pairs."""
    predictions = (
        claim("ann", "Ann", EventRule("launch"), probability=0.8),
        claim("bo", "Bo", EventRule("launch"), probability=0.8, due=D(2025, 12, 31)),
    )
    found = compare(grade(Book(predictions, Ledger(event=(LAUNCH,))), as_of=AS_OF))

    assert ((), (), ()) == (found.questions, found.standings, found.pairs)


def test_head_to_head_interval_needs_five_shared_questions() -> None:
    """A pair sharing 5 questions gets a bootstrap interval around its mean difference; sharing 4, none."""

    def pairs_over(count: int) -> list[HeadToHead]:
        events = tuple(
            Event(f"e{n}", "It happened.", D(2025, 3, 1), "https://example.org/e", Confidence.HIGH)
            for n in range(count)
        )
        predictions = tuple(
            claim(f"{who.lower()}-{n}", who, EventRule(f"e{n}"), probability=p)
            for n in range(count)
            for who, p in (("Ann", 0.9 - 0.1 * n), ("Bo", 0.5))
        )
        return list(compare(grade(Book(predictions, Ledger(event=events)), as_of=AS_OF)).pairs)

    [five] = pairs_over(5)
    [four] = pairs_over(4)

    assert (5, None) == (five.questions, four.interval)
    assert five.interval is not None
    assert five.interval[0] <= five.mean_difference <= five.interval[1]


def test_a_question_graded_differently_for_two_forecasters_is_not_compared() -> None:
    """When a verdict overrides one record's rule, the two records no longer share one outcome, so they are not compared."""
    predictions = (
        claim("ann", "Ann", EventRule("launch"), probability=0.8),
        claim("bo", "Bo", EventRule("launch"), probability=0.3),
    )
    overruled = Verdict("bo", D(2025, 7, 1), Grade.NO, "Not the launch the claim meant.", ("https://example.org/v",))
    found = compare(grade(Book(predictions, Ledger(event=(LAUNCH,), verdict=(overruled,))), as_of=AS_OF))

    assert () == found.questions
