"""
`scorecard score` against the pandas peer, as whole processes, alternating runs in one go.

    python benchmarks/bench_score.py [--rows 1000 10000 150000 1000000] [--runs 5]

For each size: generates a seeded table, checks that scorecard and the peer give the same
figures to 1e-9 (overall, per forecaster, per tag, per year, --policy latest, --aggregate median),
then times `scorecard score FILE --format json` and `peer_pandas.py FILE` alternately and prints
the best and the median wall time of each, the peak memory and the ratios. On a shared
machine the best of N is the steadier figure: interference only ever adds time. Memory is compared as the sampled peak of
the proportional set size (PSS) summed over each command's process tree, so scorecard's forked
reader counts in full but the pages it shares with its parent are not counted twice; the largest
single resident set (from wait4) is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).parent
# Time this checkout's scorecard, not whichever one the environment has installed in editable mode.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))


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


def scorecard_command(path: Path, *extra: str) -> list[str]:
    return [*scorecard_executable(), "score", str(path), "--format", "json", *extra]


def peer_command(path: Path, *extra: str) -> list[str]:
    return [sys.executable, str(HERE / "peer_pandas.py"), str(path), *extra]


def _tree_pss_kb(root: int) -> int:
    total = 0
    pids = {root}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == root:
                    pids.add(int(entry))
            except OSError:
                continue
    for pid in pids:
        try:
            # PSS, not RSS: pages a forked child still shares with its parent are counted once,
            # split between them, instead of once per process.
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def run(command: list[str], *, sample: bool = False) -> tuple[float, int, int, bytes, float]:
    """
    Wall seconds, peak RSS of the largest process (KB), sampled peak PSS of the tree (KB), stdout, CPU seconds.

    CPU seconds are user + system time of the process and the children it waited for: on a
    shared machine, waiting for a core inflates wall time but not these.

    Sampling /proc costs CPU on a two-core machine, so timed runs do not sample.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sampler_loop() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kb(process.pid))
            time.sleep(0.003)

    sampler = threading.Thread(target=sampler_loop, daemon=True)
    if sample:
        sampler.start()
    out = process.stdout.read() if process.stdout else b""
    err = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    if sample:
        sampler.join()
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()}")
    return wall, usage.ru_maxrss, peak, out, usage.ru_utime + usage.ru_stime


def close(a: object, b: object, path: str = "$") -> list[str]:
    """Every place where two JSON documents differ by more than 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = set(a) & set(b)
        return [problem for key in sorted(keys) for problem in close(a[key], b[key], f"{path}.{key}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: lengths {len(a)} != {len(b)}"]
        return [problem for n, (x, y) in enumerate(zip(a, b, strict=True)) for problem in close(x, y, f"{path}[{n}]")]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return [] if math.isclose(a, b, rel_tol=0, abs_tol=1e-9) else [f"{path}: {a!r} != {b!r}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def check_same_figures(path: Path) -> None:
    for extra in (
        [],
        ["--group-by", "forecaster"],
        ["--group-by", "tag"],
        ["--group-by", "year"],
        ["--policy", "latest"],
        ["--aggregate", "median"],
    ):
        mine = json.loads(run(scorecard_command(path, *extra))[3])
        theirs = json.loads(run(peer_command(path, *extra))[3])
        differences = close(mine, theirs)
        if differences:
            raise SystemExit(f"figures differ for {extra}:\n" + "\n".join(differences[:10]))
        missing = set(theirs) - set(mine)
        if missing:
            raise SystemExit(f"scorecard lacks keys {sorted(missing)} for {extra}")
    print(f"  same figures as the peer to 1e-9 (overall, 3 groupings, latest, median): {path.name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000, 150_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-check", action="store_true", help="skip the figure comparison")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(
            f"{'rows':>9}  {'scorecard s':>11}  {'peer s':>7}  {'best (median)':>13}  {'my max RSS':>10}  "
            f"{'my PSS MB':>9}  {'peer RSS':>8}  {'peer PSS':>8}  {'memory ratio':>12}"
        )
        for count in args.rows:
            path = Path(folder) / f"table-{count}.csv"
            # In a separate process: a child forked from a big parent would carry its size in ru_maxrss.
            subprocess.run([sys.executable, str(HERE / "generate_table.py"), str(count), str(path)], check=True)
            if not args.no_check and count <= 150_000:
                check_same_figures(path)
            mine, theirs = [], []
            for _ in range(args.runs):
                mine.append(run(scorecard_command(path)))
                theirs.append(run(peer_command(path)))
            my_time = min(r[0] for r in mine)
            peer_time = min(r[0] for r in theirs)
            median_ratio = statistics.median(r[0] for r in mine) / statistics.median(r[0] for r in theirs)
            my_rss = max(r[1] for r in mine) / 1024
            peer_rss = max(r[1] for r in theirs) / 1024
            my_tree = max(run(scorecard_command(path), sample=True)[2] for _ in range(2)) / 1024
            peer_tree = max(run(peer_command(path), sample=True)[2] for _ in range(2)) / 1024
            print(
                f"{count:>9,}  {my_time:>11.3f}  {peer_time:>7.3f}  {my_time / peer_time:>5.2f} ({median_ratio:.2f})  "
                f"{my_rss:>10.1f}  {my_tree:>9.1f}  {peer_rss:>8.1f}  {peer_tree:>8.1f}  {my_tree / peer_tree:>12.2f}"
            )


if __name__ == "__main__":
    main()
