"""
Adding records to a repository: one new prediction, or every question of an imported table.

The application logic of ``scorecard new`` and ``scorecard import``. Nothing a person wrote is
replaced: every target is checked first, then each file is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import tomli_w

from ._convert import converter
from ._errors import UsageError, WriteError
from ._exchange import import_table
from ._load import read_settings
from ._model import SLUG
from ._write import inside, write_text

if TYPE_CHECKING:
    from ._model import Prediction


def write_prediction(root: str | Path, prediction: Prediction, into: str) -> Path:
    """
    Write *prediction* to ``predictions/<into>/<id>.toml`` under *root*; return the path.

    Raises:
        UsageError: *into* is not a slug.
        WriteError: the file exists, or its place is outside the repository.
    """
    if not SLUG.fullmatch(into):
        msg = f"--into {into!r} is not a slug"
        raise UsageError(msg)
    root = Path(root)
    settings, _ = read_settings(root)
    target = inside(root, Path(settings.predictions) / into / f"{prediction.id}.toml")
    write_text(target, tomli_w.dumps(converter().unstructure(prediction)))
    return target


@attrs.frozen
class Imported:
    """
    What an import wrote: the prediction files' folder and count, and the ledger of verdicts.
    """

    folder: Path
    predictions: int
    ledger: Path | None
    verdicts: int


def write_import(root: str | Path, table: str | Path, into: str) -> Imported:
    """
    Turn the forecast table *table* into one record per question under *into*.

    *into* is ``predictions/SLUG`` or ``SLUG``; the resolved questions get verdicts in the ledger.

    Raises:
        LoadError: the table has problems.
        UsageError: *into* is not a prediction folder.
        WriteError: any target exists (then nothing is written).
    """
    root = Path(root)
    settings, _ = read_settings(root)
    wanted = Path(into)
    prefix = Path(settings.predictions)
    slug = wanted.relative_to(prefix).as_posix() if wanted.is_relative_to(prefix) else wanted.as_posix()
    if not SLUG.fullmatch(slug):
        msg = (
            f"--into {into!r} must be {settings.predictions}/SLUG with a slug of lowercase letters, digits and hyphens"
        )
        raise UsageError(msg)
    folder = inside(root, prefix / slug)
    imported = import_table(root / table)
    targets = [folder / f"{prediction.id}.toml" for prediction in imported.predictions]
    ledger_path = inside(root, Path(settings.evidence) / f"import-{slug}.toml")
    verdicts = len(imported.ledger.verdict)
    clashes = [t for t in targets if t.exists()] + ([ledger_path] if verdicts and ledger_path.exists() else [])
    existing = {p.stem for p in (root / prefix).glob("**/*.toml")} if (root / prefix).is_dir() else set()
    clashes += [t for t in targets if t.stem in existing and not t.exists()]
    if clashes:
        raise WriteError(
            ", ".join(sorted(c.relative_to(root).as_posix() for c in clashes)), "already exist; nothing was written"
        )
    for prediction, target in zip(imported.predictions, targets, strict=True):
        write_text(target, tomli_w.dumps(converter().unstructure(prediction)))
    if verdicts:
        write_text(ledger_path, tomli_w.dumps(converter().unstructure(imported.ledger)))
    return Imported(folder, len(targets), ledger_path if verdicts else None, verdicts)
