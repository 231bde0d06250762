"""
Tests for the records: invariants and the TOML round trip.
"""

from __future__ import annotations

import datetime

import pytest
import tomli
import tomli_w
from hypothesis import given

from scorecard import Confidence, EventRule, FieldValueError, Ledger, Observation, Prediction, Source
from scorecard._convert import converter

from .strategies import ledgers, predictions


@given(prediction=predictions())
def test_prediction_round_trip(prediction: Prediction) -> None:
    """structure(unstructure(p)) == p for every valid prediction, through real TOML text."""
    text = tomli_w.dumps(converter().unstructure(prediction))

    assert prediction == converter().structure(tomli.loads(text), Prediction)


@given(ledger=ledgers())
def test_ledger_round_trip(ledger: Ledger) -> None:
    """structure(unstructure(l)) == l for every valid ledger, through real TOML text."""
    text = tomli_w.dumps(converter().unstructure(ledger))

    assert ledger == converter().structure(tomli.loads(text), Ledger)


def test_due_before_made_is_refused() -> None:
    """A prediction cannot be due before it was made."""
    with pytest.raises(FieldValueError, match=r"due: 2023-01-01 is before made = 2024-01-01"):
        Prediction(
            id="x",
            claim="c",
            by="b",
            made=datetime.date(2024, 1, 1),
            due=datetime.date(2023, 1, 1),
            source=Source(url="u"),
            rule=EventRule("e"),
        )


def test_observation_needs_one_date() -> None:
    """An observation has exactly one of period and on."""
    with pytest.raises(FieldValueError, match="give exactly one of period or on"):
        Observation(metric="m", value=1.0, summary="s", source="u", confidence=Confidence.HIGH)
