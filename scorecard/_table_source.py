"""
Opening forecast tables and reading their rows as text cells, with the lines they start on.

Every byte passes once through one reader (the csv module, or ``json`` per line) and every
file, line and field is bounded, so reading is linear in the input and memory stays flat
whatever a file holds: an unbalanced quote, megabytes of newlines, a gigabyte without one.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import stat
from collections import deque
from collections.abc import Mapping
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import LoadError, Problem, reason_of

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

COLUMNS = ("question", "title", "forecaster", "probability", "made", "due", "outcome", "resolved", "tags")
#: Tables are refused above this size unless the caller raises it: 2 GiB, counted as read.
MAX_TABLE_BYTES = 2 << 30
#: The csv module's own default; a longer field is reported, not read.
MAX_FIELD = 131_072
#: The longest physical line read (characters for CSV, bytes for JSON Lines); longer is reported.
MAX_LINE = 1 << 21
#: Rows handed on at a time: enough to count in C, few enough to keep memory flat.
BATCH = 8192
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class _Counted(io.RawIOBase):
    """
    A file that refuses to deliver more than *limit* bytes, whatever its size said when opened.
    """

    def __init__(self, fd: int, limit: int, shown: str) -> None:
        super().__init__()
        self._file = io.FileIO(fd, "r", closefd=True)
        self._limit = limit
        self._shown = shown
        self.delivered = 0

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._file.fileno()

    def readinto(self, buffer: Any) -> int:
        try:
            count = self._file.readinto(buffer) or 0
        except OSError as error:
            # A file can open and then fail to read (/proc/self/mem, a failing disk): say so by name.
            raise LoadError([Problem(self._shown, None, "file", f"cannot be read: {reason_of(error)}")]) from None
        self.delivered += count
        if self.delivered > self._limit:
            msg = f"is over the {self._limit:,}-byte limit; not read"
            raise LoadError([Problem(self._shown, None, "file", msg)])
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def open_table(path: Path, shown: str, max_bytes: int = MAX_TABLE_BYTES) -> io.BufferedReader:
    """
    Open a table for reading: only a regular file, and at most *max_bytes* of it.

    Raises:
        LoadError: the path cannot be opened, is not a regular file, or is over the limit.
    """
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except ValueError:
        raise LoadError([Problem(shown, None, "file", "cannot be read: the path holds a NUL character")]) from None
    except OSError as error:
        raise LoadError([Problem(shown, None, "file", f"cannot be read: {error.strerror or error}")]) from None
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        kind = _KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
        raise LoadError([Problem(shown, None, "file", f"is {kind}, not a regular file; not read")])
    if status.st_size > max_bytes:
        os.close(fd)
        msg = f"is {status.st_size:,} bytes, over the {max_bytes:,}-byte limit; not read"
        raise LoadError([Problem(shown, None, "file", msg)])
    return io.BufferedReader(_Counted(fd, max_bytes, shown), buffer_size=1 << 16)


def table_format(path: Path) -> str:
    """
    ``csv``, ``jsonl`` or ``parquet``, from the file's suffix (CSV unless it says otherwise).
    """
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "csv"


@attrs.frozen
class Header:
    """
    A table's columns: where each canonical column is, and how many fields a row has.
    """

    index: Mapping[str, int]
    width: int

    @classmethod
    def read(cls, names: list[str], shown: str) -> Header:
        """
        The header of a CSV table, checked: 'question' present, no canonical column twice.

        Raises:
            LoadError: the header is empty, lacks 'question', or repeats a column.
        """
        if not any(name.strip() for name in names):
            raise LoadError([Problem(shown, None, "file", "is empty: expected a header row naming the columns")])
        normal = [name.strip().lower() for name in names]
        index: dict[str, int] = {}
        problems = []
        for position, name in enumerate(normal):
            if name in index and name in COLUMNS:
                problems.append(Problem(shown, 1, name, f"column {name!r} appears twice"))
            index.setdefault(name, position)
        if "question" not in index:
            found = ", ".join(repr(n[:30]) for n in normal[:20])
            problems.append(
                Problem(shown, 1, "question", f"the required column 'question' is missing (columns: {found})")
            )
        if problems:
            raise LoadError(problems)
        return cls({name: index[name] for name in COLUMNS if name in index}, len(names))


class _LongLine(Exception):  # noqa: N818 - a signal, caught where the line number is known
    """
    A physical line longer than ``MAX_LINE``.
    """


def _bounded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    for line in iter(partial(text.readline, MAX_LINE), ""):
        if len(line) == MAX_LINE and not line.endswith(("\n", "\r")):
            raise _LongLine
        yield line


class CsvRows:
    """
    The rows of a CSV table after its header, in batches; structural problems carry their line.
    """

    def __init__(self, handle: io.BufferedReader, path: Path, shown: str) -> None:
        self.path = path
        self.shown = shown
        self._text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(_bounded_lines(self._text), strict=True)
        first = self._guard(lambda: next(self._reader, []))
        self.header = Header.read(first, shown)

    def _problem(self, field: str, message: str) -> LoadError:
        return LoadError([Problem(self.shown, self._reader.line_num + 1, field, message)])

    def _guard(self, read: Any) -> Any:
        try:
            return read()
        except UnicodeDecodeError as error:
            line = _undecodable_line(self.path) or self._reader.line_num + 1
            raise LoadError([Problem(self.shown, line, "file", f"is not UTF-8 text ({error.reason})")]) from None
        except _LongLine:
            raise self._problem("file", f"has a line over {MAX_LINE:,} characters; not read") from None
        except csv.Error as error:
            line = max(self._reader.line_num, 1)
            if "field larger than field limit" in str(error):
                message = f"has a field over {MAX_FIELD:,} characters; not read"
            else:
                message = f"is not valid CSV: {error}"
            raise LoadError([Problem(self.shown, line, "file", message)]) from None

    def batches(self) -> Iterator[list[list[str]]]:
        """
        Lists of up to ``BATCH`` rows, blank lines skipped.

        Raises:
            LoadError: a line is not UTF-8, too long, or not valid CSV, or rows are ragged.
        """
        rows = filter(None, self._reader)
        width = self.header.width
        while batch := self._guard(lambda: list(islice(rows, BATCH))):
            if set(map(len, batch)) != {width}:
                raise LoadError(ragged_rows(self.path, self.shown, width))
            yield batch

    def numbered(self) -> Iterator[tuple[int, list[str]]]:
        """
        Each non-blank row with the line it starts on: row by row, for reporting.
        """
        reader = self._reader
        start = reader.line_num + 1
        while (row := self._guard(lambda: next(reader, None))) is not None:
            if row:
                yield start, row
            start = reader.line_num + 1


def is_utf8(handle: io.BufferedReader) -> bool:
    """
    Whether the rest of an open file is UTF-8 text, as Python's decoder reads it: every byte, every column.

    Blocks of ASCII, the usual table, are only scanned (``bytes.isascii``, in C, word by word);
    others are decoded, one block at a time, so memory stays flat.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for block in iter(partial(handle.read, 1 << 20), b""):
            # A character cut by the previous block's end must be completed by this one.
            if not (block.isascii() and not decoder.getstate()[0]):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _undecodable_line(path: Path) -> int | None:
    """
    The line of the first byte that is not UTF-8 (read again only when reporting it).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 1
    with path.open("rb") as handle:
        for block in iter(partial(handle.read, 1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return lines + block.count(b"\n", 0, error.start)
            lines += block.count(b"\n")
    return None


def ragged_rows(path: Path, shown: str, width: int) -> list[Problem]:
    """
    A problem for every row whose number of fields differs from the header's.
    """
    with open_table(path, shown) as handle:
        return [
            Problem(shown, line, "row", f"has {len(row)} fields, the header has {width}")
            for line, row in CsvRows(handle, path, shown).numbered()
            if len(row) != width
        ]


class _Number(str):
    """
    A JSON number kept as it was written, so no value is rounded or overflows on reading.
    """

    __slots__ = ()


def jsonl_cell(value: Any, name: str) -> str:
    """
    One JSON Lines value as the text a CSV cell would hold.

    Raises:
        ValueError: the value has a type the column does not take.
    """
    if value is None:
        return ""
    if name == "tags" and isinstance(value, list) and all(type(item) is str for item in value):
        return ";".join(value)
    if isinstance(value, _Number):
        if name == "probability":
            return str(value)
    elif isinstance(value, str):
        return value
    expected = "a string, a number or null" if name == "probability" else "a string or null"
    shown = str(value) if isinstance(value, str) else json.dumps(value)
    msg = f"expected {expected}, got {shown[:40]}"
    raise ValueError(msg)


def _parse_json(text: str) -> Any:
    return json.loads(text, parse_float=_Number, parse_int=_Number, parse_constant=_Number)


def _json_lines(handle: io.BufferedReader, shown: str) -> Iterator[tuple[int, str | Problem]]:
    """
    Each non-blank line's text, or a problem for a line that cannot be read as text.
    """
    number = 0
    for raw in iter(partial(handle.readline, MAX_LINE + 1), b""):
        number += 1
        line = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
        if len(raw) > MAX_LINE:
            # Skip the rest of the line without holding it.
            rest = raw
            while rest and not rest.endswith(b"\n"):
                rest = handle.readline(MAX_LINE)
            yield number, Problem(shown, number, "row", f"is over {MAX_LINE:,} bytes; not read")
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, Problem(shown, number, "file", f"is not UTF-8 text ({error.reason})")
            continue
        if text.strip():
            yield number, text


def jsonl_records(handle: io.BufferedReader, shown: str) -> Iterator[tuple[int, list[str], list[Problem]]]:
    """
    Each JSON Lines row's line, and its cells in ``COLUMNS`` order or else the problems that stop it.
    """
    for number, line in _json_lines(handle, shown):
        if isinstance(line, Problem):
            yield number, [], [line]
            continue
        try:
            record = _parse_json(line)
        except RecursionError:
            yield number, [], [Problem(shown, number, "row", "is nested too deeply to read")]
            continue
        except ValueError as error:
            yield number, [], [Problem(shown, number, "row", f"is not valid JSON: {error}")]
            continue
        if not isinstance(record, dict):
            yield number, [], [Problem(shown, number, "row", "is not a JSON object")]
            continue
        if "question" not in record:
            yield number, [], [Problem(shown, number, "question", "the required key 'question' is missing")]
            continue
        cells: list[str] = []
        problems: list[Problem] = []
        for name in COLUMNS:
            try:
                cells.append(jsonl_cell(record.get(name), name))
            except ValueError as error:
                problems.append(Problem(shown, number, name, str(error)))
                cells.append("")
        yield (number, [], problems) if problems else (number, cells, [])


def lines_of_rows(path: Path, rows: Sequence[int], jsonl: bool) -> tuple[int, ...]:  # noqa: FBT001
    """
    The line each of *rows* starts on: row numbers from 1, in order, blank lines not counted.

    The table has been read without a problem. CSV rows are skipped by the csv module in C, so
    finding a row near the end costs one pass of it over the file, without cells in Python.
    """
    shown = path.as_posix()
    found: list[int] = []
    with open_table(path, shown) as handle:
        if jsonl:
            wanted = iter(rows)
            target = next(wanted, None)
            seen = 0
            for number, raw in enumerate(handle, start=1):
                line = raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw
                if target is None:
                    break
                if line.decode("utf-8", "replace").strip():
                    seen += 1
                    if seen == target:
                        found.append(number)
                        target = next(wanted, None)
            return tuple(found)
        reader = csv.reader(io.TextIOWrapper(handle, encoding="utf-8-sig", newline=""), strict=True)
        next(reader, None)  # the header
        seen = 0
        for target in rows:
            deque(islice(filter(None, reader), target - seen - 1), maxlen=0)
            start = reader.line_num + 1
            while next(reader, None) == []:
                start = reader.line_num + 1
            found.append(start)
            seen = target
    return tuple(found)


def rows_with_lines(path: Path, jsonl: bool) -> Iterator[tuple[int, dict[str, str]]]:  # noqa: FBT001
    """
    Each row of a CSV or JSON Lines table as text cells by column name, with the line it starts on.

    Rows that cannot be read are skipped: callers read the table with ``read_forecasts`` first.
    """
    shown = path.as_posix()
    if jsonl:
        with open_table(path, shown) as handle:
            for number, cells, _ in jsonl_records(handle, shown):
                if cells:
                    yield number, dict(zip(COLUMNS, cells, strict=True))
        return
    with open_table(path, shown) as handle:
        source = CsvRows(handle, path, shown)
        names = {position: name for name, position in source.header.index.items()}
        for line, row in source.numbered():
            yield line, {names[position]: cell for position, cell in enumerate(row) if position in names}
