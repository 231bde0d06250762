"""
Publishing a yearly review: choose its date, gather earlier reviews, render and write the files.

The application logic of ``scorecard review``, as a library function: the command line only
parses its arguments, calls ``write_review`` and prints what was written.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._errors import UsageError, WriteError
from ._git import first_commits
from ._hindsight import recorded_late
from ._load import load, read_settings
from ._page import page
from ._render_html import render_html
from ._render_md import render_markdown
from ._review import MARKERS, PastReview, Review, past_review, review
from ._write import inside, write_text

if TYPE_CHECKING:
    from ._model import Book


@attrs.frozen
class Published:
    """
    A written review: the review itself, the files written, and what was skipped on the way.
    """

    review: Review
    written: tuple[Path, ...]
    notes: tuple[str, ...] = ()


def published_as_of(folder: Path) -> datetime.date | None:
    """
    The ``as_of`` of the review already in *folder*, or None when there is none to read.
    """
    try:
        data = json.loads((folder / "review.json").read_text(encoding="utf-8"))
        return datetime.date.fromisoformat(str(data["as_of"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_review(
    root: str | Path,
    year: int,
    *,
    as_of: datetime.date | None = None,
    today: datetime.date | None = None,
    out: str | None = None,
    force: bool = False,
    include_partly: bool = True,
    workers: int = 1,
) -> Published:
    """
    Write reviews/*year*/{README.md, review.json, index.html, calibration.svg} under *root*.

    The date is *as_of*, else the date of the review already published there (so a re-run
    reproduces it byte for byte), else *today*. Files a person wrote are not replaced unless
    *force*; every file is written atomically, inside the repository. *workers* = 2 lets a
    large repository be read by two processes.

    Raises:
        LoadError: the repository has errors.
        UsageError: no date was given and none is published.
        WriteError: a file could not be written or belongs to a person.
    """
    root = Path(root)
    book = load(root, workers=workers)
    reviews = inside(root, read_settings(root)[0].reviews)
    folder = inside(root, out) if out else reviews / str(year)
    day = as_of or published_as_of(folder) or today
    if day is None:
        msg = f"no review of {year} is published yet: give as_of or today"
        raise UsageError(msg)
    history, notes = _history(root, reviews, year)
    late, note = _late(root, book)
    result = review(book, year=year, as_of=day, history=history, include_partly=include_partly, recorded_late=late)
    # One description of the page for both renderings: building it is a third of rendering.
    described = page(result)
    chart = result.to_svg()
    outputs = {
        "README.md": render_markdown(described),
        "review.json": result.to_json(),
        "index.html": render_html(described, chart),
        "calibration.svg": chart,
    }
    if not force:
        for name in outputs:
            target = folder / name
            text = target.read_text(encoding="utf-8", errors="replace") if target.exists() else None
            if text is not None and not any(marker in text for marker in MARKERS):
                raise WriteError(
                    str(target.relative_to(root)),
                    "exists and was not written by scorecard review; use --force to replace it",
                )
    for name, text in outputs.items():
        write_text(folder / name, text, overwrite=True)
    return Published(result, tuple(folder / name for name in outputs), (*notes, *([note] if note else [])))


def _history(root: Path, reviews: Path, year: int) -> tuple[list[PastReview], list[str]]:
    history: list[PastReview] = []
    notes = []
    for path in sorted(reviews.glob("[0-9][0-9][0-9][0-9]/review.json")):
        if int(path.parent.name) >= year:
            continue
        try:
            history.append(past_review(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError):
            notes.append(f"{path.relative_to(root).as_posix()}: skipped: not a scorecard review.json")
    return history, notes


def _late(root: Path, book: Book) -> tuple[frozenset[str], str | None]:
    commits = first_commits(root, book.settings.predictions)
    if isinstance(commits, str):
        return frozenset(), f"`made` dates not checked against git: {commits}"
    late = set()
    for prediction in book.predictions:
        origin = book.origins.get(prediction.id)
        if origin is not None and recorded_late(prediction, commits.get(origin.path)) is not None:
            late.add(prediction.id)
    return frozenset(late), None
