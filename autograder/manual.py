"""Manual grades (points and comments a person gave in the formgrader) across regrades.

Regrading a student drops their gradebook entries first (so a notebook that now fails
cannot keep old points). Before that, `remember` reads the manual scores and comments of
every graded cell together with the cell's source as it was graded, and `keep` writes
them to `OUT/manual/<student>.json` (so an interrupted batch loses none: the next run
reads them back with `pending`); after the new notebook is recorded, `restore` puts them
back on the cells whose source did not change, and `done` removes the file. A changed
answer needs a person to look at it again.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from autograder.gradebook import gradebook_url


@dataclass(frozen=True)
class ManualGrade:
    score: float | None
    extra_credit: float | None
    comment: str | None
    source: str  # the cell as it was when the person graded it


def _cell_sources(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    nb = nbformat.read(path, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}


def remember(course_root: Path, assignment: str, student: str) -> dict[tuple[str, str], ManualGrade]:
    """(notebook, cell) -> what a person gave that cell, for a student about to be regraded."""
    kept: dict[tuple[str, str], ManualGrade] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        with Gradebook(gradebook_url(course_root)) as gb:
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                return kept
            for nb in submission.notebooks:
                sources = _cell_sources(course_root / "autograded" / student / assignment / f"{nb.name}.ipynb")
                comments = {c.name: c.manual_comment for c in nb.comments}
                for grade in nb.grades:
                    if grade.manual_score is None and grade.extra_credit is None and not comments.get(grade.name):
                        continue
                    kept[(nb.name, grade.name)] = ManualGrade(grade.manual_score, grade.extra_credit,
                                                              comments.get(grade.name), sources.get(grade.name, ""))
                for name, comment in comments.items():
                    if comment and (nb.name, name) not in kept:
                        kept[(nb.name, name)] = ManualGrade(None, None, comment, sources.get(name, ""))
    return kept


def restore(db_url: str, assignment: str, student: str, notebook: str, nb: nbformat.NotebookNode,
            kept: dict[tuple[str, str], ManualGrade]) -> list[str]:
    """Put back the manual grades of `notebook`'s unchanged cells; return notes on the rest."""
    sources = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
               if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}
    dropped = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        with Gradebook(db_url) as gb:
            for (name, cell), grade in kept.items():
                if name != notebook:
                    continue
                if sources.get(cell) != grade.source:
                    dropped.append(cell)
                    continue
                try:
                    entry = gb.find_grade(cell, notebook, assignment, student)
                    if grade.score is not None or grade.extra_credit is not None:
                        entry.manual_score, entry.extra_credit = grade.score, grade.extra_credit
                        entry.needs_manual_grade = False
                except MissingEntry:
                    pass
                if grade.comment:
                    try:
                        gb.find_comment(cell, notebook, assignment, student).manual_comment = grade.comment
                    except MissingEntry:
                        pass
            gb.db.commit()
    return [f"answers changed since a person graded them, to grade again: {', '.join(sorted(dropped))}"] \
        if dropped else []


def _pending_path(out: Path, student: str) -> Path:
    return out / "manual" / f"{student}.json"


def keep(out: Path, student: str, kept: dict[tuple[str, str], ManualGrade]) -> None:
    """Persist a student's manual grades before their gradebook entries are dropped."""
    path = _pending_path(out, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([{"notebook": nb, "cell": cell, **asdict(g)} for (nb, cell), g in kept.items()]))
    os.replace(tmp, path)


def pending(out: Path, student: str) -> dict[tuple[str, str], ManualGrade] | None:
    """Manual grades persisted by a batch that stopped before recording this student."""
    path = _pending_path(out, student)
    if not path.exists():
        return None
    rows = json.loads(path.read_text())
    return {(r.pop("notebook"), r.pop("cell")): ManualGrade(**r) for r in rows}


def done(out: Path, student: str) -> None:
    _pending_path(out, student).unlink(missing_ok=True)
