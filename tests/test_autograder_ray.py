"""The Ray backend on a real local Ray instance that this test starts and stops."""

import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder.testing import make_mini_course, mini_submission, write_submission
from grading import ROOT, run_cli


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ray_cluster():
    ray = str(Path(sys.executable).parent / "ray")
    temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Ray's socket paths must stay short
    port = _free_port()
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
    start = subprocess.run([ray, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
                            "--num-cpus=2", "--num-gpus=0", "--include-dashboard=false", "--disable-usage-stats",
                            f"--temp-dir={temp}"], env=env, capture_output=True, text=True, timeout=180)
    assert start.returncode == 0, start.stderr[-3000:]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([ray, "stop", "--force"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(temp, ignore_errors=True)


def test_ray_backend_grades_each_submission_as_a_task(ray_cluster, tmp_path):
    course = make_mini_course(tmp_path / "course", ROOT / "nbgrader_config.py")
    source = course / "source" / "mini" / "mini.ipynb"
    subs = tmp_path / "subs"
    write_submission(mini_submission(source), subs, "ray_good", "mini.ipynb")
    write_submission(mini_submission(source, "def double(x):\n    return x"), subs, "ray_wrong", "mini.ipynb")
    write_submission(mini_submission(source, "import os\nos._exit(3)"), subs, "ray_crash", "mini.ipynb")
    proc = run_cli("--course", str(course), "grade", "mini", str(subs), "--out", str(tmp_path / "out"),
                   "--backend", "ray", "--ray-address", ray_cluster)
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open(tmp_path / "out" / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert float(rows["ray_good"]["score"]) == 3
    assert float(rows["ray_wrong"]["score"]) == 0
    assert float(rows["ray_crash"]["score"]) == 0 and "kernel died" in rows["ray_crash"]["reason"]
