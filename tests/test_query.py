"""
Tests for the questions asked of a book: which predictions match, who made them, what comes due.
"""

from __future__ import annotations

import datetime

from hypothesis import given

from scorecard import Book, Grade, JudgmentRule, Ledger, Prediction, Source, grade
from scorecard._query import DEFAULT_WITHIN, due, forecasters, select
from scorecard._time import Duration

from .strategies import books, days

D = datetime.date
MARCH = D(2025, 3, 1)


def prediction(pid: str, *, by: str = "Ann Lee", due_on: D = MARCH, tags: tuple[str, ...] = ()) -> Prediction:
    return Prediction(
        id=pid,
        claim=f"Claim {pid}.",
        by=by,
        made=D(2024, 1, 1),
        due=due_on,
        source=Source(url="https://example.org"),
        rule=JudgmentRule(),
        tags=tags,
    )


BOOK = (
    prediction("c", due_on=D(2025, 3, 1), tags=("ai", "chips")),
    prediction("a", by="Guangmi Li", due_on=D(2025, 3, 1), tags=("ai",)),
    prediction("b", by="guangmi\u200b  li", due_on=D(2025, 1, 10)),
    prediction("d", by="Bob", due_on=D(2024, 12, 1), tags=("chips",)),
)


def ids(found: list[Prediction]) -> list[str]:
    return [p.id for p in found]


def test_select_without_filters_orders_by_due_then_id() -> None:
    """With no filter every prediction is chosen, ordered by due date, then id."""
    assert ids(select(BOOK)) == ["d", "b", "a", "c"]


def test_select_by_tags_needs_every_tag_in_any_case() -> None:
    """A match carries every tag asked for, the tags compared in any case."""
    assert ids(select(BOOK, tags=["AI"])) == ["a", "c"]
    assert ids(select(BOOK, tags=["ai", "Chips"])) == ["c"]
    assert ids(select(BOOK, tags=["nope"])) == []


def test_select_by_forecaster_matches_look_alikes() -> None:
    """A forecaster's name matches in any case, spacing or invisible characters."""
    assert ids(select(BOOK, by="guangmi  li")) == ["b", "a"]
    assert ids(select(BOOK, by="BOB")) == ["d"]
    assert ids(select(BOOK, by="Guangmi")) == []


def test_select_due_bounds_are_strict() -> None:
    """Due bounds exclude predictions due exactly on the bound."""
    assert ids(select(BOOK, due_before=D(2025, 3, 1))) == ["d", "b"]
    assert ids(select(BOOK, due_after=D(2025, 1, 10))) == ["a", "c"]
    assert ids(select(BOOK, due_after=D(2024, 12, 1), due_before=D(2025, 3, 1))) == ["b"]


def test_select_combines_filters() -> None:
    """Every filter given must match at once."""
    assert ids(select(BOOK, tags=["ai"], by="ann lee", due_before=D(2025, 12, 31))) == ["c"]


@given(books)
def test_select_is_sorted_and_a_subset(book: Book) -> None:
    """Invariant: select returns each prediction once, sorted by (due, id), all from the input."""
    found = select(book.predictions)
    assert [(p.due, p.id) for p in found] == sorted((p.due, p.id) for p in book.predictions)


def test_forecasters_once_each_alphabetically_in_any_case() -> None:
    """Each distinct name appears once, ordered case-insensitively, ties broken by the exact name."""
    found = [*BOOK, prediction("e", by="ann lee"), prediction("f", by="Ann Lee")]
    assert forecasters(found) == ["Ann Lee", "ann lee", "Bob", "Guangmi Li", "guangmi\u200b  li"]


def test_forecasters_of_nothing() -> None:
    """No predictions, no forecasters."""
    assert forecasters([]) == []


def test_due_default_window() -> None:
    """Without *within*, due looks 30 days ahead: pending predictions due by then, and every unresolved one."""
    graded = grade(Book(BOOK, Ledger()), as_of=D(2025, 1, 1))
    found = due(graded)
    assert DEFAULT_WITHIN == "30d"
    assert (found.as_of, found.within, found.horizon) == (D(2025, 1, 1), Duration.parse("30d"), D(2025, 1, 31))
    assert [r.prediction.id for r in found.soon] == ["b"]
    assert [r.prediction.id for r in found.overdue] == ["d"]
    assert {r.grade for r in found.soon} == {Grade.PENDING}
    assert {r.grade for r in found.overdue} == {Grade.UNRESOLVED}


def test_due_within_includes_the_horizon_day() -> None:
    """A pending prediction due exactly on the horizon is coming due; the rest are ordered by due, then id."""
    graded = grade(Book(BOOK, Ledger()), as_of=D(2025, 1, 1))
    found = due(graded, within=Duration.parse("2 months"))
    assert found.horizon == D(2025, 3, 1)
    assert [r.prediction.id for r in found.soon] == ["b", "a", "c"]


def test_due_nothing_coming() -> None:
    """Graded before anything is due and within a day, nothing is coming or overdue."""
    graded = grade(Book(BOOK, Ledger()), as_of=D(2024, 6, 1))
    found = due(graded, within=Duration.parse("1 day"))
    assert (found.soon, found.overdue, found.horizon) == ((), (), D(2024, 6, 2))


@given(books, days)
def test_due_splits_by_grade(book: Book, as_of: D) -> None:
    """Invariant: soon holds only pending predictions due by the horizon, overdue only unresolved ones."""
    found = due(grade(book, as_of=as_of))
    assert all(r.grade is Grade.PENDING and r.prediction.due <= found.horizon for r in found.soon)
    assert all(r.grade is Grade.UNRESOLVED for r in found.overdue)
