"""
Tests for the rule engine: each rule kind and its edges, with exact explanations.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given

from scorecard import (
    AllRule,
    AnyRule,
    ChangeRule,
    Confidence,
    Event,
    EventRule,
    Grade,
    JudgmentRule,
    Ledger,
    Metric,
    Observation,
    Op,
    Period,
    ThresholdRule,
    When,
)
from scorecard._rules import Series, evaluate, known_on
from scorecard._time import Duration

from .strategies import bar_queries

D = datetime.date
DUE = D(2024, 12, 31)
PRICE = Metric("price", "USD")


def release(
    on: datetime.date | None, *, reported: datetime.date | None = None, checked: datetime.date | None = None
) -> Event:
    if on is None:
        if checked is None:
            return Event("gpt-5-released", "GPT-5 is released")
        return Event(
            "gpt-5-released", "GPT-5 is released", source="https://s/check", confidence=Confidence.HIGH, checked=checked
        )
    return Event("gpt-5-released", "OpenAI released GPT-5.", on, "https://s/gpt5", Confidence.HIGH, reported)


def price(value: float, period: str, *, reported: datetime.date | None = None) -> Observation:
    return Observation(
        metric="price",
        value=value,
        summary="List price",
        source=f"https://s/{period}",
        confidence=Confidence.HIGH,
        period=Period.parse(period),
        reported=reported,
    )


def grade(
    rule: object, as_of: datetime.date, *, events: tuple[Event, ...] = (), observations: tuple[Observation, ...] = ()
) -> tuple[Grade, str]:
    known = known_on(Ledger(metric=(PRICE,), event=events, observation=observations), as_of)
    outcome = evaluate(rule, DUE, known)  # type: ignore[arg-type]
    return outcome.grade, outcome.explanation


class TestEvent:
    """Tests for event rules."""

    def test_event_on_the_due_date_is_yes(self) -> None:
        """An event on the due date itself counts as on time."""
        assert (Grade.YES, "OpenAI released GPT-5 (2024-12-31), on or before the 2024-12-31 deadline.") == grade(
            EventRule("gpt-5-released"), D(2025, 1, 1), events=(release(DUE),)
        )

    def test_event_before_due_resolves_early(self) -> None:
        """An event known before the due date gives yes at once."""
        assert Grade.YES == grade(EventRule("gpt-5-released"), D(2024, 6, 2), events=(release(D(2024, 6, 1)),))[0]

    def test_event_late_inside_partly_window_is_sort_of(self) -> None:
        """Late by less than partly_within earns Sort of."""
        rule = EventRule("gpt-5-released", partly_within=Duration.parse("6 months"))

        assert (
            Grade.PARTLY,
            "OpenAI released GPT-5 (2025-05-01): 4 months after the 2024-12-31 deadline, within the 6 months allowed for Sort of.",
        ) == grade(rule, D(2025, 6, 1), events=(release(D(2025, 5, 1)),))

    def test_event_late_outside_partly_window_is_no(self) -> None:
        """Late by more than partly_within is no."""
        rule = EventRule("gpt-5-released", partly_within=Duration.parse("6 months"))

        assert (
            Grade.NO,
            "OpenAI released GPT-5 (2025-08-07): 7 months after the 2024-12-31 deadline, beyond the 6 months allowed for Sort of.",
        ) == grade(rule, D(2025, 12, 31), events=(release(D(2025, 8, 7)),))

    def test_event_late_without_window_is_no(self) -> None:
        """Late with no partly window is simply no."""
        assert (
            Grade.NO,
            "OpenAI released GPT-5 (2025-08-07): 7 months after the 2024-12-31 deadline.",
        ) == grade(EventRule("gpt-5-released"), D(2025, 12, 31), events=(release(D(2025, 8, 7)),))

    def test_event_not_yet_known_is_pending_before_due(self) -> None:
        """Before the due date, a missing event is pending."""
        assert (Grade.PENDING, "No record yet that 'gpt-5-released' happened; due 2024-12-31.") == grade(
            EventRule("gpt-5-released"), D(2024, 7, 1), events=(release(None),)
        )

    def test_event_reported_after_as_of_is_not_known(self) -> None:
        """An event reported after as_of does not count, even if it happened before."""
        event = release(D(2024, 6, 1), reported=D(2025, 2, 1))

        assert Grade.PENDING == grade(EventRule("gpt-5-released"), D(2024, 12, 1), events=(event,))[0]
        assert Grade.YES == grade(EventRule("gpt-5-released"), D(2025, 2, 1), events=(event,))[0]

    def test_missed_deadline_waits_for_partly_window(self) -> None:
        """After the due date but inside the partly window, the grade stays pending."""
        rule = EventRule("gpt-5-released", partly_within=Duration.parse("6 months"))

        assert (
            Grade.PENDING,
            "'gpt-5-released' missed the 2024-12-31 deadline; it earns Sort of if it happens by 2025-06-30.",
        ) == grade(rule, D(2025, 3, 1), events=(release(None),))

    def test_absence_without_a_checked_source_is_unresolved(self) -> None:
        """An event with no date after the deadline is unresolved: absence needs a source."""
        assert (
            Grade.UNRESOLVED,
            "No record of 'gpt-5-released' by the 2024-12-31 deadline, and no source checked on or after "
            "2024-12-31 shows that it had not happened.",
        ) == grade(EventRule("gpt-5-released"), D(2025, 3, 1), events=(release(None),))

    def test_absence_with_a_checked_source_is_no(self) -> None:
        """A source checked after the deadline showing no event makes the claim no."""
        event = release(None, checked=D(2025, 1, 5))

        assert (
            Grade.NO,
            "GPT-5 is released: not happened as of 2025-01-05, after the 2024-12-31 deadline.",
        ) == grade(EventRule("gpt-5-released"), D(2025, 3, 1), events=(event,))

    def test_absence_check_counts_from_its_own_day(self) -> None:
        """A check made on 2 January settles a "by 31 December" claim for any date on or after the check, not before."""
        event = release(None, checked=D(2025, 1, 2))

        assert Grade.UNRESOLVED == grade(EventRule("gpt-5-released"), D(2024, 12, 31), events=(event,))[0]
        assert Grade.NO == grade(EventRule("gpt-5-released"), D(2025, 1, 2), events=(event,))[0]

    def test_check_before_deadline_does_not_decide(self) -> None:
        """A check made before the deadline cannot show absence at the deadline."""
        event = release(None, checked=D(2024, 11, 5))

        assert Grade.UNRESOLVED == grade(EventRule("gpt-5-released"), D(2025, 3, 1), events=(event,))[0]

    def test_expect_false_event_happened_is_no(self) -> None:
        """A claim that something won't happen is no when it happens by the deadline."""
        assert (
            Grade.NO
            == grade(EventRule("gpt-5-released", expect=False), D(2025, 1, 1), events=(release(D(2024, 5, 1)),))[0]
        )

    def test_expect_false_event_late_is_yes(self) -> None:
        """A claim that something won't happen is yes when it happens only after the deadline."""
        assert (
            Grade.YES,
            "OpenAI released GPT-5 (2025-08-07): 7 months after the 2024-12-31 deadline, so it had not happened by then.",
        ) == grade(EventRule("gpt-5-released", expect=False), D(2025, 9, 1), events=(release(D(2025, 8, 7)),))

    def test_expect_false_checked_absence_is_yes(self) -> None:
        """A checked absence after the deadline makes a 'won't happen' claim yes."""
        event = release(None, checked=D(2025, 1, 5))

        assert Grade.YES == grade(EventRule("gpt-5-released", expect=False), D(2025, 3, 1), events=(event,))[0]


