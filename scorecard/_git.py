"""
When each record, and each forecast update in it, was first committed: the one place that asks git.

Reading history is optional. Without git, outside a repository or in a shallow clone the answer
is a reason instead of dates, and callers say so once.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_MARK = "\x01"


def first_commits(root: Path, folder: str) -> dict[str, datetime.date] | str:
    """
    The day each file under *root*/*folder* was first committed, or why history cannot tell.

    Files are keyed by their path from *root*; a file never committed is not among them.

    One ``git log`` for the whole folder: a call per file would cost seconds on ten thousand.
    """
    # --name-status with -M: additions and renames, so a moved record keeps its first day.
    found_log, log = _history_log(root, folder, "--name-status", "--diff-filter=AR")
    if not found_log:
        return log
    found: dict[str, datetime.date] = {}
    day: datetime.date | None = None
    for line in log.splitlines():
        if line.startswith(_MARK):
            day = datetime.date.fromisoformat(line[1:])
            continue
        status, _, names = line.partition("\t")
        if not names or day is None:
            continue
        if status.startswith("R"):
            # A moved record keeps the day it was first added under its old name.
            old, _, new = names.partition("\t")
            found[new] = found.get(old, day)
        else:
            # Oldest first: the first day seen for a name is the day it was added.
            found.setdefault(names, day)
    return found


#: The lines of ``git log -p`` that say where a diff is: a commit's day, the file a diff is for,
#: a rename. Each is found after a newline (a literal the search jumps to), not at every "^".
_LOG_PLACES = re.compile(
    rf"\n(?:{_MARK}(?P<day>[0-9-]{{10}})"
    r"|\+\+\+ (?P<file>[^\n]*)"
    r"|rename from (?P<old>[^\n]*)"
    r"|rename to (?P<new>[^\n]*))"
)
#: A date given to a key named ``on``: in a prediction file, only a forecast update has one.
_UPDATE_DAY = re.compile(r"on[ \t]*=[ \t]*(\d{4}-\d{2}-\d{2})(?![\w:-])")


def update_commits(root: Path, folder: str) -> dict[str, dict[datetime.date, datetime.date]] | str:
    """
    For each file under *root*/*folder*, the day each forecast update's date was first committed.

    An update is known by its line ``on = 2025-04-01`` (in a ``[[forecast]]`` table or an
    inline one): the first commit that adds that line to the file is when it was written down.
    A date never committed in the file is not among them. One ``git log -p`` for the folder.
    """
    found_log, log = _history_log(root, folder, "-p", "--unified=0")
    if not found_log:
        return log
    # A first commit of ten thousand records is a log of five megabytes: the places and the
    # update dates are each found in one pass in C, then taken in the order they come.
    log = "\n" + log
    marks: list[tuple[int, str, str]] = [
        (match.start(), kind, value)
        for match in _LOG_PLACES.finditer(log)
        for kind, value in match.groupdict().items()
        if value is not None
    ]
    for match in _UPDATE_DAY.finditer(log):
        start = match.start()
        line = log.rfind("\n", 0, start) + 1
        before = log[start - 1]
        # Only a key named exactly `on`, on a line the commit adds.
        if log[line] == "+" and not log.startswith("+++ ", line) and not (before.isalnum() or before in "_-"):
            marks.append((start, "on", match[1]))
    marks.sort()
    found: dict[str, dict[datetime.date, datetime.date]] = {}
    day: datetime.date | None = None
    name: str | None = None
    renamed_from: str | None = None
    for _, kind, value in marks:
        if kind == "day":
            day, name = datetime.date.fromisoformat(value), None
        elif kind == "file":
            name = value[len("b/") :] if value.startswith("b/") else None
        elif kind == "old":
            renamed_from = value
        elif kind == "new":
            if renamed_from is not None:
                # A moved record keeps the days its updates were first written under the old name.
                found.setdefault(value, {}).update(found.get(renamed_from, {}))
            renamed_from = None
        elif name is not None and day is not None:
            try:
                on = datetime.date.fromisoformat(value)
            except ValueError:
                continue
            found.setdefault(name, {}).setdefault(on, day)
    return found


def _history_log(root: Path, folder: str, *options: str) -> tuple[bool, str]:
    """
    Every commit touching *folder*, oldest first, each opened by its day, or why history cannot tell.

    ``(True, log)`` or ``(False, why)``; *options* say what git shows of each commit.
    """
    try:
        reason = _history_missing(root)
        if reason is not None:
            return False, reason
        # --relative makes the names relative to root, which may sit below the repository's top.
        # %cs, the committer's day: it is when the commit entered this history, where the
        # author's day is whatever `git commit --date` or a cherry-pick of an old commit says.
        # A diff driver's textconv or external diff is a program the repository names: never run.
        log = _git(
            root,
            "-c",
            "color.ui=false",
            "log",
            "--reverse",
            f"--format={_MARK}%cs",
            *options,
            "-M",
            "--relative",
            "--no-ext-diff",
            "--no-textconv",
            "--",
            folder,
        )
    except FileNotFoundError:
        return False, "git is not installed"
    except subprocess.CalledProcessError:
        return False, "not a git repository"
    except (OSError, subprocess.SubprocessError) as error:
        return False, f"git failed ({error.__class__.__name__})"
    return True, log


def _history_missing(root: Path) -> str | None:
    # Why git cannot say when something was committed here, or None when it can.
    if _git(root, "rev-parse", "--is-shallow-repository").strip() == "true":
        return "a shallow clone: its history is cut off"
    if not _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip():
        return "the git repository has no commits yet"
    return None


#: A repository's own .git/config can name programs for git to run: a gpg.program that
#: log.showSignature calls for every signed commit, an fsmonitor hook, diff drivers. Reading the
#: history of a repository handed to us must run none of them.
_SAFE = (
    "-c", "core.quotePath=false",
    "-c", "log.showSignature=false",
    "-c", "core.fsmonitor=false",
    "-c", "diff.external=",
)  # fmt: skip


def _git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        ["git", *_SAFE, "-C", str(root), *args],  # noqa: S607 - git from PATH, as a user runs it
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )
    return done.stdout
