"""
Reading a repository: TOML files into records, with every problem in every file reported.

This is the only module that reads prediction and evidence files.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import tomli

from ._characters import printable
from ._errors import FieldValueError, ItemValueError, LoadError, Problem, Severity, reason_of, require
from ._locate import KeyPath, Lines, dotted, find_line
from ._model import Book, Event, Ledger, Metric, Observation, Origin, Prediction, Settings, Verdict
from ._parallel import cores, fork_map

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping


T = TypeVar("T")

#: Files above this size are refused unread: a prediction or ledger file is a few kilobytes.
MAX_FILE_BYTES = 1 << 20
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")


def read_text(path: str | Path, shown: str, *, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """
    Read *path* as UTF-8 text, refusing special and huge files and undecodable bytes.

    The limit holds for what is read, not for what the file claims to hold: a link to
    ``/dev/zero`` or a growing file stops at the limit, and a named pipe is refused unopened
    for reading (it would wait for a writer forever).
    """
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; regular files ignore it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as error:
        return None, [Problem(shown, None, "file", f"cannot be read: {reason_of(error)}")]
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            kind = "a folder" if stat.S_ISDIR(status.st_mode) else "a device, pipe or socket"
            return None, [Problem(shown, None, "file", f"is not a regular file ({kind}); not read")]
        if status.st_size > limit:
            return None, [
                Problem(shown, None, "file", f"is {status.st_size:,} bytes, over the {limit:,}-byte limit; not read")
            ]
        # Ask for what the file holds and one byte more, not for the limit: a buffer of the
        # limit's size, made and dropped for every file, cost more than reading the file. A file
        # that grows meanwhile is read on, up to one byte past the limit; a short read of a
        # regular file is its end, so the usual file costs one read, not two.
        data = os.read(descriptor, status.st_size + 1)
        while len(data) > status.st_size and len(data) <= limit:
            more = os.read(descriptor, limit + 1 - len(data))
            if not more:
                break
            data += more
    except OSError as error:
        return None, [Problem(shown, None, "file", f"cannot be read: {reason_of(error)}")]
    finally:
        os.close(descriptor)
    if len(data) > limit:
        return None, [Problem(shown, None, "file", f"is over the {limit:,}-byte limit; not read")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        return None, [Problem(shown, line, "file", f"is not UTF-8 text (byte 0x{byte:02x} at offset {error.start})")]
    return text.removeprefix("\ufeff"), []


def parse_toml(text: str, shown: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """
    Parse TOML, turning a syntax error into a problem with its line.

    Integers longer than Python converts and nesting deeper than ``MAX_DEPTH`` are refused
    here, so nothing downstream (structuring, grading, rendering) meets them.
    """
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = int(position[1]) if position else None
        message = _TOML_POSITION.sub("", message).strip()
        if position:
            message = f"{message} (column {position[2]})"
        return None, [Problem(shown, line, "toml", f"invalid TOML: {message[:1].lower()}{message[1:]}")]
    except ValueError:
        # Python refuses to convert integers of more than 4,300 digits; no record needs one.
        return None, [Problem(shown, None, "toml", "invalid TOML: an integer has too many digits")]
    except RecursionError:
        return None, [Problem(shown, None, "toml", f"invalid TOML: nested more than {MAX_DEPTH} levels deep")]
    if _may_nest_deeply(text) and _depth(data) > MAX_DEPTH:
        return None, [Problem(shown, None, "toml", f"invalid TOML: nested more than {MAX_DEPTH} levels deep")]
    return data, []


def _may_nest_deeply(text: str) -> bool:
    """
    Whether *text* holds enough brackets, braces and dots to nest more than ``MAX_DEPTH`` deep.

    Every table or array inside another is opened by at least one of them (a header's or an
    array's bracket, an inline table's brace, a dotted key's dot), so a file with fewer cannot
    nest too deeply; counting in C spares walking every record (a tenth of parsing it).
    """
    return text.count("[") + text.count("{") + text.count(".") >= MAX_DEPTH


#: Tables and arrays nested deeper than this are refused: a record needs a handful of levels,
#: and every reader of a deeper one (structuring, rules, pages) would recurse without bound.
MAX_DEPTH = 32


def _depth(data: object) -> int:
    """
    How deep *data* nests, counted level by level and only through tables and arrays.

    A ledger holds tens of thousands of scalars in a few levels of containers: taking the
    containers a level at a time looks at each value once, in comprehensions rather than a
    stack of (value, depth) pairs, and stops once past ``MAX_DEPTH``.
    """
    depth, level = 0, [data] if isinstance(data, dict | list) else []
    while level and depth <= MAX_DEPTH:
        children: list[object] = []
        for value in level:
            children += value.values() if isinstance(value, dict) else value
        if not children:
            break
        depth += 1
        level = [child for child in children if isinstance(child, dict | list)]
    return depth


def structure(
    data: object, cls: type[T], shown: str, lines: Lines | dict[KeyPath, int], at: KeyPath = ()
) -> tuple[T | None, list[Problem]]:
    """
    Build *cls* from TOML data, collecting every field problem at once.

    *at* is where *data* sits in its file (``("verdict", 3)``), for lines and field names.
    """
    # cattrs is imported here, not at the top: `check` on an empty folder never needs it.
    from cattrs.errors import ClassValidationError, IterableValidationError  # noqa: PLC0415

    from ._convert import converter  # noqa: PLC0415

    try:
        return converter(detailed=False).structure(data, cls), []
    except Exception:  # noqa: BLE001, S110 - any failure: ask the detailed converter what is wrong
        pass
    try:
        return converter().structure(data, cls), []
    except (ClassValidationError, IterableValidationError, FieldValueError, ValueError, TypeError) as error:
        found = sorted(set(_flatten(error, at)), key=lambda item: (find_line(lines, item[0]) or 0, dotted(item[0])))
        return None, [
            Problem(shown, find_line(lines, path), dotted(path) or "file", message) for path, message in found
        ]


def _flatten(error: BaseException, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    import difflib  # noqa: PLC0415

    from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError  # noqa: PLC0415

    from ._convert import toml_keys  # noqa: PLC0415

    if isinstance(error, (ClassValidationError, IterableValidationError)):
        for sub in error.exceptions:
            step = _step(sub)
            yield from _flatten(sub, path if step is None else (*path, step))
    elif isinstance(error, ForbiddenExtraKeysError):
        known = toml_keys(error.cl)
        for key in sorted(error.extra_fields):
            guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" (did you mean {guess[0]!r}?)" if guess else f"; expected one of: {', '.join(known)}"
            yield (*path, key), f"unknown key{hint}"
    elif isinstance(error, FieldValueError):
        yield (*path, error.field), error.message
    elif isinstance(error, ItemValueError):
        for index, message in error.items:
            yield (*path, index), message
    elif isinstance(error, KeyError):
        yield path, "required key is missing"
    else:
        yield path, str(error)


def _step(error: BaseException) -> str | int | None:
    from cattrs.errors import AttributeValidationNote, IterableValidationNote  # noqa: PLC0415

    for note in getattr(error, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return "from" if note.name == "from_" else note.name
        if isinstance(note, IterableValidationNote):
            return int(note.index) if isinstance(note.index, int) else None
    return None


def read_record(
    path: str | Path, shown: str, cls: type[T], *, text: str | None = None
) -> tuple[T | None, Lines, list[Problem]]:
    """
    Read one TOML file into a *cls* record, with the line of each key and every problem.

    *text*, when given, stands for the file's content (a change not yet written).
    """
    text, problems = read_text(path, shown) if text is None else (text.removeprefix("\ufeff"), [])
    if text is None:
        return None, Lines(""), problems
    data, problems = parse_toml(text, shown)
    if data is None:
        return None, Lines(""), problems
    lines = Lines(text, path)
    record, problems = structure(data, cls, shown, lines)
    return record, lines, problems


#: The arrays of tables a ledger file holds, and the record each entry becomes.
LEDGER_ENTRIES: dict[str, type[Any]] = {
    "metric": Metric,
    "event": Event,
    "observation": Observation,
    "verdict": Verdict,
}


@attrs.frozen
class Read:
    """
    One file as read: its record (None if unusable), key lines and problems.

    *broken* holds the ids of entries it meant to define that did not load, so references to
    them are not reported again as unknown.
    """

    record: Prediction | Ledger | None
    lines: Lines
    problems: list[Problem]
    broken: frozenset[str] = frozenset()


def read_prediction(path: str | Path, shown: str, *, text: str | None = None) -> Read:
    """
    Read a prediction file; when it is invalid, name the id it meant to define.
    """
    record, lines, problems = read_record(path, shown, Prediction, text=text)
    if record is not None:
        return Read(record, lines, problems)
    return Read(None, lines, problems, frozenset({Path(path).stem}))


def read_ledger(path: str | Path, shown: str, *, text: str | None = None) -> Read:
    """
    Read a ledger file entry by entry.

    One bad entry is that entry's problems only: the file's other entries still load.
    """
    text, problems = read_text(path, shown) if text is None else (text.removeprefix("\ufeff"), [])
    if text is None:
        return Read(None, Lines(""), problems)
    data, problems = parse_toml(text, shown)
    if data is None:
        return Read(None, Lines(""), problems)
    lines = Lines(text, path)
    kept: dict[str, list[Any]] = {name: [] for name in LEDGER_ENTRIES}
    numbers: dict[str, list[int]] = {name: [] for name in LEDGER_ENTRIES}
    broken: set[str] = set()
    for key, value in data.items():
        cls = LEDGER_ENTRIES.get(key)
        if cls is None:
            guess = difflib.get_close_matches(key, list(LEDGER_ENTRIES), n=1, cutoff=0.6)
            hint = f" (did you mean {guess[0]!r}?)" if guess else f"; expected one of: {', '.join(LEDGER_ENTRIES)}"
            problems.append(Problem(shown, find_line(lines, (key,)), key, f"unknown key{hint}"))
            continue
        if not isinstance(value, list):
            problems.append(Problem(shown, find_line(lines, (key,)), key, f"expected an array of tables, [[{key}]]"))
            continue
        for index, item in enumerate(value):
            entry, found = structure(item, cls, shown, lines, (key, index))
            if entry is None:
                problems += found
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    broken.add(item["id"])
            else:
                kept[key].append(entry)
                numbers[key].append(index)
    # A dropped entry must not shift the places of the ones after it.
    gaps = {name: tuple(found) for name, found in numbers.items() if found != list(range(len(found)))}
    if gaps:
        lines.renumber(gaps)
    ledger = Ledger(**{name: tuple(entries) for name, entries in kept.items()})
    return Read(ledger, lines, problems, frozenset(broken))


def read_settings(root: Path) -> tuple[Settings, list[Problem]]:
    """
    The ``[tool.scorecard]`` table of *root*/pyproject.toml, or defaults.
    """
    path = root / "pyproject.toml"
    if not os.path.lexists(path):
        return Settings(), []
    if path.is_symlink() and not _within(root, "pyproject.toml"):
        # As for records: its keys would reach the messages (and its folders the commands).
        return Settings(), [
            Problem("pyproject.toml", None, "file", "is a link to a file outside the repository; not read")
        ]
    text, problems = read_text(path, "pyproject.toml")
    if text is None:
        return Settings(), problems
    data, problems = parse_toml(text, "pyproject.toml")
    if data is None:
        return Settings(), problems
    table = data.get("tool", {}).get("scorecard", {}) if isinstance(data.get("tool"), dict) else {}
    if not isinstance(table, dict):
        from ._convert import describe  # noqa: PLC0415

        return Settings(), [
            Problem("pyproject.toml", None, "tool.scorecard", f"expected a table, got {describe(table)}")
        ]
    lines = Lines(text).under(("tool", "scorecard"))
    settings, problems = structure(table, Settings, "pyproject.toml", lines)
    problems = [problem._replace(field=f"tool.scorecard.{problem.field}") for problem in problems]
    if settings is None:
        return Settings(), problems
    for name in ("predictions", "evidence", "reviews"):
        location = getattr(settings, name)
        if not _within(root, location):
            line = find_line(lines, (name,))
            field = f"tool.scorecard.{name}"
            problems.append(
                Problem("pyproject.toml", line, field, f"{location!r} must be a folder inside the repository")
            )
        elif os.path.exists(root / location) and not os.path.isdir(root / location):  # noqa: PTH110, PTH112 - never raise
            # A file there would be read as an empty folder, and writing into it would fail later.
            line = find_line(lines, (name,))
            problems.append(
                Problem("pyproject.toml", line, f"tool.scorecard.{name}", f"{location!r} is a file, not a folder")
            )
    return settings, problems


def _within(root: Path, location: str) -> bool:
    # A symbolic link counts as where it leads: "predictions" linked to "/" would walk the disk.
    relative = Path(location)
    if relative.is_absolute() or ".." in relative.parts:
        return False
    try:
        return (root / relative).resolve().is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a loop of links, before Python 3.13
        return False


def _leads_outside(root: Path, link: str) -> bool:
    # Only a link known to lead out is refused unread: one that loops or breaks is reported
    # by reading it, as what it is ("too many levels of symbolic links", "no such file").
    try:
        return not Path(link).resolve(strict=True).is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a loop of links, before Python 3.13
        return False


def find_root(start: str | Path = ".") -> Path:
    """
    The repository *start* lies in.

    That is the nearest folder, *start* or above, whose pyproject.toml has a ``[tool.scorecard]``
    table or which holds a ``predictions`` folder; else *start* itself. Commands run from ``predictions/some-source/`` work on the whole repository, as git does.
    """
    start = Path(start)
    found = enclosing_repository(start)
    if found is None or found == resolved(start):
        return start
    return found


def enclosing_repository(path: str | Path) -> Path | None:
    """
    The nearest folder, *path* or above, that is a repository (resolved), or None.
    """
    here = resolved(Path(path))
    if here is None:
        return None
    return next((folder for folder in (here, *here.parents) if _marks_root(folder)), None)


def resolved(path: Path) -> Path | None:
    """
    *path* with its links followed, or None when the system cannot say where it leads.
    """
    try:
        return path.resolve()
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a loop of links, before Python 3.13
        return None


def _marks_root(folder: Path) -> bool:
    try:
        if (folder / "predictions").is_dir():
            return True
        settings = folder / "pyproject.toml"
        if not settings.is_file():
            return False
    except OSError:
        return False
    text, _ = read_text(settings, "pyproject.toml")
    return text is not None and "[tool.scorecard" in text


def _toml_files(folder: Path) -> list[str]:
    """
    Every ``.toml`` file under *folder*, at any depth, in path order, hidden ones left out.

    A hidden folder is an editor's, git's, or a writer's staging area, never a record's home.

    os.walk with plain strings: pathlib's recursive glob takes several times as long on a
    repository of ten thousand records.
    """
    found: list[str] = []
    for directory, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [
            os.path.join(directory, name)  # noqa: PTH118
            for name in names
            if name.endswith(".toml") and not name.startswith(".")
        ]
    # Sorted part by part, as paths sort, so "a/x" comes before "a-b/x". Kept as text: ten
    # thousand Path objects, their text and their pickling between processes cost more than
    # the rest of listing the files.
    return sorted(found, key=lambda name: name.split(os.sep))  # noqa: PTH206


def shown_path(path: Path, root: Path) -> str:
    """
    *path* as messages and output show it: relative to *root* when inside it, else as given.
    """
    text, base = str(path), str(root)
    if base == ".":
        # What relative_to(".") gives, without its cost: commands run in the repository by default.
        return path.as_posix()
    prefix = base + os.sep
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@attrs.frozen
class Files:
    """
    A repository as read: the book, every problem, and each valid file with its key lines.
    """

    book: Book
    problems: list[Problem]
    predictions: list[tuple[str, Prediction, Lines]]
    ledgers: list[tuple[str, Ledger, Lines]]


def read_book(root: str | Path = ".", *, workers: int = 1) -> tuple[Book, list[Problem]]:
    """
    Read every record under *root* and return the book with every problem, warnings included.

    The book holds only the records that were valid; cross-file checks run on those.
    """
    files = read_files(root, workers=workers)
    return files.book, files.problems


def read_files(root: str | Path = ".", *, workers: int = 1, texts: Mapping[Path, str] | None = None) -> Files:
    """
    Read every record under *root*: the book, its problems, and the files they came from.

    With *workers* = 2, a large repository is read by two processes. *texts* stand for the
    content of the files they name, written or not: how the repository would read after a change.
    """
    from ._validate import cross_check  # noqa: PLC0415 - keeps the module graph acyclic

    root = Path(root)
    problems: list[Problem] = []
    try:
        is_folder = root.is_dir()
    except (OSError, ValueError) as error:
        return Files(
            Book(), [Problem(printable(str(root)), None, "path", f"cannot be read: {reason_of(error)}")], [], []
        )
    if not is_folder:
        return Files(Book(), [Problem(printable(root.as_posix()), None, "path", "is not a folder")], [], [])
    settings, settings_problems = read_settings(root)
    problems += settings_problems
    if any(problem.severity is Severity.ERROR for problem in settings_problems):
        # Where records live is unknown, or outside the repository: reading anything would guess.
        return Files(Book(), problems, [], [])
    prediction_paths = _toml_files(root / settings.predictions)
    ledger_paths = sorted(str(path) for path in (root / settings.evidence).glob("*.toml"))
    prefix = "" if str(root) == "." else str(root) + os.sep

    def as_shown(path: str) -> str:
        # shown_path for the listing's own normalised text, without a Path for every file.
        return path[len(prefix) :].replace(os.sep, "/") if path.startswith(prefix) else shown_path(Path(path), root)

    # A record linked to a file outside the repository is not read: its text would reach the
    # messages and pages (a link committed to ~/.aws/credentials, say).
    outside = {
        path
        for path in (*prediction_paths, *ledger_paths)
        if os.path.islink(path) and _leads_outside(root, path)  # noqa: PTH114 - text, as listed
    }
    if outside:
        problems += [
            Problem(as_shown(path), None, "file", "is a link to a file outside the repository; not read")
            for path in sorted(outside, key=lambda path: path.split(os.sep))  # noqa: PTH206 - text, as listed
        ]
        prediction_paths = [path for path in prediction_paths if path not in outside]
        ledger_paths = [path for path in ledger_paths if path not in outside]
    overrides = {os.path.normpath(path): text for path, text in (texts or {}).items()}
    for path in texts or {}:
        if path.parent == root / settings.evidence and path.suffix == ".toml" and str(path) not in ledger_paths:
            ledger_paths = sorted([*ledger_paths, str(path)])
    jobs = [(path, as_shown(path), True) for path in prediction_paths]
    jobs += [(path, as_shown(path), False) for path in ledger_paths]
    predictions: list[Prediction] = []
    origins: dict[str, Origin] = {}
    prediction_files: list[tuple[str, Prediction, Lines]] = []
    ledger_files: list[tuple[str, Ledger, Lines]] = []
    broken: set[str] = set()
    reads = _read_jobs(jobs, overrides) if overrides else _read_all(jobs, workers)
    for (_, shown, is_prediction), read in zip(jobs, reads, strict=True):
        record, lines = read.record, read.lines
        problems += read.problems
        broken |= read.broken
        if record is None:
            continue
        if is_prediction:
            assert isinstance(record, Prediction)  # noqa: S101 - the job said so
            predictions.append(record)
            prediction_files.append((shown, record, lines))
            origins.setdefault(record.id, Origin(shown, 1))
        else:
            assert isinstance(record, Ledger)  # noqa: S101 - the job said so
            ledger_files.append((shown, record, lines))
    merged = Ledger(
        metric=tuple(item for _, ledger, _ in ledger_files for item in ledger.metric),
        event=tuple(item for _, ledger, _ in ledger_files for item in ledger.event),
        observation=tuple(item for _, ledger, _ in ledger_files for item in ledger.observation),
        verdict=tuple(item for _, ledger, _ in ledger_files for item in ledger.verdict),
    )
    book = Book(tuple(predictions), merged, settings, origins)
    problems += cross_check(book, prediction_files, ledger_files, broken=frozenset(broken))
    return Files(book, problems, prediction_files, ledger_files)


#: Below this many files one process is quicker than two.
PARALLEL_FILES = 400
FILE_OVERHEAD = 160
PARENT_SHARE = 0.55
_Job = tuple[str, str, bool]


def _read_jobs(jobs: list[_Job], texts: Mapping[str, str] | None = None) -> list[Read]:
    found = texts or {}
    return [
        read_prediction(path, shown, text=found.get(os.path.normpath(path)))
        if is_prediction
        else read_ledger(path, shown, text=found.get(os.path.normpath(path)))
        for path, shown, is_prediction in jobs
    ]


def _read_all(jobs: list[_Job], workers: int) -> list[Read]:
    """
    Read every file: here, or with *workers* = 2 and many files, half of them in a forked child.

    Forking is the caller's choice (a library must not start processes unasked); the command
    line asks for it, since on 10,000 files it measured 2.53 s against 3.23 s for one process
    (``review``, best of 5, this project's 2-core machine).
    """
    if workers < 2 or len(jobs) < PARALLEL_FILES or cores() < 2:  # noqa: PLR2004 - two halves
        return _read_jobs(jobs)
    # Cost in bytes-equivalent: a file costs its size plus a fixed overhead (opening it, building
    # its record), measured at about 160 bytes' worth of parsing. The child also pickles its
    # results and this process unpickles them, so the child's share is kept a little smaller.
    costs = [_size(path) + FILE_OVERHEAD for path, _, _ in jobs]
    share, total, cut = sum(costs) * PARENT_SHARE, 0, 0
    for cut, cost in enumerate(costs):  # noqa: B007 - the cut is the loop's result
        total += cost
        if total >= share:
            break
    # Both processes structure records with the same generated code: made here, before the fork,
    # it is made once.
    from ._convert import converter  # noqa: PLC0415

    for cls in (Prediction, Ledger):
        converter(detailed=False).get_structure_hook(cls)
    first, second = fork_map(_read_jobs, [jobs[: cut + 1], jobs[cut + 1 :]])
    return first + second


def _size(path: str) -> int:
    # Only a share of the work: a link to nothing or a file gone since it was listed costs
    # nothing here, and reading it reports it.
    try:
        return os.stat(path).st_size  # noqa: PTH116 - text, as listed
    except OSError:
        return 0


def load(root: str | Path = ".", *, workers: int = 1) -> Book:
    """
    Load the predictions, the evidence ledger and the settings of the repository at *root*.

    The library runs in this process; *workers* = 2 lets a large repository be read by two.

    Raises:
        LoadError: any file has an error; every problem in every file is listed.
    """
    require(workers, int, "workers", "a whole number")
    book, problems = read_book(root, workers=workers)
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        raise LoadError(errors)
    return book
