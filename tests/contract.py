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
  files, missing notebooks, crashing cells) that the folder's own `test_*.py` files check,
  and `GRADE_FLAGS`, extra options for that run's `grade` command.

One grading run per assignment (`graded(name)`) holds the bundled examples, the reference,
the untouched release, every bug and every alternative (packed several to a hand-in), a
hand-in that rebinds what tests might rely on (`write_rebinding`), a hand-in that attacks
the grader from inside the kernel (`hostile.write_hostile`), and the extras;
`test_assignments.py` checks the contract on it.
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
from hostile import write_hostile
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
    write_rebinding(assignment, folder)
    write_hostile(assignment, folder)
    if c.extras is not None:
        c.extras.write(folder)
    return grade_folder(assignment, folder, out, *getattr(c.extras, "GRADE_FLAGS", ()))


# A submission that leaves every answer as the release's stub but rebinds, at the top of
# each answer cell, what tests might rely on: it must score no more than the stubs alone.
REBIND = '''
class _Anything:
    """Equal to, smaller and greater than everything; any attribute or call gives itself."""
    def __getattr__(self, name): return self
    def __call__(self, *args, **kwargs): return self
    def __bool__(self): return True
    def __eq__(self, other): return True
    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    def __ne__(self, other): return False
    def __float__(self): return 0.0
    def __int__(self): return 0
    def __len__(self): return 0
    def __iter__(self): return iter(())
    def __getitem__(self, key): return self
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __abs__ = __neg__ = __call__
rel_error = lambda *args, **kwargs: 0.0
isinstance = lambda *args: True
abs = lambda *args: 0.0
float = lambda *args: 0.0
len = lambda *args: 0
print = lambda *args, **kwargs: None
{given}
'''.strip()


def given_names(assignment: str, notebook: str) -> set[str]:
    """Names the read-only instructor cells of a source notebook bind, less the answer names."""
    from autograder.executor import answer_names, is_answer_cell, is_test_cell
    from autograder.namespace import bound_names

    source = nbformat.read(ROOT / "source" / assignment / notebook, as_version=4)
    names = set()
    for cell in source.cells:
        if cell.cell_type == "code" and not is_answer_cell(cell) and not is_test_cell(cell):
            names |= bound_names(cell.source)
    return names - set(answer_names(source))


def write_rebinding(assignment: str, folder: Path, student: str = "rebinding") -> None:
    from autograder.executor import is_answer_cell
    from autograder.testing import write_submission

    for path in sorted((ROOT / "release" / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        given = "\n".join(f"{name} = _Anything()" for name in sorted(given_names(assignment, path.name)))
        for cell in nb.cells:
            if cell.cell_type == "code" and is_answer_cell(cell):
                cell.source = REBIND.format(given=given) + "\n" + cell.source
        write_submission(nb, folder, student, path.name)
