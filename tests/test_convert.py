"""
Tests for the strict converter between TOML data and the records.
"""

from __future__ import annotations

import datetime
import enum

import pytest
from cattrs.errors import ForbiddenExtraKeysError
from hypothesis import given

from scorecard import ChangeRule, Citation, Confidence, Grade, Op, Period, Prediction, Source, SourceKind, ThresholdRule
from scorecard._convert import converter, describe, field_name, is_nan, toml_keys

from .strategies import predictions


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (True, "a boolean (true)"),
        (False, "a boolean (false)"),
        ("ab", "a string ('ab')"),
        ("x" * 40, f"a string ('{'x' * 40}')"),
        ("x" * 41, f"a string ('{'x' * 37}...')"),
        (3, "an integer (3)"),
        (1.5, "a number (1.5)"),
        (datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.UTC), "a date-time"),
        (datetime.date(2024, 1, 1), "a date"),
        (datetime.time(1, 2), "a time of day"),
        ({"a": 1}, "a table"),
        ([1], "an array"),
        (None, "NoneType"),
    ],
)
def test_describe_names_toml_types(value: object, described: str) -> None:
    """Each TOML value is named as a person writing TOML would, short strings shown whole and long ones cut."""
    assert describe(value) == described


@pytest.mark.parametrize(
    ("text", "member"),
    [
        ("yes", Grade.YES),
        ("Yes", Grade.YES),
        ("YES", Grade.YES),
        ("partly", Grade.PARTLY),
        ("PARTLY", Grade.PARTLY),
        ("Sort of", Grade.PARTLY),
        ("sort  OF", Grade.PARTLY),
        ("Pending", Grade.PENDING),
        ("HIGH", Confidence.HIGH),
        (">=", Op.GE),
        ("Primary", SourceKind.PRIMARY),
    ],
)
def test_enum_values_and_page_labels_in_any_case(text: str, member: enum.Enum) -> None:
    """An enum is read from its value or its page label, in any case and spacing."""
    assert converter(detailed=False).structure(text, type(member)) is member


@pytest.mark.parametrize(
    ("text", "cls", "message"),
    [
        ("=>", Op, "unknown value '=>' (did you mean '>='?)"),
        ("=<", Op, "unknown value '=<' (did you mean '<='?)"),
        ("yse", Grade, "unknown value 'yse' (did you mean 'yes'?)"),
        ("hihg", Confidence, "unknown value 'hihg' (did you mean 'high'?)"),
        (
            "zzz",
            Grade,
            "unknown value 'zzz'; expected one of 'yes', 'partly', 'no', 'pending', 'unresolved', 'void', 'disputed'",
        ),
    ],
)
def test_enum_unknown_value_suggests_a_spelling(text: str, cls: type[enum.Enum], message: str) -> None:
    """An unknown enum value says what was meant, a transposition first, or lists every value."""
    with pytest.raises(ValueError) as raised:  # noqa: PT011 - the exact message is compared below
        converter(detailed=False).structure(text, cls)
    assert str(raised.value) == message


def test_enum_from_a_non_string() -> None:
    """An enum given a non-string names the values expected and what it got."""
    with pytest.raises(TypeError) as raised:
        converter(detailed=False).structure(3, Confidence)
    assert str(raised.value) == "expected one of 'high', 'medium', 'low', got an integer (3)"


@pytest.mark.parametrize(
    ("value", "cls", "message"),
    [
        (5, str, "expected a string, got an integer (5)"),
        ("5", float, "expected a number, got a string ('5')"),
        (True, float, "expected a number, got a boolean (true)"),
        ("true", bool, "expected true or false, got a string ('true')"),
        ("2024-06-27", datetime.date, "expected a date like 2024-06-27 without quotes, got a string ('2024-06-27')"),
        (
            datetime.datetime(2024, 6, 27, 9, 30, tzinfo=datetime.UTC),
            datetime.date,
            "expected a date like 2024-06-27, got a date-time (2024-06-27T09:30:00+00:00)",
        ),
        (1.5, Period, 'expected a period such as "2024-H1", got a number (1.5)'),
    ],
)
def test_strict_scalars(value: object, cls: type, message: str) -> None:
    """A value of the wrong TOML type is refused with both types named; nothing is coerced."""
    with pytest.raises(TypeError) as raised:
        converter(detailed=False).structure(value, cls)
    assert str(raised.value) == message


def test_period_from_year_and_date() -> None:
    """A period is read from a bare year or a date as well as from text."""
    c = converter(detailed=False)
    assert c.structure(2025, Period) == Period.parse("2025")
    assert c.structure(datetime.date(2025, 3, 4), Period) == Period.day(datetime.date(2025, 3, 4))


def test_change_rule_from_is_written_from() -> None:
    """The change rule's from_ attribute is the TOML key from, both ways."""
    rule = ChangeRule(metric="m", from_=Period.parse("2024"), to=Period.parse("2025"), op=Op.GE, factor=2.0)
    data = converter().unstructure(rule)
    assert data == {"kind": "change", "metric": "m", "from": "2024", "to": "2025", "op": ">=", "factor": 2.0}
    assert toml_keys(ChangeRule) == ["metric", "from", "to", "op", "factor", "partly"]
    assert (field_name(ChangeRule, "from_"), field_name(ThresholdRule, "from_")) == ("from", "from_")


def test_bare_citation_round_trip() -> None:
    """A citation with only an address is written as the bare address and read back from it."""
    c = converter()
    assert c.unstructure(Citation("https://x.org")) == "https://x.org"
    assert c.structure("https://x.org", Citation) == Citation("https://x.org")
    assert c.unstructure(Citation("https://x.org", kind=SourceKind.PRESS)) == {"url": "https://x.org", "kind": "press"}


def test_unknown_key_is_refused() -> None:
    """A table with a key the record lacks is refused."""
    with pytest.raises(ForbiddenExtraKeysError) as raised:
        converter(detailed=False).structure({"url": "https://x.org", "titel": "T"}, Source)
    assert (raised.value.cl, raised.value.extra_fields) == (Source, {"titel"})


@given(predictions())
def test_prediction_round_trip(prediction: Prediction) -> None:
    """Invariant: unstructuring a prediction and structuring it back gives an equal prediction."""
    c = converter()
    assert c.structure(c.unstructure(prediction), Prediction) == prediction


def test_is_nan() -> None:
    """Only NaN is NaN."""
    assert (is_nan(float("nan")), is_nan(float("inf")), is_nan(0.0)) == (True, False, False)
