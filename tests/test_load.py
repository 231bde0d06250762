"""
Tests for the loader: every problem in every file, with path, line and an exact message.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scorecard
from scorecard._load import read_book, read_record, read_text
from scorecard._model import Ledger, Prediction

from .repo import BASE_PREDICTION, DATA, make_repo, place_fixture
from .strategies import json_values

INVALID = sorted((DATA / "invalid").glob("*.toml"))
VALID = sorted((DATA / "valid").glob("*.toml"))
EXPECT = re.compile(r"^# expect: (?P<line>\d+|-): (?P<rest>.*)$")


def expected_problems(fixture: Path, shown: str) -> list[str]:
    lines = []
    for text in fixture.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(text)
        if match:
            where = shown if match["line"] == "-" else f"{shown}:{match['line']}"
            lines.append(f"{where}: {match['rest']}")
    return lines


def test_enough_invalid_fixtures() -> None:
    """The bad-input corpus holds at least 30 cases, each with an expected message."""
    assert len(INVALID) >= 30
    assert all(expected_problems(f, "x") for f in INVALID)


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_invalid_fixture(tmp_path: Path, fixture: Path) -> None:
    """Each invalid file yields exactly its expected problems, with path and line."""
    root = make_repo(tmp_path)
    shown = place_fixture(root, fixture)

    problems = [str(p) for p in scorecard.check(root)]

    assert sorted(expected_problems(fixture, shown)) == sorted(problems)


@pytest.mark.parametrize("fixture", VALID, ids=[f.stem for f in VALID])
def test_valid_fixture(tmp_path: Path, fixture: Path) -> None:
    """Each valid file loads without problems and becomes a prediction."""
    root = make_repo(tmp_path)
    place_fixture(root, fixture)

    book = scorecard.load(root)

    assert book.prediction(fixture.stem) is not None
    assert [] == scorecard.check(root)


def test_all_problems_across_files_at_once(tmp_path: Path) -> None:
    """Three broken files (syntax, misspelt key, probability 1.5) give three problems in one run."""
    root = make_repo(tmp_path)
    for name in ("syntax-unclosed-string", "misspelt-key", "probability-too-high"):
        place_fixture(root, DATA / "invalid" / f"{name}.toml")

    with pytest.raises(scorecard.LoadError) as caught:
        scorecard.load(root)

    assert [
        "predictions/fx/misspelt-key.toml:6: probablity: unknown key (did you mean 'probability'?)",
        "predictions/fx/probability-too-high.toml:6: probability: must be strictly between 0 and 1, got 1.5",
        "predictions/fx/syntax-unclosed-string.toml:2: toml: invalid TOML: illegal character '\\n' (column 17)",
    ] == [str(p) for p in caught.value.problems]


def test_unknown_hedge_is_a_warning(tmp_path: Path) -> None:
    """A hedge word missing from the lexicon warns but does not stop loading."""
    root = make_repo(tmp_path)
    text = (
        (DATA / "valid/event-rule.toml").read_text(encoding="utf-8").replace('hedge = "likely"', 'hedge = "perchance"')
    )
    (root / "predictions/base/event-rule.toml").write_text(text, encoding="utf-8")

    problems = scorecard.check(root)
    book = scorecard.load(root)

    assert [
        (
            "predictions/base/event-rule.toml:7: hedge: warning: 'perchance' is not in the hedge lexicon, so the "
            "prediction is left out of calibration; did you mean 'perhaps'? Otherwise add it under "
            "[tool.scorecard.hedges]"
        )
    ] == [str(p) for p in problems]
    assert book.prediction("event-rule") is not None


def test_hedge_override_from_pyproject(tmp_path: Path) -> None:
    """A phrase added under [tool.scorecard.hedges] is known to the lexicon."""
    root = make_repo(tmp_path)
    (root / "pyproject.toml").write_text('[tool.scorecard.hedges]\n"perchance" = 0.4\n', encoding="utf-8")
    text = (
        (DATA / "valid/event-rule.toml").read_text(encoding="utf-8").replace('hedge = "likely"', 'hedge = "perchance"')
    )
    (root / "predictions/base/event-rule.toml").write_text(text, encoding="utf-8")

    book = scorecard.load(root)

    assert [] == scorecard.check(root)
    assert {"perchance": 0.4} == dict(book.settings.hedges)


def test_bad_settings_are_reported(tmp_path: Path) -> None:
    """A bad [tool.scorecard] table is reported with its key and line."""
    root = make_repo(tmp_path)
    (root / "pyproject.toml").write_text('[tool.scorecard]\npredictons = "p"\n', encoding="utf-8")

    assert ["pyproject.toml:2: tool.scorecard.predictons: unknown key (did you mean 'predictions'?)"] == [
        str(p) for p in scorecard.check(root)
    ]


def test_every_bad_hedge_override_is_reported_at_once(tmp_path: Path) -> None:
    """Each bad phrase under [tool.scorecard.hedges] is reported on its own line, not only the first."""
    root = make_repo(tmp_path)
    (root / "pyproject.toml").write_text(
        '[tool.scorecard.hedges]\nmaybe = 1.5\nlikely = nan\nsure = "yes"\nfine = 0.5\n"\\u202e" = 0.3\n',
        encoding="utf-8",
    )

    assert [
        "pyproject.toml:1: tool.scorecard.hedges.\u202e: '\\u202e' contains right-to-left override U+202E at "
        "position 1",
        "pyproject.toml:2: tool.scorecard.hedges.maybe: 'maybe' = 1.5: a hedge's probability must be strictly "
        "between 0 and 1",
        "pyproject.toml:3: tool.scorecard.hedges.likely: 'likely' = nan: a hedge's probability must be strictly "
        "between 0 and 1",
        "pyproject.toml:4: tool.scorecard.hedges.sure: expected a number, got a string ('yes')",
    ] == [str(p) for p in scorecard.check(root)]


def test_a_settings_folder_that_is_a_file_is_reported(tmp_path: Path) -> None:
    """A predictions, evidence or reviews setting naming a file is an error, not an empty folder."""
    root = make_repo(tmp_path)
    (root / "notes.toml").write_text("", encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[tool.scorecard]\nevidence = "notes.toml"\nreviews = "pyproject.toml"\n', encoding="utf-8"
    )

    assert [
        "pyproject.toml:2: tool.scorecard.evidence: 'notes.toml' is a file, not a folder",
        "pyproject.toml:3: tool.scorecard.reviews: 'pyproject.toml' is a file, not a folder",
    ] == [str(p) for p in scorecard.check(root)]


def test_a_settings_file_that_is_a_folder_is_named_a_folder(tmp_path: Path) -> None:
    """A pyproject.toml that is a folder is reported as a folder, not as a device, pipe or socket."""
    root = make_repo(tmp_path)
    (root / "pyproject.toml").unlink(missing_ok=True)
    (root / "pyproject.toml").mkdir()

    assert ["pyproject.toml: file: is not a regular file (a folder); not read"] == [
        str(p) for p in scorecard.check(root)
    ]


def test_a_settings_file_linked_outside_is_not_read(tmp_path: Path) -> None:
    """A pyproject.toml linked to a file outside is one problem; none of its keys reaches a message."""
    root = make_repo(tmp_path / "repo")
    secret = tmp_path / "pyproject.toml"
    secret.write_text('[tool.scorecard]\ntoken_s3cret = "x"\n', encoding="utf-8")
    (root / "pyproject.toml").unlink(missing_ok=True)
    (root / "pyproject.toml").symlink_to(secret)

    assert ["pyproject.toml: file: is a link to a file outside the repository; not read"] == [
        str(p) for p in scorecard.check(root)
    ]


def test_a_record_linked_to_a_file_outside_is_not_read(tmp_path: Path) -> None:
    """A record or ledger file that links outside the repository is reported and not read; a link inside is read."""
    root = make_repo(tmp_path / "repo")
    secret = tmp_path / "secret.toml"
    secret.write_text('token = "s3cret"\n', encoding="utf-8")
    (root / "predictions/base/leak.toml").symlink_to(secret)
    (root / "reviews/evidence/leak.toml").symlink_to(secret)
    (root / "reviews/evidence/again.toml").symlink_to(root / "reviews/evidence/base.toml")

    problems = [str(p) for p in scorecard.check(root)]

    assert [
        "predictions/base/leak.toml: file: is a link to a file outside the repository; not read",
        "reviews/evidence/leak.toml: file: is a link to a file outside the repository; not read",
    ] == [p for p in problems if "leak" in p]
    assert not any("token" in p for p in problems)
    assert any(p.startswith("reviews/evidence/base.toml:") and "already defined" in p for p in problems)


def test_a_record_link_that_loops_or_leads_nowhere_is_reported_as_such(tmp_path: Path) -> None:
    """A link to itself or to no file is reported by what reading it says, not as leading outside."""
    root = make_repo(tmp_path)
    (root / "predictions/base/loop.toml").symlink_to("loop.toml")
    (root / "predictions/base/gone.toml").symlink_to("nowhere.toml")

    problems = [str(p) for p in scorecard.check(root)]

    assert [
        "predictions/base/gone.toml: file: cannot be read: No such file or directory",
        "predictions/base/loop.toml: file: cannot be read: Too many levels of symbolic links",
    ] == [p for p in problems if "/gone.toml" in p or "/loop.toml" in p]


def test_non_utf8_file(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are reported with their line, not decoded wrongly."""
    root = make_repo(tmp_path)
    (root / "predictions/base/latin.toml").write_bytes(b'id = "latin"\nclaim = "caf\xe9"\n')

    assert ["predictions/base/latin.toml:2: file: is not UTF-8 text (byte 0xe9 at offset 25)"] == [
        str(p) for p in scorecard.check(root)
    ]


