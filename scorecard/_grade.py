"""
Grading a whole book as of a date: rules, verdict overrides and probabilities.
"""

from __future__ import annotations

import datetime
import enum
from collections import Counter
from typing import TYPE_CHECKING

import attrs

from ._characters import name_key
from ._errors import AsOfError, UsageError, require
from ._grades import Grade
from ._hedges import lexicon
from ._model import Book, Prediction, SourceKind, Verdict
from ._rules import Dated, Outcome, evaluate, known_on
from ._statistics import brier, call_credit

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from ._hedges import Lexicon


_SETTLED = (Grade.YES, Grade.PARTLY, Grade.NO)


class Basis(enum.Enum):
    """
    What decided a grade: the rule, an independent grader, a self-grade, or nobody (disputed).
    """

    RULE = "rule"
    INDEPENDENT = "independent"
    SELF = "self"
    DISPUTED = "disputed"


@attrs.frozen
class Reading:
    """
    One grader's latest verdict on a prediction, as of the grading date.

    *self_grade*: the grader is the forecaster, or every source is of kind ``self``.
    """

    grader: str
    verdict: Verdict
    effective: datetime.date
    self_grade: bool


def is_self_grade(verdict: Verdict, grader: str, forecaster: str) -> bool:
    """
    Whether *verdict* grades the forecaster's own prediction: by them, or only on their word.
    """
    # Names are compared as check compares them: "ALICE ", "Ａｌｉｃｅ" and "Al\u200bice" are Alice.
    same = grader == forecaster or name_key(grader) == name_key(forecaster)
    return same or all(source.kind is SourceKind.SELF for source in verdict.sources)


def readings(prediction: Prediction, dated: Sequence[Dated], editor: str) -> tuple[Reading, ...]:
    """
    Each grader's latest verdict on *prediction* (by effective day, then ``on``), by grader name.

    Two spellings of one name (case, spacing, invisible characters) are one grader, named as
    they first wrote it: one person cannot be two votes.
    """
    latest: dict[str, Dated] = {}
    named: dict[str, str] = {}
    for item in sorted(dated, key=lambda d: (d.effective, d.verdict.on, d.verdict.grade.value, d.verdict.why)):
        grader = item.verdict.grader(editor)
        key = name_key(grader)
        named.setdefault(key, grader)
        latest[key] = item
    return tuple(
        Reading(grader, item.verdict, item.effective, is_self_grade(item.verdict, grader, prediction.by))
        for grader, item in sorted(((named[key], item) for key, item in latest.items()), key=lambda pair: pair[0])
    )


def latest(found: Iterable[Reading]) -> Reading | None:
    """
    The reading that counts from the latest day (then ``on``, then grader name), or None.
    """
    return max(found, key=lambda r: (r.effective, r.verdict.on, r.grader), default=None)


def decide(found: Sequence[Reading]) -> tuple[Reading | None, Basis]:
    """
    The reading that decides, and on what basis.

    Independent graders before self-grades; among them a ``final`` verdict, else the
    majority; a tie is disputed. (``grade`` also keeps a self-grade from overriding a rule
    that settled the claim.)
    """
    independent = [reading for reading in found if not reading.self_grade]
    if not independent:
        own = latest(found)
        return (own, Basis.SELF) if own is not None else (None, Basis.RULE)
    final = latest(r for r in independent if r.verdict.final)
    if final is not None:
        return final, Basis.INDEPENDENT
    votes = Counter(reading.verdict.grade for reading in independent)
    ranked = votes.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None, Basis.DISPUTED
    winner = ranked[0][0]
    # Of the graders in the majority, the latest reading speaks for them.
    return latest(r for r in independent if r.verdict.grade is winner), Basis.INDEPENDENT


@attrs.frozen
class Result:
    """
    One prediction's grade as of a date, with its trail.

    *rule_outcome* is what the rule alone says; *verdict*, when present, overrode it;
    *readings* are every grader's latest verdict and *basis* says what decided.
    """

    prediction: Prediction
    outcome: Outcome
    rule_outcome: Outcome
    verdict: Verdict | None
    probability: float | None
    probability_basis: str | None
    readings: tuple[Reading, ...] = ()
    basis: Basis = Basis.RULE
    #: Every forecast made by the grading day (and by due): its day and probability, oldest first.
    forecasts: tuple[tuple[datetime.date, float | None], ...] = ()

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
    #: Which forecast of each prediction is scored (see ``POLICIES``).
    policy: str = "last"

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


