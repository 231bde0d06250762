"""
Tests for grading a book: verdicts, time, probabilities, and the invariants of grading.
"""

from __future__ import annotations

import datetime
import random

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard import (
    AsOfError,
    Book,
    Citation,
    Confidence,
    Event,
    EventRule,
    FieldValueError,
    Forecast,
    Grade,
    JudgmentRule,
    Ledger,
    Observation,
    Prediction,
    ScorecardError,
    Settings,
    Source,
    SourceKind,
    UsageError,
    Verdict,
    due,
    grade,
    select,
)
from scorecard._model import effective_day, known_dates
from scorecard._time import Duration

from .strategies import books, days, events, observations, verdicts

D = datetime.date


def prediction(pid: str = "p-0", rule: object = None, **fields: object) -> Prediction:
    values: dict[str, object] = {
        "id": pid,
        "claim": "GPT-5 is released by the end of 2024.",
        "by": "A Forecaster",
        "made": D(2024, 6, 1),
        "due": D(2024, 12, 31),
        "source": Source(url="https://example.org"),
        "rule": rule or EventRule("gpt-5-released"),
    }
    values.update(fields)
    return Prediction(**values)  # type: ignore[arg-type]


GPT5 = Event("gpt-5-released", "OpenAI released GPT-5.", D(2025, 8, 7), "https://s/gpt5", Confidence.HIGH)


def test_verdict_overrides_rule_and_both_are_shown() -> None:
    """A verdict replaces the rule's grade; the rule's own outcome stays visible."""
    verdict = Verdict("p-0", D(2025, 9, 1), Grade.PARTLY, "Released late but as promised.", ("https://s/v",))
    book = Book((prediction(),), Ledger(event=(GPT5,), verdict=(verdict,)))

    result = grade(book, as_of=D(2025, 12, 31)).results[0]

    assert Grade.PARTLY == result.grade
    assert "Verdict of 2025-09-01 by editor: Released late but as promised." == result.explanation
    assert Grade.NO == result.rule_outcome.grade
    assert ("verdict:p-0@2025-09-01", "gpt-5-released") == result.outcome.evidence
    assert ("https://s/v", "https://s/gpt5") == tuple(s.url for s in result.outcome.sources)


def test_verdict_counts_only_from_its_date() -> None:
    """A verdict dated after as_of does not apply."""
    verdict = Verdict("p-0", D(2025, 9, 1), Grade.VOID, "The claim was ambiguous.", ("https://s/v",))
    book = Book((prediction(),), Ledger(event=(GPT5,), verdict=(verdict,)))

    assert Grade.NO == grade(book, as_of=D(2025, 8, 31)).results[0].grade
    assert Grade.VOID == grade(book, as_of=D(2025, 9, 1)).results[0].grade


def test_latest_verdict_wins() -> None:
    """A later verdict replaces an earlier one."""
    first = Verdict("p-0", D(2025, 1, 1), Grade.NO, "Not yet.", ("https://s/1",))
    second = Verdict("p-0", D(2025, 9, 1), Grade.YES, "Now yes.", ("https://s/2",))
    book = Book((prediction(rule=JudgmentRule()),), Ledger(verdict=(second, first)))

    assert Grade.NO == grade(book, as_of=D(2025, 6, 1)).results[0].grade
    assert Grade.YES == grade(book, as_of=D(2025, 9, 1)).results[0].grade


def test_predictions_made_after_as_of_do_not_exist() -> None:
    """Only predictions made by as_of are graded."""
    book = Book((prediction(made=D(2024, 6, 1)), prediction("p-1", made=D(2024, 8, 1))), Ledger(event=(GPT5,)))

    assert ["p-0"] == [r.prediction.id for r in grade(book, as_of=D(2024, 7, 1))]


