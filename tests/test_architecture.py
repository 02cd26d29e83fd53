"""Rules of the code that a reader relies on: who commits, and how large a module may grow."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "rueckkehr"
MAX_MODULE_LINES = 400


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "translations" not in path.parts)


def test_only_the_unit_of_work_boundary_commits() -> None:
    """Operations flush; a request, a command or a job commits once, through ``transactions``."""
    committing = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit":
                committing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert committing == ["rueckkehr/transactions.py:" + str(_commit_line())]


def _commit_line() -> int:
    source = (PACKAGE / "transactions.py").read_text()
    return next(number for number, line in enumerate(source.splitlines(), 1) if "session.commit()" in line)


def test_no_module_grows_past_four_hundred_lines() -> None:
    too_long = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in modules()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}
