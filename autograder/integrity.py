"""Integrity flags: student code that reaches into the grading run, listed for a person.

Verdicts never depend on the kernel (see `judging`), so code that inspects or patches the
grading machinery cannot earn points; it still says something about a hand-in that a
person should look at. Each answer cell (and every cell the student added) is read, never
run, for: the namespace and frame machinery (`globals()`, `sys._getframe`, frame and code
attributes), `gc`, `inspect`, `ctypes`, `builtins`, `sys.modules` and the interpreter's
hooks, `get_ipython()`, dynamic code (`exec`, `eval`, `__import__`), attributes set on
modules (`np.allclose = ...`), and mentions of the grader's own names. The kernel's count
of observations reported outside hidden tests is added. Flags are notes: nothing is
zeroed automatically.
"""

from __future__ import annotations

import ast

from autograder.executor import is_answer_cell
from autograder.namespace import parse_cell

PREFIX = "integrity flag"
_MODULES = {"gc": "the garbage collector (gc)", "inspect": "inspect", "ctypes": "ctypes", "builtins": "builtins",
            "importlib": "importlib", "sys": None, "traceback": None}
_CALLS = {"globals": "globals()", "locals": "locals()", "vars": "vars()", "get_ipython": "get_ipython()",
          "exec": "exec()", "eval": "eval()", "__import__": "__import__()", "compile": "compile()",
          "setattr": None, "delattr": None}
_SYS = {"_getframe", "modules", "settrace", "setprofile", "addaudithook", "displayhook", "excepthook",
        "meta_path", "path_hooks"}  # (printing to sys.stderr is fine; replacing it is a module change)
_ATTRS = {"f_back", "f_globals", "f_locals", "f_code", "__globals__", "__builtins__", "__code__", "co_consts",
          "__subclasses__", "tb_frame", "gi_frame", "cr_frame", "user_ns", "display_pub", "session",
          "kernel", "shell"}
_STRINGS = ("_grader_restore", "observation+json", "linecache")


def _student_cells(nb) -> list[tuple[str, str]]:
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if is_answer_cell(cell):
            cells.append((meta.get("grade_id", f"cell {index}"), cell.source))
        elif not meta.get("grade_id"):  # a cell the student added
            cells.append((f"an added cell ({index})", cell.source))
    return cells


def _module_aliases(nb) -> set[str]:
    aliases = set()
    for cell in nb.cells:
        tree = parse_cell(cell.source) if cell.cell_type == "code" else None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Import):
                aliases |= {a.asname or a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                aliases |= {a.asname or a.name for a in node.names}  # may be modules or functions
    return aliases


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def findings(source: str, modules: set[str]) -> list[str]:
    """What one cell does that reaches into the grading run (empty for ordinary code)."""
    tree = parse_cell(source)
    if tree is None:
        return []
    found: list[str] = []

    def add(what: str) -> None:
        if what not in found:
            found.append(what)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                label = _MODULES.get(alias.name.split(".")[0])
                if label:
                    add(f"imports {label}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            label = _MODULES.get(node.module.split(".")[0])
            if label:
                add(f"imports from {label}")
            if node.module == "sys" and any(a.name in _SYS for a in node.names):
                add("uses the interpreter's internals (sys)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALLS:
            label = _CALLS[node.func.id]
            if label:
                add(f"calls {label}")
            elif node.args and _root(node.args[0]) in modules:
                add(f"{node.func.id}() on a module")
        elif isinstance(node, ast.Attribute):
            if node.attr in _SYS and _root(node.value) == "sys":
                add(f"uses sys.{node.attr}")
            elif node.attr in _ATTRS:
                add(f"reads .{node.attr}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, (ast.Attribute, ast.Subscript)) and _root(target) in modules:
                    add(f"changes the module {_root(target)} ({ast.unparse(target)[:60]})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for marker in _STRINGS:
                if marker in node.value:
                    add(f"mentions the grader's internals ({marker!r})")
    return found


def integrity_notes(nb, status: dict | None = None) -> list[str]:
    """One note per student cell that reaches into the grading run, and one for stray
    observations; each starts with 'integrity flag'."""
    modules = _module_aliases(nb)
    notes = [f"{PREFIX}: {where} " + ", ".join(found)
             for where, source in _student_cells(nb) if (found := findings(source, modules))]
    stray = int((status or {}).get("stray", 0) or 0)
    if stray:
        notes.append(f"{PREFIX}: the notebook reported {stray} observation(s) for the grader outside hidden tests")
    return notes