def test_probability_from_number_then_hedge() -> None:
    """A stated probability wins; else the hedge word's; else none."""
    book = Book(
        (
            prediction("p-0", probability=0.6, hedge="likely"),
            prediction("p-1", hedge="大概率"),
            prediction("p-2", hedge="perchance"),
            prediction("p-3"),
        ),
        Ledger(event=(GPT5,)),
        Settings(hedges={"perchance": 0.45}),
    )

    results = grade(book, as_of=D(2025, 1, 1)).results

    assert [(0.6, "stated"), (0.75, "hedge '大概率'"), (0.45, "hedge 'perchance'"), (None, None)] == [
        (r.probability, r.probability_basis) for r in results
    ]


def _grades(book: Book, as_of: datetime.date) -> dict[str, tuple[Grade, str]]:
    return {r.prediction.id: (r.grade, r.explanation) for r in grade(book, as_of=as_of)}


@given(book=books, as_of=days, later=st.lists(events() | observations() | verdicts, max_size=6))
def test_no_hindsight(book: Book, as_of: datetime.date, later: list[object]) -> None:
    """Adding evidence known only after as_of never changes any grade as of as_of."""
    extra_events = [
        e
        for e in later
        if isinstance(e, Event)
        and e.known is not None
        and e.known > as_of
        and e.id not in {x.id for x in book.ledger.event}
    ]
    extra_obs = [o for o in later if isinstance(o, Observation) and o.known > as_of]
    with_facts = Ledger(
        metric=book.ledger.metric,
        event=book.ledger.event + tuple(extra_events),
        observation=book.ledger.observation + tuple(extra_obs),
    )
    # A verdict is later knowledge when it counts from after as_of: dated, or resting on a source
    # published, after it.
    dates = known_dates(with_facts)
    extra_verdicts = [v for v in later if isinstance(v, Verdict) and effective_day(v, dates) > as_of]
    richer = attrs.evolve(with_facts, verdict=book.ledger.verdict + tuple(extra_verdicts))

    assert _grades(book, as_of) == _grades(Book(book.predictions, richer), as_of)


@given(book=books, as_of=days, seed=st.integers(0, 2**32 - 1))
def test_order_never_changes_a_grade(book: Book, as_of: datetime.date, seed: int) -> None:
    """Shuffling predictions and ledger entries never changes any grade or explanation."""
    shuffle = random.Random(seed)

    def shuffled(items: tuple[object, ...]) -> tuple[object, ...]:
        items_list = list(items)
        shuffle.shuffle(items_list)
        return tuple(items_list)

    ledger = book.ledger
    mixed = Book(
        shuffled(book.predictions),  # type: ignore[arg-type]
        Ledger(
            shuffled(ledger.metric),  # type: ignore[arg-type]
            shuffled(ledger.event),  # type: ignore[arg-type]
            shuffled(ledger.observation),  # type: ignore[arg-type]
            shuffled(ledger.verdict),  # type: ignore[arg-type]
        ),
    )

    assert grade(book, as_of=as_of) == grade(mixed, as_of=as_of)


@given(book=books, as_of=days)
def test_grading_is_deterministic(book: Book, as_of: datetime.date) -> None:
    """Grading the same book twice gives equal results."""
    assert grade(book, as_of=as_of) == grade(book, as_of=as_of)


@given(book=books, as_of=days, step=st.integers(1, 2000))
def test_event_yes_stays_yes(book: Book, as_of: datetime.date, step: int) -> None:
    """For an event rule, a yes stays yes at every later date unless a verdict overrides."""
    later = as_of + datetime.timedelta(days=step)
    before = grade(book, as_of=as_of)
    after = grade(book, as_of=later)
    for result in before:
        if isinstance(result.prediction.rule, EventRule) and result.rule_outcome.grade is Grade.YES:
            again = after.get(result.prediction.id)
            assert again is not None
            assert Grade.YES == again.rule_outcome.grade


def test_graded_lookup_and_length() -> None:
    """A Graded result counts its predictions and finds one by id, or None."""
    book = Book((prediction("p-0"), prediction("p-1")), Ledger(event=(GPT5,)))

    graded = grade(book, as_of=D(2025, 1, 1))

    assert 2 == len(graded)
    assert "p-1" == graded.get("p-1").prediction.id  # type: ignore[union-attr]
    assert graded.get("p-9") is None


