"""
Bad inputs shared by the tests of the modules that read them and by the robustness tests.
"""

from __future__ import annotations

BAD_TABLES = [
    (
        "missing-question",
        "title,probability\nx,0.5\n",
        ["t.csv:1: question: the required column 'question' is missing (columns: 'title', 'probability')"],
    ),
    ("empty", "", ["t.csv: file: is empty: expected a header row naming the columns"]),
    (
        "duplicate-column",
        "question,probability,probability\nq,0.1,0.2\n",
        ["t.csv:1: probability: column 'probability' appears twice"],
    ),
    ("bad-probability", "question,probability\nq1,0.5\nq2,high\n", ["t.csv:3: probability: 'high' is not a number"]),
    ("probability-above-one", "question,probability\nq1,1.5\n", ["t.csv:2: probability: '1.5' is not between 0 and 1"]),
    (
        "probability-negative",
        "question,probability\nq1,-0.1\n",
        ["t.csv:2: probability: '-0.1' is not between 0 and 1"],
    ),
    ("probability-nan", "question,probability\nq1,nan\n", ["t.csv:2: probability: 'nan' is not between 0 and 1"]),
    ("probability-inf", "question,probability\nq1,inf\n", ["t.csv:2: probability: 'inf' is not between 0 and 1"]),
    (
        "unknown-outcome",
        "question,outcome\nq1,maybe\nq2,yes\n",
        ["t.csv:2: outcome: 'maybe' is not one of yes, no, partly, void or empty"],
    ),
    (
        "outcome-case",
        "question,outcome\nq1,Yes\n",
        ["t.csv:2: outcome: 'Yes' is not one of yes, no, partly, void or empty"],
    ),
    ("bad-date", "question,made\nq1,2024-02-30\n", ["t.csv:2: made: '2024-02-30' is not an ISO date like 2025-06-30"]),
    ("bad-due", "question,due\nq1,tomorrow\n", ["t.csv:2: due: 'tomorrow' is not an ISO date like 2025-06-30"]),
    ("empty-question", "question,probability\n,0.5\nq2,0.5\n", ["t.csv:2: question: is empty"]),
    (
        "ragged-row",
        "question,probability\nq1,0.5,extra\nq2\n",
        ["t.csv:2: row: has 3 fields, the header has 2", "t.csv:3: row: has 1 fields, the header has 2"],
    ),
    ("stray-quote", 'question,title\nq1,"a"b\n', ["t.csv:2: file: is not valid CSV: ',' expected after '\"'"]),
    (
        "unclosed-quote",
        'question,title\nq1,"never closed\n',
        ["t.csv:2: file: is not valid CSV: unexpected end of data"],
    ),
    (
        "several",
        "question,probability,outcome\nq1,2,yes\nq2,0.5,perhaps\n,0.5,no\n",
        [
            "t.csv:2: probability: '2' is not between 0 and 1",
            "t.csv:3: outcome: 'perhaps' is not one of yes, no, partly, void or empty",
            "t.csv:4: question: is empty",
        ],
    ),
]

#: A table with rows made on the day their question resolved (line 3) and after it (lines 4 and
#: 8): hindsight, never scored. Line 6 has no resolved date and line 7 no made date: scored.
LATE_TABLE = (
    "question,title,forecaster,probability,made,due,outcome,resolved,tags\n"
    "q1,,ann,0.8,2024-01-01,,yes,2024-06-01,a\n"
    "q1,,bob,0.9,2024-06-01,,yes,2024-06-01,a;b\n"
    "q2,,ann,0.3,2024-07-01,,no,2024-06-01,b\n"
    "q2,,cy,0.4,2024-05-01,,no,2024-06-01,b\n"
    "q3,,cy,0.6,2024-05-01,,,,c\n"
    "q4,,dee,0.5,,,yes,2024-06-01,\n"
    "q1,,ann,0.99,2024-06-02,,yes,2024-06-01,a\n"
)
#: LATE_TABLE's figures per group, under every policy: (forecasts, after_resolution, forecasters).
LATE_GROUPS = {
    "forecaster": {"ann": (1, 2, 1), "bob": (0, 1, 0), "cy": (2, 0, 1), "dee": (1, 0, 1)},
    "tag": {"a": (1, 2, 1), "b": (1, 2, 1), "c": (1, 0, 1)},
    "year": {"2024": (3, 3, 2), "unknown": (1, 0, 1)},
}
