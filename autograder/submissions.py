"""Find what students handed in and say plainly what is wrong with it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat


@dataclass
class Submission:
    """One student's hand-in for one assignment.

    `notebooks` maps each expected notebook name to the file the student gave for it;
    `problem` is None when the hand-in can be graded, else the reason it cannot.
    """

    student_id: str
    notebooks: dict[str, Path] = field(default_factory=dict)
    problem: str | None = None


def find_submissions(folder: Path, expected: list[str]) -> list[Submission]:
    """Every `<student_id>/<notebook>.ipynb` hand-in under `folder`, one per student folder."""
    if not folder.is_dir():
        raise ValueError(f"submissions folder {folder} does not exist")
    found = []
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found.append(_read_student(student_dir, expected))
    return found


def _read_student(student_dir: Path, expected: list[str]) -> Submission:
    sub = Submission(student_id=student_dir.name)
    for name in expected:
        path = student_dir / name
        if not path.is_file():
            given = sorted(p.name for p in student_dir.glob("*.ipynb")) or ["no notebook"]
            sub.problem = f"missing {name} (found: {', '.join(given)})"
            return sub
        reason = notebook_problem(path)
        if reason:
            sub.problem = f"{name}: {reason}"
            return sub
        sub.notebooks[name] = path
    return sub


def notebook_problem(path: Path) -> str | None:
    """Why `path` is not a readable Jupyter notebook, or None if it is one."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return "not a text file (is it really a .ipynb?)"
    except json.JSONDecodeError as err:
        return f"invalid notebook JSON (line {err.lineno}, column {err.colno}: {err.msg})"
    if not isinstance(raw, dict) or "cells" not in raw:
        return "not a Jupyter notebook (no 'cells' list)"
    try:
        nbformat.validate(nbformat.reads(json.dumps(raw), as_version=4))
    except Exception as err:  # nbformat raises several types for malformed notebooks
        return f"malformed notebook: {str(err).splitlines()[0]}"
    return None