def test_unknown_hedge_gives_no_probability() -> None:
    """A hedge word the lexicon lacks gives no probability, so the prediction counts in hit rates only."""
    book = Book((prediction("p-0", hedge="perchance"),), Ledger(event=(GPT5,)))

    result = grade(book, as_of=D(2025, 1, 1)).results[0]

    assert (None, None) == (result.probability, result.probability_basis)


def _judged(*found: Verdict, rule: object = None) -> tuple[Grade, str, list[tuple[str, str, bool]]]:
    book = Book(
        (prediction(rule=rule or JudgmentRule(), by="Fay"),),
        Ledger(event=(GPT5,), verdict=found),
    )
    result = grade(book, as_of=D(2026, 1, 1)).results[0]
    return result.grade, result.basis.value, [(r.grader, r.verdict.grade.value, r.self_grade) for r in result.readings]


GRADED_ON = D(2025, 2, 1)


def _by(grader: str | None, grade_: Grade, on: D = GRADED_ON, **fields: object) -> Verdict:
    return Verdict("p-0", on, grade_, f"{grader} says {grade_.value}.", ("https://s/v",), by=grader, **fields)  # type: ignore[arg-type]


def test_two_graders_who_agree_decide() -> None:
    """Two independent graders giving the same grade decide it."""
    assert (Grade.YES, "independent", [("Ann", "yes", False), ("Bob", "yes", False)]) == _judged(
        _by("Ann", Grade.YES), _by("Bob", Grade.YES)
    )


def test_disagreement_without_final_is_disputed() -> None:
    """Two independent graders who disagree, with no final verdict, leave the prediction disputed."""
    grade_, basis, _ = _judged(_by("Ann", Grade.YES), _by("Bob", Grade.NO))

    assert (Grade.DISPUTED, "disputed") == (grade_, basis)


def test_majority_decides_and_final_overrides_it() -> None:
    """Of three graders the majority decides; a final verdict decides against any majority."""
    assert Grade.YES == _judged(_by("Ann", Grade.YES), _by("Bob", Grade.NO), _by("Cy", Grade.YES))[0]
    assert Grade.NO == _judged(_by("Ann", Grade.YES), _by("Bob", Grade.YES), _by("Cy", Grade.NO, final=True))[0]


def test_each_graders_latest_verdict_counts() -> None:
    """A grader who changed their mind is counted once, with their latest verdict."""
    found = _judged(_by("Ann", Grade.NO, D(2025, 1, 1)), _by("Ann", Grade.YES, D(2025, 3, 1)), _by("Bob", Grade.YES))

    assert (Grade.YES, "independent", [("Ann", "yes", False), ("Bob", "yes", False)]) == found


def test_self_grade_yields_to_an_independent_grader() -> None:
    """The forecaster's own verdict is shown but an independent grader's decides."""
    assert (Grade.NO, "independent", [("Bob", "no", False), ("Fay", "yes", True)]) == _judged(
        _by("Fay", Grade.YES), _by("Bob", Grade.NO)
    )


@pytest.mark.parametrize("spelling", ["FAY", "fay ", "Ｆａｙ", "F\u200bay"])
def test_the_forecaster_in_another_spelling_is_still_a_self_grade(spelling: str) -> None:
    """A verdict by the forecaster's name in another case, width or with invisible characters is a self-grade."""
    assert (Grade.NO, "independent", [("Bob", "no", False), (spelling, "yes", True)]) == _judged(
        _by(spelling, Grade.YES), _by("Bob", Grade.NO)
    )


def test_one_grader_in_two_spellings_is_one_vote() -> None:
    """Two spellings of one grader's name are one grader, named as first written: their latest verdict counts once."""
    found = _judged(_by("Ann", Grade.YES, D(2025, 1, 1)), _by("ANN", Grade.YES, D(2025, 1, 2)), _by("Bob", Grade.NO))

    assert (Grade.DISPUTED, "disputed", [("Ann", "yes", False), ("Bob", "no", False)]) == found


