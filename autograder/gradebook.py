"""Read scores out of an nbgrader gradebook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry


@dataclass(frozen=True)
class Scores:
    """Autograded points, their maximum, and the points that wait for a person."""

    auto: float
    auto_max: float
    manual_max: float
    cells: dict[str, float]  # grade_id -> points earned, for every autograded cell


def gradebook_url(course_root: Path) -> str:
    return f"sqlite:///{course_root / 'gradebook.db'}"


def assignment_maxima(course_root: Path, assignment: str) -> tuple[float, float]:
    """(autograded maximum, manually graded maximum) of an assignment."""
    with Gradebook(gradebook_url(course_root)) as gb:
        a = gb.find_assignment(assignment)
        return float(a.max_code_score), float(a.max_written_score + a.max_task_score)


def read_scores(course_root: Path, assignment: str, student_id: str) -> Scores | None:
    """The student's scores, or None when nbgrader recorded no submission for them."""
    with Gradebook(gradebook_url(course_root)) as gb:
        try:
            sub = gb.find_submission(assignment, student_id)
        except MissingEntry:
            return None
        cells = {}
        for nb in sub.notebooks:
            for grade in nb.grades:
                if grade.cell.cell_type == "code":
                    cells[grade.name] = float(grade.score)
        return Scores(
            auto=float(sub.code_score),
            auto_max=float(sub.max_code_score),
            manual_max=float(sub.max_written_score + sub.max_task_score),
            cells=cells,
        )


def forget_submission(course_root: Path, assignment: str, student_id: str) -> None:
    """Drop a student's recorded grades before regrading them, so that a notebook which
    fails this time cannot keep the points of an earlier hand-in."""
    with Gradebook(gradebook_url(course_root)) as gb:
        try:
            gb.remove_submission(assignment, student_id)
        except MissingEntry:
            pass


@dataclass(frozen=True)
class CellGrade:
    """One graded cell of a submitted notebook, as the gradebook has it now."""

    points: float | None  # None: a written answer no person has graded yet
    possible: float
    manual: bool  # a written answer (graded by a person)
    comment: str | None


def cell_grades(course_root: Path, assignment: str, student_id: str, notebook: str) -> dict[str, CellGrade]:
    """grade_id -> the cell's grade in one notebook of the student's submission ({} if none)."""
    with Gradebook(gradebook_url(course_root)) as gb:
        try:
            nb = gb.find_submission_notebook(notebook, assignment, student_id)
        except MissingEntry:
            return {}
        comments = {c.name: c.manual_comment for c in nb.comments}
        grades = {}
        for grade in nb.grades:
            manual = grade.cell.cell_type != "code"
            points = (None if grade.manual_score is None and grade.auto_score is None else float(grade.score)) \
                if manual else float(grade.score)
            grades[grade.name] = CellGrade(points, float(grade.max_score), manual, comments.get(grade.name))
        return grades
