"""
Adding records to a repository: one new prediction, or every question of an imported table.

The application logic of ``scorecard new`` and ``scorecard import``. Nothing a person wrote is
replaced: every target is checked first, every text is read back as the loader would read it,
and then all files are written in one transaction.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import tomli_w

from ._convert import converter
from ._errors import LoadError, Problem, Severity, UsageError, WriteError
from ._exchange import read_import
from ._load import MAX_FILE_BYTES, parse_toml, read_settings, shown_path, structure
from ._locate import Lines
from ._model import SLUG, Book, Ledger, Prediction, Settings
from ._write import inside, write_files, write_text

if TYPE_CHECKING:
    from ._model import Verdict


def usable_settings(root: Path) -> Settings:
    """
    The repository's ``[tool.scorecard]`` settings, for a command that writes.

    Raises:
        LoadError: the settings have errors: where records and evidence go is unknown, and
            writing to the default places would put them where the repository does not look.
    """
    settings, problems = read_settings(root)
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        raise LoadError(errors)
    return settings


def write_prediction(root: str | Path, prediction: Prediction, into: str) -> Path:
    """
    Write *prediction* to ``predictions/<into>/<id>.toml`` under *root*; return the path.

    (``add_prediction`` also adds what the rule names and the ledger lacks.)

    Raises:
        UsageError: *into* is not a slug.
        WriteError: the id is taken anywhere in the repository, or its place is outside it.
    """
    root = Path(root)
    settings = usable_settings(root)
    target = prediction_path(root, Book(settings=settings), prediction, into)
    write_text(target, schema_directive(root, target) + _dump(prediction))
    return target


def prediction_path(root: Path, book: Book, prediction: Prediction, into: str) -> Path:
    """
    Where *prediction* goes: ``predictions/<into>/<id>.toml``, checked to be a new id anywhere.

    Raises:
        UsageError: *into* is not a slug.
        WriteError: the id is taken anywhere in the repository, or *root* is not a folder.
    """
    slug = _slug_of(into, book.settings.predictions)
    _existing_repository(root)
    folder = inside(root, book.settings.predictions)
    taken = sorted(folder.glob(f"**/{prediction.id}.toml")) if folder.is_dir() else []
    if taken:
        # Ids are global: the same id in another folder would make the repository invalid.
        raise WriteError(shown_path(taken[0], root), f"already holds id {prediction.id!r}; choose another id")
    return inside(root, Path(book.settings.predictions) / slug / f"{prediction.id}.toml")


def schema_directive(root: Path, target: Path) -> str:
    """
    Taplo's schema directive, when the repository keeps the schema (``scorecard init`` writes it).

    With it an editor checks the new record as it is edited.
    """
    schema = root / "docs" / "prediction.schema.json"
    if not schema.is_file():
        return ""
    return f"#:schema {os.path.relpath(schema, target.parent)}\n"


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


@attrs.frozen
class Imported:
    """
    What an import wrote: the prediction files' folder and count, and the ledger of verdicts.
    """

    folder: Path
    predictions: int
    ledger: Path | None
    verdicts: int
    #: How many ledger files the verdicts took (each stays under the loader's size limit).
    ledger_files: int = 1
    #: Rows read, forecasts kept as updates, and each row left out with why.
    rows: int = 0
    updates: int = 0
    left_out: tuple[str, ...] = ()


def write_import(root: str | Path, table: str | Path, into: str, *, source: str = "scorecard") -> Imported:
    """
    Turn the forecast table *table* into records under *into*, keeping every forecast.

    *into* is ``predictions/SLUG`` or ``SLUG``; record ids start with the slug, so a second
    import elsewhere cannot collide. The resolved questions get verdicts in the ledger. *source*
    names the table's format: ``scorecard`` or a forecasting site's export (see ``SOURCES``).

    Raises:
        LoadError: the table, or the repository's settings, have problems.
        UsageError: *into* is not a prediction folder.
        WriteError: any target exists (then nothing is written).
    """
    root = Path(root)
    settings = usable_settings(root)
    slug = _slug_of(into, settings.predictions)
    _existing_repository(root)
    prefix = Path(settings.predictions)
    folder = inside(root, prefix / slug)
    imported = read_import(root / table, source, prefix=slug)
    texts = {folder / f"{prediction.id}.toml": _dump(prediction) for prediction in imported.predictions}
    existing = {p.stem for p in (root / prefix).glob("**/*.toml")} if (root / prefix).is_dir() else set()
    clashes = sorted(path for path in texts if path.stem in existing or path.exists())
    ledgers = _ledger_texts(imported.ledger.verdict)
    for number, text in enumerate(ledgers, start=1):
        name = f"import-{slug}.toml" if number == 1 else f"import-{slug}-{number}.toml"
        path = inside(root, Path(settings.evidence) / name)
        clashes += [path] if path.exists() else []
        texts[path] = text
    if clashes:
        raise WriteError(", ".join(shown_path(c, root) for c in clashes), "already exist; nothing was written")
    _refuse_unreadable(texts, root, ledgers=frozenset(path for path in texts if path.parent != folder))
    # All files or none: an import interrupted half-way would block every retry ("already exist").
    write_files(texts)
    first_ledger = next(iter(path for path in texts if path.parent != folder), None)
    return Imported(
        folder,
        len(imported.predictions),
        first_ledger,
        len(imported.ledger.verdict),
        len(ledgers),
        rows=imported.rows,
        updates=imported.updates,
        left_out=imported.left_out,
    )


def _dump(record: object) -> str:
    return tomli_w.dumps(converter().unstructure(record))


#: An imported ledger file is cut before this size, well under the loader's limit per file.
LEDGER_PART_BYTES = MAX_FILE_BYTES // 2


def _ledger_texts(verdicts: tuple[Verdict, ...]) -> list[str]:
    """
    The verdicts as ledger files, each under ``LEDGER_PART_BYTES`` (the loader refuses big files).

    Each verdict is written as its own ``[[verdict]]`` table, and tables are joined as TOML
    joins them, so a file's size is known exactly before it is cut.
    """
    parts: list[list[str]] = []
    size = LEDGER_PART_BYTES
    for verdict in verdicts:
        table = _dump(Ledger(verdict=(verdict,)))
        cost = len(table.encode()) + 1
        if size + cost > LEDGER_PART_BYTES:
            parts.append([])
            size = 0
        parts[-1].append(table)
        size += cost
    return ["\n".join(part) for part in parts]


def _refuse_unreadable(texts: dict[Path, str], root: Path, *, ledgers: frozenset[Path]) -> None:
    """
    Read every text back as the loader would; a file it would refuse is never written.
    """
    problems: list[Problem] = []
    for path, text in texts.items():
        shown = shown_path(path, root)
        if len(text.encode()) > MAX_FILE_BYTES:
            problems.append(Problem(shown, None, "file", f"would be over the {MAX_FILE_BYTES:,}-byte limit"))
            continue
        data, found = parse_toml(text, shown)
        problems += found
        if data is not None:
            problems += structure(data, Ledger if path in ledgers else Prediction, shown, Lines(text))[1]
    if problems:
        raise LoadError(problems)
