"""
A command-level fuzz test: every command over generated hostile repositories and arguments.
"""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard._cli import main

from .strategies import hostile_commands, hostile_ledgers, hostile_records, hostile_tables, hostile_text, toml_string

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

#: What each writing command may add or change, as path prefixes inside the repository
#: ("{reviews}" is the reviews folder the settings name).
WRITES = {
    "review": ("{reviews}/",),
    "new": ("predictions/s/",),
    "import": ("predictions/imported/", "reviews/evidence/import-imported"),
}


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    records=st.lists(st.integers(1, 3), max_size=2, unique=True).flatmap(
        lambda numbers: st.tuples(*(st.tuples(st.just(n), hostile_records(f"r{n}")) for n in [0, *numbers]))
    ),
    ledger=hostile_ledgers(),
    table=hostile_tables(),
    setting=st.integers(0, 3).flatmap(lambda n: hostile_text if n == 0 else st.none()),
    argv=hostile_commands,
)
def test_every_command_survives_hostile_input(
    tmp_path_factory: pytest.TempPathFactory,
    records: tuple[tuple[int, bytes], ...],
    ledger: bytes,
    table: bytes,
    setting: str | None,
    argv: list[str],
) -> None:
    """
    Any records, ledger, table, settings and arguments: exit 0, 1 or 2 and no exception.

    Nothing is written outside the repository, and no file changes but those the command writes.
    """
    base = tmp_path_factory.mktemp("fuzz")
    outside = base / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("untouched\n", encoding="utf-8")
    root = base / "repo"
    (root / "predictions/a").mkdir(parents=True)
    (root / "reviews/evidence").mkdir(parents=True)
    for number, record in records:
        (root / f"predictions/a/r{number}.toml").write_bytes(record)
    (root / "reviews/evidence/ledger.toml").write_bytes(ledger)
    (root / "table.csv").write_bytes(table)
    if setting is not None:
        text = f"[tool.scorecard]\nreviews = {toml_string(setting)}\neditor = {toml_string(setting)}\n"
        (root / "pyproject.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    before = snapshot(root)
    out, err = io.StringIO(), io.StringIO()
    where = [str(root)] if argv[0] == "check" else ["-C", str(root)]

    code = main([*argv, *where], today=datetime.date(2025, 9, 1), stdout=out, stderr=err)

    assert code in (0, 1, 2), err.getvalue()
    assert "Traceback" not in err.getvalue() + out.getvalue()
    assert ["keep.txt"] == [path.name for path in outside.iterdir()]
    after = snapshot(root)
    reviews = "reviews" if setting is None else setting.strip("/")
    allowed = tuple(prefix.format(reviews=reviews) for prefix in WRITES.get(argv[0], ()))
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert [] == [name for name in changed if not name.startswith(allowed)]
