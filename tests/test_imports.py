"""No import circle in pipeline/, late (function-level) imports included (issue 19 item 5).

A circle hidden by an import inside a function still ties two modules into one: neither
can be read, tested or changed alone. The graph is read from the source with `ast`."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def statements(nodes: list[ast.stmt]):
    """Every statement, nested ones too (an import is a statement; in a function, a class, a
    try), leaving out `if TYPE_CHECKING:` bodies, whose imports never run. Expressions are not
    entered: no import is inside one, and they are most of the tree."""
    for node in nodes:
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            yield from statements(node.orelse)
            continue
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, name, None)
            if isinstance(inner, list):
                yield from statements(inner)


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The pipeline modules `name` imports anywhere in its source (TYPE_CHECKING blocks aside)."""
    tree = parsed(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in statements(tree.body):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:  # pipeline.pdf.sign.load_signing -> pipeline.pdf.sign
                t = t.rpartition(".")[0]
            while t and t != name:  # importing a submodule runs its packages' __init__ first
                found.add(t)
                t = t.rpartition(".")[0]
                if t == "pipeline":
                    break
    return found


@functools.cache
def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    g = {}
    for name, path in mods.items():
        deps = imports_of(name, path, known)
        g[name] = {d for d in deps if not name.startswith(d + ".")}  # a module's own package: not a circle
    return g


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_late_imports():
    """The walker finds an import inside a function (the kind that hid the circles)."""
    g = graph()
    assert "pipeline.register" in g["pipeline.register"] | {"pipeline.register"}
    assert "pipeline.book" in g["pipeline.register"]  # register.write_book imports it in the function


def test_no_import_circle_in_pipeline():
    found = cycles(graph())
    assert found == [], "import circles (module-level and late imports): " + "; ".join(
        " <-> ".join(c) for c in found)


def test_no_module_imports_a_private_name_of_another():
    """What a module shares it names publicly; `_name` is its own (issue 19 item 9)."""
    offenders = []
    for name, path in modules().items():
        for node in statements(parsed(path).body):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("pipeline")):
                offenders += [f"{name}: {node.module}.{a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
    assert offenders == []


def test_the_cli_assembles_no_core_itself():
    """cli.py reaches the core through pipeline.office only (STYLE rule 14): it never builds
    a Config, a Clock, a Register or a Batch of its own."""
    assembling = {"pipeline.config", "pipeline.register", "pipeline.batch", "pipeline.deadlines", "pipeline.book",
                  "pipeline.assess", "pipeline.planner", "pipeline.loading"}
    assert graph()["pipeline.cli"] & assembling == set()
    assert "pipeline.office" in graph()["pipeline.cli"]
