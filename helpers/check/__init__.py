"""The check before hand-in: what the grader will see in a notebook, in a few lines.

    python -m helpers.check hw3_gans.ipynb        # in a terminal, next to the notebook
    from helpers.check import check; check()      # in the notebook's last cell (save first)

It compares the saved notebook with the release it came from (the manifest its bundle
stored in its metadata: answers still missing, read-only or test cells changed or
deleted, cell ids that no longer match), then runs the notebook's public tests in a fresh
kernel, top to bottom, as the grader does (cells that fail, and the run time against the
grader's limits). The hidden tests are not in the notebook, so a clean check means the
grader can run everything, not that every answer is right.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from helpers.check.locate import notebook_path
from helpers.check.manifest import compare, grade_id, manifest_of
from helpers.check.report import Report, build
from helpers.check.run import run_notebook

DEFAULT_LIMITS = {"notebook_s": 1800, "cell_s": 600}  # the grader's defaults, for a notebook without a manifest


def check(notebook: str | os.PathLike | None = None, run: bool = True, kernel_name: str = "python3",
          quiet: bool = False) -> Report:
    """Check `notebook` (default: the notebook this kernel runs, as last saved) and print
    what the grader will see; return the report (`report.ok`, `report.problems`)."""
    if os.environ.get("NBGRADER_EXECUTION"):  # inside the grader: nothing to check, nothing to run
        return Report("(skipped while grading)")
    path = Path(notebook) if notebook is not None else notebook_path()
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path}; pass the file name, e.g. check('hw3_gans.ipynb')")
    nb = nbformat.read(path, as_version=4)
    manifest = manifest_of(nb)
    sections = _sections_by_id(nb)
    found = compare(nb, manifest) if manifest else None
    limits = manifest["limits"] if manifest else DEFAULT_LIMITS
    ran = run_notebook(nb, path.resolve().parent, limits["cell_s"], kernel_name) if run else None
    report = build(path.name, found, ran, limits, sections)
    if manifest is None:
        report.notes.append("this copy carries no release manifest (it did not come from a course bundle), "
                            "so only the run was checked")
    if not quiet:
        print(report.text())
    return report


def _sections_by_id(nb) -> dict[str, str]:
    from helpers.check.run import _sections

    return {grade_id(c): s for c, s in zip(nb.cells, _sections(nb)) if grade_id(c)}


def main(argv: list[str] | None = None) -> int:
    """`python -m helpers.check NOTEBOOK...`: exit status 1 when any has a problem."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m helpers.check",
                                 description="Before handing in: what the grader will see in a notebook.")
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--no-run", action="store_true", help="only compare with the release; run nothing")
    args = ap.parse_args(argv)
    ok = True
    for path in args.notebooks:
        ok = check(path, run=not args.no_run).ok and ok
    return 0 if ok else 1


__all__ = ["Report", "check", "main"]
