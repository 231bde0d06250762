"""
Spreading work over both cores by forking: some of it runs in children while this process goes on.

Used where CPU-bound Python measured faster on two cores: parsing thousands of TOML files
(rendering a review's pages was measured too, and did not pay). Children send their results
back pickled; a child that fails is not trusted, and its work is simply done again here, so
the result never depends on whether forking worked.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Generic, TypeVar

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
    if len(parts) <= 1:
        return [function(part) for part in parts]
    later = [in_child(functools.partial(function, part)) for part in parts[1:]]
    return [function(parts[0]), *(child.result() for child in later)]


class Child(Generic[R]):
    """
    Work started in a forked child; ``result`` waits for it.

    Without fork (or if forking fails) the work is done when its result is asked for.
    """

    def __init__(self, work: Callable[[], R]) -> None:
        self._work = work
        self._pid: int | None = None
        self._reading: int | None = None
        if not hasattr(os, "fork"):
            return
        try:
            reading, writing = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            return
        if pid == 0:  # pragma: no cover - runs in the child, which coverage does not follow
            os.close(reading)
            try:
                import pickle  # noqa: PLC0415 - only parallel runs pay for it

                # Pickle to memory first: a pipe holds only 64 KiB, so pickling straight into it
                # would stall until the parent is done with its own part and starts reading.
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writing, "wb") as pipe:
                    pipe.write(data)
            finally:
                os._exit(0)
        os.close(writing)
        self._pid, self._reading = pid, reading

    def result(self) -> R:
        """
        The child's result, or the work done here if the child failed or never started.
        """
        if self._pid is None or self._reading is None:
            return self._work()
        import pickle  # noqa: PLC0415 - only parallel runs pay for it

        with os.fdopen(self._reading, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = self._reading = None
        try:
            result = pickle.loads(data) if status == 0 and data else None  # noqa: S301 - our own child's output
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            result = None
        return result if result is not None else self._work()


def in_child(work: Callable[[], R]) -> Child[R]:
    """
    Start *work* in a forked child now, to collect with ``result()`` later.
    """
    return Child(work)