def test_self_grade_decides_alone_but_not_against_a_settled_rule() -> None:
    """A self-grade (by the forecaster or on self sources only) decides when nothing else does, never over a rule."""
    own = Verdict(
        "p-0", D(2025, 2, 1), Grade.YES, "We were right.", (Citation("https://us", kind=SourceKind.SELF),), by="Report"
    )
    assert (Grade.YES, "self", [("Report", "yes", True)]) == _judged(own)
    assert (Grade.NO, "rule", [("Report", "yes", True)]) == _judged(own, rule=EventRule("gpt-5-released"))


def test_verdict_counts_from_its_sources_publication() -> None:
    """A verdict dated before the source it cites counts only from that source's publication day."""
    late = Verdict(
        "p-0",
        D(2025, 1, 31),
        Grade.YES,
        "Per November figures.",
        (Citation("https://s/nov", published=D(2025, 11, 20)),),
    )
    book = Book((prediction(rule=JudgmentRule()),), Ledger(verdict=(late,)))

    assert Grade.UNRESOLVED == grade(book, as_of=D(2025, 6, 1)).results[0].grade
    assert D(2025, 11, 20) == grade(book, as_of=D(2025, 12, 1)).results[0].outcome.decided


@pytest.mark.parametrize("value", [datetime.datetime(2025, 1, 1, 12, 0, tzinfo=datetime.UTC), "2025-01-01", None])
def test_grade_refuses_anything_but_a_date(value: object) -> None:
    """grade() says clearly that as_of must be a datetime.date, as a ScorecardError that is also a TypeError."""
    with pytest.raises(AsOfError, match=r"^as_of must be a datetime\.date, got ") as caught:
        grade(Book(), as_of=value)  # type: ignore[arg-type]

    assert isinstance(caught.value, ScorecardError)
    assert isinstance(caught.value, TypeError)


def test_select_and_due() -> None:
    """Select filters by tag, forecaster and due bounds in due order; due splits pending-soon from unresolved."""
    found = [
        prediction("p-0", rule=JudgmentRule(), tags=("a", "b"), due=D(2025, 2, 1)),
        prediction("p-1", rule=JudgmentRule(), tags=("a",), by="Someone Else", due=D(2025, 1, 10)),
        prediction("p-2", rule=JudgmentRule(), tags=("a",), due=D(2024, 12, 1)),
    ]

    assert ["p-2", "p-1", "p-0"] == [p.id for p in select(found, tags=["a"])]
    assert ["p-2", "p-0"] == [p.id for p in select(found, tags=["a"], by="a forecaster")]
    assert ["p-1"] == [p.id for p in select(found, due_after=D(2024, 12, 1), due_before=D(2025, 2, 1))]
    coming = due(grade(Book(tuple(found)), as_of=D(2025, 1, 1)), within=Duration.parse("30d"))
    assert (D(2025, 1, 31), ["p-1"], ["p-2"]) == (
        coming.horizon,
        [r.prediction.id for r in coming.soon],
        [r.prediction.id for r in coming.overdue],
    )


def test_the_forecast_standing_at_the_grading_day_is_the_one_used() -> None:
    """Each update replaces the forecast from its day: graded mid-year, the update of that time counts; at due, the last."""
    updates = (Forecast(D(2024, 8, 1), probability=0.3, why="Slipping."), Forecast(D(2024, 11, 1), hedge="very likely"))
    book = Book((prediction(probability=0.6, forecast=updates),), Ledger(event=(GPT5,)))

    def said(day: datetime.date) -> tuple[float | None, str | None]:
        result = grade(book, as_of=day).results[0]
        return result.probability, result.probability_basis

    assert (0.6, "stated") == said(D(2024, 7, 31))
    assert (0.3, "stated on 2024-08-01") == said(D(2024, 10, 31))
    assert (0.9, "hedge 'very likely' on 2024-11-01") == said(D(2025, 6, 30))


def test_an_update_after_due_is_refused() -> None:
    """A forecast update dated after due would be hindsight: the record refuses it."""
    with pytest.raises(FieldValueError, match="an update on 2025-01-02 is after due = 2024-12-31"):
        prediction(forecast=(Forecast(D(2025, 1, 2), probability=0.9),))