def stated_probability(
    prediction: Prediction, words: Lexicon, day: datetime.date | None = None
) -> tuple[float | None, str | None]:
    """
    The probability a prediction carries on *day* (default: its due date).

    That is the latest update made by then, else the one given when it was made: a number,
    else its hedge word's, else none.

    An update after ``due`` never counts: the forecast that is scored is the one standing at due.
    """
    update = prediction.standing(prediction.due if day is None else day)
    probability, hedge = (
        (prediction.probability, prediction.hedge) if update is None else (update.probability, update.hedge)
    )
    when = "" if update is None else f" on {update.on}"
    if probability is not None:
        return probability, f"stated{when}"
    if hedge is not None:
        value = words.probability(hedge)
        if value is not None:
            return value, f"hedge {hedge!r}{when}"
    return None, None


#: How a prediction's forecasts become the one probability scored: the one made first, the
#: last one standing (at due, or at the grading day if earlier), or the average of every forecast
#: weighted by how many days it stood before then.
POLICIES = ("last", "first", "time-average")


def policy_probability(
    prediction: Prediction, words: Lexicon, day: datetime.date, policy: str = "last"
) -> tuple[float | None, str | None]:
    """
    The probability scored for *prediction* as of *day* under *policy* (see ``POLICIES``).

    ``last`` is ``stated_probability``; ``first`` ignores every update; ``time-average`` weights
    each forecast by the days it stood before the earlier of *day* and due (a forecast without a
    number, like an unknown hedge word, is left out of the average).

    Raises:
        UsageError: *policy* is not one of ``POLICIES``.
    """
    if policy == "last":
        return stated_probability(prediction, words, day)
    if policy == "first":
        return stated_probability(prediction, words, prediction.made)
    if policy != "time-average":
        msg = f"policy must be one of {', '.join(POLICIES)}, got {policy!r}"
        raise UsageError(msg)
    end = min(day, prediction.due)
    starts = [prediction.made, *(update.on for update in prediction.forecast if update.on <= end)]
    if len(starts) == 1 or end <= prediction.made:
        return stated_probability(prediction, words, end)
    weighted, days = 0.0, 0
    for start, stop in zip(starts, [*starts[1:], end], strict=True):
        value, _ = stated_probability(prediction, words, start)
        length = (stop - start).days
        if value is not None and length > 0:
            weighted, days = weighted + value * length, days + length
    if days == 0:
        return stated_probability(prediction, words, end)
    return weighted / days, f"time-average of {len(starts)} forecasts"


