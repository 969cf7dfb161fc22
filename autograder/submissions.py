"""Find what students handed in and say plainly what is wrong with it.

Three layouts are read:
  * a folder of `<student_id>/<notebook>.ipynb`;
  * nbgrader's `submitted/` layout, `<student_id>/<assignment>/<notebook>.ipynb`;
  * an LMS export zip with one file per student, the student id at the start of the file
    name (`<student_id>_<anything>.ipynb`, as Canvas and Moodle name them).
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

LMS_ID = re.compile(r"^(?P<student>[A-Za-z0-9][A-Za-z0-9.-]*)[_-]")


@dataclass
class Submission:
    """One student's hand-in for one assignment.

    `notebooks` maps each expected notebook name to the file the student gave for it;
    `notes` says which expected notebooks are missing or unreadable (they score zero while
    the others are graded); `problem` is None when the hand-in can be graded, else the
    reason it cannot (no readable notebook at all).
    """

    student_id: str
    notebooks: dict[str, Path] = field(default_factory=dict)
    problem: str | None = None
    notes: list[str] = field(default_factory=list)


def find_submissions(source: Path, expected: list[str], assignment: str = "",
                     unpack_to: Path | None = None) -> list[Submission]:
    """Every hand-in under `source` (a folder, nbgrader's submitted/ folder, or an LMS zip)."""
    if source.is_file() and zipfile.is_zipfile(source):
        if unpack_to is None:
            raise ValueError("an LMS zip needs a folder to unpack into")
        return _from_zip(source, expected, unpack_to)
    if not source.is_dir():
        raise ValueError(f"submissions folder {source} does not exist")
    found = []
    for student_dir in sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith(".")):
        nested = student_dir / assignment if assignment else None
        found.append(_read_student(nested if nested and nested.is_dir() else student_dir, student_dir.name, expected))
    return found


def _from_zip(archive: Path, expected: list[str], unpack_to: Path) -> list[Submission]:
    if len(expected) != 1:
        raise ValueError("an LMS zip holds one file per student; this assignment has several notebooks")
    by_student: dict[str, list[str]] = {}
    problems: list[Submission] = []
    with zipfile.ZipFile(archive) as zf:
        for member in zf.namelist():
            base = Path(member).name
            if member.endswith("/") or base.startswith("."):
                continue
            match = LMS_ID.match(base)
            if not match:
                problems.append(Submission(student_id=base, problem=f"no student id at the start of the file name {base!r}"))
                continue
            by_student.setdefault(match["student"], []).append(member)
        found = []
        for student, members in sorted(by_student.items()):
            folder = unpack_to / student
            if len(members) > 1:
                found.append(Submission(student, problem=f"duplicate student: {len(members)} files "
                                        f"({', '.join(sorted(Path(m).name for m in members))})"))
                continue
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / expected[0]
            target.write_bytes(zf.read(members[0]))
            sub = _read_student(folder, student, expected)
            if Path(members[0]).suffix != ".ipynb" and sub.problem is None:
                sub.problem = f"{Path(members[0]).name} is not a .ipynb notebook"
            found.append(sub)
    return sorted(found + problems, key=lambda s: s.student_id)


def _read_student(folder: Path, student_id: str, expected: list[str]) -> Submission:
    sub = Submission(student_id=student_id)
    for name in expected:
        path = folder / name
        if not path.is_file():
            given = sorted(p.name for p in folder.glob("*.ipynb")) or ["no notebook"]
            sub.notes.append(f"missing {name} (found: {', '.join(given)})")
            continue
        reason = notebook_problem(path)
        if reason:
            sub.notes.append(f"{name}: {reason}")
            continue
        sub.notebooks[name] = path
    if not sub.notebooks:
        sub.problem = "; ".join(sub.notes)
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
