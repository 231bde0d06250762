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
    root = Path(root)
    settings, _ = read_settings(root)
    slug = _slug_of(into, settings.predictions)
    _existing_repository(root)
    folder = inside(root, settings.predictions)
    taken = sorted(folder.glob(f"**/{prediction.id}.toml")) if folder.is_dir() else []
    if taken:
        # Ids are global: the same id in another folder would make the repository invalid.
        raise WriteError(_relative(taken[0], root), f"already holds id {prediction.id!r}; choose another id")
    target = inside(root, Path(settings.predictions) / slug / f"{prediction.id}.toml")
    write_text(target, tomli_w.dumps(converter().unstructure(prediction)))
    return target


def _slug_of(into: str, predictions: str) -> str:
    """
    The folder slug of *into*, given as ``SLUG`` or as ``predictions/SLUG``.
    """
    wanted = Path(into)
    slug = wanted.relative_to(predictions).as_posix() if wanted.is_relative_to(predictions) else into
    if not SLUG.fullmatch(slug):
        msg = (
            f"--into {into!r} must be SLUG or {predictions}/SLUG, with a slug of lowercase letters, digits and hyphens"
        )
        raise UsageError(msg)
    return slug


def _existing_repository(root: Path) -> None:
    # A mistyped -C must not grow a new tree of folders somewhere on the disk.
    if not root.is_dir():
        raise WriteError(str(root), "is not a folder; give an existing repository (or run scorecard init)")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


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
    slug = _slug_of(into, settings.predictions)
    _existing_repository(root)
    prefix = Path(settings.predictions)
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
