"""Batch behaviour of the grader on a tiny assignment: input layouts, kill -9 and resume."""

import csv
import os
import signal
import subprocess
import sys
import time
import zipfile

import nbformat
import pytest

from autograder.testing import make_mini_course, mini_submission, write_submission
from grading import ROOT, run_cli

WRONG = "def double(x):\n    return x + 1"


@pytest.fixture
def mini(tmp_path):
    course = make_mini_course(tmp_path / "course", ROOT / "nbgrader_config.py")
    return course, course / "source" / "mini" / "mini.ipynb"


def _rows(out):
    with open(out / "grades.csv", newline="") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def _grade(course, submissions, out, *extra):
    proc = run_cli("--course", str(course), "grade", "mini", str(submissions), "--out", str(out), *extra)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return _rows(out)


def test_lms_zip_with_ids_in_file_names(mini, tmp_path):
    course, source = mini
    archive = tmp_path / "export.zip"
    good = nbformat.writes(mini_submission(source))
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("alice_1234_mini.ipynb", good)
        zf.writestr("bob_5678_mini.ipynb", nbformat.writes(mini_submission(source, WRONG)))
        zf.writestr("carol_1_mini.ipynb", good)
        zf.writestr("carol_2_mini-late.ipynb", good)
        zf.writestr("notes.txt", "no id here")
    rows = _grade(course, archive, tmp_path / "out")
    assert float(rows["alice"]["score"]) == 3 and float(rows["bob"]["score"]) == 0
    assert rows["carol"]["status"] == "error" and "duplicate student: 2 files" in rows["carol"]["reason"]
    assert "no student id" in rows["notes.txt"]["reason"]


def test_nbgrader_submitted_layout(mini, tmp_path):
    course, source = mini
    submitted = tmp_path / "submitted"
    write_submission(mini_submission(source), submitted / "dana", "mini", "mini.ipynb")
    rows = _grade(course, submitted, tmp_path / "out")
    assert float(rows["dana"]["score"]) == 3


def test_empty_folder_is_a_clear_error(mini, tmp_path):
    course, _ = mini
    (tmp_path / "nothing").mkdir()
    proc = run_cli("--course", str(course), "grade", "mini", str(tmp_path / "nothing"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "no submissions found" in proc.stderr


def test_kill_minus_nine_then_rerun_finishes_without_regrading(mini, tmp_path):
    course, source = mini
    submissions, out = tmp_path / "subs", tmp_path / "out"
    students = [f"s{i}" for i in range(5)]
    for i, student in enumerate(students):
        write_submission(mini_submission(source, None if i % 2 == 0 else WRONG), submissions, student, "mini.ipynb")
    env = dict(os.environ, PATH=str(os.path.dirname(sys.executable)) + os.pathsep + os.environ["PATH"])
    cmd = [sys.executable, "-m", "autograder", "--course", str(course), "grade", "mini", str(submissions),
           "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = out / "state"
    deadline = time.time() + 240
    while time.time() < deadline and len(list(state.glob("*.json"))) < 2:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the grader and everything it started
    proc.wait()
    done_before = {p.stem: p.read_text() for p in state.glob("*.json")}
    assert 2 <= len(done_before) < len(students), "the kill should land mid-batch"

    rows = _grade(course, submissions, out, "--workers", "1")
    assert sorted(rows) == students  # every student once
    assert [float(rows[s]["score"]) for s in students] == [3, 0, 3, 0, 3]
    for student, text in done_before.items():  # what was graded before the kill was kept as it was
        assert (state / f"{student}.json").read_text() == text

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out / 'course' / 'gradebook.db'}") as gb:
        assert sorted(s.student.id for s in gb.find_assignment("mini").submissions) == students

    before = (state / "s0.json").stat().st_mtime_ns
    _grade(course, submissions, out, "--regrade")
    assert (state / "s0.json").stat().st_mtime_ns > before  # --regrade regrades


def test_ctrl_c_drops_queued_work_within_seconds_and_a_rerun_grades_only_the_rest(mini, tmp_path):
    course, source = mini
    submissions, out = tmp_path / "subs", tmp_path / "out"
    students = [f"s{i:02d}" for i in range(30)]
    for student in students:
        write_submission(mini_submission(source), submissions, student, "mini.ipynb")
    env = dict(os.environ, PATH=str(os.path.dirname(sys.executable)) + os.pathsep + os.environ["PATH"])
    cmd = [sys.executable, "-m", "autograder", "--course", str(course), "grade", "mini", str(submissions),
           "--out", str(out), "--workers", "2"]
    # As from a terminal: SIGINT at its default, which a suite started in the background (`cmd &`,
    # nohup) would otherwise pass on as ignored, so that Python never raises KeyboardInterrupt.
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    state = out / "state"
    deadline = time.time() + 240
    while time.time() < deadline and len(list(state.glob("*.json"))) < 3:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    pressed = time.monotonic()
    stdout, stderr = proc.communicate(timeout=60)
    took = time.monotonic() - pressed
    done = {p.stem: p.stat().st_mtime_ns for p in state.glob("*.json")}
    assert proc.returncode == 130, stderr[-2000:]
    assert took < 10, f"Ctrl-C took {took:.1f} s to return"
    assert "Traceback" not in stderr and "Run the same command again" in stderr
    assert 3 <= len(done) < len(students)

    rows = _grade(course, submissions, out, "--workers", "2")
    assert sorted(rows) == students and all(float(r["score"]) == 3 for r in rows.values())
    assert {s: (state / f"{s}.json").stat().st_mtime_ns for s in done} == done  # not graded twice
