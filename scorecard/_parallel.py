"""
Spreading work over both cores by forking: the first part runs here, the rest in children.

Used where the work is CPU-bound Python over many independent inputs (parsing thousands of
TOML files). Children send their results back pickled; a child that fails
is not trusted, and its part is simply done again here, so the result never depends on whether
forking worked.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """
    How many processes are worth starting: the usable cores, at most two.
    """
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 1
    return max(1, min(usable, 2))


def fork_map(function: Callable[[T], R], parts: Sequence[T]) -> list[R]:
    """
    ``[function(part) for part in parts]``, with every part but the first in a forked child.
    """
    if len(parts) <= 1 or not hasattr(os, "fork"):
        return [function(part) for part in parts]
    import pickle  # noqa: PLC0415 - only parallel runs pay for it

    children = []
    for part in parts[1:]:
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
            os.close(reading)
            try:
                # Pickle to memory first: a pipe holds only 64 KiB, so pickling straight into it
                # would stall until the parent is done with its own part and starts reading.
                data = pickle.dumps(function(part), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writing, "wb") as pipe:
                    pipe.write(data)
            finally:
                os._exit(0)
        os.close(writing)
        children.append((pid, reading, part))
    results = [function(parts[0])]
    for pid, reading, part in children:
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        try:
            result = pickle.loads(data) if status == 0 and data else None  # noqa: S301 - our own child's output
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            result = None
        results.append(result if result is not None else function(part))
    return results
