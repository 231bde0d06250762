"""
Writing files safely: inside the repository only, atomically, never over a person's file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ._errors import WriteError


def inside(root: Path, relative: str | Path) -> Path:
    """
    Resolve *relative* under *root*, refusing absolute paths and any escape with "..".

    Raises:
        WriteError: the path would land outside *root*.
    """
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise WriteError(str(relative), "must be a relative path inside the repository")
    resolved = (root / candidate).resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise WriteError(str(relative), "resolves to a place outside the repository")
    return root / candidate


def write_text(path: Path, text: str, *, overwrite: bool = False) -> None:
    """
    Write *text* to *path* through a temporary file in the same folder and a rename.

    A failure at any point leaves the previous file, if any, untouched.

    Raises:
        WriteError: *path* exists and *overwrite* is false, or the write failed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and path.exists():
        raise WriteError(str(path), "already exists; not overwritten")
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            Path(temporary).replace(path)
        else:
            # link() fails if the name appeared meanwhile, so a concurrent writer is never clobbered.
            os.link(temporary, path)
    except FileExistsError:
        raise WriteError(str(path), "already exists; not overwritten") from None
    except OSError as error:
        raise WriteError(str(path), f"could not be written: {error.strerror or error}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)
