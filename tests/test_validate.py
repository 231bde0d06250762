"""
Tests for the checks across records and files, in cases the invalid fixtures do not cover.
"""

from __future__ import annotations

import tomllib

from scorecard import Book, Ledger, Prediction
from scorecard._convert import converter
from scorecard._locate import Lines
from scorecard._validate import cross_check

PREDICTION = """\
id = "{id}"
claim = "A claim."
by = "{by}"
made = 2024-06-01
due = 2024-12-31
{extra}
[source]
url = "https://example.org"

[rule]
{rule}
"""
LEDGER = "reviews/evidence/x.toml"


def prediction(pid: str, by: str = "Ann Lee", extra: str = "", rule: str = 'kind = "judgment"') -> str:
    return PREDICTION.format(id=pid, by=by, extra=extra, rule=rule)


def verdict(pid: str, on: str, grade: str, extra: str = "") -> str:
    return (
        f'[[verdict]]\nprediction = "{pid}"\non = {on}\ngrade = "{grade}"\nwhy = "So."\n'
        f'sources = ["https://v.org"]\n{extra}\n'
    )


def check(predictions: dict[str, str], ledgers: dict[str, str], broken: frozenset[str] = frozenset()) -> list[str]:
    """Every problem cross_check finds in the files given, as its text."""
    c = converter()
    prediction_files = [
        (shown, c.structure(tomllib.loads(text), Prediction), Lines(text)) for shown, text in predictions.items()
    ]
    ledger_files = [(shown, c.structure(tomllib.loads(text), Ledger), Lines(text)) for shown, text in ledgers.items()]
    merged = Ledger(
        *(
            tuple(entry for _, ledger, _ in ledger_files for entry in getattr(ledger, kind))
            for kind in ("metric", "event", "observation", "verdict")
        )
    )
    book = Book(tuple(p for _, p, _ in prediction_files), merged)
    return [str(problem) for problem in cross_check(book, prediction_files, ledger_files, broken=broken)]


def test_valid_files_have_no_problems() -> None:
    """A prediction and a ledger that agree give no problem."""
    ledger = (
        '[[event]]\nid = "e1"\nsummary = "Not yet."\nsource = "https://s"\nconfidence = "low"\nchecked = 2024-07-01\n'
    )
    rule = 'kind = "event"\nevent = "e1"'
    assert check({"predictions/p1.toml": prediction("p1", rule=rule)}, {LEDGER: ledger}) == []


def test_same_id_in_two_folders() -> None:
    """An id used by two files in different folders is reported at the second, naming the first."""
    files = {"predictions/a/p1.toml": prediction("p1"), "predictions/b/p1.toml": prediction("p1")}
    assert check(files, {}) == ["predictions/b/p1.toml:1: id: 'p1' is already used by predictions/a/p1.toml"]


def test_unknown_hedge_warns_with_and_without_a_guess() -> None:
    """A hedge outside the lexicon is a warning, suggesting the nearest phrase when there is one."""
    files = {
        "predictions/p1.toml": prediction("p1", extra='hedge = "likley"'),
        "predictions/p2.toml": prediction("p2", extra='hedge = "zzqq"'),
    }
    assert check(files, {}) == [
        "predictions/p1.toml:6: hedge: warning: 'likley' is not in the hedge lexicon, so the prediction is left out "
        "of calibration; did you mean 'likely'? Otherwise add it under [tool.scorecard.hedges]",
        "predictions/p2.toml:6: hedge: warning: 'zzqq' is not in the hedge lexicon, so the prediction is left out "
        "of calibration; add it under [tool.scorecard.hedges]",
    ]


def test_look_alike_forecaster_names_warn() -> None:
    """One name written two ways warns at the second, naming the first and its line."""
    files = {
        "predictions/p1.toml": prediction("p1", by="Guangmi Li"),
        "predictions/p2.toml": prediction("p2", by="guangmi  li"),
        "predictions/p3.toml": prediction("p3", by="Guangmi Li"),
    }
    assert check(files, {}) == [
        "predictions/p2.toml:3: by: warning: 'guangmi  li' differs from 'Guangmi Li' (predictions/p1.toml:3) only "
        "in case, spacing or invisible characters; write one name one way"
    ]


def test_look_alike_grader_name_warns() -> None:
    """A verdict's grader written unlike the same person's name on a prediction warns at the verdict."""
    ledger = verdict("p1", "2025-01-06", "no", 'by = "ann lee"')
    assert check({"predictions/p1.toml": prediction("p1")}, {LEDGER: ledger}) == [
        "reviews/evidence/x.toml:7: verdict[0].by: warning: 'ann lee' differs from 'Ann Lee' (predictions/p1.toml:3) "
        "only in case, spacing or invisible characters; write one name one way"
    ]


def test_a_name_in_look_alike_letters_warns_wherever_it_is_written() -> None:
    """A forecaster's or grader's name with a Cyrillic letter in a Latin word warns at each place it is written."""
    ledger = verdict("p1", "2025-01-06", "yes", 'by = "S\u0430m Altman"')
    files = {"predictions/p1.toml": prediction("p1", by="Sam Altman")}
    assert check(files, {LEDGER: ledger}) == [
        "reviews/evidence/x.toml:7: verdict[0].by: warning: 'S\u0430m Altman' mixes Latin and Cyrillic letters in "
        "one word, so it can pass for another name (a self-grade for an independent one); write each word in one "
        "alphabet"
    ]