def test_bom_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark at the start of a file is ignored."""
    root = make_repo(tmp_path)
    path = root / "predictions/base/base-prediction.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    assert [] == scorecard.check(root)


def test_huge_file_is_refused_unread(tmp_path: Path) -> None:
    """A file over the size limit is refused with a message."""
    root = make_repo(tmp_path)
    (root / "predictions/base/huge.toml").write_text("# " + "x" * (1 << 20), encoding="utf-8")

    assert ["predictions/base/huge.toml: file: is 1,048,578 bytes, over the 1,048,576-byte limit; not read"] == [
        str(p) for p in scorecard.check(root)
    ]


def test_empty_folder_loads_an_empty_book(tmp_path: Path) -> None:
    """An empty folder is a valid, empty repository."""
    book = scorecard.load(tmp_path)

    assert () == book.predictions
    assert [] == scorecard.check(tmp_path)


def test_missing_folder(tmp_path: Path) -> None:
    """A path that is not a folder is one problem."""
    assert [f"{tmp_path}/nope: path: is not a folder"] == [str(p) for p in scorecard.check(tmp_path / "nope")]


def test_empty_file_is_reported(tmp_path: Path) -> None:
    """An empty prediction file lists each required key as missing."""
    root = make_repo(tmp_path)
    (root / "predictions/base/empty.toml").write_text("", encoding="utf-8")

    assert [
        "predictions/base/empty.toml: by: required key is missing",
        "predictions/base/empty.toml: claim: required key is missing",
        "predictions/base/empty.toml: due: required key is missing",
        "predictions/base/empty.toml: id: required key is missing",
        "predictions/base/empty.toml: made: required key is missing",
        "predictions/base/empty.toml: rule: required key is missing",
        "predictions/base/empty.toml: source: required key is missing",
    ] == [str(p) for p in scorecard.check(root)]


def test_duplicate_ids_in_two_folders(tmp_path: Path) -> None:
    """The same id in two source folders is reported on the second file."""
    root = make_repo(tmp_path)
    (root / "predictions/other").mkdir()
    shutil.copy(root / "predictions/base/base-prediction.toml", root / "predictions/other/base-prediction.toml")

    assert [
        (
            "predictions/other/base-prediction.toml:1: id: 'base-prediction' is already used by "
            "predictions/base/base-prediction.toml"
        )
    ] == [str(p) for p in scorecard.check(root)]


@given(text=st.text(max_size=300))
def test_arbitrary_text_raises_only_scorecard_errors(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    """Whatever text a file holds, loading reports problems and never raises anything else."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "predictions/x").mkdir(parents=True)
    (root / "reviews/evidence").mkdir(parents=True)
    (root / "predictions/x/fuzz.toml").write_text(text, encoding="utf-8")
    (root / "reviews/evidence/fuzz.toml").write_text(text, encoding="utf-8")

    with contextlib.suppress(scorecard.ScorecardError):
        scorecard.load(root)


