"""
`scorecard score` on large tables against pandas, polars and DuckDB, as whole processes, interleaved.

    python benchmarks/bench_tables.py [--rows 150000 1000000 10000000] [--runs 3] [--folder DIR]
        [--peers pandas polars duckdb] [--sample-timed]
        [--work score group-by latest+median time-average time-average+group-by]

For each size: generates a seeded table (kept in --folder, reused when present), checks that
all four tools give the same figures to 1e-9 for the work items asked for (by default the
three of issue 20: plain `score`, `--group-by forecaster`, `--policy latest --aggregate
median`; also `--policy time-average`, alone and with `--group-by forecaster`), then runs
every tool on every work item in turn, --runs rounds, and prints the best wall time of each, the sampled
peak PSS of its process tree (one extra run each), scorecard's ratios to the fastest peer, the
least CPU time (user + system) of scorecard and that peer, and the load average after each size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_score import close, run, scorecard_command

HERE = Path(__file__).parent
# Time this checkout's scorecard, not whichever one the environment has installed in editable mode.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))
WORK = {
    "score": [],
    "group-by": ["--group-by", "forecaster"],
    "latest+median": ["--policy", "latest", "--aggregate", "median"],
    "time-average": ["--policy", "time-average"],
    "time-average+group-by": ["--policy", "time-average", "--group-by", "forecaster"],
}
PEERS = {
    "pandas": HERE / "peer_pandas.py",
    "polars": HERE / "peer_polars.py",
    "duckdb": HERE / "peer_duckdb.py",
}


def commands(path: Path, extra: list[str], peers: list[str]) -> dict[str, list[str]]:
    # Tables over scorecard's default limit (2 GiB) are read only when asked to (the peers have none).
    size = path.stat().st_size
    limit = ["--max-bytes", str(size)] if size > 2 << 30 else []
    found = {"scorecard": scorecard_command(path, *extra, *limit)}
    for name in peers:
        found[name] = [sys.executable, str(PEERS[name]), str(path), *extra]
    return found


def check(path: Path, peers: list[str], works: list[str]) -> None:
    for work in works:
        extra = WORK[work]
        outputs = {name: json.loads(run(command)[3]) for name, command in commands(path, extra, peers).items()}
        mine = outputs.pop("scorecard")
        for name, theirs in outputs.items():
            differences = close(mine, theirs)
            if differences or set(theirs) - set(mine):
                raise SystemExit(f"{name} differs on {work}: {differences[:5]} {set(theirs) - set(mine)}")
    print(f"  same figures from all {len(peers) + 1} to 1e-9 ({', '.join(works)}): {path.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[150_000, 1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="keep generated tables here (default: a temporary folder)")
    # pandas holds a 100,000,000-row table in about 30 GB: leave it out where it cannot fit.
    parser.add_argument("--peers", nargs="+", choices=list(PEERS), default=list(PEERS))
    # At 100,000,000 rows a run takes minutes: sampling memory in the timed run (a little CPU on a
    # two-core machine) instead of one more run each halves the benchmark.
    parser.add_argument("--sample-timed", action="store_true", help="sample memory in the timed runs, no extra run")
    parser.add_argument("--work", nargs="+", choices=list(WORK), default=list(WORK)[:3], help="work items to time")
    parser.add_argument("--check-up-to", type=int, default=1_000_000, help="compare figures up to this many rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.folder or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        print(
            f"{'rows':>11}  {'work':<21} "
            + "  ".join(f"{name:>9}" for name in ["scorecard", *args.peers])
            + "  time ratio  memory MB (sc / best peer)  ratio  CPU s (sc / fastest peer)",
            flush=True,
        )
        for count in args.rows:
            path = folder / f"table-{count}.csv"
            if not path.exists():
                subprocess.run([sys.executable, str(HERE / "generate_table.py"), str(count), str(path)], check=True)
            if count <= args.check_up_to:
                check(path, args.peers, args.work)
            for work in args.work:
                extra = WORK[work]
                tools = commands(path, extra, args.peers)
                times: dict[str, list[float]] = {name: [] for name in tools}
                cpus: dict[str, list[float]] = {name: [] for name in tools}
                peaks: dict[str, list[int]] = {name: [] for name in tools}
                outputs: dict[str, bytes] = {}
                for _ in range(args.runs):
                    for name, command in tools.items():
                        wall, _, pss, outputs[name], cpu = run(command, sample=args.sample_timed)
                        times[name].append(wall)
                        cpus[name].append(cpu)
                        peaks[name].append(pss)
                if count > args.check_up_to:
                    # Not checked beforehand at this size: compare what the timed runs printed.
                    mine = json.loads(outputs["scorecard"])
                    for name in args.peers:
                        theirs = json.loads(outputs[name])
                        if close(mine, theirs) or set(theirs) - set(mine):
                            raise SystemExit(f"{name} differs on {work}: {close(mine, theirs)[:5]}")
                    print(f"  same figures from the timed runs of all {len(tools)} to 1e-9: {work}", flush=True)
                if not args.sample_timed:
                    peaks = {name: [run(command, sample=True)[2]] for name, command in tools.items()}
                memory = {name: max(found) / 1024 for name, found in peaks.items()}
                best = {name: min(found) for name, found in times.items()}
                peer = min(args.peers, key=best.__getitem__)
                lean = min(args.peers, key=memory.__getitem__)
                print(
                    f"{count:>11,}  {work:<21} "
                    + "  ".join(f"{best[name]:>9.3f}" for name in tools)
                    + f"  {best['scorecard'] / best[peer]:>5.2f} ({peer})"
                    + f"  {memory['scorecard']:>7.0f} / {memory[lean]:>6.0f} ({lean})"
                    + f"  {memory['scorecard'] / memory[lean]:>5.2f}"
                    + f"  {min(cpus['scorecard']):>6.2f} / {min(cpus[peer]):>6.2f}",
                    flush=True,
                )
            print(f"  load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
