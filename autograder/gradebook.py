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