@given(
    data=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | st.dates(),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
        max_leaves=12,
    ).filter(lambda value: isinstance(value, dict)),
)
def test_arbitrary_documents_give_problems_not_crashes(data: dict[str, object]) -> None:
    """Any TOML-shaped document becomes a record or a list of problems, never an exception."""
    from scorecard._load import structure

    for cls in (Prediction, Ledger):
        record, problems = structure(data, cls, "x.toml", {})
        assert (record is None) == bool(problems)


def test_read_record_reports_line_of_nested_key(tmp_path: Path) -> None:
    """A problem inside an array of tables points at the line of the offending key."""
    path = tmp_path / "ledger.toml"
    path.write_text(
        '[[metric]]\nid = "a"\nunit = "USD"\n\n[[metric]]\nid = "b"\nunit = 3\n',
        encoding="utf-8",
    )

    _, _, problems = read_record(path, "ledger.toml", Ledger)

    assert ["ledger.toml:7: metric[1].unit: expected a string, got an integer (3)"] == [str(p) for p in problems]


def test_records_are_read_in_path_order_at_any_depth(tmp_path: Path) -> None:
    """Records in nested folders are all read, ordered part by part as paths sort ("a/…" before "a-b/…")."""
    for folder, record_id in (("a-b", "first-id"), ("a", "second-id"), ("a/deeper", "third-id")):
        (tmp_path / "predictions" / folder).mkdir(parents=True)
        text = BASE_PREDICTION.replace("base-prediction", record_id)
        (tmp_path / "predictions" / folder / f"{record_id}.toml").write_text(text, encoding="utf-8")

    book = scorecard.load(tmp_path)

    assert ["third-id", "second-id", "first-id"] == [p.id for p in book.predictions]
    assert "predictions/a/deeper/third-id.toml" == book.origins["third-id"].path


