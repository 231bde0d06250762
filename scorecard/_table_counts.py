"""
A forecast table reduced to counts: how many rows said each probability with each outcome.

Scoring needs no object per row, only counts of distinct cells, kept for the dimensions asked
for and no others (per forecaster, tag text, year made, question). Rows are counted in batches,
column by column, so the per-row work is done in C.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from itertools import count
from operator import itemgetter
from typing import TYPE_CHECKING

import attrs

from ._model import OUTCOMES
from ._table_values import DATE_COLUMNS, probability_value

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

DIMENSIONS = ("forecaster", "tag", "year", "question")
POLICIES = ("all", "latest")
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
    when the ``question`` dimension was read. *policy* says which rows were kept.
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
    #: Under ``latest``, the probabilities and outcomes of every row, kept or not, for checking.
    seen: dict[str, set[str]] = attrs.field(factory=lambda: {"probability": set(), "outcome": set()})

    def add(self, columns: Mapping[str, Sequence[str]], rows: int) -> None:
        """
        Count *rows* rows given column by column (a column not in the table is absent).

        Every row's values are checked later, whatever the policy; under ``latest`` the counts
        wait until each forecaster's last forecast per question is known.
        """
        for name in DATE_COLUMNS:
            if name in columns:
                self.dates[name].update(columns[name])
        if "question" in columns and "" in columns["question"]:
            self.blank_question = True
        if self.policy == "latest":
            for name, values in self.seen.items():
                values.update(_column(columns, name, rows))
            self._keep_latest(columns, rows)
            self.rows += rows
            return
        self._count(columns, rows)

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

    def values(self, name: str) -> set[str]:
        """
        The distinct probabilities or outcomes of every row read.
        """
        if self.policy == "latest":
            return self.seen[name]
        return {pair[name == "outcome"] for pair in self.pairs}

    def finish(self, path: str) -> ForecastTable:
        """
        The counts as a table; under ``latest`` the kept rows are counted now.
        """
        forecasts = self.rows
        if self.policy == "latest":
            kept = list(self.latest.values())
            self.latest = {}
            self.rows = 0
            positions = {name: n + (n > 0) for n, name in enumerate(_LATEST)}
            self._count({name: list(map(itemgetter(positions[name]), kept)) for name in _LATEST}, len(kept))
            forecasts = self.rows
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
        )


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
