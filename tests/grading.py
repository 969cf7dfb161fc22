"""The one grading harness every assignment's tests share.

It grades a folder of submissions through the real command line (`python -m autograder
grade`, which runs real nbgrader), then exposes grades.csv rows and per-cell points.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.gradebook import read_scores
from autograder.report import read_csv
from autograder.testing import grade_id, reference_submission, replace_cells, write_submission

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m autograder ARGS`, as a grader would type it."""
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


@dataclass
class Batch:
    assignment: str
    out: Path
    rows: dict[str, dict[str, str]]  # student_id -> grades.csv row
    proc: subprocess.CompletedProcess

    def cells(self, student_id: str) -> dict[str, float]:
        """Points earned in each autograded cell (grade_id -> points)."""
        scores = read_scores(self.out / "course", self.assignment, student_id)
        assert scores is not None, f"no gradebook entry for {student_id}"
        return scores.cells


def grade_folder(assignment: str, submissions: Path, out: Path, *flags: str) -> Batch:
    if os.environ.get("CONTRACT_WORKERS") and "--workers" not in flags:  # fewer slots on a shared machine
        flags = (*flags, "--workers", os.environ["CONTRACT_WORKERS"])
    proc = run_cli("grade", assignment, str(submissions), "--out", str(out), *flags)
    assert proc.returncode == 0, f"grading failed:\n{proc.stdout}\n{proc.stderr}"
    rows = {r["student_id"]: r for r in read_csv(out / "grades.csv")}
    return Batch(assignment, out, rows, proc)


def autograded_cells(assignment: str, notebook: str = "*") -> dict[str, float]:
    """grade_id -> points of every autograded (code test) cell in the source notebooks
    (or in one of them: `notebook` is its name without .ipynb)."""
    cells = {}
    for path in sorted((ROOT / "source" / assignment).glob(f"{notebook}.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and cell.cell_type == "code":
                cells[grade_id(cell)] = float(meta["points"])
    return cells


def write_reference_and_bugs(assignment: str, folder: Path, bugs: dict[str, dict[str, str]]) -> None:
    """`reference` (the solution), `release` (untouched), and one student per entry of
    `bugs` (student id -> {answer grade_id: source}), each the reference with those cells
    rewritten (every notebook of the assignment, so each hand-in is complete)."""
    for path in sorted((ROOT / "source" / assignment).glob("*.ipynb")):
        reference = reference_submission(path)
        write_submission(reference, folder, "reference", path.name)
        release = nbformat.read(ROOT / "release" / assignment / path.name, as_version=4)
        write_submission(release, folder, "release", path.name)
        for name, answers in bugs.items():
            mine = {gid: src for gid, src in answers.items() if any(grade_id(c) == gid for c in reference.cells)}
            write_submission(replace_cells(reference, mine), folder, name, path.name)


# ---- checks every assignment's grading tests make ----

def assert_full_marks(batch: Batch, student: str = "reference") -> None:
    row = batch.rows[student]
    assert row["status"] == "graded", row["reason"]
    full = autograded_cells(batch.assignment)
    assert float(row["score"]) == float(row["max_score"]) == sum(full.values())
    assert batch.cells(student) == full


def assert_zero_everywhere(batch: Batch, student: str = "release") -> None:
    assert batch.rows[student]["status"] == "graded"
    cells = batch.cells(student)
    assert set(cells) == set(autograded_cells(batch.assignment))
    assert all(points == 0 for points in cells.values()), cells


def assert_bug_caught(batch: Batch, student: str, failing: frozenset[str]) -> None:
    """The submission carrying a seeded bug loses points on every test the bug must fail."""
    assert batch.rows[student]["status"] == "graded"
    got, full = batch.cells(student), autograded_cells(batch.assignment)
    kept = {cell: got[cell] for cell in failing if got[cell] >= full[cell]}
    assert kept == {}, f"tests that kept their full points: {kept}"


def assert_points_lost(batch: Batch, student: str, lost: dict[str, float], shared: set[str]) -> None:
    """The declared points are what the bug costs: exactly, where no other bug packed into
    the same hand-in touches that test; at least, where one does."""
    got, full = batch.cells(student), autograded_cells(batch.assignment)
    wrong = {}
    for test, points in lost.items():
        actual = full[test] - got[test]
        if (actual != points) if test not in shared else (actual < points):
            wrong[test] = f"lost {actual:g}, declared {points:g}"
    assert wrong == {}, wrong


def assert_nothing_else_lost(batch: Batch, student: str, hit: set[str]) -> None:
    """Tests outside `hit` (what the submission's bugs may break) keep full points."""
    full = autograded_cells(batch.assignment)
    got = batch.cells(student)
    assert {c: got[c] for c in full if c not in hit} == {c: p for c, p in full.items() if c not in hit}
    assert float(batch.rows[student]["score"]) < float(batch.rows[student]["max_score"])