def test_two_workers_read_what_one_reads(tmp_path: Path) -> None:
    """450 records, five invalid and a link to nothing among them: two processes give the book and problems one gives."""
    root = make_repo(tmp_path)
    base = (root / "predictions/base/base-prediction.toml").read_text(encoding="utf-8")
    for number in range(450):
        text = base.replace('id = "base-prediction"', f'id = "p-{number:03d}"')
        if number % 97 == 0:
            text = text.replace("made = 2024-06-27", "made = 2024-02-30")
        (root / f"predictions/base/p-{number:03d}.toml").write_text(text, encoding="utf-8")
    (root / "predictions/base/p-999.toml").symlink_to("gone.toml")

    serial = read_book(root)
    parallel = read_book(root, workers=2)

    assert serial[0].predictions == parallel[0].predictions
    assert [str(p) for p in serial[1]] == [str(p) for p in parallel[1]]
    assert 6 == len(serial[1])
    assert "predictions/base/p-999.toml: file: cannot be read: No such file or directory" == str(serial[1][-1])


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_special_files_are_refused_by_name_unread(tmp_path: Path, kind: str) -> None:
    """A named pipe or a link to /dev/zero among the records is refused at once, not read or waited on."""
    root = make_repo(tmp_path)
    special = root / "predictions/base/special.toml"
    if kind == "fifo":
        os.mkfifo(special)
    else:
        special.symlink_to("/dev/zero")

    problems = [str(p) for p in scorecard.check(root)]

    # A link to /dev/zero leads outside the repository, which is reason enough not to open it.
    why = (
        "is not a regular file (a device, pipe or socket)"
        if kind == "fifo"
        else "is a link to a file outside the repository"
    )
    assert [f"predictions/base/special.toml: file: {why}; not read"] == problems


def test_hidden_folders_and_files_are_not_records(tmp_path: Path) -> None:
    """Records in hidden folders (a writer's staging area, an editor's backups) are not read."""
    root = make_repo(tmp_path)
    (root / "predictions/base/.staging").mkdir()
    (root / "predictions/base/.staging/base-prediction.toml").write_text(BASE_PREDICTION, encoding="utf-8")
    (root / "predictions/base/.draft.toml").write_text("not toml [", encoding="utf-8")

    assert [] == scorecard.check(root)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('predictions = "/"', "'/' must be a folder inside the repository"),
        ('predictions = "../.."', "'../..' must be a folder inside the repository"),
        ('predictions = "linked"', "'linked' must be a folder inside the repository"),
    ],
)
def test_settings_outside_the_repository_stop_the_load(tmp_path: Path, setting: str, message: str) -> None:
    """A records folder outside the repository (a symbolic link included) is one problem, and nothing is walked."""
    root = make_repo(tmp_path / "repo")
    (root / "linked").symlink_to("/")
    (root / "pyproject.toml").write_text(f"[tool.scorecard]\n{setting}\n", encoding="utf-8")

    problems = [str(p) for p in scorecard.check(root)]

    assert [f"pyproject.toml:2: tool.scorecard.predictions: {message}"] == problems


def test_settings_path_with_a_nul_is_a_problem(tmp_path: Path) -> None:
    """A NUL character in a settings path is reported, not a traceback."""
    root = make_repo(tmp_path)
    (root / "pyproject.toml").write_text('[tool.scorecard]\nevidence = "a\\u0000b"\n', encoding="utf-8")

    problems = [str(p) for p in scorecard.check(root)]

    assert ["pyproject.toml:2: tool.scorecard.evidence: contains control character U+0000 at position 2"] == problems


