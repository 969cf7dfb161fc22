"""Turn a student's notebook into the one to execute, with nbgrader's own sanitizing.

nbgrader's autograde first clears outputs, de-duplicates cell ids, fixes the kernelspec,
overwrites every locked and test cell with the instructor's version from the gradebook
(hidden tests included), and checks cell metadata. We run those same preprocessors, built
from the course's `nbgrader_config.py`, in the grader's process. Before them we put the
notebook's graded cells back in order, so that every total (feedback, results.json,
grades.csv) counts the same cells: a cell whose grade_id the student changed gets its
own back when its place says which it was; a deleted test or read-only cell is put back
from the instructor's notebook (and graded); a deleted answer is put back as the
release's stub (graded as not answered). A notebook of another assignment, or one that
lost all its nbgrader metadata, cannot be graded, and the reason says which it is.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec
from traitlets.config import Config, PyFileConfigLoader

from autograder.markers import strip_hidden_tests


class PrepareError(ValueError):
    """The notebook cannot be graded; the message says why."""


def resources(db_url: str, assignment: str, notebook: str, student: str) -> dict:
    return {"nbgrader": {"db_url": db_url, "assignment": assignment, "notebook": notebook, "student": student}}


def course_config(course_root: Path) -> Config:
    """The course's nbgrader configuration, which every preprocessor is built from."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()


def _gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _role(cell) -> tuple[str, str]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    kind = "answer" if meta.get("solution") else "test" if meta.get("grade") else "read-only"
    return cell.cell_type, kind


def prepare(path: Path, db_url: str, assignment: str, student: str, course_root: Path,
            others: dict[str, set[str]] | None = None) -> tuple[nbformat.NotebookNode, list[str]]:
    """The sanitized notebook and notes on what the student changed (restored, reported).
    `course_root` is the staged course (its source, release and config); `others` maps
    each other notebook of the course ("assignment/notebook") to its grade_ids."""
    nb = nbformat.read(path, as_version=4)
    name = path.stem
    source = nbformat.read(course_root / "source" / assignment / path.name, as_version=4)
    release = nbformat.read(course_root / "release" / assignment / path.name, as_version=4)
    _check_belongs(nb, source, f"{assignment}/{name}", others or {})
    notes = _tampering(nb, db_url, assignment, name)
    notes += _renamed(nb, source)
    notes += _restore_deleted(nb, source, release)
    config = course_config(course_root)
    res = resources(db_url, assignment, name, student)
    for pp in (ClearOutput(config=config), DeduplicateIds(config=config), OverwriteKernelspec(config=config),
               OverwriteCells(config=config), CheckCellMetadata(config=config)):
        try:
            nb, res = pp.preprocess(nb, res)
        except Exception as err:  # nbgrader raises plain exceptions for inconsistent metadata
            raise PrepareError(f"{path.name}: nbgrader's {type(pp).__name__} could not sanitize it "
                               f"({str(err).splitlines()[0] if str(err) else type(err).__name__})") from err
    return nb, notes


def _check_belongs(nb, source, label: str, others: dict[str, set[str]]) -> None:
    mine = {_gid(c) for c in nb.cells if _gid(c)}
    expected = {_gid(c) for c in source.cells if _gid(c)}
    if not mine:
        raise PrepareError("the notebook has no nbgrader cell metadata (was it copied into a new notebook, or "
                           "saved by an editor that drops metadata?): hand in the release notebook you were given")
    if mine & expected:
        return
    best = max(others.items(), key=lambda item: len(mine & item[1]), default=None)
    if best is not None and mine & best[1]:
        raise PrepareError(f"this is the notebook of {best[0]} (its cells match that one), not of {label}: "
                           "hand in the right file")
    raise PrepareError(f"none of its graded cells belong to {label} (their grade_ids are unknown: "
                       f"{', '.join(sorted(mine)[:5])}); hand in the release notebook you were given")


def _renamed(nb, source) -> list[str]:
    """Cells whose grade_id the student changed: renamed back when exactly one missing cell
    of the same kind belongs between the same known neighbours, else made ordinary cells."""
    order = [_gid(c) for c in source.cells if _gid(c)]
    roles = {_gid(c): _role(c) for c in source.cells if _gid(c)}
    present = {_gid(c) for c in nb.cells if _gid(c)}
    notes = []
    graded = [c for c in nb.cells if _gid(c)]
    for i, cell in enumerate(graded):
        gid = _gid(cell)
        if gid in roles:
            continue
        before = next((_gid(c) for c in reversed(graded[:i]) if _gid(c) in roles), None)
        after = next((_gid(c) for c in graded[i + 1:] if _gid(c) in roles), None)
        lo = order.index(before) + 1 if before else 0
        hi = order.index(after) if after else len(order)
        candidates = [g for g in order[lo:hi] if g not in present and roles[g] == _role(cell)]
        if len(candidates) == 1:
            cell.metadata["nbgrader"]["grade_id"] = candidates[0]
            present.add(candidates[0])
            notes.append(f"changed cell metadata: the cell named {gid!r} is {candidates[0]!r} again")
        else:
            del cell.metadata["nbgrader"]
            notes.append(f"changed cell metadata: a cell named {gid!r}, which the assignment does not have, "
                         "was run as an ordinary cell")
    return notes


def _restore_deleted(nb, source, release) -> list[str]:
    """Put back every graded or read-only cell the student deleted, where it belongs."""
    present = {_gid(c) for c in nb.cells if _gid(c)}
    stubs = {_gid(c): c for c in release.cells if _gid(c)}
    put_back, unanswered = [], []
    previous = None
    for cell in source.cells:
        gid = _gid(cell)
        if not gid:
            continue
        if gid not in present:
            original = stubs.get(gid, cell)
            copy = nbformat.from_dict(original)
            if "id" in copy and any(c.get("id") == copy["id"] for c in nb.cells):
                copy["id"] = uuid.uuid4().hex[:8]
            if copy.cell_type == "code":
                copy.outputs, copy.execution_count = [], None
            at = next((i + 1 for i, c in enumerate(nb.cells) if previous and _gid(c) == previous), 0)
            nb.cells.insert(at, copy)
            present.add(gid)
            (unanswered if _role(cell)[1] == "answer" else put_back).append(gid)
        previous = gid
    notes = []
    if put_back:
        notes.append(f"deleted cells put back and graded: {', '.join(put_back)}")
    if unanswered:
        notes.append(f"deleted answer cells put back empty (graded as not answered): {', '.join(unanswered)}")
    return notes


def _tampering(nb, db_url: str, assignment: str, notebook: str) -> list[str]:
    """Which read-only or test cells the student edited (restored before grading)."""
    with Gradebook(db_url) as gb:
        source_cells = {c.name: c.source for c in gb.find_notebook(notebook, assignment).source_cells}
    present = {_gid(c): c for c in nb.cells}
    edited = sorted(name for name, src in source_cells.items() if name in present
                    and present[name].metadata.get("nbgrader", {}).get("locked")
                    and present[name].source.strip() != strip_hidden_tests(src).strip())
    return [f"edited read-only cells (restored before grading): {', '.join(edited)}"] if edited else []
