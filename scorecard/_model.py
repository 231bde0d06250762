"""
The records: predictions, their rules and sources, and the evidence ledger.

Every class is frozen and checks its own invariants, so a record that exists is a valid one.
"""

from __future__ import annotations

import datetime
import enum
import itertools
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import attrs

from ._characters import unsafe_character
from ._errors import FieldValueError, ItemValueError
from ._grades import VERDICT_GRADES, Grade
from ._time import Duration, Period

#: Matched whole (``fullmatch``): "$" would also accept a trailing newline.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_SLUG_LENGTH = 120


class Op(enum.Enum):
    """
    A comparison between an observed value and a bar.
    """

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"

    def holds(self, left: float, right: float) -> bool:
        """
        Whether ``left <op> right``.
        """
        if self is Op.GE:
            return left >= right
        if self is Op.GT:
            return left > right
        if self is Op.LE:
            return left <= right
        return left < right


class When(enum.Enum):
    """
    Whether a threshold must be reached at some point by the due date, or hold at it.
    """

    BY = "by"
    AT = "at"


class Confidence(enum.Enum):
    """
    How firm the source of a piece of evidence is.
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class SourceKind(enum.Enum):
    """
    What kind of source a piece of evidence rests on, from the thing itself to a repost.
    """

    PRIMARY = "primary"
    PRESS = "press"
    RESEARCH = "research"
    SECONDARY = "secondary"
    SELF = "self"


class VoidReason(enum.Enum):
    """
    Why a verdict annuls a prediction.
    """

    AMBIGUOUS = "ambiguous"
    NOT_A_FORECAST = "not-a-forecast"
    PREMISE_FAILED = "premise-failed"
    UNVERIFIABLE = "unverifiable"
    WITHDRAWN = "withdrawn"


def _slug(_: object, __: attrs.Attribute[Any], value: str) -> None:
    if not SLUG.fullmatch(value) or len(value) > MAX_SLUG_LENGTH:
        msg = (
            f"{value!r} is not a slug: use lowercase letters, digits and hyphens, "
            f"starting with a letter or digit, at most {MAX_SLUG_LENGTH} characters"
        )
        raise ValueError(msg)


def _text(_: object, __: attrs.Attribute[Any], value: str) -> None:
    # Same test as `not value.strip()`, without making the stripped copy of every text loaded.
    if not value or value.isspace():
        msg = "must not be empty"
        raise ValueError(msg)
    if value.isprintable():
        # unsafe_character's own first test, here to spare a call for nearly every text.
        return
    unsafe = unsafe_character(value)
    if unsafe is not None:
        # Stored text reaches terminals and pages: a control character there is an attack or a slip.
        raise ValueError(unsafe)


def _optional_text(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        _text(instance, attribute, value)


def _finite(_: object, __: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not math.isfinite(value):
        msg = f"must be a finite number, got {value!r}"
        raise ValueError(msg)


def _probability(_: object, __: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not 0.0 < value < 1.0:
        msg = f"must be strictly between 0 and 1, got {value!r}"
        raise ValueError(msg)


def _positive(_: object, __: attrs.Attribute[Any], value: float) -> None:
    if not value > 0.0:
        msg = f"must be a positive number, got {value!r}"
        raise ValueError(msg)


def _tags(_: object, __: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    problems = []
    seen = set()
    for index, tag in enumerate(value):
        if not SLUG.fullmatch(tag):
            problems.append((index, f"{tag!r} is not a tag: use lowercase letters, digits and hyphens"))
        elif tag in seen:
            problems.append((index, f"{tag!r} is listed twice"))
        seen.add(tag)
    if problems:
        raise ItemValueError(problems)


def _sources(_: object, __: attrs.Attribute[Any], value: tuple[Citation, ...]) -> None:
    if not value:
        msg = "must list at least one source"
        raise ValueError(msg)


def _ids(_: object, __: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    problems = [
        (index, f"{item!r} is not a ledger id: use lowercase letters, digits and hyphens")
        for index, item in enumerate(value)
        if not SLUG.fullmatch(item)
    ]
    if problems:
        raise ItemValueError(problems)


def _verdict_grade(_: object, __: attrs.Attribute[Any], value: Grade) -> None:
    if value not in VERDICT_GRADES:
        msg = f"a verdict is yes, partly, no or void, not {value.value!r}"
        raise ValueError(msg)


@attrs.frozen
class Citation:
    """
    A source that evidence rests on: its address and, when given, what kind of source it is.

    A bare URL string in a file is a citation with only *url*; *published* dates the knowledge
    it carries, so a verdict cannot count before it.
    """

    url: str = attrs.field(validator=_text)
    title: str | None = attrs.field(default=None, validator=_optional_text)
    publisher: str | None = attrs.field(default=None, validator=_optional_text)
    published: datetime.date | None = None
    kind: SourceKind | None = None
    archived: str | None = attrs.field(default=None, validator=_optional_text)


def _as_citation(value: Citation | str) -> Citation:
    # Library callers may pass a bare address, as a file may.
    return Citation(value) if isinstance(value, str) else value


def _as_optional_citation(value: Citation | str | None) -> Citation | None:
    return None if value is None else _as_citation(value)


def _as_citations(value: Iterable[Citation | str]) -> tuple[Citation, ...]:
    return tuple(_as_citation(item) for item in value)


@attrs.frozen
class Source:
    """
    Where a prediction was published, with the verbatim quote it rests on.

    *published* is the day that source appeared: it attests the prediction's ``made``.
    """

    title: str | None = attrs.field(default=None, validator=_optional_text)
    document: str | None = attrs.field(default=None, validator=_optional_text)
    url: str | None = attrs.field(default=None, validator=_optional_text)
    published: datetime.date | None = None
    quote: str | None = attrs.field(default=None, validator=_optional_text)
    translation: str | None = attrs.field(default=None, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.document is None and self.url is None:
            raise FieldValueError("document", "give the source's document or its url")


@attrs.frozen
class EventRule:
    """
    Yes if the event occurred on or before the due date (or, with ``expect = false``, if it did not).
    """

    event: str = attrs.field(validator=_slug)
    expect: bool = True
    partly_within: Duration | None = None

    kind = "event"


@attrs.frozen
class ThresholdRule:
    """
    Yes if the metric reached the bar by the due date (``when = "by"``) or stood past it then (``"at"``).
    """

    metric: str = attrs.field(validator=_slug)
    op: Op
    value: float = attrs.field(validator=_finite)
    partly: float | None = attrs.field(default=None, validator=_finite)
    when: When = When.BY
    period: Period | None = None

    kind = "threshold"


@attrs.frozen
class ChangeRule:
    """
    Yes if value(to) / value(from) compares with *factor* as *op* says.
    """

    metric: str = attrs.field(validator=_slug)
    from_: Period
    to: Period
    op: Op
    factor: float = attrs.field(validator=[_finite, _positive])
    partly: float | None = attrs.field(default=None, validator=_finite)

    kind = "change"

    def __attrs_post_init__(self) -> None:
        if self.to.start <= self.from_.start:
            raise FieldValueError("to", f"period {self.to} does not come after from = {self.from_}")


@attrs.frozen
class JudgmentRule:
    """
    Graded by a verdict in the ledger; *criteria* tells the judge what to look for.
    """

    criteria: str | None = attrs.field(default=None, validator=_optional_text)

    kind = "judgment"


def _rules(_: object, __: attrs.Attribute[Any], value: tuple[Rule, ...]) -> None:
    if not value:
        msg = "must hold at least one sub-rule ([[rule.of]])"
        raise ValueError(msg)


@attrs.frozen
class AllRule:
    """
    Yes when every sub-rule is yes; no when any is no; partly for a mix of yes and partly.
    """

    of: tuple[Rule, ...] = attrs.field(validator=_rules)

    kind = "all"


@attrs.frozen
class AnyRule:
    """
    Yes when any sub-rule is yes; no when all are no; partly when the best is partly.
    """

    of: tuple[Rule, ...] = attrs.field(validator=_rules)

    kind = "any"


Rule: TypeAlias = EventRule | ThresholdRule | ChangeRule | JudgmentRule | AllRule | AnyRule
RULE_KINDS: dict[str, type[Rule]] = {
    cls.kind: cls for cls in (EventRule, ThresholdRule, ChangeRule, JudgmentRule, AllRule, AnyRule)
}


@attrs.frozen
class Forecast:
    """
    A later update of a prediction's probability (``[[forecast]]``).

    From *on*, it replaces the forecast before it. Exactly one of *probability* and *hedge*.
    """

    on: datetime.date
    probability: float | None = attrs.field(default=None, validator=[_finite, _probability])
    hedge: str | None = attrs.field(default=None, validator=_optional_text)
    why: str | None = attrs.field(default=None, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.probability is None) == (self.hedge is None):
            raise FieldValueError("probability", "give exactly one of probability or hedge")


def _as_forecasts(value: Iterable[Forecast]) -> tuple[Forecast, ...]:
    return tuple(value)


def _forecasts(_: object, __: attrs.Attribute[Any], value: tuple[Forecast, ...]) -> None:
    for earlier, later in itertools.pairwise(value):
        if later.on < earlier.on:
            msg = f"updates go oldest first: {later.on} comes after {earlier.on}"
            raise ValueError(msg)


@attrs.frozen
class Prediction:
    """
    One gradeable claim: who made it, when, by when it is judged, and how.
    """

    id: str = attrs.field(validator=_slug)
    claim: str = attrs.field(validator=_text)
    by: str = attrs.field(validator=_text)
    made: datetime.date
    due: datetime.date
    source: Source
    rule: Rule
    tags: tuple[str, ...] = attrs.field(default=(), validator=_tags)
    probability: float | None = attrs.field(default=None, validator=[_finite, _probability])
    hedge: str | None = attrs.field(default=None, validator=_optional_text)
    notes: str | None = attrs.field(default=None, validator=_optional_text)
    #: Later updates of the probability, oldest first: each replaces the one before from its day.
    forecast: tuple[Forecast, ...] = attrs.field(default=(), converter=_as_forecasts, validator=_forecasts)

    def __attrs_post_init__(self) -> None:
        if self.due < self.made:
            raise FieldValueError("due", f"{self.due} is before made = {self.made}")
        for update in self.forecast:
            # An update before the prediction existed, or after it was judged, is hindsight.
            if update.on < self.made:
                raise FieldValueError("forecast", f"an update on {update.on} is before made = {self.made}")
            if update.on > self.due:
                raise FieldValueError("forecast", f"an update on {update.on} is after due = {self.due}")

    def standing(self, day: datetime.date) -> Forecast | None:
        """
        The latest update made on or before *day* (and never after ``due``).

        None means no update stands yet: the top-level probability or hedge does.
        """
        found = None
        for update in self.forecast:
            if update.on <= min(day, self.due):
                found = update
        return found


@attrs.frozen
class Metric:
    """
    A quantity that observations measure, such as funding per year in USD.
    """

    id: str = attrs.field(validator=_slug)
    unit: str = attrs.field(validator=_text)
    description: str | None = attrs.field(default=None, validator=_optional_text)


@attrs.frozen
class Event:
    """
    Something that happened on a day, or (without *on*) that is tracked and has not happened yet.

    An undated event may say, with *checked* and *source*, that a source read on that day shows
    it had not happened: that is what lets a "by the due date" claim be graded no.
    """

    id: str = attrs.field(validator=_slug)
    summary: str = attrs.field(validator=_text)
    on: datetime.date | None = None
    source: Citation | None = attrs.field(default=None, converter=_as_optional_citation)
    confidence: Confidence | None = None
    reported: datetime.date | None = None
    checked: datetime.date | None = None

    def __attrs_post_init__(self) -> None:
        if (self.on is not None or self.checked is not None) and self.source is None:
            raise FieldValueError("source", "give the address of the source this was read in")
        if (self.on is not None or self.checked is not None) and self.confidence is None:
            raise FieldValueError("confidence", "say how firm the source is: high, medium or low")
        if self.on is None and self.reported is not None:
            raise FieldValueError("reported", "an event without a date cannot have been reported; use checked")
        if self.on is not None and self.checked is not None:
            raise FieldValueError(
                "checked", "is for events that had not happened when the source was read; this one has a date"
            )
        if self.on is not None and self.reported is not None and self.reported < self.on:
            raise FieldValueError("reported", f"{self.reported} is before the event (on = {self.on})")

    @property
    def known(self) -> datetime.date | None:
        """
        The day the event became known: its report date, else the day it happened.
        """
        return self.reported or self.on


@attrs.frozen
class Observation:
    """
    A value of a metric for a period or on a day, with the day it became public.
    """

    metric: str = attrs.field(validator=_slug)
    value: float = attrs.field(validator=_finite)
    summary: str = attrs.field(validator=_text)
    source: Citation = attrs.field(converter=_as_citation)
    confidence: Confidence
    period: Period | None = None
    on: datetime.date | None = None
    reported: datetime.date | None = None
    id: str | None = attrs.field(default=None, validator=attrs.validators.optional(_slug))
    unit: str | None = attrs.field(default=None, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.period is None) == (self.on is None):
            raise FieldValueError("period", "give exactly one of period or on")
        # A value cannot be public before the day, or the end of the period, it measures.
        if self.reported is not None and self.reported < self.span.end:
            what = f"the day it measures (on = {self.on})" if self.on is not None else f"its period {self.period} ends"
            raise FieldValueError("reported", f"{self.reported} is before {what}")

    @property
    def span(self) -> Period:
        """
        The period the value describes (a single day for ``on``).
        """
        if self.period is not None:
            return self.period
        assert self.on is not None  # noqa: S101 - guaranteed by __attrs_post_init__
        return Period.day(self.on)

    @property
    def known(self) -> datetime.date:
        """
        The day the value became known: its report date, else its day, else the end of its period.
        """
        return self.reported or self.span.end

    @property
    def key(self) -> str:
        """
        The id shown in grade trails: the explicit id, else ``metric@period``.
        """
        return self.id or f"{self.metric}@{self.span}"


@attrs.frozen
class Verdict:
    """
    A grader's grade for a prediction, with the reasons and sources; it overrides any rule.

    *by* is the grader (None: the repository's editor); *evidence* names the ledger entries it
    rests on; *reason* says why a void verdict annuls; *final* settles a disagreement.
    """

    prediction: str = attrs.field(validator=_slug)
    on: datetime.date
    grade: Grade = attrs.field(validator=_verdict_grade)
    why: str = attrs.field(validator=_text)
    sources: tuple[Citation, ...] = attrs.field(converter=_as_citations, validator=_sources)
    by: str | None = attrs.field(default=None, validator=_optional_text)
    evidence: tuple[str, ...] = attrs.field(default=(), validator=_ids)
    reason: VoidReason | None = None
    final: bool = False

    def __attrs_post_init__(self) -> None:
        if self.reason is not None and self.grade is not Grade.VOID:
            raise FieldValueError("reason", f"is for void verdicts only; this one grades {self.grade.value!r}")

    @property
    def key(self) -> str:
        """
        The id shown in grade trails.
        """
        return f"verdict:{self.prediction}@{self.on.isoformat()}"

    def grader(self, editor: str) -> str:
        """
        Who graded: *by*, else the repository's *editor*.
        """
        return self.by if self.by is not None else editor


@attrs.frozen
class Ledger:
    """
    The evidence: metric definitions, events, observations and verdicts.
    """

    metric: tuple[Metric, ...] = ()
    event: tuple[Event, ...] = ()
    observation: tuple[Observation, ...] = ()
    verdict: tuple[Verdict, ...] = ()


def known_dates(ledger: Ledger) -> dict[str, datetime.date | None]:
    """
    The day each ledger entry a verdict may cite became known (None: it carries no date).
    """
    dates: dict[str, datetime.date | None] = dict.fromkeys((metric.id for metric in ledger.metric), None)
    for event in ledger.event:
        day = event.known or event.checked
        previous = dates.get(event.id)
        dates[event.id] = day if previous is None or (day is not None and day > previous) else previous
    for observation in ledger.observation:
        if observation.id is not None:
            dates[observation.id] = observation.known
    return dates


def effective_day(verdict: Verdict, dates: Mapping[str, datetime.date | None]) -> datetime.date:
    """
    The day *verdict* counts from: it cannot rest on a fact before that fact was public.
    """
    days = [verdict.on]
    days += [day for day in (dates.get(entry) for entry in verdict.evidence) if day is not None]
    days += [source.published for source in verdict.sources if source.published is not None]
    return max(days)


def hedge_problem(phrase: str, probability: float) -> str | None:
    """
    What is wrong with one ``phrase = probability`` hedge override, or None.
    """
    unsafe = unsafe_character(phrase)
    if unsafe is not None:
        return f"{phrase!r} {unsafe}"
    if not (math.isfinite(probability) and 0.0 < probability < 1.0):
        return f"{phrase!r} = {probability!r}: a hedge's probability must be strictly between 0 and 1"
    return None


def _hedges(_: object, __: attrs.Attribute[Any], value: Mapping[str, float]) -> None:
    for phrase, probability in value.items():
        message = hedge_problem(phrase, probability)
        if message is not None:
            raise ValueError(message)


def _file_name(_: object, __: attrs.Attribute[Any], value: str) -> None:
    if "/" in value or "\\" in value or not value.endswith(".toml") or value.startswith("."):
        msg = f"{value!r} must be a file name ending in .toml, in the evidence folder"
        raise ValueError(msg)


@attrs.frozen
class Settings:
    """
    The ``[tool.scorecard]`` table of ``pyproject.toml``: where things live, hedge overrides.
    """

    predictions: str = attrs.field(default="predictions", validator=_text)
    evidence: str = attrs.field(default="reviews/evidence", validator=_text)
    reviews: str = attrs.field(default="reviews", validator=_text)
    editor: str = attrs.field(default="editor", validator=_text)
    #: The file in the evidence folder that ``resolve``, ``happened`` and ``observe`` append to.
    ledger: str = attrs.field(default="ledger.toml", validator=[_text, _file_name])
    hedges: Mapping[str, float] = attrs.field(factory=dict, validator=_hedges, hash=False)


@attrs.frozen
class Origin:
    """
    Where a record was read: the file and the line its table starts on.
    """

    path: str
    line: int | None


@attrs.frozen
class Book:
    """
    Everything loaded from a repository: predictions, the ledger and the settings.
    """

    predictions: tuple[Prediction, ...] = ()
    ledger: Ledger = Ledger()
    settings: Settings = Settings()
    origins: Mapping[str, Origin] = attrs.field(factory=dict, hash=False, eq=False, repr=False)

    def prediction(self, prediction_id: str) -> Prediction | None:
        """
        The prediction with *prediction_id*, or None.
        """
        for prediction in self.predictions:
            if prediction.id == prediction_id:
                return prediction
        return None
