"""`helpers.check` on crafted copies of a bundled notebook (the tiny course's, so each run
takes seconds): it passes the reference and names each thing the grader would see; and
the grader skips the cells a bundle adds, scoring a bundled hand-in like the plain one."""

import subprocess
import sys

import nbformat
import pytest

from autograder.bundle import student_notebook
from autograder.course import Course
from autograder.release import generate_release
from autograder.report import read_csv
from autograder.testing import make_mini_course, mini_submission, with_reference_answers, write_submission
from grading import ROOT, run_cli
from helpers.check import check
from helpers.check.manifest import compare, manifest_of


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    """The tiny course, released by nbgrader, and its notebook as a bundle carries it."""
    root = make_mini_course(tmp_path_factory.mktemp("mini") / "course", ROOT / "nbgrader_config.py")
    release = generate_release(Course(root), "mini")
    bundled = student_notebook(nbformat.read(release / "mini.ipynb", as_version=4), "mini", "mini.ipynb", "0.1.0")
    return root, bundled, with_reference_answers(bundled, root / "source" / "mini" / "mini.ipynb")


def _cell(nb, gid):
    return next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == gid)


def _save(nb, folder, name="mini.ipynb"):
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def test_the_reference_passes(mini, tmp_path):
    report = check(_save(mini[2], tmp_path), quiet=True)
    assert report.ok and report.problems == [], report.text()
    assert "ran in a fresh kernel" in report.text()


def test_a_wrong_answer_is_a_failing_cell_named_by_its_exercise(mini, tmp_path):
    nb = nbformat.from_dict(mini[2])
    _cell(nb, "answer").source = "def double(x):\n    return x + 1"
    report = check(_save(nb, tmp_path), quiet=True)
    assert not report.ok
    assert any("cells that fail" in p and "[test_double]" in p and "AssertionError" in p for p in report.problems)


def test_crafted_copies_are_flagged_without_running(mini):
    reference = mini[2]
    missing = nbformat.from_dict(mini[1])  # the release as handed out: nothing answered
    assert compare(missing, manifest_of(missing)).unanswered == ["answer", "explain"]
    edited = nbformat.from_dict(reference)
    _cell(edited, "test_double").source = "assert True"
    assert compare(edited, manifest_of(edited)).edited == ["test_double"]
    deleted = nbformat.from_dict(reference)
    deleted.cells = [c for c in deleted.cells if c is not _cell(deleted, "test_negative")]
    assert compare(deleted, manifest_of(deleted)).deleted == ["test_negative"]
    renamed = nbformat.from_dict(reference)
    _cell(renamed, "test_double").metadata["nbgrader"]["grade_id"] = "test_double_copy"
    found = compare(renamed, manifest_of(renamed))
    assert found.renamed == [("test_double", "test_double_copy")] and found.deleted == []
    clean = compare(reference, manifest_of(reference))
    assert (clean.unanswered, clean.edited, clean.deleted, clean.renamed) == ([], [], [], [])


def test_the_command_line_reports_all_four_and_fails(mini, tmp_path):
    nb = nbformat.from_dict(mini[2])
    _cell(nb, "answer").source = mini[1].cells[[c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                                                 for c in mini[1].cells].index("answer")].source
    _cell(nb, "test_double").source += "\nprint('edited')"
    nb.cells = [c for c in nb.cells if c is not _cell(nb, "explain")]
    _cell(nb, "setup").metadata["nbgrader"]["grade_id"] = "my_setup"
    path = _save(nb, tmp_path)
    proc = subprocess.run([sys.executable, "-m", "helpers.check", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "mini.ipynb: 4 problem(s) the grader will see", proc.stdout
    assert any("answers still missing: answer" in ln for ln in lines)
    assert any("read-only or test cells you changed: test_double" in ln for ln in lines)
    assert any("cells deleted: explain" in ln for ln in lines)
    assert any("no longer match the release: my_setup (released as setup)" in ln for ln in lines)
    assert len(lines) <= 8, "a few lines, not a log"


def test_the_grader_skips_the_cells_a_bundle_adds(mini, tmp_path):
    """The bundle's setup and check cells never run under the grader: here both are made
    to kill the kernel if they ran, and the bundled reference still scores full marks with
    nothing to report."""
    root, _, reference = mini
    nb = nbformat.from_dict(reference)
    for cell in (nb.cells[0], nb.cells[-1]):
        cell.source = "import os\nos._exit(3)"
    write_submission(nb, tmp_path / "in", "bundled", "mini.ipynb")
    write_submission(mini_submission(root / "source" / "mini" / "mini.ipynb"), tmp_path / "in", "plain", "mini.ipynb")
    proc = run_cli("--course", str(root), "grade", "mini", str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {r["student_id"]: r for r in read_csv(tmp_path / "out" / "grades.csv")}
    for student in ("bundled", "plain"):
        assert float(rows[student]["score"]) == float(rows[student]["max_score"]) == 3, rows[student]
        assert (rows[student]["status"], rows[student]["reason"]) == ("graded", ""), rows[student]
