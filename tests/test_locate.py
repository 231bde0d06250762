"""
Tests for the line locator: for any TOML a writer produces, every key is found on its own line.
"""

from __future__ import annotations

from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard._locate import KeyPath, key_lines

from .strategies import toml_documents


def _leaves(data: dict[str, Any], path: KeyPath = ()) -> list[KeyPath]:
    found: list[KeyPath] = []
    for key, value in data.items():
        if isinstance(value, dict):
            found += _leaves(value, (*path, key))
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            for index, item in enumerate(value):
                found += _leaves(item, (*path, key, index))
        else:
            found.append((*path, key))
    return found


@settings(max_examples=300)
@given(document=toml_documents, multiline=st.booleans())
def test_every_key_is_found_on_its_line(document: dict[str, Any], multiline: bool) -> None:
    """Every key tomli_w writes is placed on the line assigning it, or the one where its table or inline table starts."""
    text = tomli_w.dumps(document, multiline_strings=multiline)
    lines = text.splitlines()
    found = key_lines(text)

    for path in _leaves(document):
        placed = next((path[:end] for end in range(len(path), 0, -1) if path[:end] in found), None)
        assert placed is not None, (path, text)
        line = lines[found[placed] - 1].lstrip()
        if isinstance(placed[-1], int):
            assert line.startswith(("[[", "{")), (path, text)
        else:
            assert line.startswith((f"{placed[-1]} =", f'"{placed[-1]}" =', "[")), (path, text)
        if placed != path:
            assert "{" in "".join(lines[found[placed] - 1 :]), (path, text)


def test_inline_tables_and_arrays_over_lines() -> None:
    """Keys inside a multi-line array or string are not taken for keys of the table; each element of the array is placed."""
    text = 'a = [\n  "b = 1",\n  { c = 2 },\n]\nd = """\ne = 3\n"""\nf = 4\n'

    assert {("a",): 1, ("a", 0): 2, ("a", 1): 3, ("d",): 5, ("f",): 8} == key_lines(text)


def test_keys_inside_inline_tables_written_over_lines() -> None:
    """TOML 1.1 inline tables over several lines: each key at its own line, array elements numbered by commas."""
    text = (
        "rule = {\n"  # 1
        '  kind = "all",\n'  # 2
        "  of = [\n"  # 3
        '    { kind = "event", event = "x" },\n'  # 4
        "    1, {\n"  # 5
        '      kind = "judgment",\n'  # 6
        "    },\n"  # 7
        "  ],\n"  # 8
        "}\n"  # 9
        'after = "# not a comment, {not a table}"\n'  # 10
    )

    assert {
        ("rule",): 1,
        ("rule", "kind"): 2,
        ("rule", "of"): 3,
        ("rule", "of", 0): 4,
        ("rule", "of", 1): 5,
        ("rule", "of", 2): 5,
        ("rule", "of", 2, "kind"): 6,
        ("after",): 10,
    } == key_lines(text)