class TestThreshold:
    """Tests for threshold rules."""

    def test_never_observed_is_unresolved(self) -> None:
        """A threshold with no observation by the due date is unresolved once due."""
        rule = ThresholdRule("price", Op.LE, 1.0)

        assert (Grade.UNRESOLVED, "No observation of price dated by 2024-12-31 to compare with price <= 1.") == grade(
            rule, D(2025, 1, 1)
        )

    def test_reached_early_is_yes(self) -> None:
        """Reaching the bar before the due date resolves yes at once."""
        rule = ThresholdRule("price", Op.LE, 1.0)

        assert (Grade.YES, "0.5 USD (2024-06) meets price <= 1.") == grade(
            rule, D(2024, 7, 1), observations=(price(0.5, "2024-06"),)
        )

    def test_not_reached_before_due_is_pending(self) -> None:
        """Below the bar before the due date is pending, with the best value so far."""
        rule = ThresholdRule("price", Op.LE, 1.0)

        assert (
            Grade.PENDING,
            "price <= 1 not reached by 2024-07-01; best so far 2 USD (2024-06); due 2024-12-31.",
        ) == grade(rule, D(2024, 7, 1), observations=(price(3.0, "2024-05"), price(2.0, "2024-06")))

    def test_missed_with_partly(self) -> None:
        """Missing the bar but meeting the partly bar earns Sort of."""
        rule = ThresholdRule("price", Op.LE, 1.0, partly=2.5)

        assert (
            Grade.PARTLY,
            "2 USD (2024-06) misses price <= 1 but meets the Sort of bar 2.5.",
        ) == grade(rule, D(2025, 1, 1), observations=(price(3.0, "2024-05"), price(2.0, "2024-06")))

    def test_missed_is_no(self) -> None:
        """Missing every bar is no, citing the closest value."""
        rule = ThresholdRule("price", Op.GE, 10.0)

        assert (Grade.NO, "3 USD (2024-05) misses price >= 10.") == grade(
            rule, D(2025, 1, 1), observations=(price(3.0, "2024-05"), price(2.0, "2024-06"))
        )

    def test_observation_after_due_does_not_count_for_by(self) -> None:
        """A value for a period ending after the due date cannot meet a 'by' bar."""
        rule = ThresholdRule("price", Op.LE, 1.0)

        assert Grade.UNRESOLVED == grade(rule, D(2025, 6, 1), observations=(price(0.5, "2025-01"),))[0]

    def test_at_uses_latest_value(self) -> None:
        """A threshold 'at' the due date uses the latest value by then."""
        rule = ThresholdRule("price", Op.LE, 1.0, when=When.AT)

        assert (Grade.NO, "2 USD (2024-12), the latest by 2024-12-31, misses price <= 1.") == grade(
            rule, D(2025, 1, 1), observations=(price(0.5, "2024-06"), price(2.0, "2024-12"))
        )
        assert (Grade.YES, "0.5 USD (2024-12), the latest by 2024-12-31, meets price <= 1.") == grade(
            rule, D(2025, 1, 1), observations=(price(2.0, "2024-06"), price(0.5, "2024-12"))
        )

    def test_at_is_pending_before_due(self) -> None:
        """A threshold 'at' the due date waits for it."""
        assert Grade.PENDING == grade(ThresholdRule("price", Op.LE, 1.0, when=When.AT), D(2024, 6, 1))[0]

    def test_at_without_data_is_unresolved(self) -> None:
        """A threshold 'at' with no value is unresolved once due."""
        assert Grade.UNRESOLVED == grade(ThresholdRule("price", Op.LE, 1.0, when=When.AT), D(2025, 6, 1))[0]

    def test_period_restricts_observations(self) -> None:
        """With a period, only values for that period count."""
        rule = ThresholdRule("price", Op.GE, 5.0, period=Period.parse("2024"))

        assert Grade.NO == grade(rule, D(2025, 6, 1), observations=(price(9.0, "2023"), price(4.0, "2024")))[0]


