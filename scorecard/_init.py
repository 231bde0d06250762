"""
Starting a prediction repository: ``scorecard init``.

Everything a forecaster needs before the first prediction: the folders, the settings table,
the schemas editors validate against, a pre-commit hook, a GitHub Actions workflow (check on
every pull request, the review each January, an issue for each prediction that came due
without a grade) and one example prediction that ``check`` accepts as it stands.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import attrs
import tomli_w

from ._errors import UsageError, WriteError
from ._load import enclosing_repository, read_settings, read_text, resolved
from ._model import Settings
from ._schema import schema
from ._version import __version__
from ._write import write_files

EXAMPLE = """\
#:schema ../../docs/prediction.schema.json
# An example: edit it, or delete it once you have written your own (`scorecard new --help`).
id = "example-first-prediction"
claim = "I record at least ten predictions in this repository before {due}."
by = "{by}"
made = {made}
due = {due}
probability = 0.7
tags = ["example"]

[source]
document = "my-notes"

[rule]
kind = "judgment"
criteria = "Yes if predictions/ holds at least ten records (besides this one) made before the due date."
"""

LEDGER = """\
#:schema ../../docs/evidence.schema.json
# The evidence ledger. Add to it with `scorecard happened`, `observe` and `resolve`: each appends
# one entry at the end and leaves what is here as it is.
"""

SETTINGS = """\
[tool.scorecard]
# Where records, evidence and reviews live, relative to this file; who grades by default.
predictions = "predictions"
evidence = "reviews/evidence"
reviews = "reviews"
editor = "{by}"
"""

PRE_COMMIT = """\
# Run `scorecard check` before every commit (https://pre-commit.com).
repos:
  - repo: local
    hooks:
      - id: scorecard-check
        name: scorecard check
        entry: scorecard check
        language: system
        pass_filenames: false
        files: \\.toml$
