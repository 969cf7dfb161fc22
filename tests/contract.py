"""The test contract every assignment meets, and where its pieces live.

Each folder of `source/` is an assignment; its contract folder `tests/assignments/<name>/`
holds data, not harness code:

* `bugs.py` - `BUGS`, seeded mistakes (see `seeded.Bug`), at least three per answer cell,
  and optionally `NOT_GRADED_HERE`, answer cells no test of this assignment can see (with why);
* `alternatives.py` - `ALTERNATIVES`, other correct answers (see `seeded.Alternative`),
  at least one per answer cell, each of which must get full marks;
* `example.py` (optional) - `PARTLY`, the demo's partly-right student (see
  `examples/make_submissions.py`);
* `extras.py` (optional) - `write(folder)`, more hand-ins for the shared grading run (broken
  files, missing notebooks) that the folder's own `test_*.py` files check.

One grading run per assignment (`graded(name)`) holds the bundled examples, the reference,
the untouched release, every bug and every alternative (packed several to a hand-in), and
the extras; `test_assignments.py` checks the contract on it.
"""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import nbformat

from grading import ROOT, Batch, grade_folder, write_reference_and_bugs
from seeded import Alternative, Bug, answers, packed

CONTRACTS = ROOT / "tests" / "assignments"


def assignments() -> list[str]:
    return sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir() and not p.name.startswith("."))


def _module(assignment: str, name: str) -> ModuleType | None:
    path = CONTRACTS / assignment / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"contract_{assignment}_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Contract:
    assignment: str
    bugs: tuple[Bug, ...]
    alternatives: tuple[Alternative, ...]
    not_graded_here: dict[str, str]
    extras: ModuleType | None

    def bug_submissions(self) -> dict[str, list[Bug]]:
        return packed(list(self.bugs), "bugs")

    def alternative_submissions(self) -> dict[str, list[Alternative]]:
        return packed(list(self.alternatives), "alternatives")


@cache
def contract(assignment: str) -> Contract:
    bugs, alts = _module(assignment, "bugs"), _module(assignment, "alternatives")
    return Contract(assignment, tuple(getattr(bugs, "BUGS", ())), tuple(getattr(alts, "ALTERNATIVES", ())),
                    dict(getattr(bugs, "NOT_GRADED_HERE", {})), _module(assignment, "extras"))


def answer_cells(assignment: str) -> set[str]:
    """grade_ids of the code cells students write (autograded answers)."""
    cells = set()
    for path in (ROOT / "source" / assignment).glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("solution"):
                cells.add(meta["grade_id"])
    return cells


def grade_contract(assignment: str, folder: Path, out: Path) -> Batch:
    """The assignment's one grading run (see the module docstring)."""
    c = contract(assignment)
    examples = ROOT / "examples" / "submissions" / assignment
    if examples.is_dir():
        shutil.copytree(examples, folder, dirs_exist_ok=True)
    write_reference_and_bugs(assignment, folder, {**answers(c.bug_submissions()),
                                                  **answers(c.alternative_submissions())})
    if c.extras is not None:
        c.extras.write(folder)
    return grade_folder(assignment, folder, out)
