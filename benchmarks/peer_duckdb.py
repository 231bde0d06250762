"""
The DuckDB peer: the SQL a competent user would write for `scorecard score --format json`.

    python benchmarks/peer_duckdb.py TABLE.csv [--group-by forecaster|tag|year] [--policy latest|time-average]
        [--aggregate median]

Same figures as scorecard (see peer_pandas.py), computed by DuckDB.
"""

from __future__ import annotations

import argparse
import json

import duckdb

EDGES = [k / 10 for k in range(11)]
VALUE = "CASE outcome WHEN 'yes' THEN 1.0 WHEN 'no' THEN 0.0 WHEN 'partly' THEN 0.5 END"


def aggregates() -> str:
    scored = "outcome IN ('yes', 'no', 'partly') AND probability IS NOT NULL"
    clipped = "least(greatest(probability, 0.001), 0.999)"
    index = " + ".join(f"(probability >= {edge!r})::INT" for edge in EDGES[1:-1])
    parts = [
        "count(*) AS forecasts",
        "count(*) FILTER (WHERE outcome IN ('yes', 'no', 'partly')) AS resolved",
        "count(*) FILTER (WHERE outcome = 'void') AS void",
        "count(*) FILTER (WHERE outcome IS NULL OR outcome = '') AS open",
        "count(DISTINCT nullif(forecaster, '')) AS forecasters",
        f"avg(power(probability - {VALUE}, 2)) FILTER (WHERE {scored}) AS brier",
        f"avg(-({VALUE} * log2({clipped}) + (1 - {VALUE}) * log2(1 - {clipped}))) FILTER (WHERE {scored}) AS log_loss",
        "count(*) FILTER (WHERE outcome = 'yes') AS yes",
        "count(*) FILTER (WHERE outcome = 'partly') AS partly",
        "count(*) FILTER (WHERE outcome = 'no') AS no",
    ]
    for k in range(10):
        inside = f"{scored} AND ({index}) = {k}"
        parts += [
            f"count(*) FILTER (WHERE {inside}) AS n{k}",
            f"avg(probability) FILTER (WHERE {inside}) AS p{k}",
            f"avg({VALUE}) FILTER (WHERE {inside}) AS o{k}",
        ]
    return ", ".join(parts)


def document(row: dict[str, object]) -> dict[str, object]:
    yes, partly, no = (int(row[k]) for k in ("yes", "partly", "no"))  # type: ignore[call-overload]
    graded = yes + partly + no
    return {
        **{key: row[key] for key in ("forecasts", "resolved", "void", "open", "forecasters", "brier", "log_loss")},
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


#: Each forecaster's forecasts per question in order (by made, then row): the due of their last,
#: and for each forecast the next one's date.
ORDERED = """
SELECT question, forecaster, probability, made, outcome, tags, row_number() OVER g AS k,
    first_value(made) OVER g AS first_made, lead(made) OVER g AS next_made,
    last_value(due) OVER (g ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS due_at
FROM (SELECT *, row_number() OVER () AS r FROM {source})
WINDOW g AS (PARTITION BY question, forecaster ORDER BY made NULLS FIRST, r)
"""
#: The days each forecast stood: the first always, later ones if made by the due, each until the
#: next one was made, the last until the due.
SPANS = """
SELECT *, k = 1 OR made <= due_at AS starts,
    date_diff('day', made, CASE WHEN next_made <= due_at THEN next_made ELSE due_at END) AS days
FROM ({ordered})
"""
#: One forecast per forecaster and question: the last made by the due (the earliest if all came
#: after it), its probability replaced by the time-average of those standing before the due.
#: The weighted days are added in order of made, as scorecard adds them: sum() adds in any order,
#: and an average one bit off an edge (0.19999999999999998 for 0.2) falls in another bin.
TIME_AVERAGE = """
SELECT question, forecaster, pick.outcome AS outcome, pick.tags AS tags, pick.made AS made,
    CASE WHEN first_made < due_at AND starts > 1 AND days > 0 THEN weighted / days ELSE pick.probability END
        AS probability
FROM (
    SELECT question, forecaster, any_value(due_at) AS due_at, any_value(first_made) AS first_made,
        coalesce(
            arg_max(struct_pack(probability, outcome, tags, made), k)
                FILTER (WHERE due_at IS NULL OR made IS NULL OR made <= due_at),
            arg_max(struct_pack(probability, outcome, tags, made), k) FILTER (WHERE k = 1 OR made = first_made)
        ) AS pick,
        count(*) FILTER (WHERE starts) AS starts,
        list_reduce(list(probability * days ORDER BY k) FILTER (WHERE starts AND probability IS NOT NULL AND days > 0),
            lambda total, x: total + x, 0.0) AS weighted,
        sum(days) FILTER (WHERE starts AND probability IS NOT NULL AND days > 0) AS days
    FROM ({spans}) GROUP BY question, forecaster
)
"""


def rows(connection: duckdb.DuckDBPyConnection, query: str) -> list[dict[str, object]]:
    cursor = connection.execute(query)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("table")
    parser.add_argument("--group-by", choices=["forecaster", "tag", "year"])
    parser.add_argument("--policy", choices=["all", "latest", "time-average"], default="all")
    parser.add_argument("--aggregate", choices=["median"])
    args = parser.parse_args()
    connection = duckdb.connect()
    types = "'probability': 'DOUBLE'" + (", 'made': 'DATE', 'due': 'DATE'" if args.policy == "time-average" else "")
    scan = f"read_csv('{args.table}', header = true, all_varchar = true, types = {{{types}}})"
    # A forecast made on or after its own resolved date is not scored (hindsight).
    source = f"(SELECT * FROM {scan} WHERE coalesce(CAST(made AS VARCHAR) < resolved, true))"
    if args.policy == "latest":
        connection.execute(
            "CREATE TEMP TABLE t AS SELECT unnest(arg_max(struct_pack(question, forecaster, probability, made,"
            f" outcome, tags), (made, r))) FROM (SELECT *, row_number() OVER () AS r FROM {source})"
            " GROUP BY question, forecaster"
        )
        source = "t"
    if args.policy == "time-average":
        query = TIME_AVERAGE.format(spans=SPANS.format(ordered=ORDERED.format(source=source)))
        connection.execute(f"CREATE TEMP TABLE t AS {query}")
        source = "t"
    result = document(rows(connection, f"SELECT {aggregates()} FROM {source}")[0])
    if args.group_by:
        key = {
            "forecaster": "coalesce(forecaster, '')",
            "year": "coalesce(substring(CAST(made AS VARCHAR), 1, 4), 'unknown')",
            "tag": "unnest(string_split(tags, ';'))",
        }[args.group_by]
        keyed = f"(SELECT *, {key} AS _key FROM {source})"
        if args.group_by == "tag":
            keyed = f"(SELECT * FROM {keyed} WHERE _key <> '')"
        found = rows(connection, f"SELECT _key, {aggregates()} FROM {keyed} GROUP BY _key ORDER BY _key")
        result["groups"] = {row.pop("_key"): document(row) for row in found}
    if args.aggregate == "median":
        median = rows(
            connection,
            f"SELECT avg(power(m - o, 2)) AS brier, count(*) AS questions FROM (SELECT question, median(probability)"
            f" AS m, last({VALUE}) AS o FROM {source} WHERE outcome IN ('yes', 'no', 'partly') AND probability IS NOT"
            " NULL GROUP BY question)",
        )[0]
        result["aggregate"] = {"median": median}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
