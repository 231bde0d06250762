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
from typing import TYPE_CHECKING, TextIO

from ._errors import LoadError, ScorecardError, Severity, UsageError, WriteError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._grade import Graded, Result
    from ._model import Book, Prediction

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
    if not (text.isdigit() and len(text) == 4):  # noqa: PLR2004 - a four-digit year
        msg = f"{text!r} is not a year like 2025"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _duration(text: str) -> object:
    from ._time import Duration  # noqa: PLC0415 - keep start-up light

    try:
        return Duration.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


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
        if name != "check":
            sub.add_argument("-C", "--root", default=".", help="the repository (default: the current folder)")
        return sub

    check = command("check", "Validate every prediction and evidence file; list every problem.")
    check.add_argument("path", nargs="?", default=".", help="the repository (default: the current folder)")
    check.add_argument("--format", choices=["text", "json"], default="text")

    listing = command("list", "List predictions, filtered.")
    listing.add_argument("--tag", action="append", default=[], help="only predictions with this tag (repeatable)")
    listing.add_argument("--by", help="only predictions by this forecaster")
    listing.add_argument("--due-before", type=_date, metavar="DATE")
    listing.add_argument("--due-after", type=_date, metavar="DATE")
    listing.add_argument("--status", choices=["yes", "partly", "no", "pending", "unresolved", "void"])
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

    due = command("due", "What comes due soon, and what is past due without the evidence to grade it.")
    due.add_argument(
        "--within", type=_duration, default=None, metavar="DURATION", help="look ahead this far (default: 30d)"
    )
    due.add_argument("--as-of", type=_date, metavar="DATE")
    due.add_argument("--format", choices=["table", "json"], default="table")

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
    review.add_argument("--out", metavar="DIR", help="folder inside the repository (default: reviews/YEAR)")
    review.add_argument("--force", action="store_true", help="overwrite files even if a person wrote them")
    review.add_argument("--exclude-partly", action="store_true", help="leave Sort of out of probability scores")

    site = command(
        "site", "Write the whole track record as a static site: index, reviews, forecasters, predictions, feed."
    )
    site.add_argument("--out", metavar="DIR", help="folder inside the repository (default: build/site)")
    site.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="grade as of this day (default: the latest published review's date, else today)",
    )
    site.add_argument("--force", action="store_true", help="overwrite files even if a person wrote them")

    score_ = command("score", "Score a forecast table (CSV or JSON Lines): Brier, log loss, bins, hit rates.")
    score_.add_argument("file")
    score_.add_argument("--format", choices=["table", "json", "md"], default="table")
    score_.add_argument("--group-by", choices=["forecaster", "tag", "year"])
    score_.add_argument("--policy", choices=["all", "latest"], default="all")
    score_.add_argument("--aggregate", choices=["median"])
    score_.add_argument("--bins", choices=["deciles", "quintiles", "acx"], default="deciles")
    score_.add_argument("--exclude-partly", action="store_true", help="leave partly rows out of probability scores")

    export = command("export", "Write every prediction with its grade as a table that `score` reads.")
    export.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    export.add_argument("--as-of", type=_date, metavar="DATE", help="(default: today)")
    export.add_argument("--out", metavar="FILE", help="write to this file inside the repository instead of printing")
    export.add_argument("--force", action="store_true", help="replace --out if it exists")

    importing = command("import", "Turn a forecast table into prediction records (one per question).")
    importing.add_argument("file")
    importing.add_argument("--into", required=True, metavar="predictions/SLUG", help="the folder for the new records")

    new = command("new", "Write a new prediction record (never overwrites).")
    new.add_argument("--id", required=True)
    new.add_argument("--claim", required=True)
    new.add_argument("--by", required=True)
    new.add_argument("--made", required=True, type=_date)
    new.add_argument("--due", required=True, type=_date)
    new.add_argument("--tag", action="append", default=[])
    new.add_argument("--into", required=True, metavar="SLUG", help="the source folder: predictions/SLUG/")
    new.add_argument("--url", help="where the prediction was published")
    new.add_argument("--document", help="the document it was published in")
    new.add_argument("--quote")
    new.add_argument("--hedge")
    new.add_argument("--probability", type=float)

    schema = command("schema", "Print the JSON Schema of prediction or evidence files.")
    schema.add_argument("kind", nargs="?", choices=["prediction", "evidence"], default="prediction")
    return parser


