"""
`scorecard review` on a generated book of 10,000 prediction files and 20,000 evidence entries,
against the floor: merely reading and parsing those files with tomllib.

    python benchmarks/bench_review.py [--predictions 10000] [--evidence 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import sys, tomllib
from pathlib import Path
root = Path(sys.argv[1])
for path in sorted((root / "predictions").glob("**/*.toml")) + sorted((root / "reviews/evidence").glob("*.toml")):
    tomllib.loads(path.read_text(encoding="utf-8"))
"""
METRICS = 200
HEDGES = ["likely", "大概率", "可能", "一定", "unlikely", "很可能"]


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


def generate(root: Path, predictions: int, evidence: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    events = evidence // 4
    (root / "reviews/evidence").mkdir(parents=True)
    ledger: list[list[str]] = [[] for _ in range(20)]
    for n in range(events):
        day = f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        ledger[n % 20].append(
            f'[[event]]\nid = "event-{n}"\non = {day}\nsummary = "Event {n} happened."\n'
            f'source = "https://example.org/e/{n}"\nconfidence = "high"\n'
        )
    # Metric series as ledgers hold them: 200 metrics, about 50 quarterly observations each.
    for m in range(METRICS):
        ledger[m % 20].append(f'[[metric]]\nid = "metric-{m}"\nunit = "USD"\n')
    for n in range(evidence // 2):
        year = rng.randint(2023, 2026)
        ledger[n % 20].append(
            f'[[observation]]\nmetric = "metric-{n % METRICS}"\nperiod = "{year}-Q{rng.randint(1, 4)}"\n'
            f'value = {rng.uniform(1, 100):.3f}\nsummary = "Value."\nsource = "https://example.org/o/{n}"\nconfidence = "medium"\n'
        )
    verdicts = evidence - events - evidence // 2
    for n in range(verdicts):
        ledger[n % 20].append(
            f'[[verdict]]\nprediction = "p-{n * 2}"\non = 2025-{rng.randint(1, 12):02d}-15\n'
            f'grade = "{rng.choice(["yes", "no", "partly"])}"\nwhy = "Because."\nsources = ["https://example.org/v/{n}"]\n'
        )
    for n, entries in enumerate(ledger):
        (root / f"reviews/evidence/part-{n:02d}.toml").write_text("\n".join(entries), encoding="utf-8")
    for n in range(predictions):
        folder = root / "predictions" / f"source-{n % 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        made = f"20{rng.randint(23, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        due = f"20{rng.randint(25, 27)}-12-31"
        kind = rng.random()
        if kind < 0.5:
            rule = f'kind = "event"\nevent = "event-{rng.randrange(events)}"\npartly_within = "6 months"'
        elif kind < 0.8:
            rule = f'kind = "threshold"\nmetric = "metric-{rng.randrange(METRICS)}"\nop = ">="\nvalue = {rng.uniform(1, 100):.1f}'
        else:
            rule = 'kind = "judgment"\ncriteria = "A person decides."'
        (folder / f"p-{n}.toml").write_text(
            f'id = "p-{n}"\nclaim = "Claim number {n} comes true."\nby = "Forecaster {n % 40}"\n'
            f'made = {made}\ndue = {due}\ntags = ["t{n % 7}", "t{n % 11 + 7}"]\nhedge = "{rng.choice(HEDGES)}"\n\n'
            f'[source]\ntitle = "Source {n % 50}"\nurl = "https://example.org/s/{n % 50}"\nquote = "A quote."\n\n[rule]\n{rule}\n',
            encoding="utf-8",
        )


def timed(command: list[str], *, allow_failure: bool = False) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=not allow_failure, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--predictions", type=int, default=10_000)
    parser.add_argument("--evidence", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate(root, args.predictions, args.evidence)
        floor_script = root / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        review = [*scorecard_executable(), "review", "2025", "-C", str(root), "--force"]
        floor = [sys.executable, str(floor_script), str(root)]
        subprocess.run([*scorecard_executable(), "check", str(root)], check=True, capture_output=True)
        mine, theirs = [], []
        for _ in range(args.runs):
            mine.append(timed(review))
            theirs.append(timed(floor))
        # Best of N: on a shared machine interference only ever adds time. The median is shown too.
        my_time, floor_time = min(mine), min(theirs)
        median_ratio = statistics.median(mine) / statistics.median(theirs)
        print(f"{args.predictions:,} prediction files, {args.evidence:,} evidence entries")
        print(f"  tomllib floor (read + parse):  {floor_time:.3f} s (best of {args.runs})")
        print(f"  scorecard review 2025:         {my_time:.3f} s")
        print(f"  ratio:                         {my_time / floor_time:.2f}x the floor (medians: {median_ratio:.2f}x)")


if __name__ == "__main__":
    main()
