"""
`scorecard review` on generated books against the floor: merely reading and parsing the same
files with tomllib, in one process.

    python benchmarks/bench_review.py [--predictions 1000 10000 50000] [--runs 3]
        [--evidence N] [--metrics 200] [--thresholds 0.3] [--stated 0] [--baseline DIR]

For each size: a book of that many prediction files and (by default) twice as many evidence
entries, of which half are observations of --metrics metrics; a --thresholds share of the
predictions have threshold rules on those metrics; a --stated share give a probability to three
decimals instead of a hedge word (nearly every score then differs: the bootstraps' hard case). Review and floor run alternately, whole
processes, --runs rounds; it prints the best of each and their ratio (the ratio of medians
beside it), then the time per 1,000 files at each size, which is flat when time is linear in
files. --baseline DIR also times the scorecard checkout in DIR, interleaved (before and after).
The floor is issue 20's, tomllib; the same floor with tomli (the compiled parser scorecard
reads with) is timed beside it, to show how much of the difference is the parser's.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
FLOOR = """
import importlib, sys
from pathlib import Path
parser = importlib.import_module(sys.argv[2] if len(sys.argv) > 2 else "tomllib")
root = Path(sys.argv[1])
for path in sorted((root / "predictions").glob("**/*.toml")) + sorted((root / "reviews/evidence").glob("*.toml")):
    parser.loads(path.read_text(encoding="utf-8"))
