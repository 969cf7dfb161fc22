"""One sandbox per hand-in: what a hand-in leaves running cannot see the next one.

Two hand-ins graded one after the other in the same worker slot (one fork server, one
PID namespace): the first starts a process in its own session that keeps trying to copy
the next kernel's connection file and notebook through the slot's `/tmp`; the second
looks for that process and anything it left. The fork server's sweep between hand-ins
must leave it nothing to find.
"""

import nbformat
import pytest

from autograder.sandbox.bwrap import bwrap_available
from autograder.testing import make_mini_course, mini_submission, write_submission
from grading import ROOT, run_cli

LEAVER = r'''
import subprocess, sys, time
_spy = r"""
import glob, os, shutil, time
for _ in range(3000):
    try:
        open("/tmp/leftover-was-here", "w").write("x")
        for f in glob.glob("/tmp/slot-*/k*/kernel.json"):
            shutil.copy(f, os.path.expanduser("~/stolen-" + os.path.basename(os.path.dirname(f))))
        for f in glob.glob(os.path.expanduser("~/*.ipynb")):
            shutil.copy(f, "/tmp/copied-" + os.path.basename(f))
    except Exception:
        pass
    time.sleep(0.05)
"""
subprocess.Popen([sys.executable, "-c", _spy, "LEFTOVER-MARKER"], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1.0)
import os
print("leftover alive:", os.path.exists("/tmp/leftover-was-here"))
def double(x):
    return 2 * x
'''

VICTIM = r'''
import glob, os
_seen = []
for _pid in os.listdir("/proc"):
    if _pid.isdigit():
        try:
            if b"LEFTOVER-MARKER" in open(f"/proc/{_pid}/cmdline", "rb").read():
                _seen.append(f"process {_pid}")
        except OSError:
            pass
_seen += glob.glob("/tmp/leftover-was-here") + glob.glob("/tmp/copied-*") + glob.glob(os.path.expanduser("~/stolen-*"))
print("seen:", _seen)
def double(x):
    return 0 if _seen else 2 * x
'''


@pytest.mark.skipif(not bwrap_available(), reason="needs bubblewrap")
def test_a_process_left_behind_cannot_see_the_next_hand_in(tmp_path):
    course = make_mini_course(tmp_path / "course", ROOT / "nbgrader_config.py")
    source = course / "source" / "mini" / "mini.ipynb"
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(mini_submission(source, LEAVER), subs, "a_leaver", "mini.ipynb")
    write_submission(mini_submission(source, VICTIM), subs, "b_victim", "mini.ipynb")
    proc = run_cli("--course", str(course), "grade", "mini", str(subs), "--out", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-3000:]

    def answer_output(student):
        nb = nbformat.read(out / "course" / "autograded" / student / "mini" / "mini.ipynb", as_version=4)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "answer")
        return "".join(o.get("text", "") for o in cell.outputs)

    assert "leftover alive: True" in answer_output("a_leaver")  # the attack really ran
    assert "seen: []" in answer_output("b_victim")
    rows = {r["student_id"]: r for r in __import__("csv").DictReader(open(out / "grades.csv"))}
    assert float(rows["b_victim"]["score"]) == 3 and float(rows["a_leaver"]["score"]) == 3