class TestChange:
    """Tests for change rules."""

    def test_tenfold_fall_is_yes(self) -> None:
        """A ratio that meets the factor is yes, with both values in the explanation."""
        rule = ChangeRule("price", Period.parse("2023"), Period.parse("2024"), Op.LE, 0.1)

        assert (
            Grade.YES,
            "price went from 30 USD (2023) to 2.5 USD (2024), a factor of 0.0833, which meets <= 0.1.",
        ) == grade(rule, D(2025, 1, 1), observations=(price(30.0, "2023"), price(2.5, "2024")))

    def test_missing_period_is_unresolved_after_due(self) -> None:
        """A change with a missing period is unresolved once due, naming the period."""
        rule = ChangeRule("price", Period.parse("2023"), Period.parse("2024"), Op.LE, 0.1)

        assert (Grade.UNRESOLVED, "No observation of price for 2023.") == grade(
            rule, D(2025, 6, 1), observations=(price(2.5, "2024"),)
        )

    def test_missing_period_is_pending_before_due(self) -> None:
        """A change waits while its periods are not over."""
        rule = ChangeRule("price", Period.parse("2023"), Period.parse("2024"), Op.LE, 0.1)

        assert (Grade.PENDING, "Waiting for price for 2024; due 2024-12-31.") == grade(
            rule, D(2024, 6, 1), observations=(price(30.0, "2023"),)
        )

    def test_partly_factor(self) -> None:
        """Missing the factor but meeting the partly factor is Sort of."""
        rule = ChangeRule("price", Period.parse("2023"), Period.parse("2024"), Op.LE, 0.1, partly=0.5)

        assert Grade.PARTLY == grade(rule, D(2025, 1, 1), observations=(price(30.0, "2023"), price(10.0, "2024")))[0]

    def test_missed_factor_is_no(self) -> None:
        """Missing every factor is no."""
        rule = ChangeRule("price", Period.parse("2023"), Period.parse("2024"), Op.LE, 0.1)

        assert Grade.NO == grade(rule, D(2025, 1, 1), observations=(price(30.0, "2023"), price(20.0, "2024")))[0]

    def test_zero_base_is_unresolved(self) -> None:
        """A ratio from zero cannot be taken."""
        rule = ChangeRule("price", Period.parse("2023"), Period.parse("2024"), Op.GE, 2.0)

        assert (Grade.UNRESOLVED, "price was 0 for 2023, so no ratio can be taken.") == grade(
            rule, D(2025, 1, 1), observations=(price(0.0, "2023"), price(20.0, "2024"))
        )

    @pytest.mark.parametrize(("before", "after"), [(-1.0, 5.0), (5.0, -1.0), (-4.0, -2.0)])
    def test_a_negative_value_is_unresolved(self, before: float, after: float) -> None:
        """A factor between a negative and any value cannot be taken: a rise from -1 to 5 is not a tenfold fall."""
        rule = ChangeRule("price", Period.parse("2023"), Period.parse("2024"), Op.LE, 0.1)

        assert (
            Grade.UNRESOLVED,
            f"price went from {before:g} USD (2023) to {after:g} USD (2024): a factor is taken between values that "
            "are not negative, so none can be taken.",
        ) == grade(rule, D(2025, 1, 1), observations=(price(before, "2023"), price(after, "2024")))

    def test_revised_figure_replaces_earlier(self) -> None:
        """The latest-reported figure for a period is the one used."""
        rule = ChangeRule("price", Period.parse("2023"), Period.parse("2024"), Op.LE, 0.5)
        first = price(10.0, "2024", reported=D(2025, 1, 10))
        revised = price(20.0, "2024", reported=D(2025, 3, 10))
        observations = (price(30.0, "2023"), first, revised)

        assert Grade.YES == grade(rule, D(2025, 2, 1), observations=observations)[0]
        assert Grade.NO == grade(rule, D(2025, 4, 1), observations=observations)[0]


