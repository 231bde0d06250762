"""
A forecast table reduced to counts: how many rows said each probability with each outcome.

Scoring needs no object per row, only counts of distinct cells, kept for the dimensions asked
for and no others (per forecaster, tag text, year made, question). Rows are counted in batches,
column by column, so the per-row work is done in C.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from itertools import count, groupby
from operator import itemgetter
from typing import TYPE_CHECKING

import attrs

from ._grades import OUTCOMES
from ._statistics import Shared, shared_scores
from ._table_values import DATE_COLUMNS, made_after_resolution, probability_value

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

DIMENSIONS = ("forecaster", "tag", "year", "question")
#: ``all`` counts every row; the others keep one forecast per (question, forecaster): the last
#: row by ``made`` (``latest``), the earliest (``first``), the last standing at ``due``
#: (``last``), or the time-weighted average of those standing before ``due`` (``time-average``).
POLICIES = ("all", "latest", "first", "last", "time-average")
#: How many of the rows made after their resolution a table names.
LATE_ROWS = 5
#: The columns each grouping dimension is read from.
_GROUP_COLUMN = {"forecaster": "forecaster", "tag": "tags", "year": "made"}
_YEAR = itemgetter(slice(0, 4))
#: The columns a row needs to be counted under --policy latest, in the order kept.
_LATEST = ("made", "question", "forecaster", "probability", "outcome", "tags")


@attrs.frozen
class Middle:
    """
    The middle forecasts of one question (equal when it has an odd number) and its outcome.

    The outcome is the one most of the question's rows carry (they agree in a clean table).
    """

    lower: float
    upper: float
    outcome: str


@attrs.frozen
class Crowd:
    """
    Per question, its middle forecasts: counting rows resolved partly, and leaving them out.
    """

    with_partly: Mapping[str, Middle]
    without_partly: Mapping[str, Middle]


@attrs.frozen
class ForecastTable:
    """
    A forecast table reduced to counts: every row is one forecast.

    *pairs* counts rows by (probability, outcome) as written. *groups* counts them, for each
    dimension read, by (forecaster, tags text or year made; probability; outcome), and *members*
    holds the (group, forecaster) pairs seen. *crowd* holds each question's middle forecasts
    when the ``question`` dimension was read. *policy* says which rows were kept. *shared*
    compares each forecaster with the others on shared questions, when the ``forecaster``
    dimension was read.

    Rows made on or after their own resolved date are hindsight: no policy chooses them and
    nothing above counts them. *after_resolution* says how many there were, and
    *after_resolution_groups* how many of them each grouping value read holds (by dimension:
    forecaster, tags text, year made); *after_resolution_lines* gives the first few of their
    lines (rows, for Parquet).
    """

    path: str
    forecasts: int
    policy: str
    dimensions: frozenset[str]
    pairs: Mapping[tuple[str, str], int] = attrs.field(repr=False)
    forecasters: frozenset[str] = attrs.field(repr=False)
    groups: Mapping[str, Mapping[tuple[str, str, str], int]] = attrs.field(factory=dict, repr=False)
    members: Mapping[str, frozenset[tuple[str, str]]] = attrs.field(factory=dict, repr=False)
    crowd: Crowd | None = attrs.field(default=None, repr=False)
    shared: Mapping[str, Shared] = attrs.field(factory=dict, repr=False)
    after_resolution: int = 0
    after_resolution_groups: Mapping[str, Mapping[str, int]] = attrs.field(factory=dict, repr=False)
    after_resolution_lines: tuple[int, ...] = ()

    def __len__(self) -> int:
        return self.forecasts


def _column(columns: Mapping[str, Sequence[str]], name: str, rows: int) -> Sequence[str]:
    return columns.get(name) or [""] * rows


@attrs.define
class Tally:
    """
    What has been counted so far, for the dimensions asked for and the policy.
    """

    dimensions: frozenset[str]
    policy: str = "all"
    rows: int = 0
    pairs: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    forecasters: set[str] = attrs.field(factory=set)
    dates: dict[str, set[str]] = attrs.field(factory=lambda: {name: set() for name in DATE_COLUMNS})
    blank_question: bool = False
    groups: dict[str, Counter[tuple[str, str, str]]] = attrs.field(factory=dict)
    members: dict[str, set[tuple[str, str]]] = attrs.field(factory=dict)
    questions: Counter[tuple[str, str, str]] = attrs.field(factory=Counter)
    latest: dict[tuple[str, str], tuple[str | int, ...]] = attrs.field(factory=dict)
    #: Under ``all`` with the ``forecaster`` dimension, each forecaster's latest (made, probability,
    #: outcome) per question, for the comparisons on shared questions.
    compared: dict[tuple[str, str], tuple[str, str, str]] = attrs.field(factory=dict)
    #: Under ``first``, ``last`` and ``time-average``, every row, to choose from at the end.
    every: list[tuple[str | int, ...]] = attrs.field(factory=list)
    #: Under every policy but ``all``, the probabilities and outcomes of every row, kept or not, for checking.
    seen: dict[str, set[str]] = attrs.field(factory=lambda: {"probability": set(), "outcome": set()})
    #: Rows made on or after their own resolved date, never scored: by (probability, outcome),
    #: and by each grouping dimension's value.
    late: Counter[tuple[str, str]] = attrs.field(factory=Counter)
    late_groups: dict[str, Counter[str]] = attrs.field(factory=dict)
    #: Every row read, scored or not.
    read: int = 0
    #: The numbers (from 1) of the first rows made after their resolution.
    late_rows: list[int] = attrs.field(factory=list)

    def add(self, columns: Mapping[str, Sequence[str]], rows: int) -> None:
        """
        Count *rows* rows given column by column (a column not in the table is absent).

        Every row's values are checked later, whatever the policy; under any policy but ``all``
        the counts wait until each forecaster's forecast per question is chosen. Under ``all``
        with the ``forecaster`` dimension, each forecaster's last forecast per question is kept
        too, for the comparisons on shared questions.
        """
        self.read += rows
        for name in DATE_COLUMNS:
            if name in columns:
                self.dates[name].update(columns[name])
        if "question" in columns and "" in columns["question"]:
            self.blank_question = True
        late = _late_rows(columns)
        if late:
            self._count_late(columns, rows, late)
            start = self.read - rows
            self.late_rows += [start + n + 1 for n in late[: LATE_ROWS - len(self.late_rows)]]
            columns, rows = _without(columns, late, rows), rows - len(late)
        if self.policy == "all":
            if "forecaster" in self.dimensions:
                self._keep_compared(columns, rows)
            self._count(columns, rows)
            return
        for name, values in self.seen.items():
            values.update(_column(columns, name, rows))
        if self.policy == "latest":
            self._keep_latest(columns, rows)
        else:
            self._keep_every(columns, rows)
        self.rows += rows

    def _count_late(self, columns: Mapping[str, Sequence[str]], rows: int, late: list[int]) -> None:
        def picked(name: str) -> list[str]:
            values = _column(columns, name, rows)
            return [values[n] for n in late]

        self.late.update(zip(picked("probability"), picked("outcome"), strict=True))
        for dimension in self.dimensions - {"question"}:
            values = picked(_GROUP_COLUMN[dimension])
            self.late_groups.setdefault(dimension, Counter()).update(
                map(_YEAR, values) if dimension == "year" else values
            )

    def _count(self, columns: Mapping[str, Sequence[str]], rows: int) -> None:
        self.rows += rows
        probability = _column(columns, "probability", rows)
        outcome = _column(columns, "outcome", rows)
        forecaster = _column(columns, "forecaster", rows)
        self.pairs.update(zip(probability, outcome, strict=True))
        self.forecasters.update(forecaster)
        for dimension in self.dimensions - {"question"}:
            values: Iterable[str] = _column(columns, _GROUP_COLUMN[dimension], rows)
            if dimension == "year":
                values = list(map(_YEAR, values))
            self.groups.setdefault(dimension, Counter()).update(zip(values, probability, outcome, strict=True))
            if dimension != "forecaster":
                self.members.setdefault(dimension, set()).update(zip(values, forecaster, strict=True))
        if "question" in self.dimensions:
            self.questions.update(zip(_column(columns, "question", rows), probability, outcome, strict=True))

    def _keep_compared(self, columns: Mapping[str, Sequence[str]], rows: int) -> None:
        compared = self.compared
        made = _column(columns, "made", rows)
        keys = zip(_column(columns, "question", rows), _column(columns, "forecaster", rows), strict=True)
        cells = zip(made, _column(columns, "probability", rows), _column(columns, "outcome", rows), strict=True)
        # Rows come in file order, so a row made the same day as the one held is later and replaces it.
        for key, kept in zip(keys, cells, strict=True):
            held = compared.get(key)
            if held is None or held[0] <= kept[0]:
                compared[key] = kept

    def _keep_latest(self, columns: Mapping[str, Sequence[str]], rows: int) -> None:
        """
        Keep, per (question, forecaster), the row with the latest ``made``, then the latest row.
        """
        # (made, row number, ...) tuples sort by made, then row order, since row numbers are
        # unique; a dict built in that order keeps each key's last, that is latest, row.
        made = _column(columns, "made", rows)
        others = [_column(columns, name, rows) for name in _LATEST[1:]]
        ranked = sorted(zip(made, count(self.rows), *others))
        block = dict(zip(map(itemgetter(2, 3), ranked), ranked, strict=True))
        for key in block.keys() & self.latest.keys():
            if block[key] < self.latest[key]:
                del block[key]
        self.latest.update(block)

    def _keep_every(self, columns: Mapping[str, Sequence[str]], rows: int) -> None:
        made = _column(columns, "made", rows)
        others = [_column(columns, name, rows) for name in _EVERY[2:]]
        self.every += zip(made, range(self.rows, self.rows + rows), *others, strict=True)

    def values(self, name: str) -> set[str]:
        """
        The distinct probabilities or outcomes of every row read, scored or not.
        """
        late = {pair[name == "outcome"] for pair in self.late}
        if self.policy != "all":
            return self.seen[name] | late
        return {pair[name == "outcome"] for pair in self.pairs} | late

    def finish(self, path: str) -> ForecastTable:
        """
        The counts as a table; under any policy but ``all`` the kept rows are counted now.
        """
        forecasts = self.rows
        latest = list(self.latest.values())
        self.latest = {}
        if self.policy == "all":
            shared = shared_of(
                (question, forecaster, p, o) for (question, forecaster), (_, p, o) in sorted(self.compared.items())
            )
            self.compared = {}
        else:
            kept = latest if self.policy == "latest" else chosen(self.every, self.policy)
            self.every = []
            self.rows = 0
            self.count_kept(kept)
            forecasts = self.rows
            shared = shared_of(sorted(map(_COMPARED, kept))) if "forecaster" in self.dimensions else {}
        return ForecastTable(
            path=path,
            forecasts=forecasts,
            policy=self.policy,
            dimensions=self.dimensions,
            pairs=dict(self.pairs),
            forecasters=frozenset(self.forecasters - {""}),
            groups={name: dict(counted) for name, counted in self.groups.items()},
            members={name: frozenset(pairs) for name, pairs in self.members.items()},
            crowd=crowd_of(self.questions) if "question" in self.dimensions else None,
            shared=shared,
            after_resolution=sum(self.late.values()),
            after_resolution_groups={name: dict(counted) for name, counted in self.late_groups.items()},
            after_resolution_lines=tuple(self.late_rows),
        )

    def count_kept(self, kept: Sequence[tuple[str | int, ...]]) -> None:
        """
        Count the rows a policy kept, each as (made, row, question, forecaster, probability, outcome, tags).
        """
        positions = {name: n + (n > 0) for n, name in enumerate(_LATEST)}
        self._count({name: list(map(itemgetter(positions[name]), kept)) for name in _LATEST}, len(kept))


def _late_rows(columns: Mapping[str, Sequence[str]]) -> list[int]:
    """
    The positions of the rows made on or after their own resolved date.
    """
    made, resolved = columns.get("made"), columns.get("resolved")
    if not made or not resolved:
        return []
    return [n for n, (m, r) in enumerate(zip(made, resolved, strict=True)) if made_after_resolution(m, r)]


def _without(columns: Mapping[str, Sequence[str]], left_out: list[int], rows: int) -> dict[str, Sequence[str]]:
    """
    The columns without the rows at *left_out*.
    """
    dropped = set(left_out)
    kept = [n for n in range(rows) if n not in dropped]
    return {name: [values[n] for n in kept] for name, values in columns.items()}


#: What the comparisons on shared questions read of a kept row: question, forecaster, probability, outcome.
_COMPARED = itemgetter(2, 3, 4, 5)
#: The columns kept of every row under first, last and time-average, in order (row number second).
_EVERY = ("made", "row", "question", "forecaster", "due", "probability", "outcome", "tags")


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def time_average(forecasts: Sequence[tuple[str, str]], due: str) -> float | None:
    """
    The average of (made, probability) forecasts, ordered, weighted by the days each stood before *due*.

    As records are averaged (``_grade.policy_probability``): the first forecast always counts,
    later ones only if made by *due*; each stands until the next is made, the last until *due*;
    spans of no days and forecasts without a probability are left out. None when there is
    nothing to average (no due, a forecast without a date, one forecast, or no span with days),
    and the last forecast standing is scored instead.
    """
    if not due or not forecasts or not forecasts[0][0]:
        return None
    starts = [forecasts[0], *(forecast for forecast in forecasts[1:] if forecast[0] <= due)]
    if len(starts) == 1 or due <= starts[0][0]:
        return None
    weighted, days = 0.0, 0
    for (start, text), stop in zip(starts, [*(made for made, _ in starts[1:]), due], strict=True):
        value = probability_value(text)
        length = (_day(stop) - _day(start)).days
        if value is not None and length > 0:
            weighted, days = weighted + value * length, days + length
    return weighted / days if days else None


def chosen(every: Iterable[tuple[str | int, ...]], policy: str) -> list[tuple[str | int, ...]]:
    """
    The one forecast per (question, forecaster) that *policy* scores, from every row.

    Rows are (made, row, question, forecaster, due, probability, outcome, tags); each kept one is
    (made, row, question, forecaster, probability, outcome, tags), ordered by question and
    forecaster. Rows order by ``made`` (without one, first), then by row: of rows made the same
    day the later counts. ``first`` is the earliest (the first row, of rows without ``made``); ``last`` the last made by the ``due`` of the
    forecaster's last row (all of them without a due; the earliest when all came after it);
    ``time-average`` is ``last`` with the probability replaced by ``time_average``'s.
    """
    kept: list[tuple[str | int, ...]] = []
    ordered = sorted(every, key=itemgetter(2, 3, 0, 1))
    for _, group in groupby(ordered, key=itemgetter(2, 3)):
        rows = list(group)
        earliest = rows[0][0]
        first = rows[0]
        # Of forecasts made the same day the later counts; rows without a date are in file order.
        for row in rows[1:] if earliest else ():
            if row[0] != earliest:
                break
            first = row
        pick = first
        if policy != "first":
            due = str(rows[-1][4])
            standing = [row for row in rows if not due or str(row[0]) <= due]
            pick = standing[-1] if standing else first
        probability = pick[5]
        if policy == "time-average":
            average = time_average([(str(row[0]), str(row[5])) for row in rows], str(rows[-1][4]))
            if average is not None:
                probability = repr(average)
        kept.append((pick[0], pick[1], pick[2], pick[3], probability, pick[6], pick[7]))
    return kept


def shared_of(kept: Iterable[tuple[str, str, str, str]]) -> dict[str, Shared]:
    """
    The comparisons on shared questions, from kept forecasts as (question, forecaster, probability, outcome).

    The forecasts come grouped by question (each question's together), so only one question is
    held at a time. Only forecasts resolved yes or no, with a probability and a forecaster, count.
    """
    # Few distinct probability texts stand for many rows: each is read once.
    chances: dict[str, float | None] = {}
    values = {"yes": 1.0, "no": 0.0}

    def usable(forecasts: Iterable[tuple[str, str, str, str]]) -> list[tuple[str, float, float]]:
        found = []
        for _, forecaster, probability, outcome in forecasts:
            value = values.get(outcome)
            if value is None or not forecaster:
                continue
            if probability not in chances:
                chances[probability] = probability_value(probability)
            chance = chances[probability]
            if chance is not None:
                found.append((forecaster, chance, value))
        # Forecasters in one order on either reader, so each question's sums agree to the last bit.
        return sorted(found)

    return shared_scores(usable(forecasts) for _, forecasts in groupby(kept, key=itemgetter(0)))


def middle(counted: Iterable[tuple[float, int]]) -> tuple[float, float]:
    """
    The lower and upper middle of forecasts given as (value, how many), as ``statistics.median`` picks them.
    """
    ordered = sorted(counted)
    total = sum(n for _, n in ordered)
    lower_at, upper_at = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for value, n in ordered:
        if lower is None and lower_at < seen + n:
            lower = value
        if upper_at < seen + n:
            upper = value
            break
        seen += n
    assert lower is not None  # noqa: S101 - total > 0
    assert upper is not None  # noqa: S101 - total > 0
    return lower, upper


def majority(votes: Mapping[str, int]) -> str:
    """
    The outcome most rows carry; of equals, the first in alphabetical order.
    """
    return max(sorted(votes), key=votes.__getitem__)


def crowd_of(questions: Mapping[tuple[str, str, str], int]) -> Crowd:
    """
    Each question's middle forecasts and outcome, from counts by (question, probability, outcome).
    """
    forecasts: dict[bool, dict[str, list[tuple[float, int]]]] = {True: {}, False: {}}
    votes: dict[bool, dict[str, Counter[str]]] = {True: {}, False: {}}
    for (question, probability, outcome), n in questions.items():
        chance = probability_value(probability)
        if OUTCOMES.get(outcome) is None or chance is None:
            continue
        for with_partly in (True, False) if outcome != "partly" else (True,):
            forecasts[with_partly].setdefault(question, []).append((chance, n))
            votes[with_partly].setdefault(question, Counter())[outcome] += n
    middles = {
        with_partly: {
            question: Middle(*middle(counted), majority(votes[with_partly][question]))
            for question, counted in forecasts[with_partly].items()
        }
        for with_partly in (True, False)
    }
    return Crowd(middles[True], middles[False])
