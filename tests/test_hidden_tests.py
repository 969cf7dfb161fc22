"""Hidden tests are untouchable: a hidden block imports the modules and helpers it uses
itself, under private names (`import numpy as _np`, `from helpers.checks import
assert_close as _assert_close`), and binds only private names. Besides those it reads the
student's answer names, names the public part of the same cell bound just before it,
private names an earlier hidden block of the notebook defined, builtins, and the data and
given classes that read-only instructor cells made (too costly to rebuild in every test);
the grader puts every one of those back before each test (see `autograder.sandbox.guard`),
which `test_assignments.py` checks with a hand-in that rebinds them all."""

import ast
import re
import textwrap

import nbformat
import pytest

from autograder.executor import answer_names, is_answer_cell, is_test_cell
from autograder.namespace import BUILTINS, bound_names, loaded_names, parse_cell
from contract import assignments
from grading import ROOT

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n(.*?)^[ \t]*### END HIDDEN TESTS", re.M | re.S)
NOTEBOOKS = [(a, p.name) for a in assignments() for p in sorted((ROOT / "source" / a).glob("*.ipynb"))]


def _defined_anywhere(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _imported(source: str) -> set[str]:
    """Names a cell binds with import statements (module aliases, imported helpers)."""
    tree = parse_cell(source)
    return {a.asname or a.name.split(".")[0] for node in (tree.body if tree else [])
            if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}


def _problems(assignment: str, notebook: str) -> dict[str, list[str]]:
    answers = set(answer_names(nbformat.read(ROOT / "source" / assignment / notebook, as_version=4)))
    problems, earlier, given = {}, set(), set()
    for cell in nbformat.read(ROOT / "source" / assignment / notebook, as_version=4).cells:
        if cell.cell_type == "code" and not is_test_cell(cell) and not is_answer_cell(cell):
            given |= bound_names(cell.source) - _imported(cell.source)
        if not is_test_cell(cell):
            continue
        for block in HIDDEN.findall(cell.source):
            tree = ast.parse(textwrap.dedent(block))
            public = bound_names(HIDDEN.sub("", cell.source))
            allowed = BUILTINS | answers | public | _defined_anywhere(tree) | earlier | given
            found = [f"reads {name!r}" for name in sorted(loaded_names(tree) - allowed)]
            found += [f"binds the public name {name!r}" for name in sorted(bound_names(textwrap.dedent(block)))
                      if not name.startswith("_")]
            if found:
                problems[cell.metadata["nbgrader"]["grade_id"]] = found
            earlier |= {name for name in bound_names(textwrap.dedent(block)) if name.startswith("_")}
    return problems


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS, ids=lambda v: str(v))
def test_hidden_blocks_use_only_their_own_private_names(assignment, notebook):
    assert _problems(assignment, notebook) == {}
