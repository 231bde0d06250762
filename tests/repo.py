"""
Building throw-away repositories for tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).parent / "data"

BASE_PREDICTION = """\
id = "base-prediction"
claim = "Search remains the largest consumer AI use case."
by = "A Forecaster"
made = 2024-06-27
due = 2025-06-30

[source]
url = "https://example.org/post"

[rule]
kind = "judgment"
"""


def make_repo(root: Path) -> Path:
    """
    A repository with one valid prediction and the base ledger of ``tests/data/ledger.toml``.
    """
    (root / "predictions/base").mkdir(parents=True)
    (root / "reviews/evidence").mkdir(parents=True)
    (root / "predictions/base/base-prediction.toml").write_text(BASE_PREDICTION, encoding="utf-8")
    shutil.copy(DATA / "ledger.toml", root / "reviews/evidence/base.toml")
    return root


def place_fixture(root: Path, fixture: Path) -> str:
    """
    Copy a fixture where its kind belongs; return its path as problems show it.
    """
    folder = "reviews/evidence" if fixture.name.startswith("evidence-") else "predictions/fx"
    (root / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy(fixture, root / folder / fixture.name)
    return f"{folder}/{fixture.name}"