def grade(
    book: Book,
    *,
    as_of: datetime.date,
    policy: str = "last",
    written: Mapping[str, Mapping[datetime.date, datetime.date]] | None = None,
) -> Graded:
    """
    Grade every prediction made by *as_of* using only evidence known by the end of that day.

    A verdict in the ledger overrides the prediction's rule; both are kept in the result.
    Several graders are reconciled by ``decide``; a verdict counts from its effective day.
    *policy* says which of a prediction's forecasts is scored (see ``POLICIES``). *written*
    (prediction id → an update's date → the day it was written down, as git attests it) leaves
    out every update written once the outcome was known, whatever date it gives itself.
    """
    require(book, Book, "book", "a Book from scorecard.load()")
    check_day(as_of)
    if policy not in POLICIES:
        msg = f"policy must be one of {', '.join(POLICIES)}, got {policy!r}"
        raise UsageError(msg)
    known = known_on(book.ledger, as_of)
    words = lexicon(book.settings.hedges)
    results = []
    for prediction in sorted(book.predictions, key=lambda p: p.id):
        if prediction.made > as_of:
            continue
        rule_outcome = evaluate(prediction.rule, prediction.due, known)
        found = readings(prediction, known.verdicts.get(prediction.id, ()), book.settings.editor)
        deciding, basis = decide(found)
        if basis is Basis.SELF and rule_outcome.grade in _SETTLED:
            # The forecaster's own word does not override evidence that settles the claim.
            deciding, basis = None, Basis.RULE
        outcome = rule_outcome
        verdict = None if deciding is None else deciding.verdict
        if deciding is not None:
            assert verdict is not None  # noqa: S101 - set together above
            who = f"{deciding.grader}'s self-grade" if deciding.self_grade else deciding.grader
            # The grade rests on every independent grader who gave it, not only the one quoted.
            backing = [deciding.verdict] + [
                r.verdict
                for r in found
                if r is not deciding
                and not r.self_grade
                and r.verdict.grade is verdict.grade
                and not deciding.self_grade
            ]
            outcome = Outcome(
                verdict.grade,
                f"Verdict of {verdict.on} by {who}: {verdict.why}",
                tuple(
                    dict.fromkeys(
                        (*(v.key for v in backing), *(e for v in backing for e in v.evidence), *rule_outcome.evidence)
                    )
                ),
                tuple(dict.fromkeys((*(s for v in backing for s in v.sources), *rule_outcome.sources))),
                deciding.effective,
            )
        elif basis is Basis.DISPUTED:
            said = "; ".join(f"{r.grader}: {r.verdict.grade.label}" for r in found if not r.self_grade)
            outcome = Outcome(Grade.DISPUTED, f"Independent graders disagree ({said}) and none is final.")
        last = scored_until(prediction, as_of, outcome, rule_outcome)
        scored = written_in_time(prediction, (written or {}).get(prediction.id), outcome, rule_outcome)
        probability, probability_basis = policy_probability(scored, words, last, policy)
        days = [scored.made, *(update.on for update in scored.forecast if update.on <= last)]
        forecasts = tuple((day, stated_probability(scored, words, day)[0]) for day in days)
        results.append(
            Result(prediction, outcome, rule_outcome, verdict, probability, probability_basis, found, basis, forecasts)
        )
    return Graded(as_of, tuple(results), policy)


def written_in_time(
    prediction: Prediction, written: Mapping[datetime.date, datetime.date] | None, *outcomes: Outcome
) -> Prediction:
    """
    *prediction* without the updates *written* (update's date → day written) once an outcome was known.

    ``scored_until`` cuts the updates dated on or after that day; an update dated before it but
    written down after it (added later, backdated) is the same hindsight, and only its writing
    day shows it.
    """
    decided = [o.decided for o in outcomes if o.grade in _SETTLED and o.decided is not None]
    if not written or not decided or not prediction.forecast:
        return prediction
    known = min(decided)
    kept = tuple(update for update in prediction.forecast if written.get(update.on, update.on) < known)
    return prediction if len(kept) == len(prediction.forecast) else attrs.evolve(prediction, forecast=kept)


def scored_until(prediction: Prediction, as_of: datetime.date, *outcomes: Outcome) -> datetime.date:
    """
    The last day whose forecasts count for *prediction*: as of *as_of*, by due, before it was decided.

    A forecast made on or after the day an outcome (the grade's, or its rule's) became known is
    hindsight: the forecast scored is the one standing the day before.
    """
    last = min(as_of, prediction.due)
    decided = [o.decided for o in outcomes if o.grade in _SETTLED and o.decided is not None]
    if decided:
        known = min(decided)
        last = min(last, known - datetime.timedelta(days=1) if known > prediction.made else prediction.made)
    return last


def check_day(value: object, name: str = "as_of") -> None:
    """
    Refuse anything but a ``datetime.date``: a date-time or a string would compare wrongly.
    """
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise AsOfError(name, value)


def briers_and_credits(results: Iterable[Result], *, include_partly: bool = True) -> tuple[list[float], list[float]]:
    """
    The Brier scores of the graded results that carry a probability, and the hit credits of their calls.

    Graded means Yes, Sort of or No; Sort of scores as outcome ½ unless *include_partly* is false
    (its call still earns half credit).
    """
    briers, earned = [], []
    for result in results:
        outcome = result.grade.points
        if outcome is None:
            continue
        credit = call_credit(result.probability, outcome)
        if credit is not None:
            earned.append(credit)
        if result.probability is not None and (include_partly or outcome != 0.5):  # noqa: PLR2004 - Sort of
            briers.append(brier(result.probability, outcome))
    return briers, earned