def test_policies_choose_which_forecast_is_scored() -> None:
    """Last is the forecast standing at due, first the one made first, time-average weights each by its days."""
    updates = (Forecast(D(2024, 7, 1), probability=0.2),)
    book = Book((prediction(made=D(2024, 1, 1), probability=0.6, forecast=updates),), Ledger(event=(GPT5,)))

    def scored(policy: str) -> tuple[float | None, str | None]:
        result = grade(book, as_of=D(2025, 6, 30), policy=policy).results[0]
        return result.probability, result.probability_basis

    assert (0.2, "stated on 2024-07-01") == scored("last")
    assert (0.6, "stated") == scored("first")
    # 182 days at 0.6 (1 January to 1 July 2024, a leap year), then 183 days at 0.2 (to 31 December).
    probability, basis = scored("time-average")
    assert "time-average of 2 forecasts" == basis
    assert probability == pytest.approx((182 * 0.6 + 183 * 0.2) / 365, abs=1e-12)


def test_an_update_made_once_the_outcome_was_known_is_not_scored() -> None:
    """Under every policy, the forecast scored is the one standing the day before the deciding event became known."""
    early = Event("gpt-5-released", "OpenAI released GPT-5.", D(2024, 9, 1), "https://s/gpt5", Confidence.HIGH)
    updates = (Forecast(D(2024, 7, 1), probability=0.4), Forecast(D(2024, 9, 1), probability=0.99))
    book = Book((prediction(made=D(2024, 6, 1), probability=0.6, forecast=updates),), Ledger(event=(early,)))

    def scored(policy: str) -> tuple[float | None, str | None]:
        result = grade(book, as_of=D(2025, 6, 30), policy=policy).results[0]
        return result.probability, result.probability_basis

    assert (0.4, "stated on 2024-07-01") == scored("last")
    assert (0.6, "stated") == scored("first")
    # 30 days at 0.6 (1 June to 1 July), then 61 days at 0.4 (to 31 August, the day before it was known).
    probability, basis = scored("time-average")
    assert "time-average of 2 forecasts" == basis
    assert probability == pytest.approx((30 * 0.6 + 61 * 0.4) / 91, abs=1e-12)
    assert ((D(2024, 6, 1), 0.6), (D(2024, 7, 1), 0.4)) == grade(book, as_of=D(2025, 6, 30)).results[0].forecasts


def test_an_update_written_once_the_outcome_was_known_is_not_scored_whatever_its_date() -> None:
    """An update dated before the event became known but written after it is left out; one written in time counts."""
    early = Event("gpt-5-released", "OpenAI released GPT-5.", D(2024, 9, 1), "https://s/gpt5", Confidence.HIGH)
    updates = (Forecast(D(2024, 7, 1), probability=0.4), Forecast(D(2024, 8, 1), probability=0.99))
    book = Book((prediction(made=D(2024, 6, 1), probability=0.6, forecast=updates),), Ledger(event=(early,)))
    key = book.predictions[0].id

    def scored(written: dict[D, D]) -> tuple[float | None, tuple[tuple[D, float | None], ...]]:
        result = grade(book, as_of=D(2025, 6, 30), written={key: written}).results[0]
        return result.probability, result.forecasts

    in_time = {D(2024, 7, 1): D(2024, 7, 1), D(2024, 8, 1): D(2024, 8, 2)}
    backdated = {D(2024, 7, 1): D(2024, 7, 1), D(2024, 8, 1): D(2024, 9, 1)}
    assert (0.99, ((D(2024, 6, 1), 0.6), (D(2024, 7, 1), 0.4), (D(2024, 8, 1), 0.99))) == scored(in_time)
    assert (0.4, ((D(2024, 6, 1), 0.6), (D(2024, 7, 1), 0.4))) == scored(backdated)
    assert updates == grade(book, as_of=D(2025, 6, 30), written={key: backdated}).results[0].prediction.forecast


def test_an_unknown_policy_is_a_usage_error() -> None:
    """A policy name grading does not know is refused with the names it does."""
    with pytest.raises(UsageError, match="policy must be one of last, first, time-average, got 'median'"):
        grade(Book(), as_of=D(2025, 1, 1), policy="median")
