"""After autograding: manual grading in nbgrader's real formgrader (JupyterLab, headless
Chromium), final grades and the Canvas file, regrades that keep a person's points only
where the answer did not change, and the class report."""

import csv
import re
import subprocess
import time
import urllib.request

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.gradebook import gradebook_url
from autograder.testing import make_mini_course, mini_submission, replace_cells, write_submission
from browser import _free_port, browser_page, save_screenshot
from grading import ROOT, autograded_cells, run_cli

WRONG = "def double(x):\n    return x + 1"


def _rows(path):
    with open(path, newline="") as fh:
        return {r.get("student_id") or r.get("Student"): r for r in csv.DictReader(fh)}


def _grade(course, subs, out):
    proc = run_cli("--course", str(course), "grade", "mini", str(subs), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return _rows(out / "grades.csv")


@pytest.fixture
def batch(tmp_path):
    course = make_mini_course(tmp_path / "course", ROOT / "nbgrader_config.py")
    source = course / "source" / "mini" / "mini.ipynb"
    subs = tmp_path / "subs"
    write_submission(mini_submission(source), subs, "alice", "mini.ipynb")
    write_submission(mini_submission(source, WRONG), subs, "bob", "mini.ipynb")
    out = tmp_path / "out"
    _grade(course, subs, out)
    return course, source, subs, out


def _set_manual(out, student, points, comment=None):
    with Gradebook(gradebook_url(out / "course")) as gb:
        gb.find_grade("explain", "mini", "mini", student).manual_score = points
        if comment:
            gb.find_comment("explain", "mini", "mini", student).manual_comment = comment
        gb.db.commit()


def _manual(out, student):
    with Gradebook(gradebook_url(out / "course")) as gb:
        return gb.find_grade("explain", "mini", "mini", student).manual_score


def _listening(port: int) -> bool:
    """Whether something still accepts connections on the port (a second or two after a stop)."""
    import socket

    for _ in range(10):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return False
        time.sleep(0.5)
    return True


def test_points_given_in_the_formgrader_reach_final_grades(batch):
    course, _, _, out = batch
    port, token = _free_port(), "formgrader-test"
    proc = subprocess.Popen([*_cli(), "formgrader", str(out), "--port", str(port), "--token", token],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/api/status?token={token}")
        with Gradebook(gradebook_url(out / "course")) as gb:
            submission_id = gb.find_submission_notebook("mini", "mini", "alice").id
        with browser_page() as page:
            page.goto(f"{base}/tree?token={token}", wait_until="load")  # logs in: the API calls need the cookie
            page.goto(f"{base}/formgrader/submissions/{submission_id}/", wait_until="load")
            written = page.locator(".nbgrader_cell", has_text="Doubling is linear")
            score = written.locator("input.score")
            score.wait_for(timeout=60_000)
            score.fill("1.5")
            score.press("Tab")  # the formgrader saves on change
            deadline = time.time() + 30
            while _manual(out, "alice") != 1.5 and time.time() < deadline:
                time.sleep(0.5)
            save_screenshot(page, "formgrader_manual_grade.png")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert _manual(out, "alice") == 1.5
    assert not _listening(port), "stopping the formgrader command left JupyterLab running"
    proc = run_cli("export", str(out))
    assert proc.returncode == 0, proc.stderr
    final = _rows(out / "final_grades.csv")
    assert final["alice"]["autograded"] == "3" and final["alice"]["manual"] == "1.5"
    assert final["alice"]["total"] == "4.5" and final["alice"]["max_score"] == "5"
    assert final["alice"]["ungraded"] == "" and final["bob"]["ungraded"] == "explain"
    assert "written answers nobody has graded yet for 1 student(s)" in proc.stderr and "(bob)" in proc.stderr
    canvas = _rows(out / "canvas.csv")
    assert canvas["Points Possible"]["mini"] == "5"
    assert canvas["alice"]["mini"] == "4.5" and canvas["bob"]["mini"] == "0"
    assert list(canvas["alice"])[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def test_feedback_regenerated_after_manual_grading_shows_points_and_comment(batch):
    _, _, _, out = batch
    _set_manual(out, "bob", 1.0, "Say why double is linear.")
    assert run_cli("export", str(out)).returncode == 0
    page = (out / "feedback" / "bob" / "mini.html").read_text()
    assert "1 / 2 points (graded by a person)" in page and "Say why double is linear." in page


def test_a_regrade_keeps_manual_points_of_unchanged_answers_and_drops_changed_ones(batch):
    course, source, subs, out = batch
    _set_manual(out, "alice", 2.0)
    _set_manual(out, "bob", 1.0)
    # alice rewrites her code (the written answer stays); bob rewrites his written answer
    write_submission(mini_submission(source, "def double(x):\n    return x + x"), subs, "alice", "mini.ipynb")
    bob = nbformat.read(subs / "bob" / "mini.ipynb", as_version=4)
    write_submission(replace_cells(bob, {"explain": "It is linear, I think."}), subs, "bob", "mini.ipynb")
    rows = _grade(course, subs, out)
    assert _manual(out, "alice") == 2.0
    assert _manual(out, "bob") is None
    assert "answers changed since a person graded them, to grade again: explain" in rows["bob"]["reason"]
    assert run_cli("export", str(out)).returncode == 0
    final = _rows(out / "final_grades.csv")
    assert final["alice"]["total"] == "5" and final["bob"]["ungraded"] == "explain"


def test_formgrader_scores_survive_a_regrade_after_a_hidden_test_fix(batch):
    """The instructor fixes a hidden test in source/ and regrades: the gradebook is updated
    in place, the new test decides the autograded points, and a person's points stay."""
    course, source, subs, out = batch
    _set_manual(out, "alice", 2.0, "Clear.")
    proc = run_cli("--course", str(course), "grade", "mini", str(subs), "--out", str(out))
    assert proc.returncode == 0  # nothing changed: nothing to regrade
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:  # the fixed test: a negative number the old test did not try
        if cell.metadata["nbgrader"]["grade_id"] == "test_negative":
            cell.source = cell.source.replace("double(-10)", "double(-7)")
    nbformat.write(nb, source)
    refused = run_cli("--course", str(course), "grade", "mini", str(subs), "--out", str(out))
    assert refused.returncode == 2 and "--regrade" in refused.stderr  # never silently, never deleting
    proc = run_cli("--course", str(course), "grade", "mini", str(subs), "--out", str(out), "--regrade")
    assert proc.returncode == 0, proc.stderr[-2000:]
    with Gradebook(gradebook_url(out / "course")) as gb:
        assert "double(-7)" in gb.find_source_cell("test_negative", "mini", "mini").source
    assert _manual(out, "alice") == 2.0
    assert run_cli("export", str(out)).returncode == 0
    final = _rows(out / "final_grades.csv")
    assert final["alice"]["total"] == "5" and final["alice"]["manual"] == "2"


def test_class_report_shows_every_test_with_its_pass_rate(graded):
    batch = graded("hw1_foundations")
    proc = run_cli("report", str(batch.out))
    assert proc.returncode == 0, proc.stderr
    with browser_page() as page:
        page.goto((batch.out / "report.html").resolve().as_uri(), wait_until="load")
        save_screenshot(page, "hw1_class_report.png")
        rows = page.locator("table.tests tbody tr").all_inner_texts()
        problems = page.locator("table.problems").inner_text()
        plots = page.locator("img[alt='plot']").count()
    by_test = {row.split("\t")[0]: row for row in rows}
    assert set(by_test) == set(autograded_cells("hw1_foundations"))
    assert all(re.search(r"\t\d+%\t", row) for row in rows)
    assert plots == 3  # score distribution, pass rates, time per submission
    assert "broken_json" in problems and "invalid notebook JSON" in problems
    assert "BEGIN HIDDEN TESTS" not in (batch.out / "report.html").read_text()


def _cli():
    import sys

    return [sys.executable, "-m", "autograder"]


def _wait_for(url, seconds=90):
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)
