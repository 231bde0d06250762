"""
Tests for packaging: one version, a typed package, a light start-up.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import scorecard


def test_version_matches_metadata() -> None:
    """The installed metadata and scorecard.__version__ agree."""
    assert metadata.version("prediction-scorecard") == scorecard.__version__


def test_public_names_are_sorted_and_importable() -> None:
    """__all__ is alphabetised and every name in it resolves."""
    assert sorted(scorecard.__all__) == scorecard.__all__
    for name in scorecard.__all__:
        assert getattr(scorecard, name) is not None


def test_version_does_not_import_heavy_modules() -> None:
    """`scorecard --version` imports neither attrs, cattrs nor dateutil."""
    code = "import sys; from scorecard._cli import main; main(['--version']); print(sorted(m for m in sys.modules if m.split('.')[0] in {'attr', 'attrs', 'cattrs', 'dateutil', 'tabulate'}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.endswith("[]\n")
