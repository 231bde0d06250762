"""
Tests for fitting the ecosystem: editor schemas, the pre-commit hook, notebook display.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
import tomli

from scorecard._schema import schema

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
PREDICTION_DIRECTIVE = "#:schema ../../docs/prediction.schema.json"
EVIDENCE_DIRECTIVE = "#:schema ../../docs/evidence.schema.json"


def as_json(value: Any) -> Any:
    """TOML data as JSON sees it: dates become ISO strings, as Taplo reports them."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def bundled(kind: str) -> list[Path]:
    folder = ROOT / ("predictions" if kind == "prediction" else "reviews/evidence")
    pattern = "**/*.toml" if kind == "prediction" else "*.toml"
    return sorted(folder.glob(pattern))


@pytest.mark.parametrize("kind", ["prediction", "evidence"])
def test_committed_schemas_are_current(kind: str) -> None:
    """docs/*.schema.json is exactly what `scorecard schema` prints, so editors never lag the models."""
    committed = json.loads((ROOT / "docs" / f"{kind}.schema.json").read_text(encoding="utf-8"))

    assert schema(kind) == committed


@pytest.mark.parametrize("kind", ["prediction", "evidence"])
def test_bundled_records_validate_against_the_schema(kind: str) -> None:
    """Every bundled record and every valid fixture passes JSON Schema validation."""
    validator = jsonschema.Draft202012Validator(schema(kind), format_checker=jsonschema.FormatChecker())
    files = bundled(kind) + (
        sorted((DATA / "valid").glob("*.toml")) if kind == "prediction" else [DATA / "ledger.toml"]
    )
    for path in files:
        errors = [e.message for e in validator.iter_errors(as_json(tomli.loads(path.read_text(encoding="utf-8"))))]
        assert [] == errors, path


def test_schema_catches_a_misspelt_key() -> None:
    """The schema rejects a misspelt key, which is what the editor underlines."""
    validator = jsonschema.Draft202012Validator(schema("prediction"))
    record = as_json(tomli.loads((DATA / "valid/event-rule.toml").read_text(encoding="utf-8")))
    record["probablity"] = record.pop("hedge")

    assert ["Additional properties are not allowed ('probablity' was unexpected)"] == [
        e.message for e in validator.iter_errors(record)
    ]


@pytest.mark.parametrize("kind", ["prediction", "evidence"])
def test_bundled_records_carry_the_schema_directive(kind: str) -> None:
    """Every bundled file starts with Taplo's #:schema directive."""
    directive = PREDICTION_DIRECTIVE if kind == "prediction" else EVIDENCE_DIRECTIVE
    for path in bundled(kind):
        assert directive == path.read_text(encoding="utf-8").splitlines()[0], path


def test_pre_commit_hook_runs_check() -> None:
    """The pre-commit hook definition runs `scorecard check` on the whole repository."""
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")

    assert "- id: scorecard-check" in text
    assert "entry: scorecard check" in text
    assert "pass_filenames: false" in text


def test_score_report_displays_in_notebooks(tmp_path: Path) -> None:
    """A score report shows as an HTML table in Jupyter and gives plain dicts for pandas."""
    import scorecard

    (tmp_path / "t.csv").write_text(
        "question,forecaster,probability,outcome\nq1,ann,0.8,yes\nq2,ann,0.3,no\n", encoding="utf-8"
    )
    report = scorecard.score(scorecard.read_forecasts(tmp_path / "t.csv"))

    assert report._repr_html_().startswith('<table class="scorecard-score"><thead><tr><th>group</th>')
    assert [{"group": "all", "forecasts": 2, "brier": pytest.approx(0.065)}] == [
        {key: row[key] for key in ("group", "forecasts", "brier")} for row in report.to_records()
    ]
