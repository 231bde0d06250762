"""
Tests for the hedge lexicon: phrases as said, in either language, and the repository's overrides.
"""

from __future__ import annotations

from scorecard._hedges import lexicon


def test_phrases_in_both_languages_and_their_spelling() -> None:
    """Chinese and English phrases are found however they are spaced or capitalised; unknown ones have none."""
    words = lexicon()

    assert (0.75, 0.7, None) == (words.probability("大概率"), words.probability("  Likely "), words.probability("nope"))


def test_overrides_add_and_replace_phrases() -> None:
    """[tool.scorecard.hedges] adds new phrases and replaces shipped readings."""
    words = lexicon({"perchance": 0.45, "likely": 0.8})

    assert (0.45, 0.8) == (words.probability("perchance"), words.probability("likely"))
