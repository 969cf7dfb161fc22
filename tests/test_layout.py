"""The code's layout rules: no import cycles, student tools free of assignment code, and
every assignment with its notebook, support code and contract folder where the README says."""

import ast
from pathlib import Path

from contract import CONTRACTS, assignments
from grading import ROOT

PACKAGES = ("helpers", "autograder")
# helpers' infrastructure layers; every other subpackage is one assignment's support code
INFRASTRUCTURE = {"helpers.data", "helpers.models"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of ours that `name` imports anywhere in its file (lazy imports included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {t for t in targets if t in known and t != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def _is_package(name: str) -> bool:
    return (ROOT / Path(*name.split("."))).is_dir()


def test_the_import_graph_has_no_cycles():
    graph = _graph()
    # a package's __init__ re-exports its modules; those edges are not dependencies
    graph = {m: {t for t in deps if not (_is_package(m) and t.startswith(m + "."))} for m, deps in graph.items()}
    assert _cycles(graph) == []


def test_student_tools_and_infrastructure_import_no_assignment_code():
    graph = _graph()
    topics = {m for m in graph if m.count(".") == 1 and _is_package(m) and m.startswith("helpers.")} - INFRASTRUCTURE
    shared = [m for m in graph if m.startswith("helpers") and not any(m == t or m.startswith(t + ".") for t in topics)]
    offending = {m: sorted(d for d in graph[m] if any(d == t or d.startswith(t + ".") for t in topics))
                 for m in shared}
    assert {m: d for m, d in offending.items() if d} == {}


def test_every_assignment_has_its_homes():
    for assignment in assignments():
        topic = assignment.split("_", 1)[1]
        assert list((ROOT / "source" / assignment).glob("*.ipynb")), assignment
        assert (ROOT / "release" / assignment).is_dir(), f"release/{assignment} missing: run make release"
        assert (CONTRACTS / assignment / "bugs.py").exists(), f"tests/assignments/{assignment}/bugs.py missing"
        assert (CONTRACTS / assignment / "alternatives.py").exists(), assignment
        support = ROOT / "helpers" / topic
        assert not support.exists() or (support / "__init__.py").exists(), f"helpers/{topic} is not a package"
