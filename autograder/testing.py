"""Build submissions from an instructor's source notebook, for tests and examples.

A reference submission is the source with its solution markers and hidden tests taken
out, which is what a student who wrote the instructor's answers would hand in. Seeded
bugs replace chosen answer cells (by nbgrader grade_id) with other code.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder.markers import MARKER_LINE, strip_hidden_tests


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def reference_submission(source_notebook: Path) -> nbformat.NotebookNode:
    """The source notebook as a student who wrote the reference answers would hand it in."""
    nb = nbformat.read(source_notebook, as_version=4)
    for cell in nb.cells:
        text = strip_hidden_tests(cell.source)
        cell.source = "\n".join(ln for ln in text.splitlines() if not MARKER_LINE.match(ln))
    return nb


def replace_cells(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of `nb` whose cells named in `answers` (grade_id -> source) are rewritten."""
    out = nbformat.from_dict(nb)
    seen = set()
    for cell in out.cells:
        gid = grade_id(cell)
        if gid in answers:
            cell.source = answers[gid]
            seen.add(gid)
    missing = set(answers) - seen
    if missing:
        raise KeyError(f"no cells with grade_id {sorted(missing)}")
    return out


def edited(text: str, edits: tuple[tuple[str, str], ...], what: str = "the cell") -> str:
    """`text` with each (old, new) replacement applied; every `old` must be there."""
    for old, new in edits:
        if old not in text:
            raise KeyError(f"{old!r} is not in {what}")
        text = text.replace(old, new)
    return text


def write_submission(nb: nbformat.NotebookNode, folder: Path, student_id: str, name: str) -> Path:
    """Save `nb` as `folder/<student_id>/<name>`, the layout the autograder reads."""
    path = folder / student_id / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


# A tiny course for testing and benchmarking the grader itself: one notebook that imports
# numpy and torch, one answer, two test cells with public checks and hidden observations,
# one written answer. It is also the smallest worked example of a hidden test.
MINI_CELLS = [
    ("setup", "locked", "import numpy as np\nimport torch\nfrom helpers import rel_error"),
    ("answer", "solution", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
    ("test_double", 2, "assert double(2) == 4\n### BEGIN HIDDEN TESTS\n"
                       "import numpy as _np\nimport torch as _torch\n"
                       "from autograder.sandbox.observe import observe as _observe\n"
                       "_observe('double of a tensor', lambda: double(_torch.arange(3.0)), points=1)\n"
                       "_observe('double of an array', lambda: double(_np.linspace(-1.0, 5.0, 7)), points=1)\n"
                       "### END HIDDEN TESTS"),
    ("test_negative", 1, "assert double(-1) == -2\n### BEGIN HIDDEN TESTS\n"
                         "from autograder.sandbox.observe import observe as _observe\n"
                         "_observe('double of a large negative number', lambda: double(-10), points=1, judge='exact')\n"
                         "### END HIDDEN TESTS"),
    ("explain", "written", "Doubling is linear: double(a + b) == double(a) + double(b)."),
]


def make_mini_course(root: Path, config: Path, name: str = "mini") -> Path:
    """A course folder at `root` with `source/<name>/<name>.ipynb` and the given config."""
    cells = []
    for cell_id, kind, source in MINI_CELLS:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "written" else nbformat.v4.new_code_cell(source)
        meta = {"grade_id": cell_id, "schema_version": 3, "grade": False, "solution": False, "locked": False}
        if kind == "locked":
            meta["locked"] = True
        elif kind == "solution":
            meta["solution"] = True
        elif kind == "written":  # a manually graded written answer worth 2 points
            meta.update(solution=True, grade=True, points=2)
        else:
            meta.update(grade=True, locked=True, points=kind)
        cell.metadata["nbgrader"] = meta
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}})
    (root / "source" / name).mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, root / "source" / name / f"{name}.ipynb")
    (root / "nbgrader_config.py").write_text(config.read_text())
    return root


def mini_submission(source_notebook: Path, answer: str | None = None) -> nbformat.NotebookNode:
    """The mini notebook as a student would hand it in, with `answer` as the answer cell."""
    nb = reference_submission(source_notebook)
    return replace_cells(nb, {"answer": answer}) if answer is not None else nb


def with_reference_answers(nb: nbformat.NotebookNode, source_notebook: Path) -> nbformat.NotebookNode:
    """A copy of a student notebook (a release or bundle copy) whose answer cells hold the
    reference answers of `source_notebook`, everything else left as it is."""
    reference = reference_submission(source_notebook)
    answers = {grade_id(c): c.source for c in reference.cells
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    return replace_cells(nb, answers)
