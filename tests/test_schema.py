"""
Tests for the JSON Schemas of prediction and evidence files.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import tomli

from scorecard._schema import SCHEMA_URL, schema

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


def as_json(value: Any) -> Any:
    """TOML data as an editor sees it: dates become ISO strings."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = as_json(tomli.loads(path.read_text(encoding="utf-8")))
    return data


def errors(kind: str, record: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema(kind), format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(record)]


PREDICTIONS = sorted((ROOT / "predictions").glob("**/*.toml")) + sorted((DATA / "valid").glob("*.toml"))
LEDGERS = [*sorted((ROOT / "reviews/evidence").glob("*.toml")), DATA / "ledger.toml"]


def test_schemas_are_valid_draft_2020_12() -> None:
    """Both schemas are themselves valid JSON Schema 2020-12 documents with their titles."""
    for kind, title in (("prediction", "scorecard prediction"), ("evidence", "scorecard evidence ledger")):
        document = schema(kind)
        jsonschema.Draft202012Validator.check_schema(document)
        assert (document["$schema"], document["title"]) == (SCHEMA_URL, title)


def test_prediction_schema_requires_the_record_keys() -> None:
    """A prediction must have id, claim, by, made, due, source and rule, and no other keys than its fields."""
    document = schema("prediction")
    assert document["required"] == ["id", "claim", "by", "made", "due", "source", "rule"]
    assert document["additionalProperties"] is False


def test_rule_kinds_are_one_of() -> None:
    """A rule is exactly one of the four leaf kinds or all/any, told apart by its constant kind."""
    kinds = [option["properties"]["kind"]["const"] for option in schema("prediction")["$defs"]["Rule"]["oneOf"]]
    assert sorted(kinds) == ["all", "any", "change", "event", "judgment", "threshold"]


@pytest.mark.parametrize("path", PREDICTIONS, ids=lambda p: p.name)
def test_bundled_predictions_are_accepted(path: Path) -> None:
    """Every bundled prediction and valid fixture passes the prediction schema."""
    assert errors("prediction", read(path)) == []


@pytest.mark.parametrize("path", LEDGERS, ids=lambda p: p.name)
def test_bundled_ledgers_are_accepted(path: Path) -> None:
    """Every bundled evidence ledger passes the evidence schema."""
    assert errors("evidence", read(path)) == []


def test_misspelt_top_level_key_is_refused() -> None:
    """A misspelt key at the top of a prediction is reported as unexpected."""
    record = read(DATA / "valid/judgment-rule.toml")
    record["claimm"] = record.pop("claim")
    assert errors("prediction", record) == [
        "Additional properties are not allowed ('claimm' was unexpected)",
        "'claim' is a required property",
    ]


def test_misspelt_rule_key_is_refused() -> None:
    """A misspelt key inside the rule makes it match no rule kind."""
    record = read(DATA / "valid/event-rule.toml")
    record["rule"]["evnet"] = record["rule"].pop("event")
    assert errors("prediction", record) == [f"{record['rule']!r} is not valid under any of the given schemas"]


def test_misspelt_verdict_key_is_refused() -> None:
    """A misspelt key in a ledger's verdict is reported as unexpected."""
    ledger = {
        "verdict": [
            {"prediction": "p", "on": "2025-01-01", "grade": "yes", "why": "So.", "sources": ["u"], "finall": True}
        ]
    }
    assert errors("evidence", ledger) == ["Additional properties are not allowed ('finall' was unexpected)"]


@pytest.mark.parametrize(
    ("value", "accepted"),
    [("2025", True), ("2025-H1", True), ("2025-Q4", True), ("2025-06", True), ("2025-06-30", True), (2025, True),
     ("2025-H3", False), ("25", False), ("2025-Q5", False)],
)  # fmt: skip
def test_period_forms(value: object, accepted: bool) -> None:
    """A change rule's periods take a year, half, quarter, month or day, as text or a bare year."""
    record = read(DATA / "valid/judgment-rule.toml")
    record["rule"] = {"kind": "change", "metric": "m", "from": value, "to": "2030", "op": ">=", "factor": 2}
    assert (errors("prediction", record) == []) is accepted
