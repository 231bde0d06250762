"""
Write a synthetic forecast table: seeded, realistic mix of forecasters, questions, open and void rows.

    python benchmarks/generate_table.py ROWS OUT.csv [--seed 7] [--format csv|jsonl] [--fast]

About 40 forecasts per question, 2,000 forecasters with a long tail of activity, probabilities
rounded to whole percents (as forecasting sites export them), 70 % resolved, 3 % void, 27 % open,
a few percent without a probability, one to three tags per question, titles with commas and quotes.

--fast draws the same distributions with numpy and writes with polars, in blocks (100,000,000
rows in minutes rather than an hour); its random stream differs, so it is not the same table
row for row, and its lines end in LF rather than the csv module's CRLF.
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


def write_fast(count: int, out: str, seed: int, block: int = 5_000_000) -> None:
    import numpy as np  # noqa: PLC0415 - only --fast needs them
    import polars as pl  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    questions = max(1, count // 40)
    opened = rng.integers(0, 2000, questions)
    length = rng.integers(30, 720, questions)
    roll, truth, partly, coin = (
        rng.random(questions),
        rng.random(questions),
        rng.random(questions),
        rng.random(questions),
    )
    outcome = np.where(partly < 0.04, "partly", np.where(coin < truth, "yes", "no"))
    outcome = np.where(roll < 0.30, "", outcome)
    outcome = np.where(roll < 0.03, "void", outcome)
    # One to three distinct tags, as a bit mask whose label lists them in order.
    picks = rng.random((questions, len(TAGS))).argsort(axis=1)[:, :3]
    wanted = rng.integers(1, 4, questions)
    mask = sum(np.where(wanted > k, 1 << picks[:, k], 0) for k in range(3))
    tag_labels = [";".join(tag for bit, tag in enumerate(TAGS) if m >> bit & 1) for m in range(1 << len(TAGS))]
    start = datetime.date(2019, 1, 1)
    spec = (
        pl.DataFrame(
            {
                "question": [f"q{q:06d}" for q in range(questions)],
                "due_days": opened + length,
                "outcome": outcome,
                "tags": pl.Series(tag_labels)[pl.Series(mask)],
            }
        )
        .with_columns(
            due=(pl.lit(start) + pl.duration(days=pl.col("due_days"))).dt.strftime("%Y-%m-%d"),
        )
        .with_columns(
            title=pl.format(
                'Will "event {}" happen, as stated, by {}?',
                pl.col("question").str.slice(1).cast(pl.Int64),
                pl.col("due"),
            ),
            resolved=pl.when(pl.col("outcome") != "").then(pl.col("due")).otherwise(None),
            outcome=pl.when(pl.col("outcome") != "").then(pl.col("outcome")).otherwise(None),
        )
    )
    probabilities = pl.Series([str(round(k / 100, 2)) for k in range(100)])
    forecasters = pl.Series([f"user{k:04d}" for k in range(2000)])
    with open(out, "wb") as handle:
        for first in range(0, count, block):
            n = min(block, count - first)
            q = rng.integers(0, questions, n)
            made = opened[q] + np.floor(rng.random(n) * np.maximum(1, length[q])).astype(np.int64)
            percent = np.rint(np.clip(rng.normal(truth[q], 0.2), 0.01, 0.99) * 100).astype(np.int64)
            rows = spec[q].select(
                "question",
                "title",
                forecaster=forecasters[pl.Series((rng.pareto(1.2, n) + 1).astype(np.int64) % 2000)],
                probability=pl.when(pl.Series(rng.random(n) < 0.04))
                .then(None)
                .otherwise(probabilities[pl.Series(percent)]),
                made=(pl.lit(start) + pl.duration(days=pl.Series(made))).dt.strftime("%Y-%m-%d"),
                due="due",
                outcome="outcome",
                resolved="resolved",
                tags="tags",
            )
            rows.write_csv(handle, include_header=first == 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    parser.add_argument("--fast", action="store_true", help="numpy and polars, CSV only (see above)")
    args = parser.parse_args()
    if args.fast:
        write_fast(args.rows, args.out, args.seed)
        return
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
