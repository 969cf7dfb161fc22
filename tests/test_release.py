"""release/ is exactly what nbgrader generates from source/, and gives nothing away."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from autograder.release import generate_release
from grading import ROOT

ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
_REGION = re.compile(r"^\s*### BEGIN (SOLUTION|HIDDEN TESTS)\s*$(.*?)^\s*### END \1\s*$", re.M | re.S)
_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def _normalized(path: Path) -> dict:
    """A notebook without the fields that legitimately change between runs."""
    nb = json.loads(path.read_text())
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        cell.pop("execution_count", None)
        cell.get("metadata", {}).pop("execution", None)
    return nb


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_matches_what_nbgrader_generates_now(course, assignment, tmp_path):
    fresh = generate_release(course, assignment, root=tmp_path)
    committed = ROOT / "release" / assignment
    assert _files(committed) == _files(fresh), "release/ has other files than nbgrader generates"
    for name in _files(fresh):
        if name.endswith(".ipynb"):
            assert _normalized(committed / name) == _normalized(fresh / name), \
                f"release/{assignment}/{name} is stale: run `make release` and commit it"
        else:
            assert (committed / name).read_bytes() == (fresh / name).read_bytes()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solutions_or_hidden_tests(assignment):
    for source in sorted((ROOT / "source" / assignment).glob("*.ipynb")):
        secret_lines, public_lines = set(), set()
        for cell in nbformat.read(source, as_version=4).cells:
            for match in _REGION.finditer(cell.source):
                secret_lines.update(line.strip() for line in match.group(2).splitlines())
            public_lines.update(line.strip() for line in _REGION.sub("", cell.source).splitlines())
        # Distinctive lines only: not `pass` or `)`, and not lines the public part has too.
        secret_lines = {line for line in secret_lines - public_lines if len(line) >= 12}
        assert secret_lines, f"{source.name} has no solution or hidden-test regions"
        released = nbformat.read(ROOT / "release" / assignment / source.name, as_version=4)
        for cell in released.cells:
            for marker in _MARKERS:
                assert marker not in cell.source, f"{marker!r} left in a release cell"
            leaked = [ln for ln in cell.source.splitlines() if ln.strip() in secret_lines]
            assert not leaked, f"release/{assignment}/{source.name} contains solution or hidden-test text: {leaked}"
            assert not cell.get("outputs"), "release cells must carry no outputs"


def _broken_course(tmp_path, change):
    from autograder.course import Course
    from autograder.testing import make_mini_course

    root = make_mini_course(tmp_path / "course", ROOT / "nbgrader_config.py")
    generate_release(Course(root), "mini")
    before = (root / "release" / "mini" / "mini.ipynb").read_bytes()
    source = root / "source" / "mini" / "mini.ipynb"
    nb = nbformat.read(source, as_version=4)
    change({c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells})
    nbformat.write(nb, source)
    return root, before


@pytest.mark.parametrize("what,change,message", [
    ("no END SOLUTION", lambda cells: setattr(cells["answer"], "source", cells["answer"].source.replace(
        "    ### END SOLUTION", "")), "cell 1 (answer): ### BEGIN SOLUTION and ### END SOLUTION do not pair up"),
    ("a grade_id twice", lambda cells: cells["test_negative"].metadata["nbgrader"].update(grade_id="test_double"),
     "grade_id 'test_double' is used twice"),
    ("a test without points", lambda cells: cells["test_negative"].metadata["nbgrader"].pop("points"),
     "cell 3 (test_negative): a graded cell needs its points"),
])
def test_a_failed_release_names_the_cell_and_keeps_the_previous_release(tmp_path, what, change, message):
    from grading import run_cli

    root, before = _broken_course(tmp_path, change)
    proc = run_cli("--course", str(root), "release", "mini")
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "see the above traceback" not in proc.stderr
    assert (root / "release" / "mini" / "mini.ipynb").read_bytes() == before


def test_every_source_notebook_passes_the_release_checks():
    from autograder.release import source_problems

    assert {str(p.relative_to(ROOT)): source_problems(nbformat.read(p, as_version=4))
            for p in sorted((ROOT / "source").glob("*/*.ipynb"))
            if source_problems(nbformat.read(p, as_version=4))} == {}
