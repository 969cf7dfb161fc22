"""The reference run: the instructor's solution observed by its own hidden tests.

Before judging anyone, the grader runs each source notebook (solutions and hidden tests
as the instructor wrote them) through the same backend, sandbox, seeds and inputs as the
hand-ins, in recording mode, and keeps what its hidden tests observed: the values the
students' observations are compared with, and the points, judge and parameters of each.
They stay in the grader's process and in a cache outside every sandbox
(`$COURSE_REFERENCE_CACHE`, default `~/.cache/dlcourse-grader/references`), keyed by a
hash of the assignment's source folder, the `helpers` package and the kernel-side grader,
the data mode and the device; a batch of the same assignment version reuses them.
"""

from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import Future
from pathlib import Path

import nbformat

from autograder.executor import answer_names, is_test_cell
from autograder.judging import Expected, RecordingError, expectations
from autograder.sandbox.bwrap import kernel_side, project_root
from autograder.staging import make_job
from autograder.state import fingerprint

PROTOCOL = 1  # bump when what a reference record holds changes


def cache_dir() -> Path:
    return Path(os.environ.get("COURSE_REFERENCE_CACHE") or "~/.cache/dlcourse-grader/references").expanduser()


def test_points(notebook: nbformat.NotebookNode) -> dict[str, float]:
    """grade_id -> points of every autograded test cell of a source notebook."""
    return {cell.metadata["nbgrader"]["grade_id"]: float(cell.metadata["nbgrader"].get("points", 0))
            for cell in notebook.cells if is_test_cell(cell)}


def reference_key(source_folder: Path, notebook: str, device: str) -> str:
    """What the reference observations depend on: the assignment's files, the student
    tools and kernel-side grader they run with, the data mode and the device."""
    files = [p for p in source_folder.rglob("*") if p.is_file() and p.name != "judges.py"]
    helpers = project_root() / "helpers"
    files += sorted(helpers.rglob("*.py"))
    for part in kernel_side():
        files += sorted(part.rglob("*.py")) if part.is_dir() else [part]
    mode = os.environ.get("COURSE_SAMPLE_MODE", "")
    scale = os.environ.get("COURSE_TRAINING_SCALE", "")  # a cut full-mode rehearsal records its own references
    standins = os.environ.get("COURSE_STANDIN_MIRROR", "").strip().lower() in ("1", "true", "yes", "on")
    mirror = "-standins" if standins else ""
    tag = f"-{notebook}-{device}-sample{mode}" + (f"-scale{scale}" if scale else "") + mirror
    return fingerprint(files) + f"{tag}-v{PROTOCOL}".replace("/", "_")


class References:
    """The reference observations of one assignment's notebooks for a batch: read from the
    cache, or recorded by a job submitted to the batch's backend ahead of the hand-ins."""

    def __init__(self, root: Path, assignment: str, notebooks: list[str], work: Path, device: str):
        self.root, self.assignment, self.work, self.device = root, assignment, work, device
        self.source = root / "source" / assignment
        self.notebooks = notebooks
        self._jobs: dict[str, tuple[Future, Path, Path]] = {}
        self._ready: dict[str, dict[str, list[Expected]]] = {}

    def cache_path(self, notebook: str) -> Path:
        return cache_dir() / f"{reference_key(self.source, notebook, self.device)}.json"

    def start(self, backend, limits, sandbox: bool) -> None:
        """Submit a recording job for each notebook whose observations are not cached."""
        for name in self.notebooks:
            if self.cache_path(name).exists():
                continue
            job_dir = self.work / "_reference" / Path(name).stem
            source_nb = nbformat.read(self.source / name, as_version=4)
            job = make_job(job_dir, source_nb, self.source / name, self.root / "release" / self.assignment,
                           limits, sandbox, answer_names(source_nb), record=True)
            self._jobs[name] = (backend.submit(job, limits.timeout_s), job, self.cache_path(name))

    def expected(self, notebook: str) -> dict[str, list[Expected]]:
        """grade_id -> expected observations (waits for the recording job the first time)."""
        if notebook not in self._ready:
            path = self.cache_path(notebook)
            if notebook in self._jobs and not path.exists():
                self._finish(notebook, *self._jobs[notebook])
            records = json.loads(path.read_text())
            points = test_points(nbformat.read(self.source / notebook, as_version=4))
            self._ready[notebook] = expectations(records, points)
        return self._ready[notebook]

    def _finish(self, notebook: str, future: Future, job: Path, path: Path) -> None:
        status = future.result()
        observed = job / "observations.json"
        if not observed.exists() or status.get("state") not in ("finished",):
            raise RecordingError(f"the reference run of {notebook} failed: {status.get('reason') or status}"
                                 + _errors(job))
        records = json.loads(observed.read_text())
        points = test_points(nbformat.read(self.source / notebook, as_version=4))
        try:
            expectations(records, points)  # check before caching
        except RecordingError as err:
            raise RecordingError(f"{notebook}: {err}{_errors(job)}") from None
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(records))
        tmp.replace(path)
        shutil.rmtree(job, ignore_errors=True)


def _errors(job: Path) -> str:
    """The errors the reference run's cells raised, for the instructor."""
    executed = job / "executed.ipynb"
    if not executed.exists():
        return ""
    lines = []
    for cell in nbformat.read(executed, as_version=4).cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
                lines.append(f"{gid}: {out.get('ename')}: {out.get('evalue')}")
    return ("\n  errors in the reference run:\n    " + "\n    ".join(lines[:10])) if lines else ""
