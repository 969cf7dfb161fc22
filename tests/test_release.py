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
