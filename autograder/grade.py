"""Grade a batch of submissions for one assignment with nbgrader's autograde."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import Course
from autograder.gradebook import assignment_maxima, read_scores
from autograder.nbgrader_cli import error_lines, run_nbgrader
from autograder.staging import stage_course, stage_submission
from autograder.submissions import Submission, find_submissions


@dataclass
class Result:
    """One line of grades.csv."""

    student_id: str
    assignment: str
    score: float
    max_score: float
    manual_max: float
    status: str  # "graded" or "error"
    reason: str = ""
    cells: dict[str, float] = field(default_factory=dict)


def grade_batch(course: Course, assignment: str, submissions: Path, out: Path,
                timeout: float | None = None) -> list[Result]:
    """Grade every hand-in under `submissions`; one submission's failure never stops the rest.

    nbgrader's working course folder is `out/course`; scores are read from its gradebook.
    """
    expected = course.notebooks(assignment)
    subs = find_submissions(submissions, expected)
    root = stage_course(course, assignment, out / "course")
    auto_max, manual_max = assignment_maxima(root, assignment)
    release = root / "release" / assignment
    results = []
    for i, sub in enumerate(subs, start=1):
        result = _grade_one(root, assignment, sub, release, auto_max, manual_max, timeout)
        print(f"[{i}/{len(subs)}] {sub.student_id}: {result.status}"
              f"{' ' + result.reason if result.reason else ''}", file=sys.stderr, flush=True)
        results.append(result)
    return results


def _grade_one(root: Path, assignment: str, sub: Submission, release: Path,
               auto_max: float, manual_max: float, timeout: float | None) -> Result:
    def failed(reason: str) -> Result:
        return Result(sub.student_id, assignment, 0.0, auto_max, manual_max, "error", reason)

    if sub.problem:
        return failed(sub.problem)
    stage_submission(root, assignment, sub, release)
    try:
        proc = run_nbgrader(["autograde", assignment, f"--student={sub.student_id}", "--force"],
                            cwd=root, timeout=timeout)
    except subprocess.TimeoutExpired:
        return failed(f"grading took longer than {timeout:g} s")
    if proc.returncode != 0:
        return failed("nbgrader autograde failed: " + error_lines(proc).replace("\n", " | "))
    scores = read_scores(root, assignment, sub.student_id)
    if scores is None:
        return failed("nbgrader recorded no grades for this submission")
    return Result(sub.student_id, assignment, scores.auto, scores.auto_max, scores.manual_max,
                  "graded", cells=scores.cells)
