"""The kit and the grader as two distributions with one version, and the bundles' contents
(the zips of every assignment, written once per session from release/)."""

import ast
import re
import tomllib
import zipfile

import nbformat
import pytest

from autograder.bundle import course_version
from autograder.bundle.requirements import extra_of, kit_packages, normalized, pins
from autograder.bundle.setup_cell import CHECK_TAG, SETUP_TAG
from grading import ROOT
from helpers.check import manifest

ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir() and not p.name.startswith("."))
GRADER_ONLY = {"autograder", "nbgrader", "ray", "playwright", "pytest", "jupyter_server", "nbconvert", "tests"}


def _toml(path):
    return tomllib.loads((ROOT / path).read_text())["project"]


def test_the_grader_requires_the_kit_at_the_course_version():
    requirement = next(r for r in _toml("pyproject.toml")["dependencies"] if r.startswith("dlcourse-kit"))
    assert requirement == f"dlcourse-kit=={course_version(ROOT)}"
    assert _toml("kit/pyproject.toml")["name"] == "dlcourse-kit"


def test_every_assignment_has_an_extra_and_every_kit_package_a_pin():
    course_pins = pins(ROOT / "requirements.txt")
    for assignment in ASSIGNMENTS:
        names = kit_packages(ROOT, extra_of(assignment))
        assert {"torch", "numpy", "ipywidgets"} <= set(names)
        assert [n for n in names if normalized(n) not in course_pins] == [], assignment
    assert not {"nbgrader", "ray", "playwright", "pytest", "jupyter-server", "jupyterlab"} & {
        normalized(n) for n in kit_packages(ROOT, "all")}


def test_the_kit_never_imports_the_grader():
    found = {}
    for path in (ROOT / "helpers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            hits = [n for n in names if n.split(".")[0] in GRADER_ONLY]
            if hits:
                found[str(path.relative_to(ROOT))] = hits
    assert found == {}


def test_the_grader_and_the_check_agree_on_the_added_cells():
    assert (SETUP_TAG, CHECK_TAG) == (manifest.SETUP_TAG, manifest.CHECK_TAG)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_bundle_holds_the_release_the_wheel_pins_and_a_readme(bundles, assignment):
    with zipfile.ZipFile(bundles / f"{assignment}.zip") as z:
        names = {n.split("/", 1)[1]: n for n in z.namelist()}
        assert all(n.startswith(f"{assignment}/") for n in z.namelist())
        release = ROOT / "release" / assignment
        shipped = sorted(p.name for p in release.iterdir() if p.is_file())
        wheel = f"dlcourse_kit-{course_version(ROOT)}-py3-none-any.whl"
        assert sorted(names) == sorted(shipped + [wheel, "requirements.txt", "README.md"])
        for name in shipped:
            if not name.endswith(".ipynb"):
                assert z.read(names[name]) == (release / name).read_bytes()
                continue
            bundled = nbformat.reads(z.read(names[name]).decode(), as_version=4)
            original = nbformat.read(release / name, as_version=4)
            assert bundled.cells[0].metadata["tags"] == [SETUP_TAG]
            assert bundled.cells[-1].metadata["tags"] == [CHECK_TAG]
            assert [c.source for c in bundled.cells[1:-1]] == [c.source for c in original.cells]
            compile(bundled.cells[0].source, "setup", "exec")
            m = bundled.metadata["dlcourse"]
            assert (m["assignment"], m["notebook"], m["extra"]) == (assignment, name, extra_of(assignment))
            assert manifest.compare(bundled, m).unanswered, "a fresh release has answers to write"
        requirements = z.read(names["requirements.txt"]).decode().splitlines()
        assert f"./{wheel}[{extra_of(assignment)}]" in requirements
        assert "torch==2.14.1" in requirements and not [r for r in requirements if "nbgrader" in r]
        readme = z.read(names["README.md"]).decode()
        for needed in ("jupyter lab", "Colab", "COURSE_SAMPLE_MODE=1", "python -m helpers.data fetch NAME",
                       "python -m helpers.check", "hand"):
            assert needed in readme, needed
        assert re.search(r"zip`? itself", readme)
