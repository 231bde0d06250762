"""
Tests for opening forecast tables and reading their rows: bounded, linear, and never a traceback.
"""

from __future__ import annotations

import io
import os
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import LoadError, ScorecardError, read_forecasts, score
from scorecard._table_source import MAX_FIELD, is_utf8, open_table

from .strategies import adversarial_tables

HEADER = "question,title,forecaster,probability,made,due,outcome,resolved,tags\n"


def problems(path: Path | str, **options: int) -> list[str]:
    with pytest.raises(LoadError) as caught:
        read_forecasts(path, **options)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_unbalanced_quote_in_an_unquoted_field_is_text(tmp_path: Path) -> None:
    """A quote inside an unquoted field is a character of the field, as the csv module reads it."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + 'q1,Phone with a 6" screen ships,ann,0.5,,,yes,,\n' * 3, encoding="utf-8")

    assert 3 == read_forecasts(path).forecasts


def test_quote_then_megabytes_of_newlines_is_one_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A quote followed by 3 MiB of newlines is reported at the line where its field passes the limit."""
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text('question,title\nq1,"' + "\n" * (3 << 20), encoding="utf-8")

    assert [f"t.csv:{MAX_FIELD + 2}: file: has a field over 131,072 characters; not read"] == problems("t.csv")


@pytest.mark.parametrize("column", range(9))
def test_quoted_field_over_the_limit_in_any_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, column: int
) -> None:
    """A quoted field over 128 KiB is reported with its line, whichever column holds it."""
    monkeypatch.chdir(tmp_path)
    cells = ["q1", "", "ann", "0.5", "", "", "yes", "", ""]
    cells[column] = '"' + "x" * (MAX_FIELD + 1) + '"'
    Path("t.csv").write_text(HEADER + "q0,,,,,,,,\n" + ",".join(cells) + "\n", encoding="utf-8")

    assert ["t.csv:3: file: has a field over 131,072 characters; not read"] == problems("t.csv")


def test_header_over_512_kib_is_read_whole(tmp_path: Path) -> None:
    """A header of 600 KiB, its required column last, is read in full: nothing is cut."""
    extra = [f"c{n:06d}" for n in range(80_000)]
    path = tmp_path / "t.csv"
    path.write_text(",".join([*extra, "question"]) + "\n" + "," * len(extra) + "q1\n", encoding="utf-8")

    assert 1 == read_forecasts(path).forecasts


def test_file_without_a_newline_is_refused_in_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 24 MB table without a line end is refused at its first line, holding at most a few lines in memory."""
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_bytes(b"question," + b"x," * (12 << 20))
    tracemalloc.start()
    try:
        found = problems("t.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert ["t.csv:1: file: has a line over 2,097,152 characters; not read"] == found
    assert peak < 24 << 20


def test_one_line_jsonl_is_refused_in_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 24 MB one-line JSON Lines table is refused at its line, never held whole in memory."""
    monkeypatch.chdir(tmp_path)
    Path("t.jsonl").write_bytes(b'{"question": "' + b"x" * (24 << 20) + b'"}\n{"question": "q2"}\n')
    tracemalloc.start()
    try:
        found = problems("t.jsonl")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert ["t.jsonl:1: row: is over 2,097,152 bytes; not read"] == found
    assert peak < 12 << 20


def test_jsonl_probability_with_400_digits_is_out_of_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON probability of 1 followed by 400 zeros is a value problem, not an OverflowError."""
    monkeypatch.chdir(tmp_path)
    Path("t.jsonl").write_text('{"question": "q1", "probability": 1' + "0" * 400 + "}\n", encoding="utf-8")

    assert [f"t.jsonl:1: probability: '1{'0' * 39}' is not between 0 and 1"] == problems("t.jsonl")


def test_jsonl_nested_deeply_is_a_row_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON row nested 100,000 deep is reported with its line, not a RecursionError."""
    monkeypatch.chdir(tmp_path)
    Path("t.jsonl").write_text(
        '{"question": "q1"}\n{"question": "q2", "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8"
    )

    assert ["t.jsonl:2: row: is nested too deeply to read"] == problems("t.jsonl")


def test_path_with_nul_is_a_load_error() -> None:
    """A path holding a NUL character raises a LoadError naming it."""
    assert ["a\x00b: file: cannot be read: the path holds a NUL character"] == problems("a\x00b")


