"""An nbgrader course folder for one grading run, built under the output folder.

It holds a copy of the course config and the assignment's source, a gradebook made
from that source (so hidden tests come from the instructor's copy, never from students),
and each gradable submission under `submitted/<student>/<assignment>/`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder.course import Course
from autograder.release import generate_release
from autograder.submissions import Submission


def stage_course(course: Course, assignment: str, where: Path) -> Path:
    """Create a fresh course folder at `where` with the gradebook for `assignment`."""
    if where.exists():
        shutil.rmtree(where)
    (where / "source").mkdir(parents=True)
    shutil.copytree(course.source / assignment, where / "source" / assignment)
    shutil.copy(course.config, where / "nbgrader_config.py")
    generate_release(Course(where), assignment)
    return where


def stage_submission(root: Path, assignment: str, sub: Submission, release: Path) -> None:
    """Copy one hand-in (and the release's other files, e.g. images) where nbgrader looks."""
    dest = root / "submitted" / sub.student_id / assignment
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(release, dest, ignore=shutil.ignore_patterns("*.ipynb"))
    for name, path in sub.notebooks.items():
        shutil.copy(path, dest / name)
