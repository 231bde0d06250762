"""
Start-up cost of the command line, against a bare interpreter, in one run.

    python benchmarks/startup.py [--runs 20]

Times `scorecard --version` and `scorecard check EMPTY` as whole processes (alternating with
`python -c pass`, best of N) and lists the heaviest imports from `python -X importtime`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Time the commands as installed, with their compiled bytecode cached (pip compiles on install;
# an editable install caches on first import). Some machines set PYTHONDONTWRITEBYTECODE, which
# would make every run recompile scorecard's sources while the peer's stay compiled.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def scorecard_executable() -> list[str]:
    """
    The installed ``scorecard`` command, as users run it; ``python -m scorecard`` without it.
    """
    script = Path(sys.executable).with_name("scorecard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scorecard"]


def best_of(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def heaviest_imports(command: list[str], top: int = 8) -> list[tuple[int, str]]:
    done = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "cumulative" not in line:
            _, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
            rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as empty:
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "scorecard --version": [*scorecard_executable(), "--version"],
            "scorecard check EMPTY": [*scorecard_executable(), "check", empty],
        }
        results = {name: best_of(command, args.runs) for name, command in commands.items()}
        floor = results["python -c pass"]
        for name, seconds in results.items():
            print(
                f"{name:24} {seconds * 1000:7.1f} ms  ({seconds / floor:4.2f}x bare python, +{(seconds - floor) * 1000:.1f} ms)"
            )
        print("\nheaviest imports of `scorecard check EMPTY` (cumulative microseconds):")
        for cumulative, name in heaviest_imports(["-m", "scorecard", "check", empty]):
            print(f"  {cumulative:8d}  {name}")


if __name__ == "__main__":
    main()
