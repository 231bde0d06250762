"""
Hindsight checks: nothing may be graded, or count as a forecast, on knowledge from after its date.

Pure functions of the records, the ledger, today and (optionally) when each record was first
committed. Errors are impossibilities (a verdict before the prediction, or before the source it
cites); warnings are what a reader of the track record should be told.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._errors import Problem, Severity, problem_order
from ._git import first_commits, update_commits
from ._grade import check_day, grade
from ._grades import Grade
from ._load import read_files
from ._locate import find_line
from ._model import Book, SourceKind, known_dates
from ._rules import evaluate, known_on

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ._grade import Graded
    from ._locate import KeyPath, Lines
    from ._model import Ledger, Prediction
    from ._rules import Outcome

#: A record first committed this long after its ``made`` date, with no published source to
#: attest that date, was recorded after the fact.
RECORDED_LATE = datetime.timedelta(days=30)
_DECIDED = (Grade.YES, Grade.PARTLY, Grade.NO)


def hindsight_problems(
    book: Book,
    prediction_files: list[tuple[str, Prediction, Lines]],
    ledger_files: list[tuple[str, Ledger, Lines]],
    *,
    today: datetime.date | None = None,
    first_commits: Mapping[str, datetime.date] | None = None,
    update_commits: Mapping[str, Mapping[datetime.date, datetime.date]] | None = None,
    graded: Graded | None = None,
) -> list[Problem]:
    """
    The hindsight warnings, naming both ends: the prediction and the evidence.

    (A verdict dated before what it grades or cites is an error of the ledger itself, found by
    ``cross_check`` on every load.) *today* enables the "dated after today" warnings; *first_commits* (file → day first
    committed) enables the "recorded after the fact" warning, where a file not committed yet is
    recorded *today* at the earliest; *update_commits* (file → an update's day → the day it was
    first committed) enables the same warning for each forecast update. *graded*, the book graded as of today, saves grading it
    again: its rule outcomes say what was decided when.
    """
    problems: list[Problem] = []
    where = {prediction.id: (shown, lines) for shown, prediction, lines in prediction_files}
    problems += _decided_when_made(book, where, graded)
    if graded is not None:
        problems += _verdict_rests_on_what_was_known(book, where, graded)
    problems += updates_after_decided(book, prediction_files, graded)
    if today is not None:
        problems += _after_today(ledger_files, today)
        problems += _records_after_today(prediction_files, today)
    if first_commits is not None:
        problems += [
            Problem(shown, find_line(lines, ("made",)), "made", message, Severity.WARNING)
            for shown, prediction, lines in prediction_files
            if (message := recorded_late(prediction, first_commits.get(shown, today), committed=shown in first_commits))
            is not None
        ]
    if update_commits is not None:
        problems += _updates_recorded_late(book, prediction_files, update_commits, today, graded)
    return problems


def _updates_recorded_late(
    book: Book,
    prediction_files: list[tuple[str, Prediction, Lines]],
    update_commits: Mapping[str, Mapping[datetime.date, datetime.date]],
    today: datetime.date | None,
    graded: Graded | None,
) -> list[Problem]:
    # When each prediction's outcome became known: an update written down after it is not scored.
    known = {
        prediction.id: min(decided)
        for prediction, outcomes in _outcomes(book, graded)
        if (decided := [o.decided for o in outcomes if o.grade in _DECIDED and o.decided is not None])
    }
    problems = []
    for shown, prediction, lines in prediction_files:
        days = update_commits.get(shown, {})
        for index, update in enumerate(prediction.forecast):
            committed = days.get(update.on, today)
            if committed is None:
                continue
            outcome_known = known.get(prediction.id)
            # Grading leaves out an update written once its outcome was known (``written_in_time``),
            # however soon after its date: that is said, as is an update written down long after it.
            hindsight = outcome_known is not None and update.on < outcome_known <= committed
            if not hindsight and committed - update.on <= RECORDED_LATE:
                continue
            why = (
                f"the outcome was known on {outcome_known}, so it is hindsight and is not scored"
                if hindsight
                else "an update written down later than it says may have been written knowing more"
            )
            problems.append(
                Problem(
                    shown,
                    find_line(lines, ("forecast", index, "on")),
                    f"forecast[{index}].on",
                    f"recorded after the fact: {'first committed' if update.on in days else 'not committed yet on'} "
                    f"{committed}, {(committed - update.on).days} days after on = {update.on}; {why}",
                    Severity.WARNING,
                )
            )
    return problems


def update_days(
    root: Path, book: Book, today: datetime.date | None = None
) -> dict[str, dict[datetime.date, datetime.date]]:
    """
    For each prediction with updates, the day each update was written down, as git attests it.

    That is the day its date line was first committed; an update not committed yet is written
    *today* at the earliest. Empty when no record has updates or git cannot tell (the note of
    ``recorded_late_ids`` says why).
    """
    if not any(prediction.forecast for prediction in book.predictions):
        return {}
    commits = update_commits(root, book.settings.predictions)
    if isinstance(commits, str):
        return {}
    days: dict[str, dict[datetime.date, datetime.date]] = {}
    for prediction in book.predictions:
        origin = book.origins.get(prediction.id)
        if not prediction.forecast or origin is None:
            continue
        committed = commits.get(origin.path, {})
        days[prediction.id] = {
            update.on: day for update in prediction.forecast if (day := committed.get(update.on, today)) is not None
        }
    return days


def recorded_late(prediction: Prediction, first_commit: datetime.date | None, *, committed: bool = True) -> str | None:
    """
    Why *prediction* looks recorded after the fact, or None.

    That is: first committed more than 30 days after ``made``, and no published source dated
    on or before ``made`` attests it. Not *committed* yet, *first_commit* is today.
    """
    if first_commit is None or first_commit - prediction.made <= RECORDED_LATE:
        return None
    published = prediction.source.published
    if published is not None and published <= prediction.made:
        return None
    return (
        f"recorded after the fact: {'first committed' if committed else 'not committed yet on'} {first_commit}, "
        f"{(first_commit - prediction.made).days} days "
        f"after made = {prediction.made}, and no [source] published on or before {prediction.made} attests it"
    )


def _decided_when_made(book: Book, where: Mapping[str, tuple[str, Lines]], graded: Graded | None) -> list[Problem]:
    outcomes = [(prediction, found[-1]) for prediction, found in _outcomes(book, graded)]
    problems = []
    for prediction, outcome in outcomes:
        if outcome.grade in _DECIDED and outcome.decided is not None and outcome.decided <= prediction.made:
            shown, lines = where[prediction.id]
            cited = ", ".join(repr(entry) for entry in outcome.evidence) or "the ledger"
            problems.append(
                Problem(
                    shown,
                    find_line(lines, ("made",)),
                    "made",
                    f"already decided when made ({prediction.made}): {cited}, known {outcome.decided}, grades it "
                    f"{outcome.grade.label}; a statement of what was known is not a forecast",
                    Severity.WARNING,
                )
            )
    return problems


def _verdict_rests_on_what_was_known(
    book: Book, where: Mapping[str, tuple[str, Lines]], graded: Graded
) -> list[Problem]:
    # A verdict that cites only evidence already known when the prediction was made graded a
    # statement of what was known: the rule-based warning above cannot see a judgment call.
    dates = known_dates(book.ledger)
    problems = []
    for result in graded:
        verdict, made = result.verdict, result.prediction.made
        if verdict is None or result.grade not in _DECIDED or not verdict.evidence:
            continue
        rule = result.rule_outcome
        if rule.grade in _DECIDED and rule.decided is not None and rule.decided <= made:
            continue  # the rule's own warning says it already
        days = [dates.get(entry) for entry in verdict.evidence]
        known = [day for day in days if day is not None]
        if len(known) < len(days) or max(known) > made:
            continue
        shown, lines = where[result.prediction.id]
        cited = ", ".join(f"{entry!r}" for entry in verdict.evidence)
        problems.append(
            Problem(
                shown,
                find_line(lines, ("made",)),
                "made",
                f"already decided when made ({made}): its verdict of {verdict.on} rests only on {cited}, known by "
                f"{max(known)}, and grades it {result.grade.label}; a statement of what was known is not a forecast",
                Severity.WARNING,
            )
        )
    return problems


def _outcomes(book: Book, graded: Graded | None) -> list[tuple[Prediction, list[Outcome]]]:
    # An outcome's ``decided`` day is when the evidence that decides it became known, so one
    # grading with everything known (or everything known today) answers "decided by then?".
    if graded is not None:
        return [(r.prediction, [r.outcome, r.rule_outcome]) for r in graded]
    known = known_on(book.ledger, datetime.date.max)
    return [(p, [evaluate(p.rule, p.due, known)]) for p in book.predictions]


def updates_after_decided(
    book: Book, prediction_files: list[tuple[str, Prediction, Lines]], graded: Graded | None = None
) -> list[Problem]:
    """
    A warning for each forecast update made on or after the day its prediction's outcome was known.

    Such an update is not scored (see ``scored_until``); *graded* (the book graded as of today)
    brings verdicts in, else the rules are evaluated with everything known.
    """
    where = {prediction.id: (shown, lines) for shown, prediction, lines in prediction_files}
    problems = []
    for prediction, outcomes in _outcomes(book, graded):
        settled = [o for o in outcomes if o.grade in _DECIDED and o.decided is not None]
        if not settled:
            continue
        first = min(settled, key=lambda o: o.decided or datetime.date.max)
        shown, lines = where[prediction.id]
        cited = ", ".join(repr(entry) for entry in first.evidence) or "the ledger"
        problems += [
            Problem(
                shown,
                find_line(lines, ("forecast", index, "on")),
                f"forecast[{index}].on",
                f"an update on {update.on} comes once the outcome was known ({cited}, known {first.decided}, "
                f"grades it {first.grade.label}): it is hindsight and is not scored",
                Severity.WARNING,
            )
            for index, update in enumerate(prediction.forecast)
            if first.decided is not None and update.on >= first.decided
        ]
    return problems


def _after_today(ledger_files: list[tuple[str, Ledger, Lines]], today: datetime.date) -> list[Problem]:
    problems = []

    def warn(shown: str, lines: Lines, path: KeyPath, field: str, day: datetime.date) -> None:
        problems.append(
            Problem(
                shown,
                find_line(lines, path),
                field,
                f"{day} is after today ({today}): evidence cannot be known before it happens",
                Severity.WARNING,
            )
        )

    for shown, ledger, lines in ledger_files:
        for index, event in lines.numbered("event", ledger.event):
            for name in ("on", "reported", "checked"):
                day = getattr(event, name)
                if day is not None and day > today:
                    warn(shown, lines, ("event", index, name), f"event[{index}].{name}", day)
            published = None if event.source is None else event.source.published
            # A source published after today, of an entry that is not itself dated after today.
            dated = [day for day in (event.on, event.reported, event.checked) if day is not None]
            if published is not None and published > today >= max(dated, default=today):
                path = ("event", index, "source", "published")
                warn(shown, lines, path, f"event[{index}].source.published", published)
        for index, observation in lines.numbered("observation", ledger.observation):
            published = observation.source.published
            if published is not None and published > today >= observation.known:
                path = ("observation", index, "source", "published")
                warn(shown, lines, path, f"observation[{index}].source.published", published)
            if observation.known > today:
                name = "reported" if observation.reported is not None else "on" if observation.on else "period"
                warn(shown, lines, ("observation", index, name), f"observation[{index}].{name}", observation.known)
        for index, verdict in lines.numbered("verdict", ledger.verdict):
            if verdict.on > today:
                warn(shown, lines, ("verdict", index, "on"), f"verdict[{index}].on", verdict.on)
    return problems


def _records_after_today(prediction_files: list[tuple[str, Prediction, Lines]], today: datetime.date) -> list[Problem]:
    # A record dated in the future was written after the fact it claims to precede, or by a
    # wrong clock: either way nothing in it can be known yet.
    problems = []
    for shown, prediction, lines in prediction_files:
        dated: list[tuple[KeyPath, str, datetime.date | None]] = [
            (("made",), "made", prediction.made),
            (("source", "published"), "source.published", prediction.source.published),
        ]
        dated += [(("forecast", i, "on"), f"forecast[{i}].on", u.on) for i, u in enumerate(prediction.forecast)]
        problems += [
            Problem(
                shown,
                find_line(lines, path),
                field,
                f"{day} is after today ({today}): a forecast and its source cannot be dated in the future",
                Severity.WARNING,
            )
            for path, field, day in dated
            if day is not None and day > today
        ]
    return problems


def secondary_only(graded: Graded) -> list[str]:
    """
    The ids of graded predictions whose every source is of kind ``secondary``.
    """
    found = []
    for result in graded:
        sources = result.outcome.sources
        if result.grade in _DECIDED and sources and all(s.kind is SourceKind.SECONDARY for s in sources):
            found.append(result.prediction.id)
    return found


@attrs.frozen
class Checked:
    """
    The outcome of checking a repository: the book, every problem, and a note on git history.
    """

    book: Book
    problems: list[Problem]
    history_note: str | None


def check_repository(
    root: str | Path = ".", *, today: datetime.date | None = None, history: bool = True, workers: int = 1
) -> Checked:
    """
    Read and check the repository at *root*, sorted by file and line.

    That is every file problem, cross-file problem and hindsight problem.

    With *history*, first-commit days come from git (one call, and one more for the forecast
    updates when there are any); when git cannot tell, the
    reason is in ``history_note`` and the "recorded after the fact" check is skipped.
    """
    files = read_files(root, workers=workers)
    commits: Mapping[str, datetime.date] | None = None
    note = None
    updates: Mapping[str, Mapping[datetime.date, datetime.date]] | None = None
    if history and files.predictions:
        found = first_commits(Path(root), files.book.settings.predictions)
        commits, note = (found, None) if isinstance(found, dict) else (None, found)
        if commits is not None and any(prediction.forecast for prediction in files.book.predictions):
            # The history of every line is asked for only when some record has updates to attest.
            written = update_commits(Path(root), files.book.settings.predictions)
            updates = written if isinstance(written, dict) else None
    problems = list(files.problems)
    graded = grade(files.book, as_of=today) if today is not None else None
    problems += hindsight_problems(
        files.book,
        files.predictions,
        files.ledgers,
        today=today,
        first_commits=commits,
        update_commits=updates,
        graded=graded,
    )
    if graded is not None and not any(p.severity is Severity.ERROR for p in problems):
        origins = {prediction.id: (shown, lines) for shown, prediction, lines in files.predictions}
        for prediction_id in secondary_only(graded):
            shown, lines = origins[prediction_id]
            problems.append(
                Problem(
                    shown,
                    find_line(lines, ("id",)),
                    "sources",
                    "its grade rests only on secondary sources; cite the primary, press or research source they rely on",
                    Severity.WARNING,
                )
            )
    return Checked(files.book, sorted(problems, key=problem_order), note)


def check(root: str | Path = ".", *, today: datetime.date | None = None) -> list[Problem]:
    """
    Every problem in the repository at *root*, errors and warnings, in file and line order.
    """
    if today is not None:
        check_day(today, "today")
    return check_repository(root, today=today).problems
