"""
Scoring a forecast table: the figures of ``scorecard score``, overall and per group.

All the math is in ``_statistics``, the same as the yearly review's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from ._errors import UsageError, require
from ._grades import OUTCOMES
from ._statistics import BIN_PRESETS, Accumulator, Calibration, HitRate, Shared
from ._table_counts import ForecastTable
from ._table_values import probability_value

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ._table_counts import Middle

GROUPS = ("forecaster", "tag", "year")
AGGREGATES = ("median",)


@attrs.frozen
class Figures:
    """
    The figures of a set of forecasts: counts, proper scores, reliability bins, hit rates.

    *forecasts* counts the forecasts scored, and *resolved*, *void* and *open* divide them by
    outcome; *forecasters* counts who made them. *after_resolution* counts the rows left out
    because they were made on or after their own resolved date (hindsight): none of the other
    figures counts them. *shared* compares a forecaster with the others on shared questions
    (per-forecaster groups only).
    """

    forecasts: int
    resolved: int
    void: int
    open: int
    forecasters: int
    calibration: Calibration
    hit_rate: HitRate
    shared: Shared | None = None
    after_resolution: int = 0


@attrs.frozen
class Crowd:
    """
    The crowd's forecast per question (the median of its forecasts) and its Brier score.
    """

    brier: float | None
    questions: int


@attrs.frozen
class ScoreReport:
    """
    The result of ``score``: overall figures, per-group figures, the crowd aggregate.

    *policy* says which forecasts of the table were scored (see ``read_forecasts``).
    """

    path: str
    bins: str
    overall: Figures
    group_by: str | None
    groups: tuple[tuple[str, Figures], ...]
    median: Crowd | None
    policy: str = "all"

    def to_data(self) -> dict[str, Any]:
        """
        The JSON document of ``scorecard score --format json``.
        """
        from ._documents import score_data  # noqa: PLC0415 - documents are built where all are

        return score_data(self)

    def to_records(self) -> list[dict[str, Any]]:
        """
        One plain dict per group (or one for the whole table), ready for ``pandas.DataFrame``.
        """
        rows = [("all", self.overall), *self.groups]
        return [{"group": name, **_flat(figures)} for name, figures in rows]

    def _repr_html_(self) -> str:
        from html import escape  # noqa: PLC0415

        records = self.to_records()
        head = "".join(f"<th>{escape(key)}</th>" for key in records[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(_show(value))}</td>" for value in record.values()) + "</tr>"
            for record in records
        )
        return f'<table class="scorecard-score"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return "–" if value is None else str(value)


def _flat(figures: Figures) -> dict[str, Any]:
    return {
        "forecasts": figures.forecasts,
        "after_resolution": figures.after_resolution,
        "resolved": figures.resolved,
        "void": figures.void,
        "open": figures.open,
        "forecasters": figures.forecasters,
        "brier": figures.calibration.brier,
        "log_loss": figures.calibration.log_loss,
        "yes": figures.hit_rate.yes,
        "partly": figures.hit_rate.partly,
        "no": figures.hit_rate.no,
        "hit_rate": figures.hit_rate.strict,
        "hit_rate_half_credit": figures.hit_rate.half_credit,
        # Only per-forecaster groups are compared with the others; the columns stay for every row
        # so a DataFrame has one shape whatever the grouping.
        "peer_score": None if figures.shared is None else figures.shared.peer_score,
        "relative_brier": None if figures.shared is None else figures.shared.relative_brier,
        "shared_questions": None if figures.shared is None else figures.shared.questions,
    }


def figures(
    pairs: Iterable[tuple[tuple[str, str], int]],
    forecasters: int,
    *,
    bins: str = "deciles",
    include_partly: bool = True,
    after_resolution: int = 0,
) -> Figures:
    """
    The figures of forecasts counted by (probability text, outcome), beside *after_resolution* rows not scored.
    """
    edges, fold = BIN_PRESETS[bins]
    accumulator = Accumulator(edges, fold=fold)
    counts = dict.fromkeys(OUTCOMES, 0)
    total = 0
    scored: list[tuple[float, float, int]] = []
    for (probability, outcome), n in pairs:
        counts[outcome] += n
        total += n
        value = OUTCOMES[outcome]
        chance = probability_value(probability)
        if value is None or chance is None or (outcome == "partly" and not include_partly):
            continue
        scored.append((chance, value, n))
    # Distinct pairs in a fixed order, so sums (and their last bits) never depend on reading order.
    for chance, value, n in sorted(scored):
        accumulator.add(chance, value, n)
    return Figures(
        forecasts=total,
        resolved=counts["yes"] + counts["no"] + counts["partly"],
        void=counts["void"],
        open=counts[""],
        forecasters=forecasters,
        calibration=accumulator.result(),
        hit_rate=HitRate(counts["yes"], counts["partly"], counts["no"]),
        after_resolution=after_resolution,
    )


def score(
    table: ForecastTable,
    *,
    group_by: str | None = None,
    aggregate: str | None = None,
    bins: str = "deciles",
    include_partly: bool = True,
) -> ScoreReport:
    """
    Score a forecast table: overall, per group, and the crowd's median.

    *group_by* is ``forecaster``, ``tag`` or ``year`` (made); *aggregate* ``"median"`` adds the
    Brier score of each question's median forecast. Per forecaster, the figures include the
    comparisons with the others on shared questions (peer score, relative Brier).

    Raises:
        UsageError: an unknown option, or a grouping the table was not read with.
    """
    require(table, ForecastTable, "table", "a ForecastTable from scorecard.read_forecasts()")
    if bins not in BIN_PRESETS:
        msg = f"bins {bins!r} is not one of {', '.join(BIN_PRESETS)}"
        raise UsageError(msg)
    if group_by is not None and group_by not in GROUPS:
        msg = f"group_by {group_by!r} is not one of {', '.join(GROUPS)}"
        raise UsageError(msg)
    if aggregate is not None and aggregate not in AGGREGATES:
        msg = f"aggregate {aggregate!r} is not one of {', '.join(AGGREGATES)}"
        raise UsageError(msg)
    needed = {group_by} if group_by else set()
    if aggregate:
        needed.add("question")
    if not needed <= table.dimensions:
        msg = f"the table was read without {', '.join(sorted(needed - table.dimensions))}; read it with that dimension"
        raise UsageError(msg)
    overall = figures(
        table.pairs.items(),
        len(table.forecasters),
        bins=bins,
        include_partly=include_partly,
        after_resolution=table.after_resolution,
    )
    groups: tuple[tuple[str, Figures], ...] = ()
    if group_by is not None:
        groups = _groups(table, group_by, bins=bins, include_partly=include_partly)
    median = None
    if aggregate == "median" and table.crowd is not None:
        median = _median(table.crowd.with_partly if include_partly else table.crowd.without_partly)
    return ScoreReport(table.path, bins, overall, group_by, groups, median, table.policy)


def _groups(table: ForecastTable, group_by: str, *, bins: str, include_partly: bool) -> tuple[tuple[str, Figures], ...]:
    counted = table.groups.get(group_by, {})
    pairs: dict[str, dict[tuple[str, str], int]] = {}
    for (value, probability, outcome), n in counted.items():
        for name in _names(group_by, value):
            cell = pairs.setdefault(name, {})
            cell[probability, outcome] = cell.get((probability, outcome), 0) + n
    late: dict[str, int] = {}
    for value, n in table.after_resolution_groups.get(group_by, {}).items():
        for name in _names(group_by, value):
            late[name] = late.get(name, 0) + n
    people: dict[str, set[str]] = {}
    if group_by == "forecaster":
        people = {name: {name} for name in pairs if name}
    else:
        for value, forecaster in table.members.get(group_by, ()):
            if forecaster:
                for name in _names(group_by, value):
                    people.setdefault(name, set()).add(forecaster)
    found = []
    # A group whose every row was made after its resolution is listed too, with nothing scored.
    for name in sorted(pairs.keys() | late.keys()):
        scored = figures(
            pairs.get(name, {}).items(),
            len(people.get(name, ())),
            bins=bins,
            include_partly=include_partly,
            after_resolution=late.get(name, 0),
        )
        if group_by == "forecaster":
            scored = attrs.evolve(scored, shared=table.shared.get(name, Shared(None, None, 0)))
        found.append((name, scored))
    return tuple(found)


def _names(group_by: str, value: str) -> list[str]:
    """
    The groups a row's value puts it in: its tags (split on ';'), its year, or its forecaster.
    """
    if group_by == "tag":
        return [tag for tag in (t.strip() for t in value.rstrip("\r").split(";")) if tag]
    if group_by == "year":
        return [value or "unknown"]
    return [value]


def _median(middles: Mapping[str, Middle]) -> Crowd:
    errors = []
    for question in sorted(middles):
        found = middles[question]
        value = OUTCOMES[found.outcome]
        assert value is not None  # noqa: S101 - only resolved outcomes were kept
        # As statistics.median takes it: the mean of the two middle forecasts.
        errors.append(((found.lower + found.upper) / 2 - value) ** 2)
    return Crowd(sum(errors) / len(errors) if errors else None, len(errors))