def main(argv: Sequence[str] | None = None, *, today: datetime.date | None = None) -> int:
    """
    Run the command line with *argv*; return the exit code.

    *today* stands in for the clock (tests pass a fixed day).
    """
    out, err = sys.stdout, sys.stderr
    try:
        args = _parser().parse_args(argv)
    except UsageError as error:
        print(error, file=err)
        return EXIT_USAGE
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0)
    run: Callable[[argparse.Namespace, datetime.date, TextIO], int] = _COMMANDS[args.command]
    # A command builds hundreds of thousands of records and frees them all at exit; they hold no
    # reference cycles, so the cyclic collector's repeated passes over them are pure cost (about
    # a sixth of a large review). Callers such as tests get their collector back afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return run(args, today or datetime.date.today(), out)  # noqa: DTZ011 - the clock lives at the edge
    except LoadError as error:
        for problem in error.problems:
            print(problem, file=out)
        print(f"{len(error.problems)} problem(s) found", file=err)
        return EXIT_PROBLEMS
    except (UsageError, WriteError) as error:
        print(f"scorecard {args.command}: error: {error}", file=err)
        return EXIT_USAGE if isinstance(error, UsageError) else EXIT_PROBLEMS
    except ScorecardError as error:  # pragma: no cover - every subclass is handled above
        print(f"scorecard {args.command}: error: {error}", file=err)
        return EXIT_PROBLEMS
    finally:
        if collecting:
            gc.enable()


