"""Build submissions from an instructor's source notebook, for tests and examples.

A reference submission is the source with its solution markers and hidden tests taken
out, which is what a student who wrote the instructor's answers would hand in. Seeded
bugs replace chosen answer cells (by nbgrader grade_id) with other code.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

_MARKER = re.compile(r"^\s*(### (BEGIN|END) (SOLUTION|HIDDEN TESTS)|=== (BEGIN|END) MARK SCHEME ===)\s*$")
_HIDDEN = re.compile(r"^\s*### BEGIN HIDDEN TESTS.*?^\s*### END HIDDEN TESTS\s*$\n?", re.M | re.S)


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def reference_submission(source_notebook: Path) -> nbformat.NotebookNode:
    """The source notebook as a student who wrote the reference answers would hand it in."""
    nb = nbformat.read(source_notebook, as_version=4)
    for cell in nb.cells:
        text = _HIDDEN.sub("", cell.source)
        cell.source = "\n".join(ln for ln in text.splitlines() if not _MARKER.match(ln))
    return nb


def replace_cells(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of `nb` whose cells named in `answers` (grade_id -> source) are rewritten."""
    out = nbformat.from_dict(nb)
    seen = set()
    for cell in out.cells:
        gid = grade_id(cell)
        if gid in answers:
            cell.source = answers[gid]
            seen.add(gid)
    missing = set(answers) - seen
    if missing:
        raise KeyError(f"no cells with grade_id {sorted(missing)}")
    return out


def write_submission(nb: nbformat.NotebookNode, folder: Path, student_id: str, name: str) -> Path:
    """Save `nb` as `folder/<student_id>/<name>`, the layout the autograder reads."""
    path = folder / student_id / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
