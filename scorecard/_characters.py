"""
Characters that must not reach a terminal or a page unseen.

Control characters move a terminal's cursor, retitle its window or clear it (``ESC [2J``); a
lone carriage return starts a new Markdown table row; bidirectional overrides make text read
differently from how it is stored ("Trojan Source"); line and paragraph separators break lines
that TOML counts as one. A record refuses them on load, and every text the command line prints
escapes them, whatever it came from (a file name, a forecast table, an argument).
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: C0 controls but tab and line feed, DEL, C1 controls, bidi embeddings, overrides and
#: isolates, the line and paragraph separators, and lone surrogates (undecodable bytes).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
#: Invisible characters that make two names look alike: zero-width space, joiners, word joiner,
#: byte-order mark, soft hyphen, directional marks.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def unsafe_character(text: str) -> str | None:
    """
    Describe the first character of *text* that must not be stored, or None if there is none.
    """
    # Every unsafe character is one isprintable() refuses (a control, format, separator or
    # surrogate code point), and nearly all stored text is printable: the check in C goes first.
    found = None if text.isprintable() else _UNSAFE.search(text)
    if found is None:
        return None
    character = found[0]
    name = unicodedata.name(character, "control character" if ord(character) < 0xA0 else "unnamed")  # noqa: PLR2004
    return f"contains {name.lower()} U+{ord(character):04X} at position {found.start() + 1}"


def printable(text: str) -> str:
    r"""
    *text* with every unsafe character written as a visible escape (``\x1b``, ``\u202e``).
    """
    return _UNSAFE.sub(_escape, text)


def json_escaped(text: str) -> str:
    r"""
    JSON *text* with every unsafe character written as a ``\uXXXX`` escape.

    The same data to a JSON reader, and nothing a terminal acts on: ``ensure_ascii=False``
    keeps text readable but lets C1 controls and bidi overrides through (only C0 is escaped).
    Outside strings JSON is ASCII, so every such character sits in a string, where the
    escape means that character.
    """
    return _UNSAFE.sub(_json_escape, text)


def _json_escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found[0]):04x}"


def _escape(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"  # noqa: PLR2004 - one byte


# Grading keys every verdict's grader by it, and a book has few names: each is normalised once.
@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """
    The form two names are compared in, so that look-alikes meet.

    Compatibility-normalised, case-folded, without invisible characters, with runs of spaces
    made one: "Guangmi  Li" and "guangmi li" have the same key.
    """
    visible = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return " ".join(visible.casefold().split())


#: Alphabets whose letters pass for one another ("а" is Cyrillic, "a" Latin): one word written
#: in two of them is how a name is made to look like another's (Unicode TR 39, mixed scripts).
_LOOK_ALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def mixed_scripts(name: str) -> tuple[str, ...]:
    """
    The alphabets that one word of *name* mixes, among Latin, Cyrillic and Greek; () if none does.

    Words in different alphabets ("Алексей Smith") are a name; one word mixing them ("Sаm", with a
    Cyrillic "а") looks like a Latin name and is not one. Other scripts mix by design (Japanese
    words join kanji and kana) and are left alone.
    """
    if name.isascii():
        return ()
    for word in name.split():
        found = {
            script
            for character in word
            if character.isalpha()
            for script in (unicodedata.name(character, "").partition(" ")[0],)
            if script in _LOOK_ALIKE_SCRIPTS
        }
        if len(found) > 1:
            return tuple(script.title() for script in _LOOK_ALIKE_SCRIPTS if script in found)
    return ()
