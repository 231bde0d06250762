"""
Writing files safely: inside the repository only, all or nothing, never over a person's file.

Every write goes through one transaction: the new texts are written in full to a staging folder
beside their targets, then moved into place by renames, which cannot run out of disk room. A
failure while staging (a full disk, a read-only folder) changes nothing. A process killed
mid-way leaves only a staging folder that ignores itself for git (its ``.gitignore`` says ``*``),
so ``git add`` never picks it up; the next write in that folder removes it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import WriteError, reason_of

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping

#: The prefix of staging folders; one left behind by a killed process is removed by the next write.
STAGING = ".scorecard-staging-"


def inside(root: Path, relative: str | Path) -> Path:
    """
    Resolve *relative* under *root*, refusing absolute paths and any escape.

    An escape through a symbolic link anywhere along the way is refused too.

    Raises:
        WriteError: the path would land outside *root*, or cannot be a path at all.
    """
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise WriteError(str(relative), "must be a relative path inside the repository")
    return confined(root, root / candidate, shown=str(relative))


def confined(root: Path, path: Path, *, shown: str | None = None) -> Path:
    """
    *path*, after checking that it and every folder above it resolve inside *root*.

    Raises:
        WriteError: a symbolic link leads outside *root*, or the path is not one the system takes.
    """
    shown = str(path) if shown is None else shown
    try:
        outside = not path.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError) as error:  # RuntimeError: a loop of links, before Python 3.13
        raise WriteError(shown, f"is not a usable path: {reason_of(error)}") from None
    if outside:
        # Raised outside the try: a WriteError is an OSError, and would be wrapped in its own words.
        raise WriteError(shown, "resolves to a place outside the repository")
    return path


def write_text(path: Path, text: str, *, overwrite: bool = False) -> None:
    """
    Write *text* to *path* atomically (see ``write_files``).

    Raises:
        WriteError: *path* exists and *overwrite* is false, or the write failed.
    """
    write_files({path: text}, overwrite=overwrite)


def write_files(texts: Mapping[Path, str], *, overwrite: bool | Collection[Path] = False) -> None:
    """
    Write every text to its path, or none of them.

    All texts are staged first; only then are they moved into place. *overwrite* says which
    targets may be replaced (True: all; or the paths named); any other existing target is
    refused, and one that appears meanwhile undoes the new files this call already placed. New
    files are placed before any file is replaced, so a refusal never leaves a replacement behind. Files get the permissions the umask allows, as any new file does (a
    temporary file would be private to its owner, and a web server could not read the page).

    Raises:
        WriteError: a target exists (without *overwrite*), is not a regular file, or a folder
            or file could not be written.
    """
    if not texts:
        return
    replaceable = set(texts) if overwrite is True else set() if overwrite is False else set(overwrite)
    for path in texts:
        if path not in replaceable and os.path.lexists(path):
            raise WriteError(str(path), "already exists; not overwritten")
        if os.path.lexists(path) and not path.is_file():
            raise WriteError(str(path), "exists and is not a regular file; not replaced")
    staged: list[tuple[Path, Path]] = []
    stages: list[Path] = []
    created: list[Path] = []
    try:
        for path, text in texts.items():
            stage = _stage_for(path.parent, stages, created)
            temporary = stage / path.name
            # open() creates the file as the umask allows; mkstemp would make it owner-only.
            with temporary.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((temporary, path))
        _place([item for item in staged if item[1] not in replaceable], overwrite=False)
        _place([item for item in staged if item[1] in replaceable], overwrite=True)
    except WriteError:
        # A name taken meanwhile: said as such, not as a failure to write.
        _remove_created(stages, created)
        raise
    except OSError as error:
        _remove_created(stages, created)
        raise WriteError(_failed_place(error, path), f"could not be written: {reason_of(error)}") from None
    finally:
        for stage in stages:
            shutil.rmtree(stage, ignore_errors=True)


def _failed_place(error: OSError, path: Path) -> str:
    """
    The place a failed write names: a folder it could not make, else the file it was writing.

    The system names the staging folder or file it was working in; that name is random and
    means nothing to the person, whose file is *path*.
    """
    for name in (error.filename2, error.filename):
        if name is not None and STAGING not in os.fsdecode(name):
            return os.fsdecode(name)
    return str(path)


def _remove_created(stages: list[Path], created: list[Path]) -> None:
    """
    Remove the folders a failed write made for its files (its stages first), deepest first, if empty.
    """
    for stage in stages:
        shutil.rmtree(stage, ignore_errors=True)
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _place(staged: list[tuple[Path, Path]], *, overwrite: bool) -> None:
    placed: list[Path] = []
    try:
        for temporary, path in staged:
            if overwrite:
                temporary.replace(path)
            else:
                # link() fails if the name appeared meanwhile: a concurrent writer is never clobbered.
                os.link(temporary, path)
                placed.append(path)
    except OSError as error:
        # New files only: taking back the ones placed leaves the folder as it was.
        for path in placed:
            path.unlink(missing_ok=True)
        if isinstance(error, FileExistsError):
            raise WriteError(str(error.filename or path), "already exists; nothing was written") from None
        raise


def _stage_for(folder: Path, stages: list[Path], created: list[Path]) -> Path:
    for stage in stages:
        if stage.parent == folder:
            return stage
    if os.path.lexists(folder) and not folder.is_dir():
        # mkdir would say "File exists", which reads as if the file being written were there.
        raise WriteError(str(folder), "exists and is not a folder")
    # Outermost first, noted before making them: a failed write takes them back in reverse.
    created.extend(reversed([place for place in (folder, *folder.parents) if not os.path.lexists(place)]))
    folder.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(folder)
    stage = Path(tempfile.mkdtemp(dir=folder, prefix=STAGING, suffix=f"-{os.getpid()}"))
    stages.append(stage)
    (stage / ".gitignore").write_text("*\n", encoding="utf-8")
    return stage


def _remove_abandoned(folder: Path) -> None:
    """
    Remove staging folders of processes that no longer run (their pid is in the name's tail).
    """
    for stage in _stages(folder):
        owner = stage.name.rsplit("-", 1)[-1]
        if owner.isdigit() and _running(int(owner)):
            continue
        shutil.rmtree(stage, ignore_errors=True)


def _stages(folder: Path) -> Iterator[Path]:
    try:
        yield from (entry for entry in folder.iterdir() if entry.name.startswith(STAGING) and entry.is_dir())
    except OSError:
        return


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
