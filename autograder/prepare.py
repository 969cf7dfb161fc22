"""Turn a student's notebook into the one to execute, with nbgrader's own sanitizing.

nbgrader's autograde first clears outputs, de-duplicates cell ids, fixes the kernelspec,
overwrites every locked and test cell with the instructor's version from the gradebook
(hidden tests included), and checks cell metadata. We run those same preprocessors, in
the grader's process, and also report what the student changed or deleted.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec

from autograder.markers import strip_hidden_tests


class PrepareError(ValueError):
    """The notebook cannot be graded; the message says why."""


def resources(db_url: str, assignment: str, notebook: str, student: str) -> dict:
    return {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": notebook, "student": student}}


def prepare(path: Path, db_url: str, assignment: str, student: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """The sanitized notebook and notes on tampering (edited or deleted test cells)."""
    nb = nbformat.read(path, as_version=4)
    name = path.stem
    res = resources(db_url, assignment, name, student)
    notes = _tampering(nb, db_url, assignment, name)
    try:
        for pp in (ClearOutput(), DeduplicateIds(), OverwriteKernelspec(), OverwriteCells(), CheckCellMetadata()):
            nb, res = pp.preprocess(nb, res)
    except Exception as err:  # nbgrader raises plain exceptions for inconsistent metadata
        raise PrepareError(f"{path.name}: nbgrader could not sanitize it ({str(err).splitlines()[0]})") from err
    return nb, notes


def _tampering(nb, db_url: str, assignment: str, notebook: str) -> list[str]:
    """Which instructor cells the student edited (restored) or deleted (they score zero)."""
    with Gradebook(db_url) as gb:
        source_cells = {c.name: c.source for c in gb.find_notebook(notebook, assignment).source_cells}
        grade_cells = {c.name for c in gb.find_notebook(notebook, assignment).grade_cells}
    present = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    notes = []
    deleted = sorted(name for name in grade_cells if name not in present)
    if deleted:
        notes.append(f"deleted test or answer cells (scored zero): {', '.join(deleted)}")
    edited = sorted(name for name, src in source_cells.items() if name in present
                    and present[name].metadata.get("nbgrader", {}).get("locked")
                    and present[name].source.strip() != strip_hidden_tests(src).strip())
    if edited:
        notes.append(f"edited read-only cells (restored before grading): {', '.join(edited)}")
    return notes