def test_too_long_path_is_a_load_error(tmp_path: Path) -> None:
    """A path whose name is too long for the system raises a LoadError."""
    path = tmp_path / ("x" * 5000)

    assert [f"{path.as_posix()}: file: cannot be read: File name too long"] == problems(path)


def test_fifo_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO is refused unread, without waiting for a writer."""
    monkeypatch.chdir(tmp_path)
    os.mkfifo("t.csv")

    assert ["t.csv: file: is a FIFO, not a regular file; not read"] == problems("t.csv")


def test_symlink_to_dev_zero_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table that links to /dev/zero is refused unread."""
    monkeypatch.chdir(tmp_path)
    Path("t.csv").symlink_to("/dev/zero")

    assert ["t.csv: file: is a character device, not a regular file; not read"] == problems("t.csv")


def test_folder_is_refused_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder named like a table is refused."""
    monkeypatch.chdir(tmp_path)
    Path("t.csv").mkdir()

    assert ["t.csv: file: is a folder, not a regular file; not read"] == problems("t.csv")


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
def test_size_limit_holds_for_what_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A regular file whose size says 0 but holds more than the limit is stopped at the limit."""
    monkeypatch.chdir(tmp_path)
    Path("t.csv").symlink_to("/proc/self/maps")

    assert Path("t.csv").stat().st_size == 0
    assert ["t.csv: file: is over the 100-byte limit; not read"] == problems("t.csv", max_bytes=100)


def _calls(path: Path) -> int:
    """
    Calls made (Python and C, generators resumed included) while reading and scoring *path*.
    """
    calls = 0

    def counter(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(counter)
    try:
        score(read_forecasts(path))
    except ScorecardError:
        pass
    finally:
        sys.setprofile(None)
    return calls


@settings(max_examples=15)
@given(table=adversarial_tables(), scale=st.integers(2, 4))
def test_reading_is_linear_in_the_input(
    tmp_path_factory: pytest.TempPathFactory, table: tuple[str, str], scale: int
) -> None:
    """On any adversarial table, k times the rows costs at most about k times the work."""
    head, body = table
    folder = tmp_path_factory.mktemp("linear")
    small, large = folder / "small.csv", folder / "large.csv"
    small.write_text(head + body * 200, encoding="utf-8", newline="")
    large.write_text(head + body * 200 * scale, encoding="utf-8", newline="")

    assert _calls(large) <= scale * _calls(small) * 1.25 + 2000


#: Bytes around the 1 MiB blocks the UTF-8 check reads: a character cut by a block's end, bad
#: bytes after a block of ASCII, a character cut by the end of the file.
_BLOCK = 1 << 20
UTF8_CASES = [
    ("ascii", b"a" * (_BLOCK + 5), True),
    ("character-across-blocks", b"a" * (_BLOCK - 1) + "é".encode() + b"a" * 10, True),
    ("three-bytes-across-blocks", b"a" * (_BLOCK - 2) + "预".encode() + b"a", True),
    ("bad-byte-after-an-ascii-block", b"a" * _BLOCK + b"\xff", False),
    ("cut-character-then-ascii", b"a" * (_BLOCK - 1) + "é".encode()[:1] + b"a" * 10, False),
    ("cut-at-the-end", b"a" * 10 + "é".encode()[:1], False),
    ("encoded-surrogate", b"a\xed\xa0\x80", False),
    ("overlong", b"a\xc0\xaf", False),
    ("empty", b"", True),
]


@pytest.mark.parametrize(("data", "valid"), [case[1:] for case in UTF8_CASES], ids=[case[0] for case in UTF8_CASES])
def test_utf8_check_agrees_with_the_decoder(tmp_path: Path, data: bytes, *, valid: bool) -> None:
    """The block-wise UTF-8 check accepts exactly what Python's decoder decodes, whatever the block boundaries."""
    path = tmp_path / "t.csv"
    path.write_bytes(data)

    with open_table(path, "t.csv") as handle:
        found = is_utf8(handle)

    assert (valid, valid) == (found, _decodes(data))


def _decodes(data: bytes) -> bool:
    try:
        io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
    except UnicodeDecodeError:
        return False
    return True
