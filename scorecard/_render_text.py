"""
Terminal and JSON renderings of predictions and grades for the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._characters import printable
from ._grade import is_self_grade
from ._model import AllRule, ChangeRule, EventRule, JudgmentRule, ThresholdRule, When
from ._render_md import md_cell
from ._rules import known_on

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence

    from ._grade import Result
    from ._model import Book, Prediction, Rule
    from ._score import Figures, ScoreReport


class Styled(str):
    """
    Text this module styled itself (a grade in its colour): its escapes are the only ones let through.
    """

    __slots__ = ()


def _safe(cell: object) -> object:
    return printable(cell) if isinstance(cell, str) and not isinstance(cell, Styled) else cell


def text_table(
    rows: Sequence[Sequence[object]], headers: Sequence[str], fmt: str = "simple", *, wrap: int | None = None
) -> str:
    """
    *rows* as an aligned text table (tabulate's *fmt*), or "(none)".

    Every cell's control characters are shown as escapes: a table from a forecast file or a
    file name must not drive the reader's terminal. With *wrap*, the last column wraps at that
    width instead of running on: nothing is cut, least of all what to do next.
    """
    from tabulate import tabulate  # noqa: PLC0415 - only commands that print tables pay for it

    if not rows:
        return "(none)"
    safe = [[_safe(cell) for cell in row] for row in rows]
    widths = None if wrap is None else [None] * (len(headers) - 1) + [wrap]
    return tabulate(
        safe,
        headers=[printable(header) for header in headers],
        tablefmt=fmt,
        disable_numparse=True,
        maxcolwidths=widths,
    )


def list_table(predictions: Sequence[Prediction], grades: dict[str, str] | None = None) -> str:
    """
    The ``list`` table: id, by, made, due, (grade,) claim.
    """
    headers = ["id", "by", "made", "due"] + (["grade"] if grades is not None else []) + ["claim"]
    rows = [
        [p.id, p.by, p.made.isoformat(), p.due.isoformat()]
        + ([grades.get(p.id, "")] if grades is not None else [])
        + [" ".join(p.claim.split())]
        for p in predictions
    ]
    return text_table(rows, headers, wrap=60)


_COLOURS = {"yes": "32", "partly": "33", "no": "31", "unresolved": "35", "void": "90", "pending": "36"}


def coloured(text: str, grade: str, *, colour: bool) -> str:
    """
    *text* in the grade's terminal colour when *colour* is on (a TTY without NO_COLOR).
    """
    return Styled(f"\x1b[{_COLOURS[grade]}m{printable(text)}\x1b[0m") if colour else text


def graded_table(results: Sequence[Result], fmt: str = "simple", *, colour: bool = False) -> str:
    """
    The ``grade`` table: id, due, grade, why.
    """
    if fmt == "github":
        rows = [
            [md_cell(r.prediction.id), r.prediction.due.isoformat(), r.grade.label, md_cell(r.explanation)]
            for r in results
        ]
    else:
        rows = [
            [
                r.prediction.id,
                r.prediction.due.isoformat(),
                coloured(r.grade.label, r.grade.value, colour=colour),
                " ".join(r.explanation.split()),
            ]
            for r in results
        ]
    return text_table(rows, ["id", "due", "grade", "why"], fmt, wrap=None if fmt == "github" else 70)


def tally_line(results: Sequence[Result]) -> str:
    """
    "12 predictions: 3 yes, 1 sort of, ..." for the foot of a grade table.
    """
    counts: dict[str, int] = {}
    for result in results:
        counts[result.grade.label] = counts.get(result.grade.label, 0) + 1
    parts = ", ".join(f"{n} {label.lower()}" for label, n in sorted(counts.items()))
    return f"{len(results)} predictions" + (f": {parts}" if parts else "")


def show_text(book: Book, prediction: Prediction, result: Result | None, as_of: datetime.date) -> str:
    """
    Everything about one prediction as of *as_of*: the record, its quote, its evidence and its grade trail.
    """
    origin = book.origins.get(prediction.id)
    lines = [
        f"{prediction.id}" + (f"  ({origin.path})" if origin else ""),
        f"  claim:     {prediction.claim}",
        f"  by:        {prediction.by}",
        f"  made:      {prediction.made}",
        f"  due:       {prediction.due}",
    ]
    if prediction.tags:
        lines.append(f"  tags:      {', '.join(prediction.tags)}")
    if prediction.probability is not None:
        lines.append(f"  probability: {prediction.probability:g}")
    if prediction.hedge is not None:
        lines.append(f"  hedge:     {prediction.hedge}")
    source = prediction.source
    lines.append("  source:    " + " · ".join(x for x in (source.title, source.document, source.url) if x))
    if source.quote:
        lines.append(f"  quote:     {source.quote}")
    if source.translation:
        lines.append(f"  translation: {source.translation}")
    lines.append(f"  rule:      {rule_in_words(prediction.rule, prediction.due)}")
    if prediction.notes:
        lines.append(f"  notes:     {prediction.notes}")
    if result is not None:
        lines.append(f"grade as of {as_of}: {result.grade.label}")
        lines.append(f"  why:       {result.explanation}")
        if result.verdict is not None:
            lines.append(f"  rule alone: {result.rule_outcome.grade.label}: {result.rule_outcome.explanation}")
        lines.extend(f"  source:    {source.url}" for source in result.outcome.sources)
    else:
        lines.append(f"grade as of {as_of}: not yet made")
    # As of a day, only the verdicts that counted by then: a later one is knowledge from after it.
    naming = [dated.verdict for dated in known_on(book.ledger, as_of).verdicts.get(prediction.id, ())]
    if naming:
        lines.append("verdicts:")
        for v in sorted(naming, key=lambda v: (v.on, v.grader(book.settings.editor))):
            grader = v.grader(book.settings.editor)
            flags = [
                flag for flag, on in (("self-grade", is_self_grade(v, grader, prediction.by)), ("final", v.final)) if on
            ]
            said = f" ({', '.join(flags)})" if flags else ""
            lines.append(f"  {v.on} by {grader}{said}: {v.grade.value}: {v.why}")
            if v.reason is not None:
                lines.append(f"    reason: {v.reason.value}")
            if v.evidence:
                lines.append(f"    evidence: {', '.join(v.evidence)}")
            for cited in v.sources:
                kind = cited.kind.value if cited.kind is not None else "kind not given"
                published = f", published {cited.published}" if cited.published is not None else ""
                lines.append(f"    source ({kind}{published}): {cited.url}")
    return "\n".join(printable(line) for line in lines)


def rule_in_words(rule: Rule, due: datetime.date) -> str:
    """
    What a rule says, as a sentence a reader can check against the ledger.
    """
    if isinstance(rule, EventRule):
        happens = "does not happen" if not rule.expect else "happens"
        late = (
            f"; Sort of if it happens within {rule.partly_within} after" if rule.partly_within and rule.expect else ""
        )
        return f"Yes if event {rule.event!r} {happens} by {due}{late}."
    if isinstance(rule, ThresholdRule):
        when = (
            f"stands {rule.op.value} {rule.value:g} at {due}"
            if rule.when is When.AT
            else (f"reaches {rule.op.value} {rule.value:g} by {due}")
        )
        period = f" (for {rule.period})" if rule.period is not None else ""
        partly = f"; Sort of at {rule.op.value} {rule.partly:g}" if rule.partly is not None else ""
        return f"Yes if metric {rule.metric!r}{period} {when}{partly}."
    if isinstance(rule, ChangeRule):
        partly = f"; Sort of at {rule.op.value} {rule.partly:g}" if rule.partly is not None else ""
        return (
            f"Yes if metric {rule.metric!r} for {rule.to} divided by its value for {rule.from_} is "
            f"{rule.op.value} {rule.factor:g}{partly}."
        )
    if isinstance(rule, JudgmentRule):
        return "Decided by a grader's verdict" + (f": {rule.criteria}" if rule.criteria else ".")
    joined = " ".join(f"({number}) {rule_in_words(part, due)}" for number, part in enumerate(rule.of, start=1))
    return ("All of: " if isinstance(rule, AllRule) else "Any of: ") + joined


def score_table(report: ScoreReport, fmt: str = "simple") -> str:
    """
    The ``score`` tables: headline figures per group, then the reliability bins.
    """

    def cells(name: str, figures: Figures) -> list[str]:
        cal, rate = figures.calibration, figures.hit_rate
        return [
            md_cell(name) if fmt == "github" else name,
            str(figures.forecasts),
            str(figures.resolved),
            str(figures.void),
            str(figures.open),
            str(figures.forecasters),
            "–" if cal.brier is None else f"{cal.brier:.4f}",
            "–" if cal.log_loss is None else f"{cal.log_loss:.4f}",
            "–" if rate.strict is None else f"{rate.strict:.1%}",
            "–" if rate.half_credit is None else f"{rate.half_credit:.1%}",
        ]

    headers = [
        "",
        "forecasts",
        "resolved",
        "void",
        "open",
        "forecasters",
        "Brier",
        "log loss (bits)",
        "hit rate",
        "half credit",
    ]
    rows = [cells("all", report.overall)] + [cells(name, figures) for name, figures in report.groups]
    out = [text_table(rows, headers, fmt)]
    if report.median is not None:
        brier = "–" if report.median.brier is None else f"{report.median.brier:.4f}"
        out.append(f"\nCrowd (median per question): Brier {brier} over {report.median.questions} questions.")
    bins = [
        [f"{b.lo:g}–{b.hi:g}", str(b.n), f"{b.mean_probability:.3f}", f"{b.observed:.3f}"]
        for b in report.overall.calibration.bins
        if b.n and b.mean_probability is not None and b.observed is not None
    ]
    out.append("\n" + text_table(bins, ["bin", "n", "mean probability", "observed"], fmt))
    return "\n".join(out)
