"""Proof on a clean environment: the kit's wheel in an empty venv (see `kit_env`) pulls in
nothing of the grader's stack, and every assignment's bundle, unzipped in an empty folder
and filled with the reference answers, passes `python -m helpers.check` there (every
notebook run top to bottom in a fresh kernel, in sample mode, every public check passing).

Each notebook's time lands in out/test-artifacts/kit_notebook_times.json (the README's
table). Two notebooks run at a time, sharing the cores as the grader's slots do (each
kernel's thread pools sized to its share).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.testing import with_reference_answers
from browser import ARTIFACTS
from grading import ROOT
from kit_env import FORBIDDEN, clean_env, installed, kit_python

ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir() and not p.name.startswith("."))
NOTEBOOKS = [(a, p.name) for a in ASSIGNMENTS for p in sorted((ROOT / "release" / a).glob("*.ipynb"))]


@pytest.fixture(scope="module")
def kit(bundles):
    """(interpreter of the kit-only env, whether it was built now, the bundles' folder)."""
    started, dist = time.monotonic(), bundles
    python, made = kit_python(ROOT, next(dist.glob("dlcourse_kit-*.whl")))
    print(f"\nkit environment {'built' if made else 'reused'} in {time.monotonic() - started:.0f} s")
    return python, made, dist


@pytest.fixture(scope="module")
def checked(kit, tmp_path_factory, request):
    """Every bundle (of the notebooks this session selected) unzipped in an empty folder,
    answers filled in, checked in the kit's env, two at a time: (assignment, notebook) ->
    (exit status, output, seconds)."""
    python, _, dist = kit
    wanted = {(item.callspec.params["assignment"], item.callspec.params["notebook"])
              for item in request.session.items if getattr(item, "callspec", None)
              and {"assignment", "notebook"} <= set(item.callspec.params)}
    jobs = []
    for assignment in sorted({a for a, _ in wanted}):
        folder = tmp_path_factory.mktemp(f"student_{assignment}")
        with zipfile.ZipFile(dist / f"{assignment}.zip") as z:
            z.extractall(folder)
        for name in sorted((folder / assignment).glob("*.ipynb")):
            if (assignment, name.name) not in wanted:
                continue
            nb = with_reference_answers(nbformat.read(name, as_version=4), ROOT / "source" / assignment / name.name)
            nbformat.write(nb, name)
            jobs.append((assignment, name))

    threads = str(max(1, (os.cpu_count() or 2) // 2))
    share = {"OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads}

    def run(job):
        assignment, path = job
        started = time.monotonic()
        proc = subprocess.run([str(python), "-m", "helpers.check", path.name], cwd=path.parent,
                              env={**clean_env(python), **share, "COURSE_SAMPLE_MODE": "1", "MPLBACKEND": "Agg"},
                              capture_output=True, text=True, timeout=1200)
        return (assignment, path.name), (proc.returncode, proc.stdout + proc.stderr[-3000:],
                                         round(time.monotonic() - started, 1))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(pool.map(run, jobs))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    times = ARTIFACTS / "kit_notebook_times.json"
    recorded = json.loads(times.read_text()) if times.exists() else {}
    recorded.update({f"{a}/{n}": r[2] for (a, n), r in results.items()})
    times.write_text(json.dumps(recorded, indent=1, sort_keys=True))
    return results


def test_the_kit_installs_none_of_the_grader(kit):
    python = kit[0]
    have = installed(python)
    assert "dlcourse-kit" in have and "torch" in have and "dlcourse" not in have
    assert [name for name in FORBIDDEN if name in have] == []
    probe = subprocess.run([str(python), "-c", "import helpers, importlib.util; print(helpers.__file__); "
                            "print(importlib.util.find_spec('autograder'))"],
                           cwd=python.parent, env=clean_env(python), capture_output=True, text=True)
    where, autograder = probe.stdout.split()
    assert "site-packages" in where and not where.startswith(str(ROOT)), where
    assert autograder == "None"


def test_the_kit_brings_the_jupyterlab_setting_that_saves_widget_state(kit):
    python = kit[0]
    setting = python.parents[1] / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "dlcourse-kit.json"
    assert json.loads(setting.read_text())["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True


@pytest.mark.parametrize("assignment, notebook", NOTEBOOKS)
def test_every_bundled_notebook_passes_the_check_in_the_kit_env(checked, assignment, notebook):
    status, output, _ = checked[(assignment, notebook)]
    assert status == 0, output
    assert output.splitlines()[0].startswith(f"{notebook}: ready to hand in"), output


def test_the_setup_cell_installs_the_kit_from_the_bundle_once(kit, tmp_path):
    """Where the kit is missing, a bundle notebook's first cell installs it from the wheel
    beside the notebook, quietly; run again, it does nothing. (Runs last: it uninstalls the
    kit from the shared environment first, and leaves it installed.)"""
    python, _, dist = kit
    with zipfile.ZipFile(dist / "hw1_backprop.zip") as z:
        z.extractall(tmp_path)
    folder = tmp_path / "hw1_backprop"
    setup = nbformat.read(folder / "hw1_backprop.ipynb", as_version=4).cells[0]
    assert setup.metadata["tags"] == ["course-setup"]
    (folder / "setup.py").write_text(setup.source)
    subprocess.run([str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "dlcourse-kit"], check=True,
                   env=clean_env(python), cwd=folder)

    def setup_cell():
        return subprocess.run([str(python), "setup.py"], cwd=folder, env=clean_env(python), capture_output=True,
                              text=True, timeout=600)

    first = setup_cell()
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0].startswith("Installing the course kit") and "Installed." in first.stdout
    version = subprocess.run([str(python), "-c", "import helpers; print(helpers.__version__)"], cwd=folder,
                             env=clean_env(python), capture_output=True, text=True)
    assert version.stdout.strip() == kit_version()
    again = setup_cell()
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def kit_version() -> str:
    from autograder.bundle import course_version

    return course_version(ROOT)
