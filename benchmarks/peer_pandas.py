"""
The peer: the leanest pandas + numpy script a competent user would write for `scorecard score --format json`.

    python benchmarks/peer_pandas.py TABLE.csv [--group-by forecaster|tag|year] [--policy latest|time-average]
        [--aggregate median]

Same figures as scorecard: Brier (0-1), log loss in bits with probabilities clipped to [0.001, 0.999],
ten equal-width bins [lo, hi) with 1.0 in the last, hit rates over resolved rows (partly = half).
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd

OUTCOME = {"yes": 1.0, "no": 0.0, "partly": 0.5}


def figures(frame: pd.DataFrame) -> dict[str, object]:
    outcome = frame["outcome"].fillna("")
    resolved = outcome.isin(["yes", "no", "partly"])
    scored = frame[resolved & frame["probability"].notna()]
    p = scored["probability"].to_numpy(dtype=float)
    o = scored["outcome"].map(OUTCOME).to_numpy(dtype=float)
    clipped = np.clip(p, 0.001, 0.999)
    counts = outcome[resolved].value_counts()
    yes, partly, no = (int(counts.get(k, 0)) for k in ("yes", "partly", "no"))
    graded = yes + partly + no
    # match [lo, hi) edges exactly: a probability equal to an edge belongs to the bin above it
    edges = np.arange(11) / 10
    index = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, 9)
    bins = []
    for k in range(10):
        mask = index == k
        n = int(mask.sum())
        bins.append(
            {
                "lo": edges[k].item(),
                "hi": edges[k + 1].item(),
                "n": n,
                "mean_probability": float(p[mask].mean()) if n else None,
                "observed": float(o[mask].mean()) if n else None,
            }
        )
    return {
        "forecasts": len(frame),
        "resolved": int(resolved.sum()),
        "void": int((outcome == "void").sum()),
        "open": int((outcome == "").sum()),
        "forecasters": int(frame["forecaster"].replace("", np.nan).dropna().nunique()),
        "brier": float(np.mean((p - o) ** 2)) if len(p) else None,
        "log_loss": float(np.mean(-(o * np.log2(clipped) + (1 - o) * np.log2(1 - clipped)))) if len(p) else None,
        "bins": bins,
        "hit_rate": {
            "yes": yes,
            "partly": partly,
            "no": no,
            "strict": yes / graded if graded else None,
            "half_credit": (yes + 0.5 * partly) / graded if graded else None,
        },
    }


def time_average(frame: pd.DataFrame) -> pd.DataFrame:
    """
    One forecast per forecaster and question: the last made by the due (the earliest if all came
    after it), its probability replaced by the average of those standing before the due, weighted
    by days (the first always stands, later ones if made by the due, each until the next one).
    """
    frame = frame.assign(_row=np.arange(len(frame))).sort_values(["question", "forecaster", "made", "_row"])
    groups = frame.groupby(["question", "forecaster"], sort=False)
    group = groups.ngroup().to_numpy()
    k = groups.cumcount().to_numpy()
    made = pd.to_datetime(frame["made"], format="%Y-%m-%d", errors="coerce")
    due = pd.to_datetime(groups["due"].transform("last"), format="%Y-%m-%d", errors="coerce")
    first_made = made.groupby(group).transform("first")
    next_made = made.groupby(group).shift(-1)
    stop = next_made.where(next_made <= due, due)
    days = (stop - made).dt.days.to_numpy()
    starts = (k == 0) | (made <= due).to_numpy()
    probability = frame["probability"].to_numpy()
    counted = starts & ~np.isnan(probability) & (days > 0)
    count = group.max() + 1 if len(group) else 0
    # bincount adds each group's weighted days in row order (by made), as scorecard adds them: an
    # average one bit off a bin's edge (0.19999999999999998 for 0.2) would fall in another bin.
    weighted = np.bincount(group, weights=np.where(counted, probability * np.nan_to_num(days), 0), minlength=count)
    total = np.bincount(group, weights=np.where(counted, days, 0), minlength=count)
    starts_per = np.bincount(group, weights=starts, minlength=count)
    standing = (due.isna() | made.isna() | (made <= due)).to_numpy()
    earliest = (k == 0) | (made == first_made).to_numpy()
    position = np.arange(len(frame))
    pick_standing = pd.Series(np.where(standing, position, -1)).groupby(group).max().to_numpy()
    pick_earliest = pd.Series(np.where(earliest, position, -1)).groupby(group).max().to_numpy()
    picked = frame.iloc[np.where(pick_standing >= 0, pick_standing, pick_earliest)].reset_index(drop=True)
    first = first_made.groupby(group).first().to_numpy()
    last_due = due.groupby(group).first().to_numpy()
    usable = (first < last_due) & (starts_per > 1) & (total > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = weighted / total
    return picked.assign(probability=np.where(usable, average, picked["probability"].to_numpy()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("table")
    parser.add_argument("--group-by", choices=["forecaster", "tag", "year"])
    parser.add_argument("--policy", choices=["all", "latest", "time-average"], default="all")
    parser.add_argument("--aggregate", choices=["median"])
    args = parser.parse_args()
    frame = pd.read_csv(
        args.table,
        dtype={"question": str, "forecaster": str, "outcome": str, "tags": str, "made": str, "resolved": str},
        keep_default_na=False,
        na_values={"probability": [""]},
    )
    # A forecast made on or after its own resolved date is not scored (hindsight).
    frame = frame[~((frame["resolved"] != "") & (frame["made"] >= frame["resolved"]))]
    if args.policy == "latest":
        frame = frame.assign(_row=np.arange(len(frame))).sort_values(["made", "_row"], kind="stable")
        frame = frame.groupby(["question", "forecaster"], sort=False).tail(1).sort_values("_row").drop(columns="_row")
    if args.policy == "time-average":
        frame = time_average(frame)
    result = figures(frame)
    if args.group_by:
        if args.group_by == "tag":
            exploded = frame.assign(_key=frame["tags"].str.split(";")).explode("_key")
            exploded = exploded[exploded["_key"] != ""]
        elif args.group_by == "year":
            exploded = frame.assign(_key=frame["made"].str[:4].replace("", "unknown"))
        else:
            exploded = frame.assign(_key=frame["forecaster"])
        result["groups"] = {
            key: figures(group) for key, group in sorted(exploded.groupby("_key"), key=lambda kv: kv[0])
        }
    if args.aggregate == "median":
        outcome = frame["outcome"]
        done = frame[outcome.isin(["yes", "no", "partly"]) & frame["probability"].notna()]
        per_question = done.groupby("question").agg(median=("probability", "median"), outcome=("outcome", "last"))
        o = per_question["outcome"].map(OUTCOME).to_numpy(dtype=float)
        result["aggregate"] = {
            "median": {
                "brier": float(np.mean((per_question["median"].to_numpy() - o) ** 2)),
                "questions": len(per_question),
            }
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
