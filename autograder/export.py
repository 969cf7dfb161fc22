"""After manual grading: final grades per student, a Canvas-importable CSV, fresh feedback.

    python -m autograder export OUT

Reads the batch's gradebook (`OUT/course/gradebook.db`, where the formgrader saved the
points and comments a person gave), writes `OUT/final_grades.csv` and `OUT/canvas.csv`,
and regenerates `OUT/feedback/` so students see the grader's points and comments.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat

from autograder.gradebook import cell_grades
from autograder.record import feedback_html
from autograder.state import State

FINAL_COLUMNS = ["student_id", "assignment", "autograded", "manual", "total", "max_score", "ungraded", "status",
                 "reason"]


def batch_assignment(out: Path) -> str:
    """The one assignment a batch folder grades (its staged `course/source/<name>/`)."""
    found = [p.name for p in (out / "course" / "source").iterdir() if p.is_dir()] \
        if (out / "course" / "source").is_dir() else []
    if len(found) != 1:
        raise ValueError(f"{out} is not a graded batch (run `python -m autograder grade ... --out {out}` first)")
    return found[0]


def final_grades(out: Path) -> list[dict[str, str]]:
    """One row per student: autograded and manual points, total, maximum, ungraded answers."""
    assignment, root = batch_assignment(out), out / "course"
    rows = []
    for student, result in State(out).all().items():
        auto = manual = possible = 0.0
        ungraded = []
        notebooks = sorted((root / "autograded" / student / assignment).glob("*.ipynb"))
        for path in notebooks:
            for cell, grade in cell_grades(root, assignment, student, path.stem).items():
                possible += grade.possible
                if not grade.manual:
                    auto += grade.points or 0.0
                elif grade.points is None:
                    ungraded.append(f"{path.stem}:{cell}" if len(notebooks) > 1 else cell)
                else:
                    manual += grade.points
        maximum = float(result.get("max_score", 0)) + float(result.get("manual_max", 0))
        rows.append({"student_id": student, "assignment": assignment, "autograded": f"{auto:g}",
                     "manual": f"{manual:g}", "total": f"{auto + manual:g}", "max_score": f"{maximum:g}",
                     "ungraded": " ".join(ungraded), "status": result.get("status", ""),
                     "reason": result.get("reason", "") if result.get("status") == "error" else ""})
    return rows


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def errored(out: Path) -> list[str]:
    """Students whose hand-in could not be graded (their Canvas cell is left empty)."""
    return sorted(r["student_id"] for r in final_grades(out) if r["status"] == "error")


def waiting(out: Path) -> list[str]:
    """Students whose written answers no person has graded yet (their totals are not final)."""
    return sorted(r["student_id"] for r in final_grades(out) if r["ungraded"])


def export(out: Path) -> tuple[Path, Path]:
    """Write final_grades.csv and canvas.csv and regenerate the feedback; return the CSVs."""
    rows = final_grades(out)
    final = _write(out / "final_grades.csv", FINAL_COLUMNS, rows)
    assignment = batch_assignment(out)
    # Canvas's gradebook import: these identity columns first, then one column per assignment
    # (its header must name the Canvas assignment; rename it there if it differs).
    canvas_columns = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment]
    maximum = max((r["max_score"] for r in rows), key=float, default="0")
    canvas = _write(out / "canvas.csv", canvas_columns, [
        {"Student": "Points Possible", "ID": "", "SIS User ID": "", "SIS Login ID": "", "Section": "",
         assignment: maximum},
        # an errored hand-in has no grade yet: an empty cell, not a 0 that looks like one
        *({"Student": r["student_id"], "ID": "", "SIS User ID": r["student_id"], "SIS Login ID": r["student_id"],
           "Section": "", assignment: "" if r["status"] == "error" else r["total"]} for r in rows)])
    root = out / "course"
    for path in sorted((root / "autograded").glob(f"*/{assignment}/*.ipynb")):
        student = path.parent.parent.name
        feedback_html(nbformat.read(path, as_version=4), out / "feedback" / student / f"{path.stem}.html",
                      cell_grades(root, assignment, student, path.stem))
    return final, canvas
