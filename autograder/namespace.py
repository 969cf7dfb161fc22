"""Which top-level names a notebook cell binds, read from its source (never run).

The grader protects the names read-only instructor cells bind (module aliases such as `np`,
given helpers such as `rel_error`, given classes): before every test cell they are put back
to the values those cells gave them, and names that shadow a builtin are removed, unless a
student's answer cell is meant to bind them (the answer names, read from the release).
"""

from __future__ import annotations

import ast
import builtins

BUILTINS = frozenset(dir(builtins))


def parse_cell(source: str) -> ast.Module | None:
    """The cell as Python, with IPython magics and shell escapes left out; None if it is not Python."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _targets(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, (ast.Tuple, ast.List)):
        return set().union(*(_targets(e) for e in node.elts)) if node.elts else set()
    if isinstance(node, ast.Starred):
        return _targets(node.value)
    return set()  # attributes and subscripts bind no name


def bound_names(source: str) -> set[str]:
    """Names a cell binds in the notebook's namespace (top level, including inside top-level
    if/for/while/with/try blocks; not inside functions or classes)."""
    tree = parse_cell(source)
    return _bound(tree.body) if tree is not None else set()


def _bound(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names |= _targets(target)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            names |= _targets(node.target)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            names |= _targets(node.target) | _bound(node.body) | _bound(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    names |= _targets(item.optional_vars)
            names |= _bound(node.body)
        elif isinstance(node, (ast.If, ast.While)):
            names |= _bound(node.body) | _bound(node.orelse)
        elif isinstance(node, ast.Try):
            names |= _bound(node.body) | _bound(node.orelse) | _bound(node.finalbody)
            for handler in node.handlers:
                names |= ({handler.name} if handler.name else set()) | _bound(handler.body)
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):  # walrus assignments anywhere at top level
        if isinstance(node, ast.NamedExpr):
            names |= _targets(node.target)
    return names


def loaded_names(tree: ast.AST) -> set[str]:
    """Names a piece of code reads (free or not)."""
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