"""
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


def generate(
    root: Path,
    predictions: int,
    evidence: int,
    *,
    metrics: int = 200,
    thresholds: float = 0.3,
    stated: float = 0.0,
    seed: int = 7,
) -> None:
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
    # Metric series as ledgers hold them: by default 200 metrics, about 50 quarterly observations
    # each; fewer metrics make longer series, each shared by more threshold rules.
    for m in range(metrics):
        ledger[m % 20].append(f'[[metric]]\nid = "metric-{m}"\nunit = "USD"\n')
    for n in range(evidence // 2):
        year = rng.randint(2023, 2026)
        ledger[n % 20].append(
            f'[[observation]]\nmetric = "metric-{n % metrics}"\nperiod = "{year}-Q{rng.randint(1, 4)}"\n'
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
        # By default half events, 30 % thresholds and 20 % judgments: the book earlier figures used.
        events_below = (1 - thresholds) * 5 / 7
        if kind < events_below:
            rule = f'kind = "event"\nevent = "event-{rng.randrange(events)}"\npartly_within = "6 months"'
        elif kind < events_below + thresholds:
            rule = f'kind = "threshold"\nmetric = "metric-{rng.randrange(metrics)}"\nop = ">="\nvalue = {rng.uniform(1, 100):.1f}'
        else:
            rule = 'kind = "judgment"\ncriteria = "A person decides."'
        says = f'hedge = "{rng.choice(HEDGES)}"'
        # Drawn only when asked for, so that the default book stays the one earlier figures used.
        if stated:
            probability = rng.uniform(0.02, 0.98)
            if rng.random() < stated:
                says = f"probability = {probability:.3f}"
        (folder / f"p-{n}.toml").write_text(
            f'id = "p-{n}"\nclaim = "Claim number {n} comes true."\nby = "Forecaster {n % 40}"\n'
            f'made = {made}\ndue = {due}\ntags = ["t{n % 7}", "t{n % 11 + 7}"]\n{says}\n\n'
            f'[source]\ntitle = "Source {n % 50}"\nurl = "https://example.org/s/{n % 50}"\nquote = "A quote."\n\n[rule]\n{rule}\n',
            encoding="utf-8",
        )


def timed(command: list[str], code: Path | None = None, *, allow_failure: bool = False) -> float:
    """
    Wall seconds of *command*, with the scorecard checkout in *code* first on the path.
    """
    return timed_both(command, code, allow_failure=allow_failure)[0]


def timed_both(command: list[str], code: Path | None = None, *, allow_failure: bool = False) -> tuple[float, float]:
    """
    Wall seconds and CPU seconds (user + system, the process and its children) of *command*.

    CPU time is the steadier figure on a machine shared with other work: waiting for a core
    adds wall time but not CPU time. A review reads with two processes, so its CPU time is
    the sum of both while the floor's is one process's.
    """
    # The installed command would otherwise time whichever checkout is installed in editable mode.
    environment = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(code or ""), os.environ.get("PYTHONPATH")]))
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=not allow_failure, capture_output=True, env=environment)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--predictions", type=int, nargs="+", default=[10_000])
    parser.add_argument("--evidence", type=int, help="evidence entries (default: twice the predictions)")
    parser.add_argument("--metrics", type=int, default=200)
    parser.add_argument("--thresholds", type=float, default=0.3, help="share of threshold rules")
    parser.add_argument("--stated", type=float, default=0.0, help="share of predictions stating a probability")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another scorecard checkout to time alongside")
    args = parser.parse_args()
    per_thousand: list[tuple[int, float, float]] = []
    for predictions in args.predictions:
        evidence = args.evidence or 2 * predictions
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            generate(root, predictions, evidence, metrics=args.metrics, thresholds=args.thresholds, stated=args.stated)
            floor_script = root / "floor.py"
            floor_script.write_text(FLOOR, encoding="utf-8")
            review = [*scorecard_executable(), "review", "2025", "-C", str(root), "--force"]
            commands = {
                "review": (review, HERE.parent),
                "floor": ([sys.executable, str(floor_script), str(root)], None),
                # The same floor with the parser scorecard reads with (tomli, compiled): how much
                # of the review's lead is the parser's.
                "tomli floor": ([sys.executable, str(floor_script), str(root), "tomli"], None),
            }
            if args.baseline:
                commands["baseline"] = (review, args.baseline)
            subprocess.run([*scorecard_executable(), "check", str(root)], check=True, capture_output=True)
            times: dict[str, list[float]] = {name: [] for name in commands}
            cpu: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(args.runs):
                for name, (command, code) in commands.items():
                    wall, used = timed_both(command, code)
                    times[name].append(wall)
                    cpu[name].append(used)
            # Best of N: on a shared machine interference only ever adds time. The median is shown too.
            best = {name: min(found) for name, found in times.items()}
            median = {name: statistics.median(found) for name, found in times.items()}
            least = {name: min(found) for name, found in cpu.items()}
            files = predictions + len(list((root / "reviews/evidence").glob("*.toml")))
            per_thousand.append((files, 1000 * best["review"] / files, 1000 * best["floor"] / files))
            print(
                f"{predictions:,} prediction files, {evidence:,} evidence entries ({args.metrics} metrics)", flush=True
            )
            print(
                f"  tomllib floor (read + parse):  {best['floor']:.3f} s (best of {args.runs}), CPU {least['floor']:.3f} s"
            )
            print(
                f"  tomli floor (read + parse):    {best['tomli floor']:.3f} s, CPU {least['tomli floor']:.3f} s;"
                f" review {best['review'] / best['tomli floor']:.2f}x it"
            )
            print(f"  scorecard review 2025:         {best['review']:.3f} s, CPU {least['review']:.3f} s")
            print(
                f"  ratio:                         {best['review'] / best['floor']:.2f}x the floor"
                f" (medians: {median['review'] / median['floor']:.2f}x; CPU: {least['review'] / least['floor']:.2f}x)"
            )
            if args.baseline:
                print(
                    f"  baseline ({args.baseline}):   {best['baseline']:.3f} s, CPU {least['baseline']:.3f} s,"
                    f" {best['baseline'] / best['floor']:.2f}x the floor;"
                    f" this checkout takes {best['review'] / best['baseline']:.2f}x its time"
                    f" (medians: {median['review'] / median['baseline']:.2f}x;"
                    f" CPU: {least['review'] / least['baseline']:.2f}x)",
                    flush=True,
                )
            print(f"  load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    if len(per_thousand) > 1:
        print(
            "per 1,000 files (flat when linear): "
            + ", ".join(
                f"{files:,} files: review {mine:.3f} s, floor {floor:.3f} s" for files, mine, floor in per_thousand
            )
        )


if __name__ == "__main__":
    main()
