"""
Tests for work done in forked children: results come back, and a failed child never changes them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from scorecard._parallel import cores, fork_map, in_child

if TYPE_CHECKING:
    import pytest


def test_fork_map_returns_each_part_in_order() -> None:
    """Every part's result comes back in the order of the parts, whichever process worked on it."""
    assert [[0, 1], [4, 9, 16], []] == fork_map(lambda part: [n * n for n in part], [[0, 1], [2, 3, 4], []])


def test_fork_map_of_one_part_forks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """One part is worked on here: no child is started."""
    monkeypatch.setattr(os, "fork", _no_fork)

    assert ["A"] == fork_map(str.upper, ["a"])


def test_work_in_a_child_comes_back_with_its_result() -> None:
    """A child's result is what the work returns, and the child's pid differs from this process's."""
    child = in_child(os.getpid)

    pid = child.result()

    assert isinstance(pid, int)
    assert pid != os.getpid()


def test_a_child_that_fails_has_its_work_done_here() -> None:
    """A child whose work raises sends nothing back, so the work is done again here, where it succeeds."""
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            msg = "the child fails"
            raise RuntimeError(msg)
        return "done here"

    assert "done here" == in_child(work).result()


def test_without_fork_the_work_is_done_when_its_result_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """If forking fails, the work runs in this process, once, when the result is asked for."""
    monkeypatch.setattr(os, "fork", _no_fork)
    calls: list[int] = []

    def work() -> str:
        calls.append(os.getpid())
        return "result"

    child = in_child(work)

    assert [] == calls
    assert "result" == child.result()
    assert [os.getpid()] == calls


def test_cores_are_one_or_two() -> None:
    """At most two processes are worth starting, and always at least one."""
    assert cores() in (1, 2)


def _no_fork() -> int:
    raise OSError(11, "Resource temporarily unavailable")
