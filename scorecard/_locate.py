"""
Find the line of a key in TOML text, so problems can say ``path:line``.

The TOML parser keeps no positions, so this is a small line scanner for the parts of TOML that
place keys: table headers, arrays of tables, and ``key = value`` lines. It never judges
validity (the parser does); where it cannot place a key it falls back to the nearest key or
table it placed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypeVar

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

T = TypeVar("T")

KeyPath: TypeAlias = tuple[str | int, ...]

_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=")
_PART = re.compile(_BARE_OR_QUOTED)


def _parts(dotted: str) -> list[str]:
    return [part.strip("\"'") for part in _PART.findall(dotted)]


def key_lines(text: str) -> dict[KeyPath, int]:
    """
    Map every key path found in *text* to its 1-based line number.

    Keys inside an inline table or an array written over several lines (TOML 1.1) are placed
    too, when the bracket that opened them was a key's value; an element of such an array, a
    table or a plain value, is numbered by the commas before it.
    """
    lines: dict[KeyPath, int] = {}
    arrays: dict[KeyPath, int] = {}
    table: KeyPath = ()
    closing: str | None = None
    opened: list[_Open] = []
    # TOML ends lines with LF only; splitlines() would also break at U+2028, NEL or a form feed,
    # which a comment may hold, and every line number after it would be off.
    for number, line in enumerate((part.removesuffix("\r") for part in text.split("\n")), start=1):
        if closing is not None:
            # Inside a multi-line string: only its closing quotes matter, then the line goes on.
            end = _closing_at(line, closing)
            if end < 0:
                continue
            closing = None
            marks, closing = _scan(line[end:])
            _follow(marks, None, opened, lines, number)
            continue
        value: KeyPath | None = None
        inside = opened[-1] if opened else None
        if inside is None:
            header = _HEADER.match(line)
            if header is not None:
                table = _table_path(_parts(header[2]), header[1] == "[[", arrays, lines, number)
                lines.setdefault(table, number)
                continue
        # Keys start lines at the top level, and inside an inline table whose own key is known.
        base = table if inside is None else inside.path if inside.bracket == "{" else None
        key = None if base is None else _KEY.match(line)
        if base is not None and key is not None:
            value = (*base, *_parts(key[1]))
            lines.setdefault(value, number)
            line = line[key.end() :]  # noqa: PLW2901 - scan only the value for open brackets
        marks, closing = _scan(line)
        _follow(marks, value if line.lstrip()[:1] in ("[", "{") else None, opened, lines, number)
    return lines


@attrs.define
class _Open:
    """
    A bracket still open: ``[`` or ``{``, the key path it holds (None if unknown), its commas so far.
    """

    bracket: str
    path: KeyPath | None
    commas: int = 0


def _follow(marks: str, first: KeyPath | None, opened: list[_Open], lines: dict[KeyPath, int], number: int) -> None:
    """
    Open and close brackets for the *marks* of one line; *first* is the path of a value that opens with its first mark.
    """
    for index, mark in enumerate(marks):
        if mark == ",":
            if opened:
                opened[-1].commas += 1
        elif mark == "v":
            inside = opened[-1] if opened else None
            if inside is not None and inside.bracket == "[" and inside.path is not None:
                lines.setdefault((*inside.path, inside.commas), number)
        elif mark in "[{":
            path = first if index == 0 else None
            parent = opened[-1] if opened else None
            if path is None and parent is not None and parent.bracket == "[" and parent.path is not None:
                path = (*parent.path, parent.commas)
            if path is not None:
                lines.setdefault(path, number)
            opened.append(_Open(mark, path))
        elif opened:
            opened.pop()


def _table_path(
    parts: list[str],
    is_array: bool,  # noqa: FBT001
    arrays: dict[KeyPath, int],
    lines: dict[KeyPath, int],
    number: int,
) -> KeyPath:
    path: KeyPath = ()
    for part in parts[:-1]:
        path = (*path, part)
        if path in arrays:
            path = (*path, arrays[path] - 1)
    path = (*path, parts[-1])
    if is_array:
        lines.setdefault(path, number)
        index = arrays.get(path, 0)
        arrays[path] = index + 1
        path = (*path, index)
    return path


def _closing_at(line: str, closing: str) -> int:
    """
    Where a multi-line string closed by *closing* ends on *line* (just past its quotes), or -1.
    """
    position = 0
    while True:
        found = line.find(closing, position)
        if found < 0:
            return -1
        # In a multi-line basic string an odd run of backslashes escapes the quote.
        backslashes = len(line[:found]) - len(line[:found].rstrip("\\"))
        if closing == '"""' and backslashes % 2 == 1:
            position = found + 1
            continue
        end = found + 3
        while line.startswith(closing[0], end) and end - found < 5:  # noqa: PLR2004 - up to two quotes may end the string
            end += 1
        return end


def _scan(value: str) -> tuple[str, str | None]:
    """
    Scan a value: its brackets, commas and plain values in order, and a string left open.

    A ``v`` marks where a plain value starts; a value may be marked more than once (a date and
    time written with a space), and only its first mark places it. Brackets and commas inside
    strings and comments do not count. The second item is the closing quotes of a multi-line
    string still open at the end of *value*, or None.
    """
    marks: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char in "\"'":
            marks.append("v")
        if value.startswith(('"""', "'''"), index):
            quotes = value[index : index + 3]
            end = _closing_at(value[index + 3 :], quotes)
            if end < 0:
                return "".join(marks), quotes
            index += 3 + end
            continue
        if char in "\"'":
            index += 1
            # A basic string ends at an unescaped quote; a literal string has no escapes.
            while index < len(value) and value[index] != char:
                index += 2 if char == '"' and value[index] == "\\" else 1
            index += 1
            continue
        if char == "#":
            break
        if char in "[]{},":
            marks.append(char)
        elif not char.isspace() and (index == 0 or value[index - 1] in " \t[{,"):
            marks.append("v")
        index += 1
    return "".join(marks), None


class Lines:
    """
    The key lines of one file, scanned only when a problem first asks for one.

    Valid files are the common case and never pay for the scan; a file read in another
    process is read again here only if one of its keys has to be located.
    """

    __slots__ = ("_lines", "_numbers", "_path", "_text")

    def __init__(self, text: str | None = None, path: str | Path | None = None) -> None:
        self._text = text
        self._path = path
        self._lines: dict[KeyPath, int] | None = None
        #: For an array of tables some of whose entries did not load: the file's index of each loaded entry.
        self._numbers: dict[str, tuple[int, ...]] = {}

    def __getstate__(self) -> tuple[str | Path | None, dict[KeyPath, int] | None, dict[str, tuple[int, ...]]]:
        # Send the path, not the text, between processes.
        return (
            (self._path, self._lines, self._numbers) if self._path is not None else (None, self._all(), self._numbers)
        )

    def __setstate__(
        self, state: tuple[str | Path | None, dict[KeyPath, int] | None, dict[str, tuple[int, ...]]]
    ) -> None:
        self._path, self._lines, self._numbers = state
        self._text = None

    def renumber(self, numbers: dict[str, tuple[int, ...]]) -> None:
        """
        Say where each loaded entry of an array of tables sits in the file, when some did not load.
        """
        self._numbers = numbers

    def numbered(self, table: str, entries: Sequence[T]) -> Iterable[tuple[int, T]]:
        """
        Each loaded entry of the array of tables *table* with its index in the file.

        An entry that did not load leaves a gap: the ones after it keep their own places, so a
        problem with one of them names it and its line, not its neighbour's.
        """
        numbers = self._numbers.get(table)
        return enumerate(entries) if numbers is None else zip(numbers, entries, strict=True)

    def _all(self) -> dict[KeyPath, int]:
        if self._lines is None:
            if self._text is None and self._path is not None:
                self._text = Path(self._path).read_text(encoding="utf-8-sig")
            self._lines = key_lines(self._text or "")
        return self._lines

    def get(self, path: KeyPath) -> int | None:
        """
        The line of exactly *path*, or None.
        """
        return self._all().get(path)

    def under(self, prefix: KeyPath) -> dict[KeyPath, int]:
        """
        The lines of every key below *prefix*, with the prefix removed.
        """
        return {path[len(prefix) :]: line for path, line in self._all().items() if path[: len(prefix)] == prefix}


def find_line(lines: Lines | dict[KeyPath, int], path: KeyPath) -> int | None:
    """
    The line of *path*, else of its nearest enclosing key or table that was found.
    """
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def dotted(path: KeyPath) -> str:
    """
    Write a key path the way the messages show it: ``rule.of[1].metric``.
    """
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
