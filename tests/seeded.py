"""Seeded bugs: mistakes students really make, written into copies of the reference solution.

A bug rewrites one answer cell (by nbgrader grade_id) of an assignment's reference
solution and names the test cells that must then lose points. An alternative rewrites one
answer cell with another correct answer, which must keep full marks. Bugs in different
answer cells are independent, so `packed()` puts one bug per answer cell into each
submission: a handful of submissions carry every bug, which keeps a grading run short.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from autograder.testing import edited, grade_id, reference_submission
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
    failing: frozenset[str]  # test cells that must lose points
    collateral: frozenset[str] = frozenset()  # tests that may also lose points (they use this answer's output)
    lost: tuple[tuple[str, float], ...] = ()  # (test, points it loses): declared, checked exactly
    prefix: str = ""  # code put before the (edited) answer

    def source(self) -> str:
        return self.prefix + edited(reference_cells(self.assignment)[self.cell], self.edits,
                                    f"the reference cell {self.cell}")


# The process ends mid-notebook, as a segfault in an extension or an out-of-memory kill would.
KERNEL_EXIT = "import os\nos._exit(1)  # the kernel dies here\n"


def kernel_exit(bug, cell: str, failing: dict[str, float]) -> Bug:
    """A hand-in whose kernel dies at the start of answer `cell` (made with the assignment's
    `bug`): the grader restarts it, replays the cells that ran cleanly, and goes on, so only
    the tests that need this answer (`failing`, all their points) may lose anything."""
    return replace(bug(f"kernel_exits_in_{cell}", cell, failing), prefix=KERNEL_EXIT)


def bug_maker(assignment: str, collateral: dict[str, set[str]] | None = None):
    """`bug(name, cell, failing, *edits)` for one assignment; `failing` maps each test the
    bug must fail to the points it loses there ({"test_rnn_forward": 1}); `collateral`
    maps an answer cell to the tests that consume its results and so may fail along with it."""
    def bug(name: str, cell: str, failing: dict[str, float], *edits: tuple[str, str]) -> Bug:
        lost = tuple(sorted((t, float(p)) for t, p in failing.items())) if isinstance(failing, dict) else ()
        return Bug(assignment, name, cell, tuple(edits), frozenset(failing),
                   frozenset((collateral or {}).get(cell, set())), lost)
    return bug


@dataclass(frozen=True)
class Alternative:
    """Another correct answer to one answer cell, written in a different style; full marks."""

    assignment: str
    name: str
    cell: str  # grade_id of the answer cell it replaces
    text: str  # the whole new source of that cell

    def source(self) -> str:
        assert self.cell in reference_cells(self.assignment), f"alternative {self.name}: no cell {self.cell}"
        return self.text


def alternative_maker(assignment: str):
    """`alt(name, cell, source)` for one assignment."""
    def alt(name: str, cell: str, source: str) -> Alternative:
        return Alternative(assignment, name, cell, source.strip("\n"))
    return alt


def packed(items: list, prefix: str = "bugs") -> dict[str, list]:
    """Hand-ins named <prefix>_1, <prefix>_2, ...: the k-th bug (or alternative) of every
    answer cell together, so a few hand-ins carry them all."""
    by_cell: dict[str, list] = {}
    for item in items:
        by_cell.setdefault(item.cell, []).append(item)
    rounds = max((len(group) for group in by_cell.values()), default=0)
    return {f"{prefix}_{k + 1}": [group[k] for group in by_cell.values() if k < len(group)] for k in range(rounds)}


def answers(submissions: dict[str, list]) -> dict[str, dict[str, str]]:
    """student id -> {answer grade_id: source}, for `write_reference_and_bugs`."""
    return {name: {item.cell: item.source() for item in group} for name, group in submissions.items()}
