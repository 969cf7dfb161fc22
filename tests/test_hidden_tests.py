"""Hidden tests observe, the grader judges (see README, "Writing hidden tests"): a hidden
block imports what it uses itself, under private names (`import numpy as _np`, `from
autograder.sandbox.observe import observe as _observe`), binds only private names, and
hands the grader observations. Besides its own names it reads only builtins, the
student's answer names and the data and given classes that read-only instructor cells
made (the grader puts those back before each test): not the public part of its cell and
not an earlier hidden block (the grader removes each block's names once it ran). It holds
no reference implementation (`_ref_...`) and no assertion: expected values exist only in
the grader's process, from the reference run."""

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
    problems, given = {}, set()
    for cell in nbformat.read(ROOT / "source" / assignment / notebook, as_version=4).cells:
        if cell.cell_type == "code" and not is_test_cell(cell) and not is_answer_cell(cell):
            given |= bound_names(cell.source) - _imported(cell.source)
        if not is_test_cell(cell):
            continue
        blocks = HIDDEN.findall(cell.source)
        found = [] if blocks else ["has no hidden block: every test cell's points come from hidden observations"]
        for block in blocks:
            tree = ast.parse(textwrap.dedent(block))
            allowed = BUILTINS | answers | _defined_anywhere(tree) | given
            found += [f"reads {name!r}" for name in sorted(loaded_names(tree) - allowed)]
            found += [f"binds the public name {name!r}" for name in sorted(bound_names(textwrap.dedent(block)))
                      if not name.startswith("_")]
            found += [f"defines the reference {name!r}" for name in sorted(_defined_anywhere(tree))
                      if name.lstrip("_").lower().startswith("ref")]
            if any(isinstance(node, ast.Assert) for node in ast.walk(tree)):
                found.append("asserts (a verdict in the kernel): observe the value and let a judge decide")
            if "_observe(" not in block:
                found.append("observes nothing")
        if found:
            problems[cell.metadata["nbgrader"]["grade_id"]] = found
    return problems


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS, ids=lambda v: str(v))
def test_hidden_blocks_observe_with_their_own_private_names(assignment, notebook):
    assert _problems(assignment, notebook) == {}


def test_the_mini_course_is_in_the_observation_form(tmp_path):
    from autograder.testing import make_mini_course

    make_mini_course(tmp_path, ROOT / "nbgrader_config.py")
    source = nbformat.read(tmp_path / "source" / "mini" / "mini.ipynb", as_version=4)
    blocks = [b for c in source.cells if is_test_cell(c) for b in HIDDEN.findall(c.source)]
    assert len(blocks) == 2 and all("_observe(" in b and "assert" not in b for b in blocks)
