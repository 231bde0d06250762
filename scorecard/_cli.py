"""
The command line: ``scorecard COMMAND``. Parses arguments, calls the library, sets exit codes.

Exit codes: 0 success, 1 problems in the input files, 2 a bad command line.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar, overload

from ._characters import json_escaped, printable, unsafe_character
from ._errors import LoadError, Problem, ScorecardError, Severity, UsageError, WriteError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._grade import Graded, Result
    from ._model import Book, Prediction
    from ._score import ScoreReport
    from ._table_counts import ForecastTable

T = TypeVar("T")

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date like 2025-12-31"
        raise argparse.ArgumentTypeError(msg) from None


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4 and text != "0000"):  # noqa: PLR2004 - a four-digit year
        msg = f"{text!r} is not a year like 2025"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _byte_count(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 20 and int(text) > 0):  # noqa: PLR2004 - 20 digits is 10^20 bytes
        msg = f"{text!r} is not a number of bytes like 20000000000"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _duration(text: str) -> object:
    from ._time import Duration  # noqa: PLC0415 - keep start-up light

    try:
        return Duration.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _status(text: str) -> str:
    from ._convert import converter  # noqa: PLC0415
    from ._grades import Grade  # noqa: PLC0415

    try:
        return str(converter().structure(text, Grade).value)
    except (ValueError, TypeError) as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _number(text: str) -> float:
    try:
        value = float(text) if text.isascii() else float("nan")
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):  # noqa: PLR0124 - NaN test
        msg = f"{text!r} is not a number"
        raise argparse.ArgumentTypeError(msg)
    return value


def _percent_or_number(text: str) -> float | None:
    """
    A probability as typed: ``0.4``, ``40%`` or ``40 %``; None when it is neither.
    """
    stripped = text.strip()
    number = stripped.removesuffix("%").rstrip()
    try:
        value = float(number) if number.isascii() and number else None
    except ValueError:
        return None
    return None if value is None else value / 100 if stripped.endswith("%") else value


def _probability(text: str) -> float:
    value = _percent_or_number(text)
    if value is None or value != value or value in (float("inf"), float("-inf")):  # noqa: PLR0124 - NaN test
        msg = f"{text!r} is not a number or a percentage"
        raise argparse.ArgumentTypeError(msg)
    return value


def _source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", required=True, metavar="URL", help="where the fact can be read")
    parser.add_argument("--kind", help="primary, press, research, secondary or self")
    parser.add_argument("--published", type=_date, metavar="DATE", help="when the source was published")
    parser.add_argument("--title", help="the source's title")


def _version() -> str:
    from ._version import __version__  # noqa: PLC0415

    return __version__


class _VersionAction(argparse.Action):
    """
    Look the version up only when asked: importlib.metadata is slow to import.
    """

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"scorecard {_version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """
    An argument parser that raises instead of exiting, so ``main`` owns the exit code.
    """

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: error: {message}")


class _Formatter(argparse.HelpFormatter):
    """
    Help as wide as the terminal, measured without shutil.

    argparse would import shutil, and with it the compression modules, on every start just to
    check metavars: a few milliseconds of start-up for nothing.
    """

    def __init__(self, prog: str) -> None:
        import os  # noqa: PLC0415

        try:
            columns = int(os.environ["COLUMNS"])
        except (KeyError, ValueError):
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                columns = 80
        super().__init__(prog, width=columns)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="scorecard", description="Keep an honest, public track record of predictions.", formatter_class=_Formatter
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text, formatter_class=_Formatter)
        sub.add_argument(
            "-C", "--root", default=".", help="run as if started in this folder (the repository is found from there up)"
        )
        return sub

    init = command("init", "Start a prediction repository: folders, settings, schemas, hooks, an example.")
    init.add_argument("folder", nargs="?", default=".", help="the new repository (default: the current folder)")
    init.add_argument("--by", default="Your Name", help="your name, for the example and as the default grader")

    check = command("check", "Validate every prediction and evidence file; list every problem.")
    check.add_argument("path", nargs="?", default=None, help="the repository (default: found from -C or here, up)")
    check.add_argument("--format", choices=["text", "json"], default="text")

    listing = command("list", "List predictions, filtered.")
    listing.add_argument("--tag", action="append", default=[], help="only predictions with this tag (repeatable)")
    listing.add_argument("--by", help="only predictions by this forecaster")
    listing.add_argument("--due-before", type=_date, metavar="DATE", help="due strictly before this day")
    listing.add_argument("--due-after", type=_date, metavar="DATE", help="due strictly after this day")
    listing.add_argument(
        "--status", type=_status, metavar="GRADE", help="yes, partly (sort of), no, pending, unresolved, void, disputed"
    )
    listing.add_argument("--as-of", type=_date, metavar="DATE", help="grade as of this day (default: today)")
    listing.add_argument("--format", choices=["table", "json"], default="table")

    show = command("show", "Show one prediction: record, quote, evidence and grade trail.")
    show.add_argument("id")
    show.add_argument("--as-of", type=_date, metavar="DATE")
    show.add_argument("--format", choices=["text", "json"], default="text")

    grade = command("grade", "Grade predictions as of a date.")
    grade.add_argument("--as-of", type=_date, metavar="DATE", help="(default: today)")
    grade.add_argument("--tag", action="append", default=[])
    grade.add_argument("--by")
    grade.add_argument("--format", choices=["table", "json", "md"], default="table")
    grade.add_argument(
        "--policy",
        choices=["last", "first", "time-average"],
        default="last",
        help="which forecast of each prediction is reported (default: the last before due)",
    )

    due = command("due", "What comes due soon, and what is past due without the evidence to grade it.")
    due.add_argument(
        "--within", type=_duration, default=None, metavar="DURATION", help="look ahead this far (default: 30d)"
    )
    due.add_argument("--as-of", type=_date, metavar="DATE")
    due.add_argument("--format", choices=["table", "json", "ics"], default="table", help="ics: a calendar file")

    review = command(
        "review", "Write the yearly review: reviews/YEAR/{README.md,review.json,index.html,calibration.svg}."
    )
    review.add_argument("year", type=_year)
    review.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="grade as of this day (default: the date of the review already published, else today)",
    )
    review.add_argument("--out", metavar="DIR", help="write here instead (default: reviews/YEAR)")
    review.add_argument("--force", action="store_true", help="overwrite files even if a person wrote them")
    review.add_argument("--exclude-partly", action="store_true", help="leave Sort of out of probability scores")
    review.add_argument(
        "--policy",
        choices=["last", "first", "time-average"],
        default="last",
        help="which forecast of each prediction is scored (default: the last before due)",
    )
    review.add_argument(
        "--bins",
        choices=["deciles", "quintiles", "acx"],
        default="deciles",
        help="reliability bins (acx: folded at 50 %%, bins around 50, 60, 70, 80, 90, 95, 99 %%)",
    )

    site = command(
        "site", "Write the whole track record as a static site: index, reviews, forecasters, predictions, feed."
    )
    site.add_argument(
        "--out",
        metavar="DIR",
        help="a folder inside the repository (default: build/site); stale pages there are removed",
    )
    site.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="grade as of this day (default: the latest published review's date, else today)",
    )
    site.add_argument("--force", action="store_true", help="overwrite files even if a person wrote them")

    score_ = command("score", "Score a forecast table (CSV, JSON Lines or Parquet): Brier, log loss, bins, hit rates.")
    score_.add_argument("file", help="the table; - reads standard input")
    score_.add_argument("--format", choices=["table", "json", "md"], default="table")
    score_.add_argument("--group-by", choices=["forecaster", "tag", "year"])
    score_.add_argument(
        "--policy",
        choices=["all", "latest", "first", "last", "time-average"],
        default="all",
        help="every row (default), or one forecast per forecaster and question: the last row, the"
        " first, the last made by due, or the average weighted by the days each stood before due",
    )
    score_.add_argument("--aggregate", choices=["median"])
    score_.add_argument("--bins", choices=["deciles", "quintiles", "acx"], default="deciles")
    score_.add_argument("--exclude-partly", action="store_true", help="leave partly rows out of probability scores")
    score_.add_argument(
        "--max-bytes",
        type=_byte_count,
        default=None,
        metavar="N",
        help="read tables up to N bytes (default: 2 GiB; standard input is held in memory)",
    )

    export = command("export", "Write every prediction with its grade as a table that `score` reads.")
    export.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    export.add_argument("--as-of", type=_date, metavar="DATE", help="(default: today)")
    export.add_argument("--out", metavar="FILE", help="write to this file instead of printing")
    export.add_argument("--force", action="store_true", help="replace --out if it exists")

    importing = command("import", "Turn a forecast table into prediction records, keeping every forecast.")
    importing.add_argument("file")
    importing.add_argument("--into", required=True, metavar="predictions/SLUG", help="the folder for the new records")
    importing.add_argument(
        "--from", dest="source", default="scorecard", metavar="FORMAT", help="the table's format (default: scorecard)"
    )

    new = command("new", "Write a new prediction record (never overwrites); every problem is reported at once.")
    new.add_argument("--id", required=True, help="a slug: lowercase letters, digits and hyphens")
    new.add_argument("--claim", required=True, help="one gradeable sentence")
    new.add_argument("--by", required=True, help="who predicted")
    new.add_argument("--made", type=_date, metavar="DATE", help="when it was first said (default: today)")
    new.add_argument("--due", required=True, type=_date, metavar="DATE", help="by when it is judged")
    new.add_argument("--into", required=True, metavar="SLUG", help="the source folder: SLUG or predictions/SLUG")
    new.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    new.add_argument(
        "--probability", type=_probability, help="the stated probability, strictly between 0 and 1 (0.4 or 40%%)"
    )
    new.add_argument("--hedge", help="the hedge word as said (likely, 可能, …)")
    new.add_argument("--notes")
    where = new.add_argument_group("source (give --url or --document, or both)")
    where.add_argument("--url", help="where the prediction was published")
    where.add_argument("--document", help="the document it was published in")
    where.add_argument("--title", help="the source's title")
    where.add_argument("--published", type=_date, metavar="DATE", help="when the source was published")
    where.add_argument("--quote", help="the words as said, verbatim")
    where.add_argument("--translation", help="the quote in English")
    rule = new.add_argument_group("rule (default: judgment)")
    rule.add_argument("--rule", choices=["event", "threshold", "change", "judgment"], default=None)
    rule.add_argument("--event", help="event rule: the ledger event that makes it come true")
    rule.add_argument("--expect-not", action="store_true", help="event rule: the claim is that it does not happen")
    rule.add_argument("--partly-within", metavar="DURATION", help="event rule: late by at most this earns Sort of")
    rule.add_argument("--metric", help="threshold or change rule: the ledger metric")
    rule.add_argument("--op", help="threshold or change rule: >=, >, <= or <")
    rule.add_argument("--value", type=_number, help="threshold rule: the bar")
    rule.add_argument("--when", help="threshold rule: by (ever reached, default) or at (standing at due)")
    rule.add_argument("--from", dest="from_", metavar="PERIOD", help="change rule: the base period")
    rule.add_argument("--to", metavar="PERIOD", help="change rule: the later period")
    rule.add_argument("--factor", type=_number, help="change rule: value(to) / value(from) compared with this")
    rule.add_argument("--partly", type=_number, help="threshold or change rule: a weaker bar that earns Sort of")
    rule.add_argument("--criteria", help="judgment rule: what a grader should look for")
    rule.add_argument("--unit", help="threshold or change rule: the metric's unit, if the ledger lacks the metric")

    forecast = command("forecast", "Add a forecast update to a prediction: a probability (0.4, 40%%) or a hedge word.")
    forecast.add_argument("id")
    forecast.add_argument("probability", metavar="P")
    forecast.add_argument("--on", type=_date, metavar="DATE", help="the day of the update (default: today)")
    forecast.add_argument("--why", help="what changed your mind")

    resolve = command("resolve", "Add a verdict to the ledger: yes, partly (sort of), no or void.")
    resolve.add_argument("id")
    resolve.add_argument("grade", metavar="GRADE")
    resolve.add_argument("--why", required=True, help="what happened, against the claim")
    _source_options(resolve)
    resolve.add_argument("--on", type=_date, metavar="DATE", help="the day of the verdict (default: today)")
    resolve.add_argument("--by", help="the grader (default: the editor in the settings)")
    resolve.add_argument("--final", action="store_true", help="settle a disagreement between graders")
    resolve.add_argument("--reason", help="why a void verdict annuls the prediction")

    happened = command("happened", "Add an event to the ledger: something that happened on a day.")
    happened.add_argument("event")
    happened.add_argument("--on", required=True, type=_date, metavar="DATE")
    happened.add_argument("--summary", required=True)
    _source_options(happened)
    happened.add_argument("--reported", type=_date, metavar="DATE", help="when it became public, if later")
    happened.add_argument("--confidence", default="high", help="high, medium or low (default: high)")

    observe = command("observe", "Add an observation to the ledger: a metric's value on a day or for a period.")
    observe.add_argument("metric")
    observe.add_argument("value", type=_number)
    when = observe.add_mutually_exclusive_group(required=True)
    when.add_argument("--on", type=_date, metavar="DATE")
    when.add_argument("--period", metavar="PERIOD", help="2025, 2025-H1, 2025-Q3, 2025-06")
    observe.add_argument("--summary", required=True)
    _source_options(observe)
    observe.add_argument("--reported", type=_date, metavar="DATE", help="when it became public, if later")
    observe.add_argument("--confidence", default="high", help="high, medium or low (default: high)")
    observe.add_argument("--unit", help="the metric's unit: defines the metric if the ledger lacks it")

    schema = command("schema", "Print the JSON Schema of prediction or evidence files.")
    schema.add_argument("kind", nargs="?", choices=["prediction", "evidence"], default="prediction")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    today: datetime.date | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """
    Run the command line with *argv*; return the exit code.

    *today* stands in for the clock and *stdout*/*stderr* for the streams (tests pass their own).
    """
    # A stream the shell closed (`>&-`) is None: print(file=None) would write the diagnostics
    # into stdout, or fail on the data; the output goes nowhere instead, as it was asked.
    out = stdout or sys.stdout or _discard()
    err = stderr or sys.stderr or _discard()
    for stream in (out, err):
        # A terminal that cannot show a character gets an escape, not a UnicodeEncodeError.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        args = _parser().parse_args(argv)
        _check_arguments(args)
    except UsageError as error:
        print(printable(str(error)), file=err)
        return EXIT_USAGE
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    run: Callable[[argparse.Namespace, datetime.date, TextIO, TextIO], int] = _COMMANDS[args.command]
    args.start = args.root
    if getattr(args, "path", None) is not None:
        args.root = args.path
    # init makes a repository, schema and score read none (score reads the table it is given).
    if args.command not in ("init", "schema", "score"):
        from ._load import find_root  # noqa: PLC0415

        # Like git: from a sub-folder of the repository, work on the whole repository.
        args.root = str(find_root(args.root))
    # A command builds hundreds of thousands of records and frees them all at exit; they hold no
    # reference cycles, so the cyclic collector's repeated passes over them are pure cost (about
    # a sixth of a large review). Callers such as tests get their collector back afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        code = run(args, today or datetime.date.today(), out, err)  # noqa: DTZ011 - the clock lives at the edge
        out.flush()
    except BrokenPipeError:
        # The reader stopped early (`scorecard list | head -1`): that is its right, not an error.
        _silence(out)
        return EXIT_OK
    except LoadError as error:
        for problem in error.problems:
            print(printable(str(problem)), file=out)
        print(f"{len(error.problems)} problem(s) found", file=err)
        return EXIT_PROBLEMS
    except (UsageError, WriteError) as error:
        print(printable(f"scorecard {args.command}: error: {error}"), file=err)
        return EXIT_USAGE if isinstance(error, UsageError) else EXIT_PROBLEMS
    except ScorecardError as error:
        print(printable(f"scorecard {args.command}: error: {error}"), file=err)
        return EXIT_PROBLEMS
    except OSError as error:
        print(printable(f"scorecard {args.command}: error: {_failed_io(error, out)}"), file=err)
        return EXIT_PROBLEMS
    finally:
        if collecting:
            gc.enable()
    return code


def _discard() -> TextIO:
    """
    A stream that writes nowhere, for a standard stream the shell closed.
    """
    import io  # noqa: PLC0415

    class Nowhere(io.StringIO):
        def write(self, text: str) -> int:
            return len(text)

    return Nowhere()


def _failed_io(error: OSError, out: TextIO) -> str:
    """
    What failed, for an OSError no command turned into a problem: a file, or the output itself.

    Every file the commands open names itself in its error; one without a name is the output
    (a full disk, a device that refuses: `> /dev/full`). That stream is silenced, so the
    interpreter's last flush does not fail again with a traceback.
    """
    from ._errors import reason_of  # noqa: PLC0415

    if error.filename is None:
        _silence(out)
        return f"the output could not be written: {reason_of(error)}"
    return f"{error.filename}: {reason_of(error)}"


def _silence(stream: TextIO) -> None:
    """
    Point *stream* at /dev/null, so the interpreter's final flush does not fail again.
    """
    import os  # noqa: PLC0415

    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def _check_arguments(args: argparse.Namespace) -> None:
    """
    Refuse arguments that are not text: bytes that are not UTF-8 arrive as lone surrogates.
    """
    if getattr(args, "out", None) == "":
        # An unset variable in a script (--out "$DIR"): review and site wrote to the default
        # place, export refused "." as taken; neither is what was meant.
        msg = "scorecard: error: --out must not be empty; leave it out for the default place"
        raise UsageError(msg)
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and unsafe_character(item) is not None and name != "command":
                option = "--" + name.replace("_", "-")
                msg = f"scorecard: error: {option} {unsafe_character(item)}; give plain UTF-8 text"
                raise UsageError(msg)


def _check(args: argparse.Namespace, today: datetime.date, out: TextIO, err: TextIO) -> int:
    from ._hindsight import check_repository  # noqa: PLC0415

    checked = check_repository(args.root, today=today, workers=WORKERS)
    book, problems = checked.book, checked.problems
    if not (Path(args.root) / book.settings.predictions).is_dir():
        # Not an error (an empty book is valid), but "0 predictions" alone would mislead.
        print(
            printable(
                f"note: no {book.settings.predictions}/ folder here or in any folder above; "
                "`scorecard init` starts a repository"
            ),
            file=err,
        )
    if checked.history_note is not None:
        print(f"note: `made` dates not checked against git: {checked.history_note}", file=err)
    errors = sum(problem.severity is Severity.ERROR for problem in problems)
    warnings = len(problems) - errors
    entries = sum(
        len(group) for group in (book.ledger.metric, book.ledger.event, book.ledger.observation, book.ledger.verdict)
    )
    if args.format == "json":
        from ._documents import check_document, dumps  # noqa: PLC0415

        print(dumps(check_document(len(book.predictions), entries, problems)), file=out)
        return EXIT_PROBLEMS if errors else EXIT_OK
    for problem in problems:
        print(printable(str(problem)), file=out)
    print(
        f"{len(book.predictions)} predictions, {entries} evidence entries: {errors} error(s), {warnings} warning(s)",
        file=err,
    )
    return EXIT_PROBLEMS if errors else EXIT_OK


def _colour(out: TextIO) -> bool:
    """
    Colour only for a person at a terminal, and never when NO_COLOR is set (https://no-color.org).
    """
    import os  # noqa: PLC0415

    return out.isatty() and not os.environ.get("NO_COLOR")


#: Processes the command line reads a large repository with (the library reads with one).
WORKERS = 2


def _book(args: argparse.Namespace) -> Book:
    from ._load import load  # noqa: PLC0415

    return load(args.root, workers=WORKERS)


def _graded(book: Book, args: argparse.Namespace, today: datetime.date) -> Graded:
    from ._grade import grade  # noqa: PLC0415
    from ._hindsight import update_days  # noqa: PLC0415

    # Every command grades as the review does: an update written once its outcome was known is not scored.
    written = update_days(Path(args.root), book, today)
    return grade(book, as_of=args.as_of or today, policy=getattr(args, "policy", "last"), written=written)


def _select(predictions: Sequence[Prediction], args: argparse.Namespace) -> list[Prediction]:
    from ._query import select  # noqa: PLC0415

    return select(
        predictions,
        tags=args.tag,
        by=args.by,
        due_before=getattr(args, "due_before", None),
        due_after=getattr(args, "due_after", None),
    )


def _list(args: argparse.Namespace, today: datetime.date, out: TextIO, err: TextIO) -> int:
    from ._documents import dumps, list_document  # noqa: PLC0415
    from ._render_text import list_table  # noqa: PLC0415

    book = _book(args)
    chosen = _select(book.predictions, args)
    grades = None
    if args.status or args.as_of:
        graded = _graded(book, args, today)
        grades = {r.prediction.id: r.grade.value for r in graded}
        # As of a day, a prediction made later did not exist yet (grading leaves it out too).
        chosen = [p for p in chosen if p.id in grades]
        if args.status:
            chosen = [p for p in chosen if grades.get(p.id) == args.status]
    if args.format == "json":
        print(dumps(list_document(chosen, grades, args.as_of)), file=out)
        return EXIT_OK
    print(list_table(chosen, grades), file=out)
    if not chosen and args.by:
        from ._query import forecasters  # noqa: PLC0415

        print(
            f"No predictions by {args.by!r}; the forecasters are: {', '.join(forecasters(book.predictions))}", file=err
        )
    return EXIT_OK


def _show(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._documents import dumps, show_document  # noqa: PLC0415
    from ._render_text import show_text  # noqa: PLC0415

    book = _book(args)
    prediction = book.prediction(args.id)
    if prediction is None:
        import difflib  # noqa: PLC0415 - only on this error path

        guess = difflib.get_close_matches(args.id, [p.id for p in book.predictions], n=1, cutoff=0.6)
        msg = f"no prediction with id {args.id!r}" + (f" (did you mean {guess[0]!r}?)" if guess else "")
        raise UsageError(msg)
    graded = _graded(book, args, today)
    result = graded.get(prediction.id)
    if args.format == "json":
        print(dumps(show_document(prediction, result, graded.as_of)), file=out)
    else:
        print(show_text(book, prediction, result, graded.as_of), file=out)
    return EXIT_OK


def _grade(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._documents import dumps, graded_document  # noqa: PLC0415
    from ._render_text import graded_table, tally_line  # noqa: PLC0415

    book = _book(args)
    graded = _graded(book, args, today)
    wanted = {p.id for p in _select(book.predictions, args)}
    results = [r for r in graded if r.prediction.id in wanted]
    if args.format == "json":
        print(dumps(graded_document(graded, results)), file=out)
    else:
        fmt = "github" if args.format == "md" else "simple"
        print(graded_table(results, fmt, colour=_colour(out)), file=out)
        print(f"\n{tally_line(results)} as of {graded.as_of}.", file=out)
    return EXIT_OK


def _due(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._documents import due_document, dumps  # noqa: PLC0415
    from ._query import due  # noqa: PLC0415
    from ._render_text import text_table  # noqa: PLC0415

    found = due(_graded(_book(args), args, today), within=args.within)
    if args.format == "ics":
        from ._calendar import due_calendar  # noqa: PLC0415

        out.write(due_calendar(found).decode("utf-8"))
        return EXIT_OK
    if args.format == "json":
        print(dumps(due_document(found)), file=out)
        return EXIT_OK

    def rows(results: Sequence[Result]) -> list[list[str]]:
        return [[r.prediction.id, r.prediction.due.isoformat(), r.prediction.by, r.explanation] for r in results]

    print(f"Due by {found.horizon} (within {found.within} of {found.as_of}):", file=out)
    print(text_table(rows(found.soon), ["id", "due", "by", "status"], wrap=60), file=out)
    print("\nPast due, without the evidence to grade them:", file=out)
    print(text_table(rows(found.overdue), ["id", "due", "by", "what is missing"], wrap=60), file=out)
    return EXIT_OK


def _new(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._append import add_prediction  # noqa: PLC0415
    from ._model import Prediction  # noqa: PLC0415

    kind = args.rule or (
        "event" if args.event else "change" if args.from_ or args.to else "threshold" if args.metric else "judgment"
    )
    rule: dict[str, object] = {"kind": kind}
    if kind == "event":
        rule |= {"event": args.event, "partly_within": args.partly_within, "expect": False if args.expect_not else None}
    elif kind == "threshold":
        rule |= {"metric": args.metric, "op": args.op, "value": args.value, "partly": args.partly, "when": args.when}
    elif kind == "change":
        rule |= {"metric": args.metric, "op": args.op, "from": args.from_, "to": args.to, "factor": args.factor}
        rule |= {"partly": args.partly}
    else:
        rule |= {"criteria": args.criteria or "Decided by a verdict in the evidence ledger."}
    source = {
        "url": args.url,
        "document": args.document,
        "title": args.title,
        "published": args.published,
        "quote": args.quote,
        "translation": args.translation,
    }
    data = {
        "id": args.id,
        "claim": args.claim,
        "by": args.by,
        "made": args.made or today,
        "due": args.due,
        "source": source,
        "rule": rule,
        "tags": list(args.tag),
        "probability": args.probability,
        "hedge": args.hedge,
        "notes": args.notes,
    }
    record = _structured(data, Prediction, {"kind": "rule"})
    _check_unit(args.metric, args.unit)
    root = Path(args.root)
    units = {args.metric: args.unit} if args.metric and args.unit else {}
    added = add_prediction(root, record, args.into, today=today, units=units)
    print(_shown(added.path, root), file=out)
    return EXIT_OK


def _review(args: argparse.Namespace, today: datetime.date, out: TextIO, err: TextIO) -> int:
    from ._publish import write_review  # noqa: PLC0415

    published = write_review(
        args.root,
        args.year,
        as_of=args.as_of,
        today=today,
        out=_given(args, args.out),
        force=args.force,
        include_partly=not args.exclude_partly,
        workers=WORKERS,
        policy=args.policy,
        bins=args.bins,
    )
    for note in published.notes:
        print(printable(note), file=err)
    root = Path(args.root)
    for path in published.written:
        print(_shown(path, root), file=out)
    return EXIT_OK


def _site(args: argparse.Namespace, today: datetime.date, out: TextIO, err: TextIO) -> int:
    from ._site import write_site  # noqa: PLC0415

    built = write_site(
        args.root, out=_given(args, args.out), as_of=args.as_of, today=today, force=args.force, workers=WORKERS
    )
    for note in built.notes:
        print(printable(note), file=err)
    where = _shown(built.out, Path(args.root))
    print(
        f"{where}/: {len(built.written)} written, {built.unchanged} unchanged, {len(built.removed)} removed", file=out
    )
    return EXIT_OK


def _score(args: argparse.Namespace, _: datetime.date, out: TextIO, err: TextIO) -> int:
    from ._score import score  # noqa: PLC0415
    from ._table import read_forecasts, read_forecasts_from  # noqa: PLC0415

    dimensions = [args.group_by] if args.group_by else []
    if args.aggregate:
        dimensions.append("question")
    # Only an explicit --max-bytes is passed on: the library's own default stays the one limit.
    limit = {} if args.max_bytes is None else {"max_bytes": args.max_bytes}
    if args.file == "-":
        table = read_forecasts_from(sys.stdin.buffer, policy=args.policy, dimensions=dimensions, **limit)
    else:
        table = read_forecasts(
            Path(args.root) / _given(args, args.file), policy=args.policy, dimensions=dimensions, **limit
        )
    report = score(
        table, group_by=args.group_by, aggregate=args.aggregate, bins=args.bins, include_partly=not args.exclude_partly
    )
    if table.after_resolution:
        print(printable(str(_late_warning(table))), file=err)
    if args.format == "json":
        import json  # noqa: PLC0415

        print(json_escaped(json.dumps(report.to_data(), ensure_ascii=False, sort_keys=True)), file=out)
        return EXIT_OK
    from ._render_text import score_table  # noqa: PLC0415

    fmt = "github" if args.format == "md" else "simple"
    print(score_table(report, fmt), file=out)
    if report.group_by == "forecaster":
        print(_shared_table(report, fmt), file=out)
    if table.after_resolution:
        print(f"\nNot scored: {_rows(table.after_resolution)} made on or after their resolved date.", file=out)
    print(f"\nPolicy: {report.policy} ({_POLICY_WORDS[report.policy]}).", file=out)
    return EXIT_OK


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")


def _late_warning(table: ForecastTable) -> Problem:
    """
    The one warning about rows made on or after their resolved date, at the first of them.
    """
    lines = table.after_resolution_lines
    where = ("row" if table.path.lower().endswith((".parquet", ".pq")) else "line") + ("" if len(lines) == 1 else "s")
    shown = ", ".join(map(str, lines)) + (", …" if table.after_resolution > len(lines) else "")
    their = "its" if table.after_resolution == 1 else "their"
    message = (
        f"{_rows(table.after_resolution)} made on or after {their} own resolved date, once the outcome was known,"
        f" left out of every score ({where} {shown})"
    )
    return Problem(table.path, lines[0] if lines else None, "made", message, Severity.WARNING)


def _shared_table(report: ScoreReport, fmt: str) -> str:
    """
    The forecasters compared with the others on the questions they shared.
    """
    from ._render_md import md_cell  # noqa: PLC0415
    from ._render_text import text_table  # noqa: PLC0415

    rows = [
        [
            md_cell(name) if fmt == "github" else name,
            f"{shared.peer_score:+.1f}",
            f"{shared.relative_brier:+.4f}",
            str(shared.questions),
        ]
        for name, figures in report.groups
        if (shared := figures.shared) is not None
        and shared.peer_score is not None
        and shared.relative_brier is not None
    ]
    if not rows:
        return "\nNo forecaster shares a resolved question with another: no peer scores."
    title = (
        "\nOn shared questions (peer score: above 0 beats the others' log score;"
        " relative Brier: below 0 beats the others' median):"
    )
    return title + "\n" + text_table(rows, ["", "peer score", "relative Brier", "shared questions"], fmt)


#: How ``score`` says which forecasts it scored.
_POLICY_WORDS = {
    "all": "every row is one forecast",
    "latest": "each forecaster's last row per question",
    "first": "each forecaster's first forecast per question",
    "last": "each forecaster's last forecast per question made by its due date",
    "time-average": "each forecaster's forecasts per question, averaged by the days each stood before due",
}


def _export(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._exchange import export_text  # noqa: PLC0415
    from ._write import write_text  # noqa: PLC0415

    book = _book(args)
    text = export_text(_graded(book, args, today), args.format)
    if args.out is None:
        out.write(text)
        return EXIT_OK
    root = Path(args.root)
    # The user's own argument: a path outside the repository is what they asked for.
    target = root / _given(args, args.out)
    write_text(target, text, overwrite=args.force)
    print(_shown(target, root), file=out)
    return EXIT_OK


def _import(args: argparse.Namespace, _: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._author import write_import  # noqa: PLC0415

    root = Path(args.root)
    written = write_import(root, _given(args, args.file), args.into, source=args.source)
    print(
        f"{written.rows} rows: {written.predictions} predictions ({written.updates} later forecasts kept as updates) "
        f"written to {_shown(written.folder, root)}/",
        file=out,
    )
    if written.ledger is not None:
        more = f" and {written.ledger_files - 1} more ledger file(s) beside it" if written.ledger_files > 1 else ""
        print(f"{written.verdicts} verdicts written to {_shown(written.ledger, root)}{more}", file=out)
    for reason in written.left_out:
        print(f"left out: {reason}", file=out)
    return EXIT_OK


@overload
def _given(args: argparse.Namespace, name: str) -> str: ...
@overload
def _given(args: argparse.Namespace, name: None) -> None: ...
def _given(args: argparse.Namespace, name: str | None) -> str | None:
    """
    A path the user typed, as the library takes it: relative to the repository, or absolute.

    The user means it relative to the folder the command started in (-C, else here), as in any
    program, even when the repository's root, which the library works from, is above that folder.
    """
    if name is None or Path(args.start) == Path(args.root):
        return name
    import os  # noqa: PLC0415

    from ._load import resolved  # noqa: PLC0415 - only commands that read the repository get here

    start, found = resolved(Path(args.start)), resolved(Path(args.root))
    if start is None or found is None:  # the command reports the path when it uses it
        return name
    target, root = os.path.normpath(start / name), str(found)
    return os.path.relpath(target, root) if target.startswith(root + os.sep) else target


def _shown(path: Path, root: Path) -> str:
    from ._load import shown_path  # noqa: PLC0415 - the loader is not needed to start the command line

    return shown_path(path, root)


def _not_after(day: datetime.date | None, today: datetime.date, option: str = "--on") -> None:
    # Evidence from the future is a typo or a guess; either way it is not evidence yet.
    if day is not None and day > today:
        msg = f"{option}: {day} is after today ({today}): evidence cannot come from the future"
        raise UsageError(msg)


def _report_added(added: object, root: Path, out: TextIO) -> int:
    from ._append import Added  # noqa: PLC0415

    assert isinstance(added, Added)  # noqa: S101 - what every add_* returns
    print(f"added to {_shown(added.path, root)}", file=out)
    for change in added.changes:
        print(f"{change.id}: {change.before} → {change.after}", file=out)
    if not added.changes:
        print("no grade changed", file=out)
    return EXIT_OK


def _forecast(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._append import add_forecast  # noqa: PLC0415
    from ._model import Forecast  # noqa: PLC0415

    text = args.probability.strip()
    value = _percent_or_number(text)
    # Built as the loader builds it, so each problem names its option (--why: must not be empty).
    data = {"on": args.on or today, "probability": value, "hedge": None if value is not None else text, "why": args.why}
    update = _structured(data, Forecast, {"hedge": "probability"})
    return _report_added(add_forecast(args.root, args.id, update, today=today), Path(args.root), out)


def _resolve(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    for day, option in (
        (args.on, "--on"),
        (args.published, "--published"),
        (getattr(args, "reported", None), "--reported"),
    ):
        _not_after(day, today, option)
    from ._append import add_verdict  # noqa: PLC0415
    from ._model import Verdict  # noqa: PLC0415

    data = {
        "prediction": args.id,
        "on": args.on or today,
        "grade": args.grade,
        "why": args.why,
        "sources": [{"url": args.source, "title": args.title, "published": args.published, "kind": args.kind}],
        "by": args.by,
        "final": args.final,
        "reason": args.reason,
    }
    verdict = _structured(data, Verdict, {"prediction": "id", "url": "source"})
    return _report_added(add_verdict(args.root, verdict, today=today), Path(args.root), out)


def _happened(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    for day, option in (
        (args.on, "--on"),
        (args.published, "--published"),
        (getattr(args, "reported", None), "--reported"),
    ):
        _not_after(day, today, option)
    from ._append import add_event  # noqa: PLC0415
    from ._model import Event  # noqa: PLC0415

    data = {
        "id": args.event,
        "summary": args.summary,
        "on": args.on,
        "source": {"url": args.source, "title": args.title, "published": args.published, "kind": args.kind},
        "confidence": args.confidence,
        "reported": args.reported,
    }
    event = _structured(data, Event, {"id": "event"})
    return _report_added(add_event(args.root, event, today=today), Path(args.root), out)


def _observe(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    for day, option in (
        (args.on, "--on"),
        (args.published, "--published"),
        (getattr(args, "reported", None), "--reported"),
    ):
        _not_after(day, today, option)
    from ._append import add_observation  # noqa: PLC0415
    from ._model import Observation  # noqa: PLC0415

    data = {
        "metric": args.metric,
        "value": args.value,
        "summary": args.summary,
        "source": {"url": args.source, "title": args.title, "published": args.published, "kind": args.kind},
        "confidence": args.confidence,
        "on": args.on,
        "period": args.period,
        "reported": args.reported,
    }
    observation = _structured(data, Observation)
    _check_unit(args.metric, args.unit)
    added = add_observation(args.root, observation, today=today, unit=args.unit)
    return _report_added(added, Path(args.root), out)


def _check_unit(metric: str | None, unit: str | None) -> None:
    """
    Refuse a --unit the metric it defines could not hold, before anything is written.

    Checked after the fact, it would be a problem at a line of the ledger that was never written.
    """
    if metric is not None and unit is not None:
        from ._model import Metric  # noqa: PLC0415

        _structured({"id": metric, "unit": unit}, Metric, {"id": "metric"})


def _structured(data: dict[str, object], cls: type[T], options: dict[str, str] | None = None) -> T:
    """
    Build *cls* from option values as the loader builds it from a file.

    Every problem is reported at once, each named by its option.
    """
    from ._load import structure  # noqa: PLC0415

    def clean(value: object) -> object:
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items() if item is not None}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    record, problems = structure(clean(data), cls, "command line", {})
    if record is None:
        names = options or {}

        def option(field: str) -> str:
            # "rule.partly_within" is --partly-within; "sources[0].kind" is --kind, unless named.
            parts = [part.split("[")[0] for part in field.split(".")]
            for part in parts:
                if part in names:
                    return "--" + names[part].replace("_", "-")
            return "--" + parts[-1].replace("_", "-")

        raise UsageError("; ".join(f"{option(p.field)}: {p.message}" for p in problems))
    return record


def _init(args: argparse.Namespace, today: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._init import init_repository  # noqa: PLC0415

    folder = Path(args.root) / args.folder
    made = init_repository(folder, today=today, by=args.by)
    for path in made.written:
        print(f"wrote {_shown(path, folder)}", file=out)
    print(f"next: edit {_shown(made.written[1], folder)}, then run `scorecard check`", file=out)
    return EXIT_OK


def _schema(args: argparse.Namespace, _: datetime.date, out: TextIO, _err: TextIO) -> int:
    from ._documents import dumps  # noqa: PLC0415
    from ._schema import schema  # noqa: PLC0415

    print(dumps(schema(args.kind)), file=out)
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, datetime.date, TextIO, TextIO], int]] = {
    "init": _init,
    "check": _check,
    "list": _list,
    "show": _show,
    "grade": _grade,
    "due": _due,
    "review": _review,
    "site": _site,
    "score": _score,
    "new": _new,
    "export": _export,
    "import": _import,
    "schema": _schema,
    "forecast": _forecast,
    "resolve": _resolve,
    "happened": _happened,
    "observe": _observe,
}
