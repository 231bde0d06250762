"""
The rule engine: what the evidence known on a date says about one rule.

Pure functions of (rule, due date, what was known). Nothing here reads files or the clock.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping
from itertools import accumulate
from typing import TYPE_CHECKING

import attrs

from ._grades import Grade
from ._model import (
    AllRule,
    AnyRule,
    ChangeRule,
    Citation,
    Event,
    EventRule,
    JudgmentRule,
    Ledger,
    Metric,
    Observation,
    Op,
    Rule,
    ThresholdRule,
    Verdict,
    When,
    effective_day,
    known_dates,
)
from ._time import Period, describe_gap

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


@attrs.frozen
class Outcome:
    """
    A grade with its trail: the sentence that explains it and the evidence and sources behind it.

    *decided* is the day from which the grade holds (None while pending or unresolved).
    """

    grade: Grade
    explanation: str
    evidence: tuple[str, ...] = ()
    sources: tuple[Citation, ...] = ()
    decided: datetime.date | None = None


@attrs.frozen
class Series:
    """
    One metric's known observations, ordered by the end of their period, indexed by period.
    """

    observations: tuple[Observation, ...]
    ends: tuple[datetime.date, ...]
    by_period: Mapping[Period, tuple[Observation, ...]]
    #: Aligned with *observations*: each value, and its place in the order in which they became
    #: known (by day known, period end and key; the first to meet a bar decides).
    values: tuple[float, ...] = ()
    ranks: tuple[int, ...] = ()
    #: Position of each rank: the inverse of *ranks*.
    by_rank: tuple[int, ...] = ()
    #: Nodes of a Fenwick tree over positions, built on first use (see ``first_meeting``).
    _nodes: dict[int, _Node] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def of(cls, observations: list[Observation]) -> Series:
        """
        Index *observations* (of one metric).
        """
        # Each observation's order key is made once: span, known and key are computed properties.
        keyed = sorted(zip(map(_observation_order, observations), range(len(observations)), observations, strict=True))
        ordered = tuple(observation for _, _, observation in keyed)
        by_period: dict[Period, list[Observation]] = defaultdict(list)
        for observation in ordered:
            by_period[observation.span].append(observation)
        ends = tuple(order[0] for order, _, _ in keyed)
        # The order in which they became known: by day known, period end and key.
        known_order = [(order[2], order[0], order[3]) for order, _, _ in keyed]
        # Stable: of two observations known in the same order, the earlier position ranks first.
        by_rank = sorted(range(len(ordered)), key=known_order.__getitem__)
        ranks = [0] * len(ordered)
        for rank, position in enumerate(by_rank):
            ranks[position] = rank
        return cls(
            ordered,
            ends,
            {k: tuple(v) for k, v in by_period.items()},
            tuple(o.value for o in ordered),
            tuple(ranks),
            tuple(by_rank),
        )

    def ending_by(self, day: datetime.date) -> tuple[Observation, ...]:
        """
        The observations whose period ended on or before *day*.
        """
        return self.observations[: self.count_by(day)]

    def count_by(self, day: datetime.date) -> int:
        """
        How many observations have a period that ended on or before *day* (they come first).
        """
        return bisect_right(self.ends, day)

    def first_meeting(self, count: int, op: Op, bar: float) -> Observation | None:
        """
        Of the first *count* observations, the first known whose value meets ``value <op> bar``.

        Many rules share a metric and its series is long, so this must not scan it: a Fenwick
        tree over positions splits the first *count* into at most log2(count) + 1 runs, and each
        run holds its values sorted with the lowest rank at or above (for >=, >) or at or below
        (for <=, <) each place, so one bisection per run finds that run's first known hit.
        """
        best = len(self.values)
        node = count
        while node > 0:
            found = self._nodes.get(node)
            if found is None:
                found = self._nodes[node] = _Node.of(self.values, self.ranks, node - (node & -node), node)
            if op is Op.GE:
                rank = found.from_[bisect_left(found.values, bar)]
            elif op is Op.GT:
                rank = found.from_[bisect_right(found.values, bar)]
            elif op is Op.LE:
                rank = found.up_to[bisect_right(found.values, bar)]
            else:
                rank = found.up_to[bisect_left(found.values, bar)]
            best = min(rank, best)
            node &= node - 1
        return self.observations[self.by_rank[best]] if best < len(self.values) else None


class _Node:
    """
    One run of a series' positions, its values sorted, with the lowest rank from and up to each.

    *values* are those of positions *start* to *stop* (exclusive) in ascending order; *from_*
    holds the lowest rank among the values from each place on, *up_to* among those before it.
    Both rank lists have one more entry than *values*; their ends hold a rank past every real one.

    A plain class, not attrs: it is never compared or shown, and each attrs class costs every
    command about 3 ms of start-up to generate.
    """

    __slots__ = ("from_", "up_to", "values")

    def __init__(self, values: list[float], from_: list[int], up_to: list[int]) -> None:
        self.values = values
        self.from_ = from_
        self.up_to = up_to

    @classmethod
    def of(cls, values: Sequence[float], ranks: Sequence[int], start: int, stop: int) -> _Node:
        """
        The node for positions *start* to *stop* of a series' *values* and *ranks*.
        """
        order = sorted(range(start, stop), key=values.__getitem__)
        ordered = [ranks[i] for i in order]
        past = len(values)
        return cls(
            [values[i] for i in order],
            [*accumulate(reversed(ordered), min, initial=past)][::-1],
            [*accumulate(ordered, min, initial=past)],
        )


EMPTY_SERIES = Series((), (), {})


@attrs.frozen
class Known:
    """
    The ledger as it stood at the end of *as_of*: only evidence public by then.
    """

    as_of: datetime.date
    events: Mapping[str, Event]
    undated: Mapping[str, Event]
    series: Mapping[str, Series]
    verdicts: Mapping[str, tuple[Dated, ...]]
    metrics: Mapping[str, Metric]


@attrs.frozen
class Dated:
    """
    A verdict with the day it counts from.

    That is the latest of its ``on``, the days the evidence it cites became known and its
    sources' publication days.
    """

    verdict: Verdict
    effective: datetime.date


def known_events(ledger: Ledger, as_of: datetime.date) -> dict[str, Event]:
    """
    The dated events known by the end of *as_of*, by id; of entries sharing an id, the first in the ledger.
    """
    events: dict[str, Event] = {}
    for event in ledger.event:
        known = event.known
        if known is not None and known <= as_of:
            events.setdefault(event.id, event)
    return events


def known_on(ledger: Ledger, as_of: datetime.date) -> Known:
    """
    Index the evidence known by the end of *as_of*.
    """
    events = known_events(ledger, as_of)
    undated: dict[str, Event] = {}
    for event in ledger.event:
        known = event.known
        if known is not None and known <= as_of:
            continue
        if event.checked is not None and event.checked <= as_of:
            # The latest check speaks for the event: each says "not yet, as of this day".
            earlier = undated.get(event.id)
            if earlier is None or (earlier.checked is not None and earlier.checked < event.checked):
                undated[event.id] = event
    by_metric: dict[str, list[Observation]] = defaultdict(list)
    for observation in ledger.observation:
        if observation.known <= as_of:
            by_metric[observation.metric].append(observation)
    dates = known_dates(ledger) if ledger.verdict else {}
    verdicts: dict[str, list[Dated]] = defaultdict(list)
    for verdict in ledger.verdict:
        effective = effective_day(verdict, dates)
        if effective <= as_of:
            verdicts[verdict.prediction].append(Dated(verdict, effective))
    return Known(
        as_of=as_of,
        events=events,
        undated=undated,
        series={metric: Series.of(found) for metric, found in by_metric.items()},
        verdicts={prediction: tuple(found) for prediction, found in verdicts.items()},
        metrics={metric.id: metric for metric in ledger.metric},
    )


def _observation_order(observation: Observation) -> tuple[datetime.date, datetime.date, datetime.date, str, float, str]:
    # A total order that does not depend on file or entry order, so grades cannot either.
    # (span.end, span.start, known, key, value, source): the properties spelt out, span made once.
    span = observation.span
    return (
        span.end,
        span.start,
        observation.reported or span.end,
        observation.id or f"{observation.metric}@{span}",
        observation.value,
        observation.source.url,
    )


def evaluate(rule: Rule, due: datetime.date, known: Known) -> Outcome:
    """
    Grade *rule* for a prediction due on *due*, from the evidence in *known*.
    """
    if isinstance(rule, EventRule):
        return _event(rule, due, known)
    if isinstance(rule, ThresholdRule):
        return _threshold(rule, due, known)
    if isinstance(rule, ChangeRule):
        return _change(rule, due, known)
    if isinstance(rule, JudgmentRule):
        if known.as_of < due:
            return Outcome(Grade.PENDING, f"A judgment call, due {due}; no verdict yet.")
        return Outcome(Grade.UNRESOLVED, f"A judgment call that was due {due}; it needs a verdict in the ledger.")
    return _combined(rule, due, known)


def _event(rule: EventRule, due: datetime.date, known: Known) -> Outcome:
    event = known.events.get(rule.event)
    late_limit = None if rule.partly_within is None else rule.partly_within.after(due)
    if event is not None:
        assert event.on is not None  # noqa: S101 - dated events only, by known_on
        assert event.source is not None  # noqa: S101 - dated events carry a source, by the model
        trail = ((event.id,), (event.source,), event.known)
        said = f"{event.summary.rstrip('.')} ({event.on})"
        if event.on <= due:
            grade = Grade.YES if rule.expect else Grade.NO
            return Outcome(grade, f"{said}, on or before the {due} deadline.", *trail)
        late = f"{said}: {describe_gap(due, event.on)} after the {due} deadline"
        if not rule.expect:
            return Outcome(Grade.YES, f"{late}, so it had not happened by then.", *trail)
        if late_limit is not None and event.on <= late_limit:
            return Outcome(Grade.PARTLY, f"{late}, within the {rule.partly_within} allowed for Sort of.", *trail)
        if late_limit is not None:
            return Outcome(Grade.NO, f"{late}, beyond the {rule.partly_within} allowed for Sort of.", *trail)
        return Outcome(Grade.NO, f"{late}.", *trail)
    if known.as_of < due:
        return Outcome(Grade.PENDING, f"No record yet that {rule.event!r} happened; due {due}.")
    final = due if late_limit is None or not rule.expect else late_limit
    if known.as_of < final:
        return Outcome(
            Grade.PENDING, f"{rule.event!r} missed the {due} deadline; it earns Sort of if it happens by {final}."
        )
    check = known.undated.get(rule.event)
    if check is not None and check.checked is not None and check.checked >= final:
        assert check.source is not None  # noqa: S101 - checked events carry a source, by the model
        grade = Grade.NO if rule.expect else Grade.YES
        return Outcome(
            grade,
            f"{check.summary.rstrip('.')}: not happened as of {check.checked}, after the {final} deadline.",
            (check.id,),
            (check.source,),
            check.checked,
        )
    return Outcome(
        Grade.UNRESOLVED,
        f"No record of {rule.event!r} by the {final} deadline, and no source checked on or after {final} "
        "shows that it had not happened.",
    )


def _value(observation: Observation, known: Known) -> str:
    metric = known.metrics.get(observation.metric)
    unit = f" {metric.unit}" if metric is not None else ""
    return f"{observation.value:,.6g}{unit} ({observation.span})"


def _trail(observations: Iterable[Observation]) -> tuple[tuple[str, ...], tuple[Citation, ...], datetime.date | None]:
    found = list(observations)
    return (
        tuple(dict.fromkeys(o.key for o in found)),
        tuple(dict.fromkeys(o.source for o in found)),
        max((o.known for o in found), default=None),
    )


def _best(observations: Sequence[Observation], op: Op) -> Observation:
    if op in (Op.GE, Op.GT):
        return max(observations, key=lambda o: (o.value, o.span.end, o.key))
    return min(observations, key=lambda o: (o.value, o.span.end, o.key))


def _threshold(rule: ThresholdRule, due: datetime.date, known: Known) -> Outcome:
    series = known.series.get(rule.metric, EMPTY_SERIES)
    bar = f"{rule.metric} {rule.op.value} {rule.value:,.6g}"
    if rule.when is When.BY:
        if rule.period is None:
            # Counted, not sliced: copying the observations ending by *due* is linear in the series.
            first = series.first_meeting(series.count_by(due), rule.op, rule.value)
        else:
            hits = [o for o in series.by_period.get(rule.period, ()) if rule.op.holds(o.value, rule.value)]
            first = min(hits, key=lambda o: (o.known, o.span.end, o.key), default=None)
        if first is not None:
            return Outcome(Grade.YES, f"{_value(first, known)} meets {bar}.", *_trail([first]))
    found = series.by_period.get(rule.period, ()) if rule.period is not None else series.ending_by(due)
    if rule.when is When.BY:
        if known.as_of < due:
            so_far = f" best so far {_value(_best(found, rule.op), known)}" if found else " no observation yet"
            return Outcome(Grade.PENDING, f"{bar} not reached by {known.as_of};{so_far}; due {due}.")
        if not found:
            return Outcome(Grade.UNRESOLVED, f"No observation of {rule.metric} dated by {due} to compare with {bar}.")
        best = _best(found, rule.op)
        return _below_bar(rule, best, bar, _value(best, known))
    if known.as_of < due:
        return Outcome(Grade.PENDING, f"{bar} is judged at {due}.")
    if not found:
        return Outcome(Grade.UNRESOLVED, f"No observation of {rule.metric} at {due} to compare with {bar}.")
    latest = found[-1]  # the series is in _observation_order
    if rule.op.holds(latest.value, rule.value):
        return Outcome(Grade.YES, f"{_value(latest, known)}, the latest by {due}, meets {bar}.", *_trail([latest]))
    return _below_bar(rule, latest, bar, f"{_value(latest, known)}, the latest by {due},")


def _below_bar(rule: ThresholdRule, observation: Observation, bar: str, said: str) -> Outcome:
    trail = _trail([observation])
    if rule.partly is not None and rule.op.holds(observation.value, rule.partly):
        return Outcome(
            Grade.PARTLY,
            f"{said} misses {bar} but meets the Sort of bar {rule.partly:,.6g}.",
            *trail,
        )
    return Outcome(Grade.NO, f"{said} misses {bar}.", *trail)


def _period_value(metric: str, period: Period, known: Known) -> Observation | None:
    matching = known.series.get(metric, EMPTY_SERIES).by_period.get(period, ())
    return matching[-1] if matching else None  # the latest known figure for the period


def _change(rule: ChangeRule, due: datetime.date, known: Known) -> Outcome:
    before = _period_value(rule.metric, rule.from_, known)
    after = _period_value(rule.metric, rule.to, known)
    missing = [str(period) for period, found in ((rule.from_, before), (rule.to, after)) if found is None]
    if before is None or after is None:
        wanted = " and ".join(missing)
        if known.as_of < max(due, rule.to.end):
            return Outcome(Grade.PENDING, f"Waiting for {rule.metric} for {wanted}; due {due}.")
        return Outcome(Grade.UNRESOLVED, f"No observation of {rule.metric} for {wanted}.")
    trail = _trail([before, after])
    if before.value == 0:
        return Outcome(Grade.UNRESOLVED, f"{rule.metric} was 0 for {rule.from_}, so no ratio can be taken.", *trail[:2])
    if before.value < 0 or after.value < 0:
        # A factor compares amounts: from -1 to 5 is a rise, yet its ratio (-5) would "meet" a tenfold fall.
        return Outcome(
            Grade.UNRESOLVED,
            f"{rule.metric} went from {_value(before, known)} to {_value(after, known)}: a factor is taken "
            "between values that are not negative, so none can be taken.",
            *trail[:2],
        )
    ratio = after.value / before.value
    said = f"{rule.metric} went from {_value(before, known)} to {_value(after, known)}, a factor of {ratio:.3g}"
    target = f"{rule.op.value} {rule.factor:g}"
    if rule.op.holds(ratio, rule.factor):
        return Outcome(Grade.YES, f"{said}, which meets {target}.", *trail)
    if rule.partly is not None and rule.op.holds(ratio, rule.partly):
        return Outcome(Grade.PARTLY, f"{said}: misses {target} but meets the Sort of bar {rule.partly:g}.", *trail)
    return Outcome(Grade.NO, f"{said}, which misses {target}.", *trail)


def _combined(rule: AllRule | AnyRule, due: datetime.date, known: Known) -> Outcome:
    parts = [evaluate(sub, due, known) for sub in rule.of]
    grades = {part.grade for part in parts}
    if isinstance(rule, AllRule):
        grade = _all_grade(grades)
        deciding = [p for p in parts if p.grade is Grade.NO] if grade is Grade.NO else parts
        decided = min if grade is Grade.NO else max
        word = "all of"
    else:
        grade = _any_grade(grades)
        deciding = [p for p in parts if p.grade is Grade.YES] if grade is Grade.YES else parts
        decided = min if grade is Grade.YES else max
        word = "any of"
    explanation = f"{grade.label} on {word}: " + " ".join(
        f"({number}) {part.grade.label}: {part.explanation}" for number, part in enumerate(parts, start=1)
    )
    resolved = grade in (Grade.YES, Grade.PARTLY, Grade.NO)
    days = [p.decided for p in deciding if p.decided is not None]
    return Outcome(
        grade,
        explanation,
        tuple(dict.fromkeys(item for p in deciding for item in p.evidence)),
        tuple(dict.fromkeys(item for p in deciding for item in p.sources)),
        decided(days) if resolved and days else None,
    )


def _all_grade(grades: set[Grade]) -> Grade:
    for grade in (Grade.NO, Grade.PENDING, Grade.UNRESOLVED):
        if grade in grades:
            return grade
    return Grade.YES if grades == {Grade.YES} else Grade.PARTLY


def _any_grade(grades: set[Grade]) -> Grade:
    for grade in (Grade.YES, Grade.PENDING, Grade.UNRESOLVED, Grade.PARTLY):
        if grade in grades:
            return grade
    return Grade.NO
