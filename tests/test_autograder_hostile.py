"""Hostile and broken submissions against the real grader (bubblewrap sandbox, real nbgrader).

One batch of a tiny assignment: honest students and attackers side by side. Each attack
must be contained and graded as it deserves, and every other student's grade unchanged.
"""

import json

import nbformat
import pytest

from autograder.testing import make_mini_course, mini_submission, write_submission
from grading import ROOT, run_cli

GOOD = "def double(x):\n    return 2 * x"
WRONG = "def double(x):\n    return x + 1"


def _attacks(out, submissions, course):
    gradebook = out / "course" / "gradebook.db"
    source = course / "source" / "mini" / "mini.ipynb"
    other = submissions / "honest" / "mini.ipynb"
    return {
        "honest": GOOD,
        "wrong": WRONG,
        "infinite_loop": "while True:\n    pass",
        "memory_bomb": GOOD + "\nhog = [bytearray(64 * 1024 * 1024) for _ in range(10_000)]",
        "exits_kernel": GOOD + "\nimport os\nos.write(2, b\"native crash: bus error\\n\")\nos._exit(0)",
        "reads_secrets": (
            "import pathlib\nleaked = []\n"
            f"for p in [{str(gradebook)!r}, {str(source)!r}, {str(other)!r}, {str(ROOT / 'source')!r}]:\n"
            "    try:\n        leaked.append(pathlib.Path(p).read_bytes()[:20] if pathlib.Path(p).is_file()\n"
            "                      else sorted(pathlib.Path(p).iterdir()))\n"
            "    except Exception:\n        pass\n"
            "def double(x):\n    return 0 if leaked else 2 * x"),
        "writes_elsewhere": (
            GOOD + f"\nfor p in [{str(other)!r}, {str(out / 'grades.csv')!r}, {str(gradebook)!r}]:\n"
            "    try:\n        open(p, 'w').write('{}')\n    except Exception:\n        pass"),
        "monkeypatches": (
            WRONG + "\nimport builtins, sys\nimport numpy as np, torch, helpers\n"
            "from IPython import get_ipython\n"
            "np.allclose = lambda *a, **k: True\ntorch.allclose = lambda *a, **k: True\n"
            "helpers.rel_error = lambda *a, **k: 0.0\n"
            "import helpers.numerics\nhelpers.numerics.rel_error = lambda *a, **k: 0.0\n"
            "sys.excepthook = lambda *a: None\n"
            "get_ipython().showtraceback = lambda *a, **k: None\n"
            "get_ipython().events.register('post_run_cell', lambda result: setattr(result, 'error_in_exec', None))\n"
            "builtins.AssertionError = type('AssertionError', (Exception,), {})\n"
            "_real_print = print\nbuiltins.print = lambda *a, **k: None"),
        "warns": ("import sys, warnings\n"
                  "def double(x):\n    warnings.warn('taking the slow path', RuntimeWarning)\n"
                  "    print('a note on stderr', file=sys.stderr)\n    return 2 * x"),
        "network": (
            "import socket\ntry:\n    socket.create_connection(('93.184.216.34', 80), timeout=3)\n    online = True\n"
            "except OSError:\n    online = False\n"
            "def double(x):\n    return 0 if online else 2 * x"),
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    course = make_mini_course(base / "course", ROOT / "nbgrader_config.py")
    submissions, out = base / "submissions", base / "out"
    source = course / "source" / "mini" / "mini.ipynb"
    for student, answer in _attacks(out, submissions, course).items():
        write_submission(mini_submission(source, answer), submissions, student, "mini.ipynb")
    # A student who edited a test cell to pass, and one who deleted a test cell.
    edited = mini_submission(source, WRONG)
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_double":
            cell.source = "pass"
    write_submission(edited, submissions, "edits_tests", "mini.ipynb")
    deleted = mini_submission(source, GOOD)
    deleted.cells = [c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_negative"]
    write_submission(deleted, submissions, "deletes_tests", "mini.ipynb")
    no_answer = mini_submission(source, GOOD)
    no_answer.cells = [c for c in no_answer.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "answer"]
    write_submission(no_answer, submissions, "deletes_answer", "mini.ipynb")
    renamed = mini_submission(source, GOOD)
    for cell in renamed.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.metadata["nbgrader"]["grade_id"] = "my_answer"
    write_submission(renamed, submissions, "renames_ids", "mini.ipynb")
    bare = mini_submission(source, GOOD)
    for cell in bare.cells:
        cell.metadata.pop("nbgrader", None)
    write_submission(bare, submissions, "drops_metadata", "mini.ipynb")
    make_mini_course(base / "course", ROOT / "nbgrader_config.py", name="other")  # a second assignment
    other_source = course / "source" / "other" / "other.ipynb"
    other = nbformat.read(other_source, as_version=4)
    for cell in other.cells:  # its own cell names
        cell.metadata["nbgrader"]["grade_id"] = "other_" + cell.metadata["nbgrader"]["grade_id"]
    nbformat.write(other, other_source)
    write_submission(mini_submission(other_source), submissions, "wrong_assignment", "mini.ipynb")
    honest_bytes = (submissions / "honest" / "mini.ipynb").read_bytes()
    proc = run_cli("--course", str(course), "grade", "mini", str(submissions), "--out", str(out),
                   "--workers", "2", "--timeout", "40", "--memory", "512")
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {r["student_id"]: r for r in __import__("csv").DictReader(open(out / "grades.csv"))}
    return {"rows": rows, "out": out, "submissions": submissions, "honest_bytes": honest_bytes, "proc": proc}


def _score(hostile, student):
    return float(hostile["rows"][student]["score"])


def test_honest_and_wrong_students_get_what_they_deserve(hostile):
    assert _score(hostile, "honest") == 3 and _score(hostile, "wrong") == 0


def test_infinite_loop_is_stopped_and_fails(hostile):
    row = hostile["rows"]["infinite_loop"]
    assert row["status"] == "graded" and float(row["score"]) == 0
    assert "limit" in row["reason"] or "timeout" in row["reason"].lower()


def test_memory_bomb_is_contained(hostile):
    # The allocation fails inside the sandbox; `double` was defined first, so the tests pass.
    assert hostile["rows"]["memory_bomb"]["status"] == "graded"
    assert _score(hostile, "memory_bomb") == 3
    executed = hostile["out"] / "course" / "autograded" / "memory_bomb" / "mini" / "mini.ipynb"
    answer = [c for c in nbformat.read(executed, as_version=4).cells if c.metadata.get("nbgrader", {}).get("grade_id") == "answer"][0]
    assert any(o.get("ename") == "MemoryError" for o in answer.outputs)


def test_a_dead_kernel_fails_the_cells_that_did_not_run(hostile):
    row = hostile["rows"]["exits_kernel"]
    assert float(row["score"]) == 0 and "kernel died" in row["reason"]
    assert "its last words: native crash: bus error" in row["reason"]  # the kernel's stderr is kept


def test_secrets_are_not_readable_from_the_sandbox(hostile):
    assert _score(hostile, "reads_secrets") == 3  # nothing leaked, so its honest answer stands


def test_writes_outside_the_sandbox_go_nowhere(hostile):
    assert _score(hostile, "writes_elsewhere") == 3
    assert (hostile["submissions"] / "honest" / "mini.ipynb").read_bytes() == hostile["honest_bytes"]
    assert _score(hostile, "honest") == 3


def test_monkeypatching_cannot_turn_failing_tests_into_passes(hostile):
    assert _score(hostile, "monkeypatches") == 0


def test_no_network_inside_the_sandbox(hostile):
    assert _score(hostile, "network") == 3


def test_edited_test_cells_are_restored_and_reported(hostile):
    row = hostile["rows"]["edits_tests"]
    assert float(row["score"]) == 0 and "edited read-only cells" in row["reason"] and "test_double" in row["reason"]


def test_deleted_test_cells_are_put_back_graded_and_every_total_agrees(hostile):
    row = hostile["rows"]["deletes_tests"]
    assert float(row["score"]) == 3 and "deleted cells put back and graded: test_negative" in row["reason"]
    out = hostile["out"]
    for student, row in hostile["rows"].items():  # feedback, results.json and grades.csv agree
        if row["status"] != "graded":
            continue
        results = json.loads((out / "results" / student / "results.json").read_text())
        assert sum(t["score"] for t in results["tests"]) == float(row["score"]), student
        assert sum(t["max_score"] for t in results["tests"]) == float(row["max_score"]), student
        page = (out / "feedback" / student / "mini.html").read_text()
        assert f"Autograded total: {float(row['score']):g} / {float(row['max_score']):g} points" in page, student


def test_a_deleted_answer_is_graded_as_not_answered(hostile):
    row = hostile["rows"]["deletes_answer"]
    assert float(row["score"]) == 0 and "deleted answer cells put back empty" in row["reason"]


def test_a_renamed_cell_gets_its_name_back(hostile):
    row = hostile["rows"]["renames_ids"]
    assert float(row["score"]) == 3 and "'my_answer' is 'answer' again" in row["reason"]


def test_notebooks_without_metadata_or_of_another_assignment_say_so(hostile):
    bare, other = hostile["rows"]["drops_metadata"], hostile["rows"]["wrong_assignment"]
    assert bare["status"] == "error" and "no nbgrader cell metadata" in bare["reason"]
    assert other["status"] == "error" and "this is the notebook of other/other" in other["reason"]
    page = (hostile["out"] / "feedback" / "wrong_assignment" / "mini.html").read_text()
    assert "was not graded" in page and "other/other" in page


def test_a_correct_answer_that_warns_keeps_its_points(hostile):
    assert _score(hostile, "warns") == 3 and hostile["rows"]["warns"]["reason"] == ""


def test_feedback_and_results_never_show_hidden_tests(hostile):
    out = hostile["out"]
    for student in hostile["rows"]:
        html = out / "feedback" / student / "mini.html"
        if html.exists():
            text = html.read_text()
            assert "double(-10)" not in text and "_observe" not in text and "linspace" not in text, student
            graded = hostile["rows"][student]["status"] == "graded"
            assert ("hidden tests ran here" if graded else "was not graded") in text, student
    results = json.loads((out / "results" / "wrong" / "results.json").read_text())
    assert {t["name"] for t in results["tests"]} == {"test_double", "test_negative"}
    assert all(t["status"] == "failed" for t in results["tests"])
    assert "double(-10)" not in json.dumps(results) and "_observe" not in json.dumps(results)


def test_summary_and_progress_are_printed(hostile):
    assert "submissions:" in hostile["proc"].stdout and "grading mini" in hostile["proc"].stderr
