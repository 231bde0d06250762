"""
The hedge lexicon: what probability a hedge word such as "likely" or "大概率" stands for.

The table ships as package data (``hedges.toml``), each entry with the basis of its value;
``[tool.scorecard.hedges]`` overrides entries or adds new ones.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

import attrs
import tomli

if TYPE_CHECKING:
    from collections.abc import Mapping


@attrs.frozen
class Basis:
    """
    A published scale a hedge value rests on.
    """

    key: str
    title: str
    url: str | None = None


@attrs.frozen
class Hedge:
    """
    One phrase and the probability it is read as, with the reason for that value.
    """

    phrase: str
    probability: float
    language: str
    basis: str
    note: str = ""


@attrs.frozen
class Lexicon:
    """
    Hedge phrases and their probabilities, looked up case-insensitively.
    """

    hedges: tuple[Hedge, ...]
    bases: tuple[Basis, ...] = ()
    _index: dict[str, Hedge] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        # Built once: looking a phrase up must not hash the whole table each time.
        object.__setattr__(self, "_index", {_normal(hedge.phrase): hedge for hedge in self.hedges})

    def probability(self, phrase: str) -> float | None:
        """
        The probability *phrase* stands for, or None if the lexicon lacks it.
        """
        hedge = self.find(phrase)
        return None if hedge is None else hedge.probability

    def find(self, phrase: str) -> Hedge | None:
        """
        The entry for *phrase*, or None.
        """
        return self._index.get(_normal(phrase))

    def with_overrides(self, overrides: Mapping[str, float]) -> Lexicon:
        """
        A lexicon where *overrides* (phrase → probability) replace or extend the entries.
        """
        if not overrides:
            return self
        replaced = {_normal(phrase) for phrase in overrides}
        kept = tuple(hedge for hedge in self.hedges if _normal(hedge.phrase) not in replaced)
        added = tuple(
            Hedge(phrase, probability, "", "override", "set in [tool.scorecard.hedges]")
            for phrase, probability in sorted(overrides.items())
        )
        return Lexicon(kept + added, self.bases)


def _normal(phrase: str) -> str:
    return " ".join(phrase.split()).casefold()


@functools.cache
def default_lexicon() -> Lexicon:
    """
    The lexicon shipped with the package.
    """
    data = tomli.loads(resources.files("scorecard").joinpath("hedges.toml").read_text(encoding="utf-8"))
    bases = tuple(Basis(key, entry["title"], entry.get("url")) for key, entry in data["basis"].items())
    hedges = tuple(
        Hedge(entry["phrase"], float(entry["probability"]), entry["language"], entry["basis"], entry.get("note", ""))
        for entry in data["hedge"]
    )
    return Lexicon(hedges, bases)


def lexicon(overrides: Mapping[str, float] | None = None) -> Lexicon:
    """
    The shipped lexicon with *overrides* applied.
    """
    return default_lexicon().with_overrides(overrides or {})
