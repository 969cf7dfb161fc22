"""More hw1 hand-ins for the shared grading run: ones that cannot be graded at all (checked
in test_grade_cli.py) and ones whose exercise 3 runs away (checked in test_hw1_crashes.py)."""

import shutil
from pathlib import Path

import nbformat

from autograder.testing import grade_id

# A runaway cell gets three minutes, so the notebook's other exercises still have time. (One
# minute was too short on a loaded 2-core machine: the given sampling loop alone ran past
# it in the reference run, which then failed the whole contract.)
GRADE_FLAGS = ("--cell-timeout", "180")

RUNAWAY = {
    # ignores the interrupt, so only killing its kernel stops it
    "ex3_runs_forever": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n",
    "ex3_exits": "import os\nos._exit(1)\n",
    "ex3_memory_bomb": "hog = bytearray(64 << 30)\n",
}
EXERCISE_3 = "logic_networks"


def _with_prefix(nb, prefix: str, cells) -> nbformat.NotebookNode:
    out = nbformat.from_dict(nb)
    for cell in out.cells:
        if grade_id(cell) in cells:
            cell.source = prefix + cell.source
    return out


def write(folder: Path) -> None:
    (folder / "broken_json").mkdir()
    (folder / "broken_json" / "hw1_foundations.ipynb").write_text('{"cells": [')
    (folder / "wrong_name").mkdir()
    shutil.copy(folder / "reference" / "hw1_foundations.ipynb", folder / "wrong_name" / "homework1.ipynb")
    (folder / "empty").mkdir()
    reference = nbformat.read(folder / "reference" / "hw1_foundations.ipynb", as_version=4)
    for student, prefix in RUNAWAY.items():
        (folder / student).mkdir()
        nbformat.write(_with_prefix(reference, prefix, {EXERCISE_3}), folder / student / "hw1_foundations.ipynb")
    answers = {grade_id(c) for c in reference.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")
               and c.cell_type == "code"}
    (folder / "crashes_everywhere").mkdir()
    nbformat.write(_with_prefix(reference, RUNAWAY["ex3_exits"], answers),
                   folder / "crashes_everywhere" / "hw1_foundations.ipynb")