def _check(args: argparse.Namespace, today: datetime.date, out: TextIO) -> int:
    from ._hindsight import check_repository  # noqa: PLC0415

    checked = check_repository(args.path, today=today, workers=WORKERS)
    book, problems = checked.book, checked.problems
    if checked.history_note is not None:
        print(f"note: `made` dates not checked against git: {checked.history_note}", file=sys.stderr)
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
        print(problem, file=out)
    print(
        f"{len(book.predictions)} predictions, {entries} evidence entries: {errors} error(s), {warnings} warning(s)",
        file=sys.stderr,
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

    return grade(book, as_of=args.as_of or today)


def _select(predictions: Sequence[Prediction], args: argparse.Namespace) -> list[Prediction]:
    from ._query import select  # noqa: PLC0415

    return select(
        predictions,
        tags=args.tag,
        by=args.by,
        due_before=getattr(args, "due_before", None),
        due_after=getattr(args, "due_after", None),
    )


def _list(args: argparse.Namespace, today: datetime.date, out: TextIO) -> int:
    from ._documents import dumps, list_document  # noqa: PLC0415
    from ._render_text import list_table  # noqa: PLC0415

    book = _book(args)
    chosen = _select(book.predictions, args)
    grades = None
    if args.status or args.as_of:
        graded = _graded(book, args, today)
        grades = {r.prediction.id: r.grade.value for r in graded}
        if args.status:
            chosen = [p for p in chosen if grades.get(p.id) == args.status]
    if args.format == "json":
        print(dumps(list_document(chosen, grades)), file=out)
    else:
        print(list_table(chosen, grades), file=out)
    return EXIT_OK


def _show(args: argparse.Namespace, today: datetime.date, out: TextIO) -> int:
    from ._documents import dumps, show_document  # noqa: PLC0415
    from ._render_text import show_text  # noqa: PLC0415

    book = _book(args)
    prediction = book.prediction(args.id)
    if prediction is None:
        msg = f"no prediction with id {args.id!r}"
        raise UsageError(msg)
    graded = _graded(book, args, today)
    result = graded.get(prediction.id)
    if args.format == "json":
        print(dumps(show_document(prediction, result, graded.as_of)), file=out)
    else:
        print(show_text(book, prediction, result, graded.as_of), file=out)
    return EXIT_OK


def _grade(args: argparse.Namespace, today: datetime.date, out: TextIO) -> int:
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


def _due(args: argparse.Namespace, today: datetime.date, out: TextIO) -> int:
    from ._documents import due_document, dumps  # noqa: PLC0415
    from ._query import due  # noqa: PLC0415
    from ._render_text import text_table  # noqa: PLC0415

    found = due(_graded(_book(args), args, today), within=args.within)
    if args.format == "json":
        print(dumps(due_document(found)), file=out)
        return EXIT_OK

    def rows(results: Sequence[Result]) -> list[list[str]]:
        return [[r.prediction.id, r.prediction.due.isoformat(), r.prediction.by, r.explanation[:90]] for r in results]

    print(f"Due by {found.horizon} (within {found.within} of {found.as_of}):", file=out)
    print(text_table(rows(found.soon), ["id", "due", "by", "status"]), file=out)
    print("\nPast due, without the evidence to grade them:", file=out)
    print(text_table(rows(found.overdue), ["id", "due", "by", "what is missing"]), file=out)
    return EXIT_OK


def _new(args: argparse.Namespace, _: datetime.date, out: TextIO) -> int:
    from ._errors import FieldValueError  # noqa: PLC0415
    from ._model import JudgmentRule, Prediction, Source  # noqa: PLC0415

    try:
        record = Prediction(
            id=args.id,
            claim=args.claim,
            by=args.by,
            made=args.made,
            due=args.due,
            source=Source(url=args.url, document=args.document, quote=args.quote),
            rule=JudgmentRule(criteria="Decided by a verdict in the evidence ledger."),
            tags=tuple(args.tag),
            probability=args.probability,
            hedge=args.hedge,
        )
    except FieldValueError as error:
        msg = f"--{error.field}: {error.message}"
        raise UsageError(msg) from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    from ._author import write_prediction  # noqa: PLC0415

    root = Path(args.root)
    target = write_prediction(root, record, args.into)
    print(target.relative_to(root).as_posix(), file=out)
    return EXIT_OK


def _review(args: argparse.Namespace, today: datetime.date, out: TextIO) -> int:
    from ._publish import write_review  # noqa: PLC0415

    published = write_review(
        args.root,
        args.year,
        as_of=args.as_of,
        today=today,
        out=args.out,
        force=args.force,
        include_partly=not args.exclude_partly,
        workers=WORKERS,
    )
    for note in published.notes:
        print(note, file=sys.stderr)
    root = Path(args.root)
    for path in published.written:
        print(path.relative_to(root).as_posix(), file=out)
    return EXIT_OK


def _site(args: argparse.Namespace, today: datetime.date, out: TextIO) -> int:
    from ._site import write_site  # noqa: PLC0415

    built = write_site(args.root, out=args.out, as_of=args.as_of, today=today, force=args.force, workers=WORKERS)
    for note in built.notes:
        print(note, file=sys.stderr)
    where = built.out.relative_to(Path(args.root)).as_posix()
    print(
        f"{where}/: {len(built.written)} written, {built.unchanged} unchanged, {len(built.removed)} removed", file=out
    )
    return EXIT_OK


def _score(args: argparse.Namespace, _: datetime.date, out: TextIO) -> int:
    from ._report import score  # noqa: PLC0415
    from ._table import read_forecasts  # noqa: PLC0415

    dimensions = [args.group_by] if args.group_by else []
    if args.aggregate:
        dimensions.append("question")
    table = read_forecasts(Path(args.root) / args.file, policy=args.policy, dimensions=dimensions)
    report = score(
        table, group_by=args.group_by, aggregate=args.aggregate, bins=args.bins, include_partly=not args.exclude_partly
    )
    if args.format == "json":
        import json  # noqa: PLC0415

        print(json.dumps(report.to_data(), ensure_ascii=False, sort_keys=True), file=out)
        return EXIT_OK
    from ._render_text import score_table  # noqa: PLC0415

    print(score_table(report, "github" if args.format == "md" else "simple"), file=out)
    return EXIT_OK


def _export(args: argparse.Namespace, today: datetime.date, out: TextIO) -> int:
    from ._exchange import export_text  # noqa: PLC0415
    from ._write import inside, write_text  # noqa: PLC0415

    book = _book(args)
    text = export_text(_graded(book, args, today), args.format)
    if args.out is None:
        out.write(text)
        return EXIT_OK
    root = Path(args.root)
    target = inside(root, args.out)
    write_text(target, text, overwrite=args.force)
    print(target.relative_to(root).as_posix(), file=out)
    return EXIT_OK


def _import(args: argparse.Namespace, _: datetime.date, out: TextIO) -> int:
    from ._author import write_import  # noqa: PLC0415

    root = Path(args.root)
    written = write_import(root, args.file, args.into)
    print(f"{written.predictions} predictions written to {written.folder.relative_to(root).as_posix()}/", file=out)
    if written.ledger is not None:
        print(f"{written.verdicts} verdicts written to {written.ledger.relative_to(root).as_posix()}", file=out)
    return EXIT_OK


def _schema(args: argparse.Namespace, _: datetime.date, out: TextIO) -> int:
    from ._documents import dumps  # noqa: PLC0415
    from ._schema import schema  # noqa: PLC0415

    print(dumps(schema(args.kind)), file=out)
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, datetime.date, TextIO], int]] = {
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
}