def test_dangling_metric_in_a_nested_rule() -> None:
    """An unknown metric inside an all-rule is reported at its nested key path."""
    rule = (
        'kind = "all"\n[[rule.of]]\nkind = "judgment"\n'
        '[[rule.of]]\nkind = "threshold"\nmetric = "m2"\nop = ">="\nvalue = 1\n'
    )
    assert check({"predictions/p1.toml": prediction("p1", rule=rule)}, {}) == [
        "predictions/p1.toml:16: rule.of[1].metric: unknown metric 'm2'; define it in a [[metric]] table of the ledger, reviews/evidence/*.toml "
        "(`scorecard observe --unit` adds one)"
    ]


def test_duplicate_metric_and_observation_ids() -> None:
    """A metric or observation id defined twice is reported at the second, naming the first with its line."""
    ledger = (
        '[[metric]]\nid = "m1"\nunit = "USD"\n\n[[metric]]\nid = "m1"\nunit = "EUR"\n\n'
        '[[observation]]\nid = "o1"\nmetric = "m1"\nperiod = "2025"\nvalue = 1\nsummary = "One."\n'
        'source = "https://o"\nconfidence = "high"\n\n'
        '[[observation]]\nid = "o1"\nmetric = "m1"\nperiod = "2025"\nvalue = 2\nsummary = "Two."\n'
        'source = "https://o"\nconfidence = "high"\n'
    )
    assert check({}, {LEDGER: ledger}) == [
        "reviews/evidence/x.toml:6: metric[1].id: metric 'm1' is already defined at reviews/evidence/x.toml:1",
        "reviews/evidence/x.toml:18: observation[1].id: observation 'o1' is already defined at "
        "reviews/evidence/x.toml:9",
    ]


def test_duplicate_metric_across_files() -> None:
    """A metric defined in two ledgers is reported in the second, naming the first file."""
    metric = '[[metric]]\nid = "m1"\nunit = "USD"\n'
    assert check({}, {"reviews/evidence/a.toml": metric, "reviews/evidence/b.toml": metric}) == [
        "reviews/evidence/b.toml:2: metric[0].id: metric 'm1' is already defined at reviews/evidence/a.toml:1"
    ]


def test_undated_event_may_be_checked_again() -> None:
    """An undated event checked on several days is not a duplicate."""
    checked = '[[event]]\nid = "e1"\nsummary = "Not yet."\nsource = "https://s"\nconfidence = "low"\nchecked = {}\n'
    ledger = checked.format("2024-07-01") + "\n" + checked.format("2024-08-01")
    assert check({}, {LEDGER: ledger}) == []


def test_repeated_verdict_of_the_same_day() -> None:
    """The same grader's same grade twice on one day is reported as a repeat."""
    ledger = verdict("p1", "2025-01-05", "yes") + verdict("p1", "2025-01-05", "yes")
    assert check({"predictions/p1.toml": prediction("p1")}, {LEDGER: ledger}) == [
        "reviews/evidence/x.toml:8: verdict[1]: repeats the verdict of the same day by editor for 'p1' at "
        "reviews/evidence/x.toml:1"
    ]


def test_void_verdict_without_reason_warns() -> None:
    """A void verdict without a reason is a warning listing the reasons."""
    ledger = verdict("p1", "2025-01-05", "void")
    assert check({"predictions/p1.toml": prediction("p1")}, {LEDGER: ledger}) == [
        "reviews/evidence/x.toml:4: verdict[0].reason: warning: a void verdict says why: ambiguous, not-a-forecast, "
        "premise-failed, unverifiable or withdrawn"
    ]


def test_unknown_prediction_with_a_guess() -> None:
    """A verdict for an unknown prediction suggests a close id."""
    ledger = verdict("forecast-1", "2025-01-05", "no")
    assert check({"predictions/forecast-2.toml": prediction("forecast-2")}, {LEDGER: ledger}) == [
        "reviews/evidence/x.toml:2: verdict[0].prediction: unknown prediction 'forecast-1' (did you mean 'forecast-2'?)"
    ]


def test_verdict_before_its_evidence_was_known() -> None:
    """A verdict dated before the event it cites was reported is reported at its date."""
    ledger = (
        '[[event]]\nid = "e1"\nsummary = "Done."\non = 2024-09-01\nreported = 2024-10-01\n'
        'source = "https://s"\nconfidence = "high"\n\n' + verdict("p1", "2024-09-15", "yes", 'evidence = ["e1"]')
    )
    assert check({"predictions/p1.toml": prediction("p1")}, {LEDGER: ledger}) == [
        "reviews/evidence/x.toml:11: verdict[0].on: 2024-09-15 is before ledger entry 'e1' became known "
        "(2024-10-01, reviews/evidence/x.toml:1): date the verdict on or after what it cites"
    ]


def test_broken_entries_are_not_reported_again() -> None:
    """References to entries that exist but failed to load are not reported as unknown."""
    rule = 'kind = "event"\nevent = "e2"'
    ledger = verdict("p9", "2025-01-06", "no", 'evidence = ["gone"]')
    files = {"predictions/p1.toml": prediction("p1", rule=rule)}
    assert check(files, {LEDGER: ledger}, broken=frozenset({"p9", "gone", "e2"})) == []
    assert check(files, {LEDGER: ledger}) == [
        "predictions/p1.toml:12: rule.event: unknown event 'e2'; define it in an [[event]] table of the ledger, reviews/evidence/*.toml "
        "(`scorecard happened` adds one)",
        "reviews/evidence/x.toml:2: verdict[0].prediction: unknown prediction 'p9'",
        "reviews/evidence/x.toml:7: verdict[0].evidence[0]: unknown ledger entry 'gone'; cite the id of an event, "
        "observation or metric",
    ]