class TestJudgmentAndCombined:
    """Tests for judgment, all and any rules."""

    def test_judgment_without_verdict(self) -> None:
        """A judgment is pending before due and unresolved after, asking for a verdict."""
        assert (Grade.PENDING, "A judgment call, due 2024-12-31; no verdict yet.") == grade(
            JudgmentRule(), D(2024, 1, 1)
        )
        assert (
            Grade.UNRESOLVED,
            "A judgment call that was due 2024-12-31; it needs a verdict in the ledger.",
        ) == grade(JudgmentRule(), D(2025, 1, 1))

    def test_all_yes_and_partly_is_partly(self) -> None:
        """All with a yes and a partly is partly."""
        rule = AllRule((EventRule("gpt-5-released"), ThresholdRule("price", Op.LE, 1.0, partly=3.0)))

        assert (
            Grade.PARTLY
            == grade(rule, D(2025, 1, 1), events=(release(D(2024, 3, 1)),), observations=(price(2.0, "2024-06"),))[0]
        )

    def test_all_with_a_no_is_no(self) -> None:
        """All with any no is no."""
        rule = AllRule((EventRule("gpt-5-released"), ThresholdRule("price", Op.LE, 1.0)))

        assert (
            Grade.NO
            == grade(rule, D(2025, 1, 1), events=(release(D(2024, 3, 1)),), observations=(price(2.0, "2024-06"),))[0]
        )

    def test_all_every_yes_is_yes(self) -> None:
        """All with every part yes is yes."""
        rule = AllRule((EventRule("gpt-5-released"), ThresholdRule("price", Op.LE, 1.0)))

        assert (
            Grade.YES
            == grade(rule, D(2024, 7, 1), events=(release(D(2024, 3, 1)),), observations=(price(0.5, "2024-06"),))[0]
        )

    def test_all_pending_and_unresolved(self) -> None:
        """All waits while a part is pending, and is unresolved when a part is."""
        rule = AllRule((EventRule("gpt-5-released"), ThresholdRule("price", Op.LE, 1.0)))

        assert Grade.PENDING == grade(rule, D(2024, 7, 1), events=(release(D(2024, 3, 1)),))[0]
        assert Grade.UNRESOLVED == grade(rule, D(2025, 7, 1), events=(release(D(2024, 3, 1)),))[0]

    def test_nested_any_inside_all(self) -> None:
        """Nested rules combine: all(yes, any(no, yes)) is yes, with an explanation of every part."""
        rule = AllRule(
            (
                EventRule("gpt-5-released"),
                AnyRule((ThresholdRule("price", Op.GE, 100.0), ThresholdRule("price", Op.LE, 1.0))),
            )
        )

        assert (
            Grade.YES,
            "Yes on all of: (1) Yes: OpenAI released GPT-5 (2024-03-01), on or before the 2024-12-31 deadline. "
            "(2) Yes: Yes on any of: (1) No: 0.5 USD (2024-06) misses price >= 100. (2) Yes: 0.5 USD (2024-06) meets price <= 1.",
        ) == grade(rule, D(2025, 1, 1), events=(release(D(2024, 3, 1)),), observations=(price(0.5, "2024-06"),))

    def test_any_grades(self) -> None:
        """Any is no when all are no, partly when the best is partly, pending while one may still pass."""
        rule = AnyRule((ThresholdRule("price", Op.GE, 100.0, partly=10.0), ThresholdRule("price", Op.GE, 200.0)))

        assert Grade.NO == grade(rule, D(2025, 1, 1), observations=(price(5.0, "2024-06"),))[0]
        assert Grade.PARTLY == grade(rule, D(2025, 1, 1), observations=(price(50.0, "2024-06"),))[0]
        assert Grade.PENDING == grade(rule, D(2024, 7, 1), observations=(price(50.0, "2024-06"),))[0]
        assert Grade.UNRESOLVED == grade(AnyRule((JudgmentRule(),)), D(2025, 7, 1))[0]