@pytest.mark.parametrize(
    ("root", "message"),
    [("x" * 5000, "path: cannot be read: File name too long"), ("a\0b", r"a\\x00b: path: is not a folder")],
)
def test_unusable_root_paths_are_problems(root: str, message: str) -> None:
    """A root path too long for the system, or with a NUL, is a LoadError, not an OSError or ValueError."""
    with pytest.raises(scorecard.LoadError, match=message):
        scorecard.load(root)


def test_a_misspelt_hedge_suggests_the_word_meant(tmp_path: Path) -> None:
    """A hedge one letter off a lexicon word ("likley") names the word it probably is."""
    root = make_repo(tmp_path)
    text = (DATA / "valid/event-rule.toml").read_text(encoding="utf-8").replace('hedge = "likely"', 'hedge = "likley"')
    (root / "predictions/base/event-rule.toml").write_text(text, encoding="utf-8")

    assert [
        "predictions/base/event-rule.toml:7: hedge: warning: 'likley' is not in the hedge lexicon, so the prediction "
        "is left out of calibration; did you mean 'likely'? Otherwise add it under [tool.scorecard.hedges]"
    ] == [str(p) for p in scorecard.check(root)]


def test_names_that_differ_only_in_case_spacing_or_invisible_characters_warn(tmp_path: Path) -> None:
    r"""'A Forecaster', 'a  forecaster' and 'A Fore\u200bcaster' are one person written three ways: two warnings."""
    root = make_repo(tmp_path)
    for number, name in enumerate(["a  forecaster", "A Fore\u200bcaster"]):
        text = BASE_PREDICTION.replace("base-prediction", f"other-{number}").replace("A Forecaster", name)
        (root / f"predictions/base/other-{number}.toml").write_text(text, encoding="utf-8")

    assert [
        "predictions/base/other-0.toml:3: by: warning: 'a  forecaster' differs from 'A Forecaster' "
        "(predictions/base/base-prediction.toml:3) only in case, spacing or invisible characters; "
        "write one name one way",
        "predictions/base/other-1.toml:3: by: warning: 'A Fore\\u200bcaster' differs from 'A Forecaster' "
        "(predictions/base/base-prediction.toml:3) only in case, spacing or invisible characters; "
        "write one name one way",
    ] == [str(p) for p in scorecard.check(root)]


def test_nesting_by_dotted_keys_alone_is_refused_past_the_limit() -> None:
    """Dots nest as deeply as brackets: 33 levels of dotted keys are refused, 32 are parsed."""
    from scorecard._load import MAX_DEPTH, parse_toml

    deepest, deepest_problems = parse_toml(".".join(["a"] * MAX_DEPTH) + " = 1\n", "x.toml")
    too_deep, problems = parse_toml(".".join(["a"] * (MAX_DEPTH + 1)) + " = 1\n", "x.toml")

    assert deepest is not None
    assert [] == deepest_problems
    assert too_deep is None
    assert ["x.toml: toml: invalid TOML: nested more than 32 levels deep"] == [str(p) for p in problems]


def test_nesting_by_headers_and_arrays_of_tables_is_refused_past_the_limit() -> None:
    """Each array of tables inside the last is two levels (array, table): 16 parse, 17 are refused."""
    from scorecard._load import parse_toml

    sixteen, _ = parse_toml("".join(f"[[{'.'.join(['t'] * n)}]]\n" for n in range(1, 17)), "x.toml")
    data, problems = parse_toml("".join(f"[[{'.'.join(['t'] * n)}]]\n" for n in range(1, 18)), "x.toml")

    assert sixteen is not None
    assert data is None
    assert ["x.toml: toml: invalid TOML: nested more than 32 levels deep"] == [str(p) for p in problems]


def _reference_depth(value: object, depth: int = 0) -> int:
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return max((_reference_depth(child, depth + 1) for child in children), default=depth)


@given(json_values)
def test_depth_counted_level_by_level_equals_the_deepest_value(document: object) -> None:
    """The level-by-level nesting depth equals the depth of the deepest value, empty containers included."""
    from scorecard._load import _depth

    assert _reference_depth(document) == _depth(document)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_file_that_says_it_is_empty_is_still_read_to_its_end() -> None:
    """A regular file whose size says 0 but which holds text (a /proc file) is read whole, not cut at one byte."""
    text, problems = read_text(Path("/proc/self/status"), "status")
    assert problems == []
    assert text is not None
    assert text.startswith("Name:\t")
    assert text.endswith("\n")
    assert text.count("\n") > 10
