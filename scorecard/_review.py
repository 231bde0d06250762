"""
The yearly review: the predictions due in a year, tallies, calibration, league table, graders.

``review()`` is a pure function of the book, the year, the date and earlier reviews' figures;
``_page`` describes the page it makes, and the renderers turn that into Markdown and HTML.

Each prediction belongs to exactly one year's review, the year it is due: counting a prediction
in the year it was decided would put early, mostly-Yes decisions into a year's calibration (the
bias Metaculus removed in its issue #1480). What was decided early is listed, not counted.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs

from ._characters import name_key
from ._comparison import Comparisons, compare
from ._errors import ArgumentError, UsageError, require
from ._grade import Basis, Graded, Result, grade, latest
from ._grades import Grade
from ._model import SLUG, Book, Source, SourceKind
from ._statistics import (
    BIN_PRESETS,
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    MIN_RANKED,
    Calibration,
    HitRate,
    Recalibration,
    Sharpness,
    SpiegelhalterZ,
    bootstrap_kappa,
    bootstrap_mean,
    bootstrap_means,
    brier,
    calibration,
    calibration_in_the_large,
    call_credit,
    log_loss,
    normal_interval,
    recalibration,
    sharpness,
    spiegelhalter_z,
    weighted_kappa,
    wilson,
)
from ._timing import Timing, event_days, timing
from ._trend import Trend, trends

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

#: Grades that decide a prediction; the rest (pending, unresolved, disputed) do not.
DECIDED = (Grade.YES, Grade.PARTLY, Grade.NO, Grade.VOID)
#: The ordered scale graders are compared on.
RANKS = {Grade.NO: 0, Grade.PARTLY: 1, Grade.YES: 2}
#: Source kinds a grade may rest on by itself; ``secondary`` and ``self`` need one of these.
FIRM_KINDS = (SourceKind.PRIMARY, SourceKind.PRESS, SourceKind.RESEARCH)


@attrs.frozen
class Entry:
    """
    One row of the scorecard: the prediction, one line of evidence, the grade.
    """

    id: str
    claim: str
    by: str
    made: datetime.date
    due: datetime.date
    decided: datetime.date | None
    grade: Grade
    explanation: str
    evidence: tuple[str, ...]
    sources: tuple[str, ...]
    source: str | None
    source_title: str | None
    source_url: str | None
    source_document: str | None
    quote: str | None
    probability: float | None
    probability_basis: str | None
    overridden: bool
    #: The call's hit credit: 1 right, ½ partly, 0 wrong; None when no call was made or graded.
    credit: float | None = None
    basis: Basis = Basis.RULE
    secondary_only: bool = False
    recorded_late: bool = False
    #: Each grader's latest grade: (grader, grade, self-grade?).
    graders: tuple[tuple[str, Grade, bool], ...] = ()
    #: The hedge word the probability was read from, if it was.
    hedge: str | None = None

    @property
    def self_graded(self) -> bool:
        """
        Whether the grade shown is the forecaster's own.
        """
        return self.basis is Basis.SELF


@attrs.frozen
class Tally:
    """
    Counts of grades in a group, and its hit rates.
    """

    name: str
    yes: int = 0
    partly: int = 0
    no: int = 0
    pending: int = 0
    unresolved: int = 0
    void: int = 0
    disputed: int = 0
    #: Calls that came out right, half right (Sort of) and wrong.
    right: int = 0
    half: int = 0
    wrong: int = 0

    @property
    def hit_rate(self) -> HitRate:
        """
        Hit rates over the calls: right, half right (Sort of), wrong.
        """
        return HitRate(self.right, self.half, self.wrong)

    @property
    def graded(self) -> int:
        """
        Predictions graded Yes, Sort of or No.
        """
        return self.yes + self.partly + self.no

    @property
    def total(self) -> int:
        """
        Every prediction in the group.
        """
        return self.graded + self.pending + self.unresolved + self.void + self.disputed


@attrs.frozen
class HedgeRow:
    """
    What a hedge word turned out to mean: its stated probability against what happened.
    """

    phrase: str
    probability: float
    n: int
    observed: float
    low: float
    high: float


@attrs.frozen
class LeagueRow:
    """
    A forecaster's record as of the review date, over every prediction graded so far.
    """

    forecaster: str
    tally: Tally
    scored: int
    brier: float | None
    log_loss: float | None
    brier_interval: tuple[float, float] | None = None
    #: 1 for the best Brier score; None for a forecaster with too few scored predictions.
    rank: int | None = None


@attrs.frozen
class PastReview:
    """
    The headline figures of an earlier review, as read from its review.json.
    """

    year: int
    as_of: str
    graded: int
    hit_rate_strict: float | None
    hit_rate_half_credit: float | None
    brier: float | None
    scored: int
    #: Each listed prediction's grade as that review published it.
    grades: Mapping[str, str] = attrs.field(factory=dict, hash=False)


@attrs.frozen
class Change:
    """
    A prediction whose grade differs from the one an earlier review published.
    """

    id: str
    claim: str
    year: int
    before: str
    now: Grade


@attrs.frozen
class GraderRow:
    """
    One grader: how many predictions of the year they graded, and how many of those were self-grades.
    """

    grader: str
    graded: int
    self_grades: int


@attrs.frozen
class Agreement:
    """
    How often two independent graders (or every pair, pooled) gave the same grade, and Cohen's κ.
    """

    first: str
    second: str
    n: int
    agreed: int
    kappa: float | None
    interval: tuple[float, float] | None


@attrs.frozen
class Inflation:
    """
    A forecaster's self-graded hit rate beside the independent one, on the same predictions.
    """

    forecaster: str
    n: int
    self_rate: float | None
    independent_rate: float | None


@attrs.frozen
class Grading:
    """
    How the year's predictions were graded (section 7): graders, bases, agreement, sources.
    """

    graders: tuple[GraderRow, ...] = ()
    by_rule: int = 0
    by_independent: int = 0
    by_self: int = 0
    disputed: int = 0
    overall: Agreement | None = None
    pairs: tuple[Agreement, ...] = ()
    inflation: tuple[Inflation, ...] = ()
    firm_sources: int = 0
    secondary_only: int = 0
    self_only: int = 0
    unclassified: int = 0


@attrs.frozen
class Review:
    """
    A year's review, ready to render.
    """

    year: int
    as_of: datetime.date
    include_partly: bool
    entries: tuple[Entry, ...]
    overall: Tally
    by_forecaster: tuple[Tally, ...]
    by_source: tuple[Tally, ...]
    by_tag: tuple[Tally, ...]
    by_year_made: tuple[Tally, ...]
    calibration: Calibration
    brier_interval: tuple[float, float] | None
    log_loss_interval: tuple[float, float] | None
    hit_rate_interval: tuple[float, float] | None
    hedges: tuple[HedgeRow, ...]
    league: tuple[LeagueRow, ...]
    pending: tuple[Entry, ...]
    history: tuple[PastReview, ...]
    early: tuple[Entry, ...] = ()
    changes: tuple[Change, ...] = ()
    grading: Grading = Grading()
    #: Which forecast of each prediction the scores use (see ``_grade.POLICIES``).
    policy: str = "last"
    #: The reliability bins' preset (see ``_statistics.BIN_PRESETS``).
    bins: str = "deciles"
    #: Beyond the bins, over the year's scored predictions (Yes or No outcomes for the last three).
    sharpness: Sharpness | None = None
    calibration_in_the_large: float | None = None
    recalibration: Recalibration | None = None
    spiegelhalter: SpiegelhalterZ | None = None
    #: Forecasters compared on the questions they share, over everything graded so far.
    comparisons: Comparisons = attrs.field(factory=Comparisons)
    #: How early: everything graded so far, then each forecaster.
    timing: Timing | None = None
    timing_by_forecaster: tuple[Timing, ...] = ()
    #: This year's cohort against last year's, both graded as of the review date.
    trend: Trend | None = None
    trend_by_forecaster: tuple[Trend, ...] = ()

    @property
    def interim(self) -> bool:
        """
        Whether the year was not over on the review's date: its grades can still change.
        """
        return self.as_of < datetime.date(self.year, 12, 31)

    def to_markdown(self) -> str:
        """
        The scorecard people read: reviews/YEAR/README.md.
        """
        from ._page import page  # noqa: PLC0415 - renderers load only when a page is asked for
        from ._render_md import render_markdown  # noqa: PLC0415

        return render_markdown(page(self))

    def to_json(self) -> str:
        """
        The same figures, machine-readable: reviews/YEAR/review.json.
        """
        from ._documents import dumps, review_data  # noqa: PLC0415

        return dumps(review_data(self)) + "\n"

    def to_html(self) -> str:
        """
        One self-contained page: reviews/YEAR/index.html.
        """
        from ._page import page  # noqa: PLC0415
        from ._render_html import render_html  # noqa: PLC0415

        return render_html(page(self), self.to_svg())

    def to_svg(self) -> str:
        """
        The reliability diagram: reviews/YEAR/calibration.svg.
        """
        from ._render_svg import render_svg  # noqa: PLC0415

        return render_svg(self.calibration, title=f"Calibration, predictions due in {self.year}")

    def to_records(self) -> list[dict[str, Any]]:
        """
        One plain dict per scorecard row, ready for ``pandas.DataFrame``.
        """
        from ._documents import entry_data  # noqa: PLC0415

        return [entry_data(entry) for entry in self.entries]

    def _repr_html_(self) -> str:
        from ._page import page  # noqa: PLC0415
        from ._render_html import render_fragment  # noqa: PLC0415

        return render_fragment(page(self))


def source_name(source: Source) -> str:
    """
    What a reader calls a source: its title, else its document, else the site it is on.
    """
    if source.title or source.document:
        return source.title or source.document or ""
    if source.url:
        # A raw address is no name; its host is the publisher a reader recognises.
        try:
            host = urlsplit(source.url).hostname
        except ValueError:
            host = None
        return host.removeprefix("www.") if host else source.url
    return "?"


def outcome_value(grade_: Grade, *, include_partly: bool = True) -> float | None:
    """
    The outcome a grade scores as: yes 1, no 0, partly 0.5 (or None when partly is left out).
    """
    points = grade_.points
    if grade_ is Grade.PARTLY and not include_partly:
        return None
    return points


def _credit(result: Result) -> float | None:
    value = outcome_value(result.grade)
    return None if value is None else call_credit(result.probability, value)


def scorecard_entry(result: Result, *, recorded_late: bool = False) -> Entry:
    """
    The scorecard row of one graded prediction (as a review shows it).
    """
    return _entry(result, recorded_late=recorded_late)


def _entry(result: Result, *, recorded_late: bool = False) -> Entry:
    prediction, outcome = result.prediction, result.outcome
    sources = outcome.sources
    return Entry(
        id=prediction.id,
        claim=prediction.claim,
        by=prediction.by,
        made=prediction.made,
        due=prediction.due,
        decided=outcome.decided,
        grade=result.grade,
        explanation=outcome.explanation,
        evidence=outcome.evidence,
        sources=tuple(source.url for source in sources),
        source=sources[0].url if sources else None,
        source_title=prediction.source.title,
        source_url=prediction.source.url,
        source_document=prediction.source.document,
        quote=prediction.source.quote,
        probability=result.probability,
        probability_basis=result.probability_basis,
        overridden=result.verdict is not None,
        credit=_credit(result),
        basis=result.basis,
        secondary_only=_secondary_only(result),
        recorded_late=recorded_late,
        graders=tuple((r.grader, r.verdict.grade, r.self_grade) for r in result.readings),
        hedge=prediction.hedge if (result.probability_basis or "").startswith("hedge") else None,
    )


def _secondary_only(result: Result) -> bool:
    sources = result.outcome.sources
    return bool(sources) and all(source.kind is SourceKind.SECONDARY for source in sources)


def _tally(name: str, results: Sequence[Result]) -> Tally:
    counts = dict.fromkeys(Grade, 0)
    calls = {1.0: 0, 0.5: 0, 0.0: 0}
    for result in results:
        counts[result.grade] += 1
        credit = _credit(result)
        if credit is not None:
            calls[credit] += 1
    return Tally(
        name,
        yes=counts[Grade.YES],
        partly=counts[Grade.PARTLY],
        no=counts[Grade.NO],
        pending=counts[Grade.PENDING],
        unresolved=counts[Grade.UNRESOLVED],
        void=counts[Grade.VOID],
        disputed=counts[Grade.DISPUTED],
        right=calls[1.0],
        half=calls[0.5],
        wrong=calls[0.0],
    )


def _grouped(results: Sequence[Result], keys: Mapping[str, Sequence[str]]) -> tuple[Tally, ...]:
    groups: dict[str, list[Result]] = {}
    for result in results:
        for key in keys[result.prediction.id]:
            groups.setdefault(key, []).append(result)
    return tuple(_tally(name, groups[name]) for name in sorted(groups))


def _pairs(results: Sequence[Result], *, include_partly: bool) -> list[tuple[float, float]]:
    pairs = []
    for result in results:
        value = outcome_value(result.grade, include_partly=include_partly)
        if value is not None and result.probability is not None:
            pairs.append((result.probability, value))
    return pairs


def _order(result: Result) -> tuple[datetime.date, str]:
    return (result.prediction.due, result.prediction.id)


def one_spelling(book: Book) -> Book:
    """
    *book* with each forecaster's name written one way: the spelling most of their records use.

    "Guangmi Li" and "guangmi  li" are one person (``check`` warns about the second, as names
    are compared everywhere else); a review that kept both would split one track record into
    two rows of every table. Between spellings used equally often, the first in order wins.
    """
    keys = {name: name_key(name) for name in {prediction.by for prediction in book.predictions}}
    uses: dict[str, dict[str, int]] = {}
    for prediction in book.predictions:
        spellings = uses.setdefault(keys[prediction.by], {})
        spellings[prediction.by] = spellings.get(prediction.by, 0) + 1
    chosen: dict[str, str] = {}
    for spellings in uses.values():
        if len(spellings) > 1:
            kept = max(sorted(spellings), key=spellings.__getitem__)
            chosen.update((name, kept) for name in spellings if name != kept)
    if not chosen:
        return book
    return attrs.evolve(
        book,
        predictions=tuple(
            attrs.evolve(prediction, by=chosen[prediction.by]) if prediction.by in chosen else prediction
            for prediction in book.predictions
        ),
    )


def review(
    book: Book,
    *,
    year: int,
    as_of: datetime.date | None = None,
    history: Sequence[PastReview] = (),
    include_partly: bool = True,
    recorded_late: Collection[str] = (),
    policy: str = "last",
    bins: str = "deciles",
    written: Mapping[str, Mapping[datetime.date, datetime.date]] | None = None,
) -> Review:
    """
    Review the predictions due in *year*, graded as of *as_of* (default: December 31 of *year*).

    *policy* says which of a prediction's forecasts is scored: ``last`` (standing at due),
    ``first`` or ``time-average``; *bins* names the reliability bins (``deciles``, ``quintiles``,
    or ``acx``: folded at 50 % as Scott Alexander's yearly calibration posts are).

    *history* holds earlier reviews' figures and grades (for the comparison and what changed);
    partly counts as outcome 0.5 in probability scores unless *include_partly* is false;
    *recorded_late* names predictions first recorded long after they were made; *written*
    (prediction id → an update's date → the day it was written down) leaves out the updates
    written once the outcome was known.
    """
    check_year(year)
    require(book, Book, "book", "a Book from scorecard.load()")
    if isinstance(recorded_late, str):
        # A string is a collection of its letters, each of which would be taken for an id.
        raise ArgumentError("recorded_late", recorded_late, 'a collection of prediction ids, such as ["a-id"]')
    for index, past_one in enumerate(history):
        require(past_one, PastReview, f"history[{index}]", "a PastReview")
    if bins not in BIN_PRESETS:
        msg = f"bins {bins!r} is not one of {', '.join(BIN_PRESETS)}"
        raise UsageError(msg)
    edges, fold = BIN_PRESETS[bins]
    as_of = datetime.date(year, 12, 31) if as_of is None else as_of
    book = one_spelling(book)
    graded: Graded = grade(book, as_of=as_of, policy=policy, written=written)
    every = list(graded)
    cohort = sorted((r for r in every if r.prediction.due.year == year), key=_order)
    early = sorted(
        (
            r
            for r in every
            if r.prediction.due.year > year
            and r.grade in DECIDED
            and r.outcome.decided is not None
            and r.outcome.decided.year == year
        ),
        key=_order,
    )
    pairs = _pairs(cohort, include_partly=include_partly)
    # Sort of is no outcome a logistic fit or a binomial variance can take.
    binary = [(p, o) for p, o in pairs if o in (0.0, 1.0)]
    hit_credits = [credit for credit in map(_credit, cohort) if credit is not None]
    # Both scores of the same resamples of the predictions.
    score_intervals = bootstrap_means(
        [[brier(p, o) for p, o in pairs], [log_loss(p, o) for p, o in pairs]],
        resamples=BOOTSTRAP_RESAMPLES,
        seed=BOOTSTRAP_SEED,
    ) or (None, None)
    late = frozenset(recorded_late)

    sources = {r.prediction.id: [source_name(r.prediction.source)] for r in every}
    past = tuple(sorted((h for h in history if h.year < year and _known_by(h, as_of)), key=lambda h: h.year))
    last_year = [r for r in every if r.prediction.due.year == year - 1]
    trend_all, trend_each = trends(cohort, last_year, include_partly=include_partly)
    happened = event_days(book.ledger, as_of)
    by_forecaster: dict[str, list[Result]] = {}
    for result in every:
        by_forecaster.setdefault(result.prediction.by, []).append(result)
    return Review(
        year=year,
        as_of=as_of,
        include_partly=include_partly,
        entries=tuple(_entry(r, recorded_late=r.prediction.id in late) for r in cohort),
        overall=_tally("all", cohort),
        by_forecaster=_grouped(cohort, {r.prediction.id: [r.prediction.by] for r in every}),
        by_source=_grouped(cohort, sources),
        by_tag=_grouped(cohort, {r.prediction.id: list(r.prediction.tags) for r in every}),
        by_year_made=_grouped(cohort, {r.prediction.id: [str(r.prediction.made.year)] for r in every}),
        calibration=calibration(pairs, edges, fold=fold),
        brier_interval=score_intervals[0],
        log_loss_interval=score_intervals[1],
        hit_rate_interval=bootstrap_mean(hit_credits, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED),
        hedges=_hedges(every),
        league=_league(every, include_partly=include_partly),
        pending=tuple(
            _entry(r, recorded_late=r.prediction.id in late)
            for r in sorted(every, key=_order)
            if r.grade is Grade.PENDING and r.prediction.due > as_of
        ),
        history=past,
        early=tuple(_entry(r, recorded_late=r.prediction.id in late) for r in early),
        changes=_changes(every, past),
        grading=_grading(cohort),
        policy=policy,
        bins=bins,
        sharpness=sharpness([p for p, _ in pairs]),
        calibration_in_the_large=calibration_in_the_large(binary),
        recalibration=recalibration(binary),
        spiegelhalter=spiegelhalter_z(binary),
        comparisons=compare(every, include_partly=include_partly),
        timing=timing("all", every, happened, as_of, include_partly=include_partly),
        timing_by_forecaster=tuple(
            timing(name, by_forecaster[name], happened, as_of, include_partly=include_partly)
            for name in sorted(by_forecaster)
        ),
        trend=trend_all,
        trend_by_forecaster=trend_each,
    )


def _changes(results: Sequence[Result], history: Sequence[PastReview]) -> tuple[Change, ...]:
    now = {result.prediction.id: result for result in results}
    changes = []
    for past in history:
        for prediction_id, before in sorted(past.grades.items()):
            result = now.get(prediction_id)
            if result is not None and result.grade.value != before:
                changes.append(Change(prediction_id, result.prediction.claim, past.year, before, result.grade))
    return tuple(changes)


def _grading(cohort: Sequence[Result]) -> Grading:
    decided = [r for r in cohort if r.grade in DECIDED or r.grade is Grade.DISPUTED]
    graders: dict[str, list[bool]] = {}
    for result in cohort:
        for reading in result.readings:
            graders.setdefault(reading.grader, []).append(reading.self_grade)
    pooled: list[tuple[int, int]] = []
    by_pair: dict[tuple[str, str], list[tuple[int, int]]] = {}
    inflation: dict[str, list[tuple[float, float]]] = {}
    for result in cohort:
        # An adjudication is made after reading the others: it is not an independent rating.
        independent = [r for r in result.readings if not r.self_grade and not r.verdict.final]
        ranked = [(r.grader, RANKS[r.verdict.grade]) for r in independent if r.verdict.grade in RANKS]
        for i, (first, a) in enumerate(ranked):
            for second, b in ranked[i + 1 :]:
                by_pair.setdefault((first, second), []).append((a, b))
                pooled.append((a, b))
        self_reading = latest(r for r in result.readings if r.self_grade)
        own_grade = None if self_reading is None else self_reading.verdict.grade
        if own_grade in RANKS and result.basis in (Basis.RULE, Basis.INDEPENDENT) and result.grade in RANKS:
            assert own_grade is not None  # noqa: S101 - checked by the membership test
            own = call_credit(result.probability, RANKS[own_grade] / 2)
            fair = _credit(result)
            if own is not None and fair is not None:
                inflation.setdefault(result.prediction.by, []).append((own, fair))
    firm = secondary = own_word = unclassified = 0
    for result in cohort:
        if result.grade not in RANKS:
            continue
        kinds = {source.kind for source in result.outcome.sources}
        if kinds & set(FIRM_KINDS):
            firm += 1
        elif kinds == {SourceKind.SECONDARY}:
            secondary += 1
        elif kinds == {SourceKind.SELF}:
            own_word += 1
        else:
            unclassified += 1
    return Grading(
        graders=tuple(GraderRow(name, len(flags), sum(flags)) for name, flags in sorted(graders.items())),
        by_rule=sum(r.basis is Basis.RULE and r.grade in DECIDED for r in decided),
        by_independent=sum(r.basis is Basis.INDEPENDENT for r in decided),
        by_self=sum(r.basis is Basis.SELF for r in decided),
        disputed=sum(r.grade is Grade.DISPUTED for r in decided),
        overall=_agreement("all graders", "", pooled) if pooled else None,
        pairs=tuple(_agreement(first, second, found) for (first, second), found in sorted(by_pair.items())),
        inflation=tuple(
            Inflation(
                name,
                len(found),
                sum(own for own, _ in found) / len(found),
                sum(fair for _, fair in found) / len(found),
            )
            for name, found in sorted(inflation.items())
        ),
        firm_sources=firm,
        secondary_only=secondary,
        self_only=own_word,
        unclassified=unclassified,
    )


def _agreement(first: str, second: str, ratings: Sequence[tuple[int, int]]) -> Agreement:
    return Agreement(
        first,
        second,
        len(ratings),
        sum(a == b for a, b in ratings),
        weighted_kappa(ratings),
        bootstrap_kappa(ratings, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED),
    )


def _hedges(results: Sequence[Result]) -> tuple[HedgeRow, ...]:
    groups: dict[str, list[tuple[float, float]]] = {}
    for result in results:
        # The hedge that stood at due: an update may have replaced the word said when made.
        update = result.prediction.standing(result.prediction.due)
        said = result.prediction if update is None else update
        hedge = said.hedge
        value = outcome_value(result.grade)
        if hedge is None or value is None or result.probability is None or said.probability is not None:
            continue
        groups.setdefault(hedge, []).append((result.probability, value))
    rows = []
    for phrase in sorted(groups):
        found = groups[phrase]
        hits = sum(value for _, value in found)
        low, high = wilson(hits, len(found))
        rows.append(HedgeRow(phrase, found[0][0], len(found), hits / len(found), low, high))
    return tuple(sorted(rows, key=lambda row: (-row.probability, row.phrase)))


def _league(results: Sequence[Result], *, include_partly: bool) -> tuple[LeagueRow, ...]:
    """
    Forecasters ranked by Brier score, lower first.

    Brier rewards saying how sure one was, where a hit rate would rank a confident forecaster
    below a lucky one. Those with fewer than MIN_RANKED scored predictions follow the ranked
    ones, by name, without a rank.
    """
    by: dict[str, list[Result]] = {}
    for result in results:
        by.setdefault(result.prediction.by, []).append(result)
    rows = []
    for forecaster in sorted(by):
        mine = by[forecaster]
        pairs = _pairs(mine, include_partly=include_partly)
        scores = calibration(pairs)
        rows.append(
            LeagueRow(
                forecaster,
                _tally(forecaster, mine),
                len(pairs),
                scores.brier,
                scores.log_loss,
                _clipped(normal_interval([brier(p, o) for p, o in pairs])),
            )
        )
    ranked = sorted(
        (row for row in rows if row.scored >= MIN_RANKED and row.brier is not None),
        key=lambda row: (row.brier, row.forecaster),
    )
    unranked = [row for row in rows if row not in ranked]
    return tuple(attrs.evolve(row, rank=number) for number, row in enumerate(ranked, start=1)) + tuple(unranked)


def _clipped(interval: tuple[float, float] | None) -> tuple[float, float] | None:
    # A Brier score lies in [0, 1]; a normal interval on few forecasts can spill over.
    return None if interval is None else (max(0.0, interval[0]), min(1.0, interval[1]))


def check_year(year: object) -> None:
    """
    Refuse a *year* the calendar does not have (library callers pass anything).

    Raises:
        UsageError: *year* is not a whole number from 1 to 9999.
    """
    if isinstance(year, bool) or not isinstance(year, int) or not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        msg = f"year must be a whole number from {datetime.MINYEAR} to {datetime.MAXYEAR}, got {year!r}"
        raise UsageError(msg)


def _known_by(past: PastReview, day: datetime.date) -> bool:
    """
    Whether *past* was published by *day*: a review published later was not known on it.

    An as_of that is no date (only a hand-made PastReview holds one) cannot be placed: it is kept.
    """
    try:
        return datetime.date.fromisoformat(past.as_of) <= day
    except ValueError:
        return True


def past_review(data: object) -> PastReview:
    """
    Read the headline figures and published grades from an earlier review.json.

    The file is input like any other: every value is checked for its type and range before it
    reaches a page, so a tampered review cannot inject text or break the next review.

    Raises:
        ValueError: the document is not a scorecard review; the message says what is wrong.
    """
    document = _table(data, "the document")
    tallies = _table(document.get("tallies"), "tallies")
    overall = _table(tallies.get("overall"), "tallies.overall")
    hit_rate = _table(overall.get("hit_rate"), "tallies.overall.hit_rate")
    calibration = _table(document.get("calibration"), "calibration")
    entries = document.get("scorecard", [])
    if not isinstance(entries, list):
        msg = "scorecard: expected a list"
        raise ValueError(msg)  # noqa: TRY004 - one error type for every defect of the file
    grades = {}
    for number, entry in enumerate(entries):
        table = _table(entry, f"scorecard[{number}]")
        identifier, grade_ = table.get("id"), table.get("grade")
        if not isinstance(identifier, str) or not SLUG.fullmatch(identifier):
            msg = f"scorecard[{number}].id: expected a prediction id"
            raise ValueError(msg)
        if grade_ not in _GRADE_VALUES:
            msg = f"scorecard[{number}].grade: expected one of {', '.join(sorted(_GRADE_VALUES))}"
            raise ValueError(msg)
        grades[identifier] = str(grade_)
    return PastReview(
        year=_whole(document.get("year"), "year", datetime.MINYEAR, datetime.MAXYEAR),
        as_of=_iso_day(document.get("as_of")),
        graded=_whole(overall.get("graded"), "tallies.overall.graded", 0, _MAX_COUNT),
        hit_rate_strict=_share(hit_rate.get("strict"), "tallies.overall.hit_rate.strict"),
        hit_rate_half_credit=_share(hit_rate.get("half_credit"), "tallies.overall.hit_rate.half_credit"),
        brier=_share(calibration.get("brier"), "calibration.brier"),
        scored=_whole(calibration.get("forecasts"), "calibration.forecasts", 0, _MAX_COUNT),
        grades=grades,
    )


_GRADE_VALUES = frozenset(grade.value for grade in Grade)
_MAX_COUNT = 10**12
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _table(value: object, name: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        msg = f"{name}: expected an object"
        raise ValueError(msg)  # noqa: TRY004 - one error type for every defect of the file
    return value


def _whole(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        msg = f"{name}: expected a whole number from {low} to {high}"
        raise ValueError(msg)
    return value


def _share(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        msg = f"{name}: expected a number from 0 to 1, or null"
        raise ValueError(msg)
    return float(value)


def _iso_day(value: object) -> str:
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        msg = "as_of: expected a date like 2025-12-31"
        raise ValueError(msg)
    return datetime.date.fromisoformat(value).isoformat()