def first_meeting_by_scan(series: Series, count: int, op: Op, bar: float) -> Observation | None:
    """The reference: scan the first *count* observations, keep those over the bar, take the first known."""
    hits = [o for o in series.observations[:count] if op.holds(o.value, bar)]
    return min(hits, key=lambda o: (o.known, o.span.end, o.key), default=None)


class TestFirstMeeting:
    """Tests for the first known observation over a bar among the first of a series."""

    @given(bar_queries())
    def test_same_as_a_scan(self, query: tuple[list[Observation], int, Op, float]) -> None:
        """For any series, prefix and bar, the tree answers exactly what scanning the prefix answers."""
        found, count, op, bar = query
        series = Series.of(found)

        assert first_meeting_by_scan(series, count, op, bar) is series.first_meeting(count, op, bar)

    def test_prefix_excludes_later_periods(self) -> None:
        """An observation known first but ending after the prefix does not count."""
        early = price(5.0, "2024-06", reported=D(2025, 3, 1))
        late = price(9.0, "2024-09", reported=D(2024, 10, 1))
        series = Series.of([late, early])

        assert series.first_meeting(2, Op.GE, 5.0) is late
        assert series.first_meeting(1, Op.GE, 5.0) is early
        assert series.first_meeting(1, Op.GT, 5.0) is None
        assert series.first_meeting(2, Op.LT, 9.0) is early
        assert series.first_meeting(2, Op.LE, 4.0) is None

    def test_same_answer_on_repeated_queries(self) -> None:
        """Runs built for one query answer later ones the same (the tree is built as it is used)."""
        series = Series.of(
            [price(float(n % 7), f"2024-{n % 12 + 1:02d}", reported=D(2025, 1, 28 - n)) for n in range(20)]
        )

        answers = [series.first_meeting(count, Op.GE, 3.0) for count in range(21)]

        assert answers == [series.first_meeting(count, Op.GE, 3.0) for count in range(21)]
        assert answers == [first_meeting_by_scan(series, count, Op.GE, 3.0) for count in range(21)]
