"""Write one graded submission's results: the gradebook (the only writer), the autograded
notebook, feedback HTML without hidden tests, and a Gradescope-style results.json."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning
from nbgrader.preprocessors import CheckCellMetadata, LimitOutput, SaveAutoGrades

from autograder.markers import strip_hidden_tests
from autograder.prepare import resources

def save_grades(nb: nbformat.NotebookNode, db_url: str, assignment: str, notebook: str,
                student: str) -> nbformat.NotebookNode:
    """Record the executed notebook's grades with nbgrader's own SaveAutoGrades."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's ORM use is noisy, not wrong
        with Gradebook(db_url) as gb:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(assignment, student)
        res = resources(db_url, assignment, notebook, student)
        for pp in (LimitOutput(), SaveAutoGrades(), CheckCellMetadata()):
            nb, res = pp.preprocess(nb, res)
    return nb


def without_hidden_tests(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy for the student's eyes: each hidden test block replaced by one line."""
    out = nbformat.from_dict(nb)
    for cell in out.cells:
        cell.source = strip_hidden_tests(cell.source, "# (hidden tests ran here)\n")
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":  # tracebacks quote the hidden lines
                    output["traceback"] = [f"{output.get('ename')}: {output.get('evalue')}"]
    return out


def feedback_html(nb: nbformat.NotebookNode, path: Path) -> Path:
    body, _ = HTMLExporter(template_name="classic").from_notebook_node(without_hidden_tests(nb))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def results_json(nbs: list[nbformat.NotebookNode], cells: dict[str, float], path: Path,
                 reason: str = "") -> Path:
    """Gradescope's results format: a score and one entry per autograded test."""
    tests = []
    for cell in (c for nb in nbs for c in nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id")
        if gid in cells:
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            message = f"{errors[0].get('ename')}: {errors[0].get('evalue')}" if errors else ""
            tests.append({"name": gid, "score": cells[gid], "max_score": float(meta.get("points", 0)),
                          "status": "passed" if cells[gid] >= float(meta.get("points", 0)) else "failed",
                          "output": message})
    data = {"score": sum(cells.values()), "tests": tests, "output": reason}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
    return path