"""

WORKFLOW = """\
# Check every pull request, publish the review each January, and open an issue for each
# prediction that came due without the evidence to grade it. Each job holds only the rights it
# uses: checking a pull request reads, the review pushes, the due job opens issues.
name: scorecard
on:
  pull_request:
  schedule:
    - cron: "0 6 2 1 *"          # 2 January: the review of the year that just ended
    - cron: "0 7 * * 1"          # every Monday: what came due
  workflow_dispatch:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {{persist-credentials: false}}
      - uses: actions/setup-python@v5
        with: {{python-version: "3.12"}}
      - run: pip install prediction-scorecard=={version} && scorecard check
  review:
    if: github.event.schedule == '0 6 2 1 *'
    needs: check
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {{python-version: "3.12"}}
      - run: pip install prediction-scorecard=={version}
      - run: scorecard review $(( $(date +%Y) - 1 ))
      - run: |
          git config user.name "scorecard"
          git config user.email "scorecard@users.noreply.github.com"
          git add reviews/ && git commit -m "Yearly review" && git push
  due:
    if: github.event_name != 'pull_request'
    needs: check
    runs-on: ubuntu-latest
    permissions:
      contents: read
      issues: write
    env:
      GH_TOKEN: ${{{{ github.token }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {{python-version: "3.12"}}
      - run: pip install prediction-scorecard=={version}
      - run: scorecard due --format json | python .github/scripts/due_issues.py
"""

DUE_ISSUES = '''\
"""
Open one GitHub issue per prediction that came due without the evidence to grade it.

Reads `scorecard due --format json` on standard input; asks `gh` for the open issues labelled
"scorecard-due" and opens one for each past-due prediction that has none yet, so a weekly run
never repeats itself.
"""

import json
import re
import subprocess
import sys

LABEL = "scorecard-due"


def fenced(text):
    # What people wrote goes in a code block, where GitHub acts on no @mention, #reference,
    # link or markup; the fence is longer than any run of backticks inside.
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\\n{text}\\n{fence}"


def main() -> int:
    due = json.load(sys.stdin)
    listed = subprocess.run(
        ["gh", "issue", "list", "--label", LABEL, "--state", "open", "--json", "title", "--limit", "1000"],
        check=True, capture_output=True, text=True,
    )
    open_titles = {issue["title"] for issue in json.loads(listed.stdout or "[]")}
    opened = 0
    for prediction in due["past_due_unresolved"]:
        title = f"Due without a grade: {prediction['id']}"
        if title in open_titles:
            continue
        said = (
            f"{prediction['claim']}\\n{prediction['by']}, made {prediction['made']}, due {prediction['due']}\\n\\n"
            f"{prediction['explanation']}"
        )
        body = (
            f"{fenced(said)}\\n\\n"
            f"Add the evidence (`scorecard happened`, `scorecard observe`) or a verdict "
            f"(`scorecard resolve {prediction['id']} yes|partly|no --why ... --source URL`)."
        )
        subprocess.run(
            ["gh", "issue", "create", "--title", title, "--body", body, "--label", LABEL], check=True
        )
        opened += 1
    print(f"{opened} issue(s) opened")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''


@attrs.frozen
class Initialised:
    """
    A new repository: its folder and every file written, in order.
    """

    folder: Path
    written: tuple[Path, ...]


def _check_not_inside_records(folder: Path) -> None:
    """
    Refuse a folder inside another repository's predictions or evidence folder.

    Every TOML file there is read as that repository's record: the new repository's settings,
    example and ledger would each be an error in it.
    """
    outer = enclosing_repository(folder.parent)
    if outer is None:
        return
    here = resolved(folder)
    if here is None:  # the write reports an unusable path by name
        return
    settings, _ = read_settings(outer)
    for name in (settings.predictions, settings.evidence):
        area = (outer / name).resolve()
        if here == area or area in here.parents:
            msg = (
                f"lies inside {area} of the repository at {outer}: its files would be read as that "
                "repository's records; choose a folder outside it"
            )
            raise WriteError(str(folder), msg)


def init_repository(folder: str | Path, *, today: datetime.date, by: str = "Your Name") -> Initialised:
    """
    Make *folder* a prediction repository; ``scorecard check`` passes right after.

    An existing pyproject.toml keeps its text: the ``[tool.scorecard]`` table is added at its end.
    Nothing else that exists is replaced.

    Raises:
        UsageError: *by* is not a name a record can hold (blank, or with a control character).
        WriteError: *folder* is already a scorecard repository, or a file to write exists.
    """
    try:
        # The name goes into the settings and the example: what they refuse, init refuses first.
        Settings(editor=by)
    except ValueError as error:
        msg = f"--by {by!r}: {error}; give your name as your records will write it"
        raise UsageError(msg) from None
    folder = Path(folder)
    _check_not_inside_records(folder)
    settings_path = folder / "pyproject.toml"
    settings = SETTINGS.format(by=_toml_text(by))
    if settings_path.exists():
        text, problems = read_text(settings_path, "pyproject.toml")
        if text is None:
            raise WriteError(str(settings_path), problems[0].message if problems else "cannot be read")
        if "[tool.scorecard" in text:
            raise WriteError(str(folder), "is already a scorecard repository ([tool.scorecard] in pyproject.toml)")
        settings = text + ("" if text.endswith("\n") else "\n") + "\n" + settings
    if (folder / "predictions").exists():
        raise WriteError(str(folder / "predictions"), "already exists: this looks like a repository already")
    due = datetime.date(today.year + 1, 12, 31) if today.year < datetime.MAXYEAR else today
    texts = {
        folder / "predictions/example/example-first-prediction.toml": EXAMPLE.format(
            by=_toml_text(by), made=today.isoformat(), due=due.isoformat()
        ),
        folder / "reviews/evidence/ledger.toml": LEDGER,
        folder / "docs/prediction.schema.json": _json(schema("prediction")),
        folder / "docs/evidence.schema.json": _json(schema("evidence")),
        folder / ".pre-commit-config.yaml": PRE_COMMIT,
        folder / ".github/workflows/scorecard.yml": WORKFLOW.format(version=__version__),
        folder / ".github/scripts/due_issues.py": DUE_ISSUES,
    }
    new_settings = not settings_path.exists()
    write_files(texts)
    # The settings last: a pyproject.toml of the user's is only extended once the rest is in place.
    write_files({settings_path: settings}, overwrite=not new_settings)
    return Initialised(folder, (settings_path, *texts))


def _toml_text(text: str) -> str:
    # Inside a TOML basic string, as tomli_w escapes it (a newline too), without its quotes.
    return tomli_w.dumps({"x": text}).removeprefix('x = "').rstrip("\n").removesuffix('"')


def _json(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
