"""Seeded bugs: mistakes students really make, written into copies of the reference solution.

A bug rewrites one answer cell (by nbgrader grade_id) of an assignment's reference
solution and names the test cells that must then score zero. Bugs in different answer
cells are independent, so `packed()` puts one bug per answer cell into each submission:
a handful of submissions carry every bug, which keeps a grading run short.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from autograder.testing import grade_id, reference_submission
from grading import ROOT


@cache
def reference_cells(assignment: str) -> dict[str, str]:
    """grade_id -> reference source of every cell in the assignment's notebooks."""
    cells = {}
    for path in sorted((ROOT / "source" / assignment).glob("*.ipynb")):
        cells.update({grade_id(c): c.source for c in reference_submission(path).cells if grade_id(c)})
    return cells


@dataclass(frozen=True)
class Bug:
    assignment: str
    name: str
    cell: str  # grade_id of the answer cell it rewrites
    edits: tuple[tuple[str, str], ...]  # (old, new) text replacements in the reference answer
    failing: frozenset[str]  # test cells that must score zero
    collateral: frozenset[str] = frozenset()  # tests that may also lose points (they use this answer's output)

    def source(self) -> str:
        text = reference_cells(self.assignment)[self.cell]
        for old, new in self.edits:
            assert old in text, f"bug {self.name}: {old!r} is not in the reference cell {self.cell}"
            text = text.replace(old, new)
        return text


def bug_maker(assignment: str, collateral: dict[str, set[str]] | None = None):
    """`bug(name, cell, failing, *edits)` for one assignment; `collateral` maps an answer
    cell to the tests that consume its results and so may fail along with it."""
    def bug(name: str, cell: str, failing, *edits: tuple[str, str]) -> Bug:
        return Bug(assignment, name, cell, tuple(edits), frozenset(failing),
                   frozenset((collateral or {}).get(cell, set())))
    return bug


def packed(bugs: list[Bug]) -> dict[str, list[Bug]]:
    """Submissions named bugs_1, bugs_2, ...: the k-th bug of every answer cell together."""
    by_cell: dict[str, list[Bug]] = {}
    for bug in bugs:
        by_cell.setdefault(bug.cell, []).append(bug)
    rounds = max(len(group) for group in by_cell.values())
    return {f"bugs_{k + 1}": [group[k] for group in by_cell.values() if k < len(group)] for k in range(rounds)}


def answers(bugs: list[Bug]) -> dict[str, dict[str, str]]:
    """student id -> {answer grade_id: buggy source}, for `write_reference_and_bugs`."""
    return {name: {bug.cell: bug.source() for bug in group} for name, group in packed(bugs).items()}
