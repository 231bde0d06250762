"""
Grading a whole book as of a date: rules, verdict overrides and probabilities.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import attrs

from ._hedges import lexicon
from ._model import Prediction, Verdict
from ._rules import Outcome, evaluate, known_on

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ._hedges import Lexicon
    from ._model import Book, Grade


@attrs.frozen
class Result:
    """
    One prediction's grade as of a date, with its trail.

    *rule_outcome* is what the rule alone says; *verdict*, when present, overrode it.
    """

    prediction: Prediction
    outcome: Outcome
    rule_outcome: Outcome
    verdict: Verdict | None
    probability: float | None
    probability_basis: str | None

    @property
    def grade(self) -> Grade:
        """
        The grade, after any verdict.
        """
        return self.outcome.grade

    @property
    def explanation(self) -> str:
        """
        One plain sentence saying why.
        """
        return self.outcome.explanation


@attrs.frozen
class Graded:
    """
    Every prediction made by *as_of*, graded with the evidence known by then, in id order.
    """

    as_of: datetime.date
    results: tuple[Result, ...]

    def __iter__(self) -> Iterator[Result]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def get(self, prediction_id: str) -> Result | None:
        """
        The result for *prediction_id*, or None.
        """
        for result in self.results:
            if result.prediction.id == prediction_id:
                return result
        return None


def stated_probability(prediction: Prediction, words: Lexicon) -> tuple[float | None, str | None]:
    """
    The probability a prediction carries: its own number, else its hedge word's, else none.
    """
    if prediction.probability is not None:
        return prediction.probability, "stated"
    if prediction.hedge is not None:
        value = words.probability(prediction.hedge)
        if value is not None:
            return value, f"hedge {prediction.hedge!r}"
    return None, None


def grade(book: Book, *, as_of: datetime.date) -> Graded:
    """
    Grade every prediction made by *as_of* using only evidence known by the end of that day.

    A verdict in the ledger overrides the prediction's rule; both are kept in the result.
    """
    known = known_on(book.ledger, as_of)
    words = lexicon(book.settings.hedges)
    results = []
    for prediction in sorted(book.predictions, key=lambda p: p.id):
        if prediction.made > as_of:
            continue
        rule_outcome = evaluate(prediction.rule, prediction.due, known)
        verdict = known.verdicts.get(prediction.id)
        outcome = rule_outcome
        if verdict is not None:
            outcome = Outcome(
                verdict.grade,
                f"Verdict of {verdict.on}: {verdict.why}",
                (verdict.key, *rule_outcome.evidence),
                tuple(dict.fromkeys((*verdict.sources, *rule_outcome.sources))),
                verdict.on,
            )
        probability, basis = stated_probability(prediction, words)
        results.append(Result(prediction, outcome, rule_outcome, verdict, probability, basis))
    return Graded(as_of, tuple(results))
