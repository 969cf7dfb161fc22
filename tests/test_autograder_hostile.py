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


def test_deleted_test_cells_score_zero_and_are_reported(hostile):
    row = hostile["rows"]["deletes_tests"]
    assert float(row["score"]) == 2 and "deleted" in row["reason"] and "test_negative" in row["reason"]


def test_feedback_and_results_never_show_hidden_tests(hostile):
    out = hostile["out"]
    for student in hostile["rows"]:
        html = out / "feedback" / student / "mini.html"
        if html.exists():
            text = html.read_text()
            assert "double(-10)" not in text and "_observe" not in text and "linspace" not in text, student
            assert "hidden tests ran here" in text
    results = json.loads((out / "results" / "wrong" / "results.json").read_text())
    assert {t["name"] for t in results["tests"]} == {"test_double", "test_negative"}
    assert all(t["status"] == "failed" for t in results["tests"])
    assert "double(-10)" not in json.dumps(results) and "_observe" not in json.dumps(results)


def test_summary_and_progress_are_printed(hostile):
    assert "submissions:" in hostile["proc"].stdout and "grading mini" in hostile["proc"].stderr
