"""
What reading git history costs `scorecard check`: the same 10,000 records checked in a git
repository (one `git log` for the "recorded after the fact" check) and in a plain folder.

    python benchmarks/bench_check_history.py [--predictions 10000] [--evidence 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench_review import generate, scorecard_executable, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--predictions", type=int, default=10_000)
    parser.add_argument("--evidence", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "plain"
        generate(plain, args.predictions, args.evidence)
        tracked = Path(folder) / "tracked"
        shutil.copytree(plain, tracked)
        git = ["git", "-C", str(tracked), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "."], check=True)
        subprocess.run([*git, "commit", "-qm", "records"], check=True)
        with_git, without = [], []
        for _ in range(args.runs):
            # check exits 0 or 1 (warnings and errors alike); either is a complete run.
            with_git.append(timed([*scorecard_executable(), "check", str(tracked)], allow_failure=True))
            without.append(timed([*scorecard_executable(), "check", str(plain)], allow_failure=True))
        print(f"{args.predictions:,} prediction files, {args.evidence:,} evidence entries, best of {args.runs}")
        print(f"  check, plain folder:     {min(without):.3f} s")
        print(f"  check, git repository:   {min(with_git):.3f} s")
        ratio, medians = min(with_git) / min(without), statistics.median(with_git) / statistics.median(without)
        print(f"  ratio:                   {ratio:.2f}x (medians: {medians:.2f}x)")


if __name__ == "__main__":
    main()
