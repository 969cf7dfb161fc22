"""Compile `source/<assignment>/` into the student release `release/<assignment>/`."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import nbformat

from autograder.course import Course
from autograder.nbgrader_api import ReleaseError, generate_assignment

__all__ = ["ReleaseError", "generate_release"]


def generate_release(course: Course, assignment: str, root: Path | None = None) -> Path:
    """Generate one assignment's release with nbgrader and return the release folder.

    `root` is the course folder nbgrader writes into (its `release/` and `gradebook.db`);
    it defaults to the course itself. nbgrader first works in a scratch course folder (the
    course's config, a link to its `source/`): only a release that generated cleanly
    replaces `release/<assignment>/`, so a mistake in the source (a missing END SOLUTION)
    leaves the previous release as it was and the error names the cell.
    """
    root = course.root if root is None else root
    problems = [f"{path.name}: {problem}" for path in sorted((course.source / assignment).glob("*.ipynb"))
                for problem in source_problems(nbformat.read(path, as_version=4))]
    if problems:
        raise ReleaseError(f"source/{assignment} has mistakes that nbgrader would reject:\n  "
                           + "\n  ".join(problems))
    with tempfile.TemporaryDirectory(prefix="release-") as scratch:
        work = Path(scratch)
        (work / "nbgrader_config.py").write_text(course.config.read_text())
        (work / "source").symlink_to(course.source.resolve(), target_is_directory=True)
        generate_assignment(work, assignment)
        target = root / "release" / assignment
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(work / "release" / assignment, target)
    return target


_REGION = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$", re.M)


def source_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Cell metadata and region markers nbgrader rejects, each naming its cell."""
    problems, seen = [], {}
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        label = f"cell {index}" + (f" ({meta.get('grade_id')})" if meta and meta.get("grade_id") else "")
        if meta:
            gid = meta.get("grade_id")
            if (meta.get("grade") or meta.get("solution") or meta.get("locked")) and not gid:
                problems.append(f"{label}: a graded, answer or read-only cell needs a grade_id")
            elif gid in seen:
                problems.append(f"{label}: grade_id {gid!r} is used twice (also by cell {seen[gid]})")
            elif gid:
                seen[gid] = index
            if meta.get("grade"):
                try:
                    points = float(meta.get("points"))
                    if points < 0:
                        problems.append(f"{label}: negative points")
                except (TypeError, ValueError):
                    problems.append(f"{label}: a graded cell needs its points (metadata nbgrader.points)")
        depth: dict[str, int] = {}
        for kind, region in _REGION.findall(cell.source):
            depth[region] = depth.get(region, 0) + (1 if kind == "BEGIN" else -1)
            if depth[region] < 0 or depth[region] > 1:
                break
        for region, level in depth.items():
            if level != 0:
                problems.append(f"{label}: ### BEGIN {region} and ### END {region} do not pair up")
        if "BEGIN SOLUTION" in cell.source and not (meta and meta.get("solution")) and cell.cell_type == "code":
            problems.append(f"{label}: has a solution region but is not marked as an answer cell")
    return problems
