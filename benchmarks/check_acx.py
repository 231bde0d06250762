"""
Check peer_score and relative_brier on the ACX 2023 prediction contest against pandas.

    python benchmarks/check_acx.py BLIND_MODE.parquet RESOLUTIONS.csv [--out acx2023.csv]

BLIND_MODE.parquet is the contest's blind-mode answers (one row per entrant, one column per
question, named "@1.…" to "@50.…", percents); RESOLUTIONS.csv has the columns
question_number,…,resolution with YES or NO. Both are in the repository
jbreffle/acx-prediction-contest (data/raw/2023blindmode_predictions.parquet and
data/results/current_manifold_prob.csv); neither is copied here (no licence, and the answers
carry survey data). The script writes the answers as a forecast table, scores it with the
pure reader and with DuckDB, and compares every forecaster's figures with a pandas
computation written without scorecard's code.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def write_table(answers: Path, resolutions: Path, out: Path) -> None:
    resolved = {}
    with resolutions.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            resolved[int(row["question_number"])] = row["resolution"]
    with duckdb.connect() as connection:
        names = [row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM '{answers}'").fetchall()]
        questions = [name for name in names if name.startswith("@")]
        rows = connection.execute(
            "SELECT " + ", ".join(f'"{name}"' for name in questions) + f" FROM '{answers}'"
        ).fetchall()
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "forecaster", "probability", "outcome"])
        for entrant, answers_given in enumerate(rows):
            for number, percent in enumerate(answers_given, 1):
                if percent is not None:
                    outcome = "yes" if resolved[number] == "YES" else "no"
                    writer.writerow([f"q{number:02d}", f"f{entrant:04d}", repr(percent / 100), outcome])
    print(f"{len(rows)} entrants, {len(questions)} questions -> {out}")


def independent(table: Path) -> pd.DataFrame:
    frame = pd.read_csv(table, dtype={"probability": float, "forecaster": str, "question": str})
    frame["o"] = (frame.outcome == "yes").astype(float)
    clipped = frame.probability.clip(0.001, 0.999)
    frame["ln"] = np.log(np.where(frame.o == 1, clipped, 1 - clipped))
    by_question = frame.groupby("question")
    n = by_question.ln.transform("size")
    frame["peer"] = 100 * (frame.ln - (by_question.ln.transform("sum") - frame.ln) / (n - 1))

    def median_of_others(values: pd.Series) -> pd.Series:
        array = values.to_numpy()
        return pd.Series([np.median(np.delete(array, k)) for k in range(len(array))], index=values.index)

    frame["median"] = by_question.probability.transform(median_of_others)
    frame["relative"] = (frame.probability - frame.o) ** 2 - (frame["median"] - frame.o) ** 2
    shared = frame[n > 1]
    return shared.groupby("forecaster").agg(peer=("peer", "mean"), relative=("relative", "mean"), n=("peer", "size"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("answers", type=Path)
    parser.add_argument("resolutions", type=Path)
    parser.add_argument("--out", type=Path, help="keep the forecast table here (default: a temporary file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        table = args.out or Path(folder) / "acx2023.csv"
        write_table(args.answers, args.resolutions, table)
        expected = independent(table)
        found = {}
        for engine in ("pure", "duckdb"):
            script = (
                "import json, sys, scorecard\n"
                f"table = scorecard.read_forecasts(sys.argv[1], dimensions=['forecaster'], engine={engine!r})\n"
                "print(json.dumps(scorecard.score(table, group_by='forecaster').to_data()))\n"
            )
            output = subprocess.run(
                [sys.executable, "-c", script, str(table)], cwd=HERE.parent, capture_output=True, text=True, check=True
            ).stdout
            found[engine] = json.loads(output)
            groups = found[engine]["groups"]
            worst = 0.0
            for name, row in expected.iterrows():
                mine = groups[str(name)]
                if mine["shared_questions"] != row.n:
                    raise SystemExit(
                        f"{engine}: {name} shares {mine['shared_questions']} questions, pandas says {row.n}"
                    )
                worst = max(worst, abs(mine["peer_score"] - row.peer), abs(mine["relative_brier"] - row.relative))
            print(f"{engine}: {len(expected)} forecasters, largest difference from pandas {worst:.1e}")
            if worst > 1e-9:
                raise SystemExit("differs by more than 1e-9")
        if found["pure"] != found["duckdb"]:
            raise SystemExit("the pure reader and DuckDB give different JSON")
        print("pure reader and DuckDB: identical JSON")


if __name__ == "__main__":
    main()
