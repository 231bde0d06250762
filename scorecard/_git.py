"""
When each record was first committed: the one place that asks git.

Reading history is optional. Without git, outside a repository or in a shallow clone the answer
is a reason instead of dates, and callers say so once.
"""

from __future__ import annotations

import datetime
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
    try:
        shallow = _git(root, "rev-parse", "--is-shallow-repository")
        if shallow.strip() == "true":
            return "a shallow clone: its history is cut off"
        if not _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).strip():
            return "the git repository has no commits yet"
        # --relative makes the names relative to root, which may sit below the repository's top.
        # %cs, the committer's day: it is when the commit entered this history, where the
        # author's day is whatever `git commit --date` or a cherry-pick of an old commit says.
        log = _git(
            root,
            "log",
            "--reverse",
            f"--format={_MARK}%cs",
            "--name-status",
            "-M",
            "--diff-filter=AR",
            "--relative",
            "--no-ext-diff",
            "--no-textconv",
            "--",
            folder,
        )
    except FileNotFoundError:
        return "git is not installed"
    except subprocess.CalledProcessError:
        return "not a git repository"
    except (OSError, subprocess.SubprocessError) as error:
        return f"git failed ({error.__class__.__name__})"
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
