"""
The polars peer: a lazy query a competent user would write for `scorecard score --format json`.

    python benchmarks/peer_polars.py TABLE.csv [--group-by forecaster|tag|year] [--policy latest|time-average]
        [--aggregate median]

Same figures as scorecard (see peer_pandas.py), computed by polars' streaming engine.
"""

from __future__ import annotations

import argparse
import json

import polars as pl

EDGES = [k / 10 for k in range(11)]


def aggregations() -> list[pl.Expr]:
    outcome = pl.col("outcome").fill_null("")
    p = pl.col("probability")
    o = outcome.replace_strict({"yes": 1.0, "no": 0.0, "partly": 0.5}, default=None, return_dtype=pl.Float64)
    resolved = outcome.is_in(["yes", "no", "partly"])
    scored = resolved & p.is_not_null()
    clipped = p.clip(0.001, 0.999)
    # [lo, hi) bins with 1.0 in the last: count the edges at or below p, as bisect_right does.
    index = pl.sum_horizontal([(p >= edge).cast(pl.Int32) for edge in EDGES[1:-1]])
    expressions = [
        pl.len().alias("forecasts"),
        resolved.sum().alias("resolved"),
        (outcome == "void").sum().alias("void"),
        (outcome == "").sum().alias("open"),
        pl.col("forecaster").filter(pl.col("forecaster").fill_null("") != "").n_unique().alias("forecasters"),
        ((p - o) ** 2).filter(scored).mean().alias("brier"),
        (-(o * clipped.log(2) + (1 - o) * (1 - clipped).log(2))).filter(scored).mean().alias("log_loss"),
        (outcome == "yes").sum().alias("yes"),
        (outcome == "partly").sum().alias("partly"),
        (outcome == "no").sum().alias("no"),
    ]
    for k in range(10):
        inside = scored & (index == k)
        expressions += [
            inside.sum().alias(f"n{k}"),
            p.filter(inside).mean().alias(f"p{k}"),
            o.filter(inside).mean().alias(f"o{k}"),
        ]
    return expressions


def time_average(frame: pl.LazyFrame) -> pl.LazyFrame:
    """
    One forecast per forecaster and question: the last made by the due (the earliest if all came
    after it), its probability replaced by the average of those standing before the due, weighted
    by days (the first always stands, later ones if made by the due, each until the next one).
    """
    group = ["question", "forecaster"]
    made, due = pl.col("made"), pl.col("due_at")
    ordered = (
        frame.with_row_index("_row")
        .with_columns(pl.col("made").str.to_date(), pl.col("due").str.to_date())
        .sort([*group, "made", "_row"], nulls_last=False)
        .with_columns(
            k=pl.int_range(pl.len()).over(group),
            next_made=made.shift(-1).over(group),
            due_at=pl.col("due").last().over(group),
            first_made=made.first().over(group),
        )
    )
    starts = (pl.col("k") == 0) | (made <= due)
    stop = pl.when(pl.col("next_made") <= due).then(pl.col("next_made")).otherwise(due)
    spans = ordered.with_columns(starts=starts, days=(stop - made).dt.total_days())
    counted = pl.col("starts") & pl.col("probability").is_not_null() & (pl.col("days") > 0)
    standing = due.is_null() | made.is_null() | (made <= due)
    earliest = (pl.col("k") == 0) | (made == pl.col("first_made"))
    fields = ["probability", "outcome", "tags", "made"]
    picked = spans.group_by(group).agg(
        *(
            pl.when(standing.any())
            .then(pl.col(name).filter(standing).last())
            .otherwise(pl.col(name).filter(earliest).last())
            for name in fields
        ),
        # Added in order of made, as scorecard adds them (sum() adds pairwise): an average one bit
        # off a bin's edge (0.19999999999999998 for 0.2) falls in another bin.
        weighted=(pl.col("probability") * pl.col("days")).filter(counted).cum_sum().last(),
        days=pl.col("days").filter(counted).sum(),
        starts=pl.col("starts").sum(),
        averaged=(pl.col("first_made").first() < due.first()),
    )
    usable = pl.col("averaged").fill_null(value=False) & (pl.col("starts") > 1) & (pl.col("days") > 0)
    return picked.with_columns(
        probability=pl.when(usable).then(pl.col("weighted") / pl.col("days")).otherwise(pl.col("probability"))
    )


def document(row: dict[str, object]) -> dict[str, object]:
    yes, partly, no = (int(row[k]) for k in ("yes", "partly", "no"))  # type: ignore[call-overload]
    graded = yes + partly + no
    return {
        "forecasts": row["forecasts"],
        "resolved": row["resolved"],
        "void": row["void"],
        "open": row["open"],
        "forecasters": row["forecasters"],
        "brier": row["brier"],
        "log_loss": row["log_loss"],
        "bins": [
            {
                "lo": EDGES[k],
                "hi": EDGES[k + 1],
                "n": row[f"n{k}"],
                "mean_probability": row[f"p{k}"],
                "observed": row[f"o{k}"],
            }
            for k in range(10)
        ],
        "hit_rate": {
            "yes": yes,
            "partly": partly,
            "no": no,
            "strict": yes / graded if graded else None,
            "half_credit": (yes + 0.5 * partly) / graded if graded else None,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("table")
    parser.add_argument("--group-by", choices=["forecaster", "tag", "year"])
    parser.add_argument("--policy", choices=["all", "latest", "time-average"], default="all")
    parser.add_argument("--aggregate", choices=["median"])
    args = parser.parse_args()
    frame = pl.scan_csv(args.table, infer_schema=False, schema_overrides={"probability": pl.Float64})
    # A forecast made on or after its own resolved date is not scored (hindsight).
    frame = frame.filter((pl.col("made") < pl.col("resolved")).fill_null(value=True))
    if args.policy == "latest":
        frame = (
            frame.with_row_index("_row")
            .sort("made", "_row", nulls_last=False)
            .unique(["question", "forecaster"], keep="last", maintain_order=True)
        )
    if args.policy == "time-average":
        frame = time_average(frame)
    queries = [frame.select(aggregations())]
    if args.group_by:
        if args.group_by == "tag":
            keyed = frame.with_columns(_key=pl.col("tags").str.split(";")).explode("_key")
            keyed = keyed.filter(pl.col("_key").fill_null("") != "")
        elif args.group_by == "year":
            keyed = frame.with_columns(_key=pl.col("made").cast(pl.String).str.slice(0, 4).fill_null("unknown"))
        else:
            keyed = frame.with_columns(_key=pl.col("forecaster").fill_null(""))
        queries.append(keyed.group_by("_key").agg(aggregations()).sort("_key"))
    if args.aggregate == "median":
        outcome = pl.col("outcome").fill_null("")
        done = frame.filter(outcome.is_in(["yes", "no", "partly"]) & pl.col("probability").is_not_null())
        value = pl.col("outcome").replace_strict({"yes": 1.0, "no": 0.0, "partly": 0.5}, return_dtype=pl.Float64)
        per_question = done.group_by("question").agg(pl.col("probability").median().alias("m"), value.last().alias("o"))
        queries.append(
            per_question.select(((pl.col("m") - pl.col("o")) ** 2).mean().alias("brier"), pl.len().alias("questions"))
        )
    found = pl.collect_all(queries, engine="streaming")
    result = document(found[0].row(0, named=True))
    position = 1
    if args.group_by:
        result["groups"] = {row.pop("_key"): document(row) for row in found[position].iter_rows(named=True)}
        position += 1
    if args.aggregate == "median":
        result["aggregate"] = {"median": found[position].row(0, named=True)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
