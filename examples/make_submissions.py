"""Regenerate the demo's example submissions from the source and release notebooks.

    python examples/make_submissions.py [ASSIGNMENT ...]

Every assignment in `source/` gets, under `examples/submissions/<assignment>/`, `correct`
(the reference answers) and `blank` (the release untouched), and, when its contract folder
has an `example.py`, the partly-right student it describes (`PARTLY`).
"""

import importlib.util
from pathlib import Path

import nbformat

from autograder.testing import edited, grade_id, reference_submission, replace_cells, write_submission

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "submissions"


def _partly(assignment: str):
    path = ROOT / "tests" / "assignments" / assignment / "example.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"example_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PARTLY


def write_examples(assignment: str) -> None:
    out = OUT / assignment
    partly = _partly(assignment)
    for source in sorted((ROOT / "source" / assignment).glob("*.ipynb")):
        name = source.name
        reference = reference_submission(source)
        write_submission(reference, out, "correct", name)
        write_submission(nbformat.read(ROOT / "release" / assignment / name, as_version=4), out, "blank", name)
        if partly is None or name in partly[2]:
            continue
        student, edits, _ = partly
        answers = {grade_id(c): c.source for c in reference.cells}
        changes = {cell: edited(answers[cell], (change,), cell) if isinstance(change, tuple) else change
                   for cell, change in edits.get(name, {}).items()}
        write_submission(replace_cells(reference, changes), out, student, name)


def main() -> None:
    import sys

    names = sys.argv[1:] or sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
    for assignment in names:
        write_examples(assignment)
    print(f"wrote the example submissions under {OUT}")


if __name__ == "__main__":
    main()
