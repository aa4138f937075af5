"""No function in pipeline/ is longer than 80 lines (issue 19): a function that long does
several jobs, and none of them can be read or tested alone. The desk included: its routes
live in blueprints (pipeline/desk/*.py), not in one closure."""

from __future__ import annotations

import ast
import functools

from helpers import ROOT
from test_imports import statements

LIMIT = 80
# (module, function) -> why it is still longer; each entry is a debt, not a licence.
EXCEPTIONS: dict[tuple[str, str], str] = {}


@functools.cache  # both tests read the same parse
def long_functions() -> dict[tuple[str, str], int]:
    found = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for node in statements(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > LIMIT:
                    found[(rel, node.name)] = lines
    return found


def test_no_function_is_longer_than_80_lines():
    offenders = {k: v for k, v in long_functions().items() if k not in EXCEPTIONS}
    assert offenders == {}, "split these functions: " + ", ".join(f"{m}:{f} ({n} lines)"
                                                                 for (m, f), n in offenders.items())


def test_every_exception_is_still_needed():
    """An exception whose function got short (or went away) is struck off the list."""
    assert set(EXCEPTIONS) <= set(long_functions())
