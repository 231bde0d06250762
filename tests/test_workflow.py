"""
The new user's path, end to end, with no TOML written by hand.

From an empty folder to a published review and a scored export; the transcript of every step is
pinned by a golden file.

Regenerate it after an intended change with
``SCORECARD_UPDATE_GOLDEN=1 python -m pytest tests/test_workflow.py`` and review the diff.
"""

from __future__ import annotations

import datetime
import io
import json
import os
from pathlib import Path

import scorecard
from scorecard._cli import main

GOLDEN = Path(__file__).parent / "golden" / "new-user.txt"
TODAY = datetime.date(2026, 1, 5)

STEPS = [
    ["init", "--by", "Ann Lee"],
    ["new", "--id", "gpt6-by-2025", "--claim", "OpenAI releases GPT-6 by the end of 2025.", "--by", "Ann Lee",
     "--made", "2025-01-10", "--due", "2025-12-31", "--into", "ann-2025", "--url", "https://example.org/ann/1",
     "--probability", "0.3", "--event", "gpt-6-released"],
    ["new", "--id", "robot-funding-doubles", "--claim", "Humanoid-robot funding in 2025 is at least twice 2024's.",
     "--by", "Ann Lee", "--made", "2025-01-10", "--due", "2025-12-31", "--into", "ann-2025",
     "--url", "https://example.org/ann/2", "--probability", "0.6", "--metric", "humanoid-funding-usd", "--op", ">=",
     "--from", "2024", "--to", "2025", "--factor", "2", "--unit", "USD"],
    ["new", "--id", "agents-mainstream", "--claim", "AI agents become a mainstream way to use software in 2025.",
     "--by", "Ann Lee", "--made", "2025-01-10", "--due", "2025-12-31", "--into", "ann-2025",
     "--url", "https://example.org/ann/3", "--hedge", "likely", "--criteria", "Yes if surveys show most firms use agents."],
    ["forecast", "gpt6-by-2025", "10%", "--on", "2025-06-01", "--why", "No sign of it by mid-year."],
    ["happened", "gpt-6-released", "--on", "2025-11-20", "--summary", "OpenAI released GPT-6.", "--source",
     "https://example.org/gpt6", "--kind", "primary", "--published", "2025-11-20"],
    ["observe", "humanoid-funding-usd", "1e9", "--period", "2024", "--summary", "About $1B in 2024.",
     "--source", "https://example.org/f24", "--kind", "research", "--published", "2025-01-02"],
    ["observe", "humanoid-funding-usd", "3e9", "--period", "2025", "--summary", "About $3B in 2025.",
     "--source", "https://example.org/f25", "--kind", "research", "--published", "2026-01-03"],
    ["resolve", "agents-mainstream", "Sort of", "--why", "Many firms pilot agents; few run them widely.",
     "--source", "https://example.org/survey", "--kind", "research", "--published", "2026-01-02"],
    ["due"],
    ["grade"],
    ["review", "2025"],
    ["export", "--out", "export.csv"],
    ["score", "export.csv", "--format", "json"],
]  # fmt: skip


def test_a_new_user_goes_from_an_empty_folder_to_a_review_without_writing_toml(tmp_path: Path) -> None:
    """init, new ×3, forecast, happened, observe, resolve, due, grade, review, export and score all succeed, as pinned."""
    transcript = []
    for step in STEPS:
        out, err = io.StringIO(), io.StringIO()
        code = main([*step, "-C", str(tmp_path)], today=TODAY, stdout=out, stderr=err)
        transcript.append(f"$ scorecard {' '.join(step)}\n[exit {code}]\n{out.getvalue()}{err.getvalue()}")
        assert code == 0, transcript[-1]
    text = "\n".join(transcript).replace(str(tmp_path), "<repo>")
    if os.environ.get("SCORECARD_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")

    assert GOLDEN.read_text(encoding="utf-8") == text
    assert [] == [p for p in scorecard.check(tmp_path, today=TODAY) if p.severity is scorecard.Severity.ERROR]
    scored = json.loads(transcript[-1].split("\n", 2)[2])
    assert (5, 4) == (scored["forecasts"], scored["resolved"])  # the update is a row of its own
