"""
Fair comparisons between forecasters: only on the questions they both forecast.

A league table of Brier scores over different claims ranks the easy questions, not the
forecasters. Records ask the same question when their rules test the same fact: the same event by
the same deadline (a claim that it does *not* happen is the same question, asked the other way
round), the same metric against the same bar by the same date, the same change between the same
periods, or the same compound rule. Judgment rules never share a question: each has its own
criteria. On shared questions each forecaster gets Metaculus's peer score and Fatebook's Brier
relative to the median of the others, and each pair of forecasters their mean Brier difference
with a bootstrap interval.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

import attrs

from ._model import AllRule, AnyRule, ChangeRule, EventRule, JudgmentRule, ThresholdRule
from ._statistics import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, MIN_RANKED, bootstrap_mean, brier, shared_scores

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Sequence

    from ._grade import Result
    from ._model import Prediction, Rule


@attrs.frozen
class Question:
    """
    One shared question: who forecast it, with what probability that it resolves Yes, and the outcome.
    """

    key: Hashable
    outcome: float
    #: (forecaster, probability of Yes), one per forecaster, by name.
    forecasts: tuple[tuple[str, float], ...]


@attrs.frozen
class Standing:
    """
    A forecaster's scores on the questions others forecast too.
    """

    forecaster: str
    #: Questions with a Yes or No outcome that at least one other forecaster also forecast.
    shared: int
    #: Mean Metaculus peer score (``_statistics.peer_scores``); above 0 beats the others on the
    #: same questions.
    peer_score: float | None
    #: Mean of own Brier minus the Brier of the others' median (``_statistics.relative_briers``);
    #: below 0 beats that median.
    relative_brier: float | None


@attrs.frozen
class HeadToHead:
    """
    Two forecasters on the questions both forecast: the mean of first's Brier minus second's.
    """

    first: str
    second: str
    questions: int
    #: Below 0: *first* did better on these questions.
    mean_difference: float
    #: A bootstrap 95 % interval, for pairs sharing at least ``MIN_RANKED`` questions.
    interval: tuple[float, float] | None


@attrs.frozen
class Comparisons:
    """
    Every shared question, each forecaster's standing on them, and every pair head to head.
    """

    questions: tuple[Question, ...] = ()
    standings: tuple[Standing, ...] = ()
    pairs: tuple[HeadToHead, ...] = ()
    #: Events and metrics that several forecasters' rules test, with how many forecasters, even
    #: where their deadlines or bars differ (and so the questions are not the same).
    related: tuple[tuple[str, int], ...] = ()


def question_key(prediction: Prediction) -> tuple[Hashable, bool] | None:
    """
    The question a prediction's rule asks, and whether the claim says Yes to it (None: its own).

    The deadline is part of an event or threshold question (by when) but not of a change, which
    compares two named periods whatever the due date. A rule with a judgment anywhere in it asks
    a question of its own.
    """
    rule = prediction.rule
    if _judged(rule):
        return None
    # Only an event without a Sort-of margin is graded as the exact opposite of its negation:
    # with partly_within, "happens" can earn Sort of where "does not happen" cannot.
    if isinstance(rule, EventRule) and rule.partly_within is None:
        return ("event", attrs.evolve(rule, expect=True), prediction.due), rule.expect
    if isinstance(rule, ChangeRule):
        return ("change", rule), True
    return (rule.kind, rule, prediction.due), True


def _judged(rule: Rule) -> bool:
    # A judgment anywhere in a rule makes its question the graders' own.
    if isinstance(rule, JudgmentRule):
        return True
    return isinstance(rule, (AllRule, AnyRule)) and any(_judged(part) for part in rule.of)


def compare(results: Iterable[Result], *, include_partly: bool = True) -> Comparisons:
    """
    The shared questions among graded predictions that carry a probability, and the scores on them.

    A forecaster with two predictions on one question is counted once, with the later one made; a
    question whose records were graded differently (a verdict overrode one) is not compared.
    Peer and relative scores need a Yes or No outcome; head-to-head Brier differences also count
    Sort of as ½ unless *include_partly* is false.
    """
    asked: dict[Hashable, dict[str, tuple[datetime.date, str, float, float]]] = {}
    subjects: dict[str, set[str]] = {}
    for result in results:
        subject = _subject(result.prediction.rule)
        if subject is not None:
            subjects.setdefault(subject, set()).add(result.prediction.by)
        outcome = result.grade.points
        found = question_key(result.prediction)
        if outcome is None or result.probability is None or found is None:
            continue
        key, says_yes = found
        probability = result.probability if says_yes else 1.0 - result.probability
        prediction = result.prediction
        mine = (prediction.made, prediction.id, probability, outcome if says_yes else 1.0 - outcome)
        by = asked.setdefault(key, {})
        if prediction.by not in by or by[prediction.by][:2] < mine[:2]:
            by[prediction.by] = mine
    # A verdict can override one record's rule and not another's: forecasters whose records were
    # graded differently did not answer one question with one outcome, so it is not compared.
    shared = [(key, by) for key, by in asked.items() if len(by) > 1 and len({o for *_, o in by.values()}) == 1]
    # Keys hold rules and dates: their text orders them the same way on every run.
    shared.sort(key=lambda item: repr(item[0]))
    questions = tuple(
        Question(key, next(iter(by.values()))[3], tuple((name, by[name][2]) for name in sorted(by)))
        for key, by in shared
    )
    related = tuple((subject, len(names)) for subject, names in sorted(subjects.items()) if len(names) > 1)
    return Comparisons(questions, _standings(questions), _pairs(questions, include_partly=include_partly), related)


def _subject(rule: Rule) -> str | None:
    if isinstance(rule, EventRule):
        return rule.event
    if isinstance(rule, (ThresholdRule, ChangeRule)):
        return rule.metric
    return None


def _standings(questions: Sequence[Question]) -> tuple[Standing, ...]:
    # Peer and relative scores compare log and Brier scores of one outcome: Sort of is not one.
    binary = [
        [(name, p, question.outcome) for name, p in question.forecasts]
        for question in questions
        if question.outcome in (0.0, 1.0)
    ]
    scores = shared_scores(binary)
    everyone = sorted({name for question in questions for name, _ in question.forecasts})
    return tuple(
        Standing(name, 0, None, None)
        if name not in scores
        else Standing(name, scores[name].questions, scores[name].peer_score, scores[name].relative_brier)
        for name in everyone
    )


def _pairs(questions: Sequence[Question], *, include_partly: bool) -> tuple[HeadToHead, ...]:
    differences: dict[tuple[str, str], list[float]] = {}
    for question in questions:
        if question.outcome == 0.5 and not include_partly:  # noqa: PLR2004 - Sort of
            continue
        forecasts = question.forecasts
        for index, (first, p) in enumerate(forecasts):
            for second, q in forecasts[index + 1 :]:
                difference = brier(p, question.outcome) - brier(q, question.outcome)
                differences.setdefault((first, second), []).append(difference)
    return tuple(
        HeadToHead(
            first,
            second,
            len(found),
            sum(found) / len(found),
            # Resampling two to four questions gives an interval, not information (and costs a
            # review of 40 forecasters seconds): a pair needs as many shared questions as a
            # forecaster needs scored predictions to be ranked.
            bootstrap_mean(found, seed=BOOTSTRAP_SEED, resamples=BOOTSTRAP_RESAMPLES)
            if len(found) >= MIN_RANKED
            else None,
        )
        for (first, second), found in sorted(differences.items())
    )


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
