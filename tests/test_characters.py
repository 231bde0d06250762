"""
Tests for the characters that must not reach a terminal or a page unseen.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard._characters import json_escaped, mixed_scripts, name_key, printable, unsafe_character

from .strategies import hostile_text, markup_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text, tabs\tand\nlines", None),
        ("a\x1b[2J", "contains control character U+001B at position 2"),
        ("abc\u202e", "contains right-to-left override U+202E at position 4"),
        ("x\u2028y", "contains line separator U+2028 at position 2"),
        ("\x85", "contains control character U+0085 at position 1"),
        ("ok\x7f", "contains control character U+007F at position 3"),
        ("ok\ud800", "contains unnamed U+D800 at position 3"),
    ],
)
def test_unsafe_character_describes_the_first_one(text: str, expected: str | None) -> None:
    """The first unsafe character is named with its code point and 1-based position; safe text gives None."""
    assert unsafe_character(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\rb", "a\\x0db"),
        ("\u202eevil", "\\u202eevil"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("\u2029\x9b", "\\u2029\\x9b"),
        ("\udcff", "\\udcff"),
    ],
)
def test_printable_writes_visible_escapes(text: str, expected: str) -> None:
    r"""Unsafe characters become \xNN escapes below U+0100 and \uNNNN above; tab and line feed stay."""
    assert printable(text) == expected


def test_json_escaped_writes_unsafe_characters_as_json_escapes() -> None:
    r"""C1 controls, DEL, bidi overrides, separators and lone surrogates become \uNNNN; JSON reads the same text back."""
    text = json.dumps({"k\u202e": "a\x9b\x7f\u2028\udcff\tb"}, ensure_ascii=False)

    assert '{"k\\u202e": "a\\u009b\\u007f\\u2028\\udcff\\tb"}' == json_escaped(text)
    assert {"k\u202e": "a\x9b\x7f\u2028\udcff\tb"} == json.loads(json_escaped(text))


@given(hostile_text | st.text())
def test_json_escaped_leaves_no_unsafe_character_and_the_same_data(text: str) -> None:
    """Invariant: json_escaped output holds no unsafe character and decodes to the same value."""
    escaped = json_escaped(json.dumps([text], ensure_ascii=False))
    assert unsafe_character(escaped) is None
    assert [text] == json.loads(escaped)


@given(markup_text | hostile_text | st.text())
def test_printable_leaves_no_unsafe_character(text: str) -> None:
    """Invariant: printable's output never contains an unsafe character."""
    assert unsafe_character(printable(text)) is None


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_printable_keeps_safe_text(text: str) -> None:
    """Invariant: text without controls, separators or bidi controls passes printable unchanged."""
    text = "".join(c for c in text if not ("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"))
    assert printable(text) == text


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Guangmi  Li", "guangmi li"),
        ("Guang\u200bmi Li", "Guangmi Li"),
        ("\ufeffAnn", "ann"),
        ("Ｌｉ", "li"),
        ("  Bob\tSmith ", "bob smith"),
        ("STRASSE", "straße"),
        ("so\u00adft", "soft"),
    ],
)
def test_name_key_makes_look_alikes_meet(first: str, second: str) -> None:
    """Names differing in case, width, spacing or invisible characters have the same key."""
    assert name_key(first) == name_key(second)


def test_name_key_value() -> None:
    """The key is the casefolded, single-spaced, visible form of the name."""
    assert name_key("  Guangmi\u200d   LI ") == "guangmi li"


def test_name_key_keeps_different_names_apart() -> None:
    """Names that differ in a visible letter keep different keys."""
    assert name_key("Ann Lee") != name_key("Anne Lee")


@given(st.text())
def test_name_key_is_idempotent(name: str) -> None:
    """Invariant: the key of a key is itself."""
    assert name_key(name_key(name)) == name_key(name)


def test_every_unsafe_character_is_one_isprintable_refuses() -> None:
    """No code point the unsafe pattern matches is printable, so printable text can skip the pattern."""
    import sys

    from scorecard._characters import _UNSAFE

    assert [] == [c for c in map(chr, range(sys.maxunicode + 1)) if _UNSAFE.match(c) and c.isprintable()]


@pytest.mark.parametrize(
    ("name", "scripts"),
    [
        ("Sam Altman", ()),
        ("S\u0430m Altman", ("Latin", "Cyrillic")),
        ("\u0391lex", ("Latin", "Greek")),
        ("\u0410\u043b\u0435\u043a\u0441\u0435\u0439 Smith", ()),
        ("\u674e Guangmi", ()),
        ("\u5c71\u7530\u305f\u308d\u3046", ()),
        ("Ren\u00e9e", ()),
    ],
)
def test_mixed_scripts_finds_one_word_in_two_look_alike_alphabets(name: str, scripts: tuple[str, ...]) -> None:
    """A word mixing Latin with Cyrillic or Greek letters is found; words each in one script, and kanji with kana, are not."""
    assert scripts == mixed_scripts(name)
