"""Compile `source/<assignment>/` into the student release `release/<assignment>/`."""

from __future__ import annotations

from pathlib import Path

from autograder.course import Course
from autograder.nbgrader_api import ReleaseError, generate_assignment

__all__ = ["ReleaseError", "generate_release"]


def generate_release(course: Course, assignment: str, root: Path | None = None) -> Path:
    """Generate one assignment's release with nbgrader and return the release folder.

    `root` is the course folder nbgrader writes into (its `release/` and `gradebook.db`);
    it defaults to the course itself. A different root gets the course's config and a
    link to its `source/`, so a release can be regenerated elsewhere for comparison.
    """
    root = course.root if root is None else root
    if root != course.root:
        root.mkdir(parents=True, exist_ok=True)
        (root / "nbgrader_config.py").write_text(course.config.read_text())
        if not (root / "source").exists():
            (root / "source").symlink_to(course.source.resolve(), target_is_directory=True)
    generate_assignment(root, assignment)
    return root / "release" / assignment
