"""
The package's import layers: no cycle between modules, and no private name used across them.

Imports under ``if TYPE_CHECKING:`` are left out: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "scorecard"


class _Imports(ast.NodeVisitor):
    """
    The package-relative imports of a module that run, with the names each takes.
    """

    def __init__(self) -> None:
        self.found: list[tuple[str, list[str]]] = []

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.orelse:
                self.visit(statement)
            return
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 1 and node.module:
            self.found.append((node.module, [alias.name for alias in node.names]))


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        visitor = _Imports()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found[path.stem] = visitor.found
    return found


def test_no_import_cycle() -> None:
    """Following every import that runs, at module level or inside a function, never leads back to a module."""
    graph = {module: {target for target, _ in imports} for module, imports in _imports().items()}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in path:
                cycles.append([*path[path.index(target) :], target])
            elif len(path) < len(graph):
                visit(target, [*path, target])

    for module in sorted(graph):
        visit(module, [module])

    assert [] == cycles


def test_no_private_name_crosses_modules() -> None:
    """No module imports another module's underscore-prefixed name."""
    crossing = [
        f"{module} imports {name} from {target}"
        for module, imports in _imports().items()
        for target, names in imports
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]

    assert [] == crossing


def test_the_library_never_forks(tmp_path: Path) -> None:
    """load, grade, review, read_forecasts and score all run in a process where forking is impossible."""
    import subprocess
    import sys

    table = tmp_path / "t.csv"
    table.write_text("question,forecaster,probability,outcome\n" + "q,a,0.7,yes\n" * 400_000, encoding="utf-8")
    script = f"""
import datetime, os
del os.fork
import scorecard
book = scorecard.load({str(PACKAGE.parent / "tests/data/quickstart")!r})
scorecard.grade(book, as_of=datetime.date(2026, 1, 1))
scorecard.review(book, year=2025, as_of=datetime.date(2026, 1, 1)).to_html()
report = scorecard.score(scorecard.read_forecasts({str(table)!r}), group_by="forecaster")
print(report.overall.forecasts)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)

    assert (0, "400000\n") == (done.returncode, done.stdout), done.stderr
