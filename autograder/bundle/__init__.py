"""One zip per assignment for students: `python -m autograder release --bundle` writes
`dist/<assignment>.zip`, a folder `<assignment>/` holding

* the release notebooks (nbgrader's output in `release/`) with two cells added, tagged so
  the grader skips them: a first cell that installs the kit where it is missing (Colab, a
  new laptop) and a last cell that runs `helpers.check`; and a manifest of the release in
  their metadata, which `helpers.check` compares a student's copy with;
* the files the release ships (the SimCLR sample weights);
* the kit's wheel, `requirements.txt` (the wheel with the assignment's extra, every package
  pinned to the course's version) and a short student README.md.

`release/` itself stays exactly what nbgrader generates.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

from autograder.bundle.readme import student_readme
from autograder.bundle.requirements import extra_of, pins, requirements_txt
from autograder.bundle.setup_cell import check_cell, setup_cell
from autograder.course import Course
from autograder.sandbox.limits import Limits

PROJECT = Path(__file__).resolve().parents[2]  # the checkout holding kit/, helpers/ and requirements.txt
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries' timestamp: the same inputs give the same zip


def course_version(root: Path) -> str:
    """The course's one version (helpers/_version.py), read without importing helpers."""
    namespace: dict = {}
    exec((root / "helpers" / "_version.py").read_text(), namespace)
    return namespace["__version__"]


def build_kit_wheel(root: Path, dest: Path) -> Path:
    """Build the kit's wheel into `dest` with pip (setuptools, as kit/pyproject.toml says)."""
    dest.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dest),
                           str(root / "kit")], capture_output=True, text=True)
    wheel = dest / f"dlcourse_kit-{course_version(root)}-py3-none-any.whl"
    if proc.returncode != 0 or not wheel.exists():
        raise RuntimeError(f"could not build the kit's wheel:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return wheel


def limits_of(limits: Limits = Limits()) -> dict:
    return {"notebook_s": limits.timeout_s, "cell_s": limits.cell_timeout_s}


def student_notebook(release_nb, assignment: str, notebook: str, version: str, kit_url: str = "",
                     limits: Limits = Limits()) -> nbformat.NotebookNode:
    """A release notebook as a bundle carries it: setup cell, the release's cells, check
    cell, and the release's manifest in the metadata."""
    from helpers.check.manifest import KEY, describe

    nb = nbformat.from_dict(copy.deepcopy(dict(release_nb)))
    extra = extra_of(assignment)
    nb.metadata[KEY] = describe(nb, assignment, notebook, version, extra, limits_of(limits))
    nb.cells = [setup_cell(version, extra, assignment, kit_url), *nb.cells, check_cell()]
    nbformat.validate(nb)
    return nb


def write_bundle(course: Course, assignment: str, dist: Path, wheel: Path, kit_url: str = "",
                 limits: Limits = Limits(), project: Path = PROJECT) -> Path:
    """`dist/<assignment>.zip` from the course's `release/<assignment>/` and the kit's
    `wheel`; `project` is the checkout with the kit's pyproject and the course's pins."""
    release = course.release / assignment
    notebooks = sorted(p.name for p in release.glob("*.ipynb"))
    if not notebooks:
        raise ValueError(f"{release} has no notebooks: run `python -m autograder release {assignment}` first")
    version = course_version(project)
    files: dict[str, bytes] = {}
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        name = path.relative_to(release).as_posix()
        if path.suffix == ".ipynb":
            nb = student_notebook(nbformat.read(path, as_version=4), assignment, path.name, version, kit_url, limits)
            files[name] = (nbformat.writes(nb) + "\n").encode()
        elif ".ipynb_checkpoints" not in name:
            files[name] = path.read_bytes()
    files[wheel.name] = wheel.read_bytes()
    files["requirements.txt"] = requirements_txt(project, assignment, wheel.name).encode()
    torch = pins(project / "requirements.txt")["torch"].split("==")[-1]
    files["README.md"] = student_readme(assignment, notebooks, version, extra_of(assignment), torch,
                                        limits_of(limits)).encode()
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{assignment}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(f"{assignment}/{name}", FIXED_TIME)
            info.external_attr = 0o644 << 16  # rw-r--r-- once unzipped
            z.writestr(info, data, zipfile.ZIP_DEFLATED)
    return target


def write_bundles(course: Course, assignments: list[str], dist: Path, kit_url: str = "",
                  project: Path = PROJECT) -> list[Path]:
    """A bundle for each assignment, with one freshly built kit wheel (also left in `dist`)."""
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_kit_wheel(project, Path(tmp))
        dist.mkdir(parents=True, exist_ok=True)
        (dist / wheel.name).write_bytes(wheel.read_bytes())
    return [write_bundle(course, a, dist, dist / wheel.name, kit_url, project=project) for a in assignments]
