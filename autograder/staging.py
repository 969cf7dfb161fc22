"""The nbgrader course folder of a grading run, and each submission's job folder.

`OUT/course/` holds a copy of the course config and the assignment's source and the
gradebook made from it, so hidden tests come from the instructor's copy, never from
students. It is kept between runs of the same command (that is what makes a batch
resumable). When the source changed (a hidden test was fixed), `--regrade` updates it in
place: nbgrader regenerates the assignment into the same gradebook, so the points and
comments a person gave in the formgrader stay. Nothing deletes the gradebook.

`OUT/work/<student>/` is one submission's job: the prepared notebook (outside the
sandbox) and `scratch/`, the only folder the submission's kernel sees: the release's
files and the student's own notebook.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import nbformat

from autograder.course import Course
from autograder.nbgrader_api import generate_assignment
from autograder.sandbox.limits import Limits
from autograder.state import fingerprint


def stage_course(course: Course, assignment: str, where: Path, update: bool = False) -> Path:
    """The course folder for grading `assignment` at `where`, reused when still current;
    with `update`, brought up to the current source without losing the gradebook."""
    files = [p for p in (course.source / assignment).rglob("*") if p.is_file()]
    current = fingerprint(files + [course.config])
    stamp = where / ".source-sha256"
    graded = (where / "gradebook.db").exists()
    if graded and stamp.exists() and stamp.read_text() == current:
        return where
    if graded and not update:
        raise ValueError(f"{where} was graded with another version of source/{assignment}; pass --regrade "
                         "to grade everyone again with it (the formgrader's points and comments on unchanged "
                         "answers are kept), or use another --out")
    shutil.rmtree(where / "source" / assignment, ignore_errors=True)
    (where / "source").mkdir(parents=True, exist_ok=True)
    shutil.copytree(course.source / assignment, where / "source" / assignment)
    shutil.copy(course.config, where / "nbgrader_config.py")
    generate_assignment(where, assignment)
    stamp.write_text(current)
    return where


def make_job(job_dir: Path, notebook: nbformat.NotebookNode, student_file: Path, release: Path,
             limits: Limits, sandbox: bool, answer_names: list[str], record: bool = False) -> Path:
    """Lay out one submission's job folder for `autograder.executor`; `answer_names` are the
    names the student's answer cells are meant to bind (the grader protects the others);
    `record`: this is the reference run of the instructor's own notebook."""
    if job_dir.exists():
        shutil.rmtree(job_dir)
    scratch = job_dir / "scratch"
    shutil.copytree(release, scratch, ignore=shutil.ignore_patterns("*.ipynb"))
    shutil.copy(student_file, scratch / student_file.name)
    nbformat.write(notebook, job_dir / "input.ipynb")
    job = {"limits": asdict(limits), "sandbox": sandbox, "answer_names": answer_names, "record": record}
    (job_dir / "job.json").write_text(json.dumps(job))
    return job_dir
