"""
Write a synthetic forecast table: seeded, realistic mix of forecasters, questions, open and void rows.

    python benchmarks/generate_table.py ROWS OUT.csv [--seed 7] [--format csv|jsonl]

About 40 forecasts per question, 2,000 forecasters with a long tail of activity, probabilities
rounded to whole percents (as forecasting sites export them), 70 % resolved, 3 % void, 27 % open,
a few percent without a probability, one to three tags per question, titles with commas and quotes.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

COLUMNS = ["question", "title", "forecaster", "probability", "made", "due", "outcome", "resolved", "tags"]
TAGS = ["ai", "economy", "politics", "science", "sports", "tech", "climate", "health", "space", "crypto"]


def rows(count: int, seed: int) -> Iterator[list[str]]:
    # A generator: 100,000,000 rows held as lists would need about 30 GB.
    rng = random.Random(seed)
    questions = max(1, count // 40)
    start = datetime.date(2019, 1, 1)
    specs = []
    for q in range(questions):
        opened = start + datetime.timedelta(days=rng.randrange(0, 2000))
        due = opened + datetime.timedelta(days=rng.randrange(30, 720))
        roll = rng.random()
        truth = rng.random()
        if roll < 0.03:
            outcome = "void"
        elif roll < 0.30:
            outcome = ""
        elif rng.random() < 0.04:
            outcome = "partly"
        else:
            outcome = "yes" if rng.random() < truth else "no"
        tags = ";".join(sorted(rng.sample(TAGS, rng.randint(1, 3))))
        title = f'Will "event {q}" happen, as stated, by {due.isoformat()}?'
        specs.append((f"q{q:06d}", title, opened, due, outcome, truth, tags))
    for _ in range(count):
        question, title, opened, due, outcome, truth, tags = specs[rng.randrange(questions)]
        forecaster = f"user{int(rng.paretovariate(1.2)) % 2000:04d}"
        made = opened + datetime.timedelta(days=rng.randrange(0, max(1, (due - opened).days)))
        probability = "" if rng.random() < 0.04 else str(round(min(0.99, max(0.01, rng.gauss(truth, 0.2))), 2))
        resolved = due.isoformat() if outcome else ""
        yield [question, title, forecaster, probability, made.isoformat(), due.isoformat(), outcome, resolved, tags]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    args = parser.parse_args()
    data = rows(args.rows, args.seed)
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        if args.format == "csv":
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(data)
        else:
            for row in data:
                record = dict(zip(COLUMNS, row, strict=True))
                record["probability"] = float(record["probability"]) if record["probability"] else None  # type: ignore[assignment]
                handle.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
