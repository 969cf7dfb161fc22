"""What a released notebook looked like, and how a student's copy differs from it.

The course's bundles (`python -m autograder release --bundle`) store a manifest in each
student notebook's metadata, under `dlcourse`: the assignment, the kit's version, the
grader's time limits and, for every cell nbgrader tracks, its grade_id (the name the
grader matches cells by), its kind and a hash of its released source. `compare` reads a
student's notebook against it without running anything.

Kinds: `answer` (code the student writes), `written` (a written answer), `test` (an
autograded test cell, public part only), `given` (read-only code or text).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

KEY = "dlcourse"
SETUP_TAG = "course-setup"  # the first cell: installs the kit where it is missing
CHECK_TAG = "course-check"  # the last cell: runs this check
COURSE_TAGS = (SETUP_TAG, CHECK_TAG)  # cells the grader and this check never run
CODE_STUB = "raise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell) -> str:
    return nbgrader_meta(cell).get("grade_id", "")


def kind(cell) -> str:
    """The role of a cell nbgrader tracks ('' for one it does not)."""
    meta = nbgrader_meta(cell)
    if not meta.get("grade_id"):
        return ""
    if meta.get("solution"):
        return "answer" if cell.get("cell_type") == "code" else "written"
    if meta.get("grade"):
        return "test"
    return "given"


def is_course_cell(cell) -> bool:
    """The setup or check cell a bundle adds: neither the grader nor the check runs it."""
    return any(tag in COURSE_TAGS for tag in cell.get("metadata", {}).get("tags", []))


def source_hash(source: str) -> str:
    """A hash of a cell's source that ignores trailing spaces and blank lines at either end."""
    text = "\n".join(line.rstrip() for line in source.strip().splitlines())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def describe(nb, assignment: str, notebook: str, version: str, extra: str, limits: dict) -> dict:
    """The manifest of a release notebook (what `compare` checks a student's copy against)."""
    cells = [{"grade_id": grade_id(c), "kind": kind(c), "hash": source_hash(c.source)}
             for c in nb.cells if kind(c)]
    return {"assignment": assignment, "notebook": notebook, "kit": version, "extra": extra,
            "limits": dict(limits), "cells": cells}


def manifest_of(nb) -> dict | None:
    return nb.get("metadata", {}).get(KEY)


@dataclass
class Findings:
    """What differs from the release; each list holds grade_ids."""

    unanswered: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # read-only or test cells whose source changed
    deleted: list[str] = field(default_factory=list)  # released cells not in the notebook
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (release's id, the notebook's)
    unknown: list[str] = field(default_factory=list)  # ids the release does not have
    duplicated: list[str] = field(default_factory=list)  # ids that occur more than once


def _unanswered(cell, released_hash: str) -> bool:
    if source_hash(cell.source) == released_hash:
        return True
    if cell.get("cell_type") == "code":
        return re.search(r"^\s*raise NotImplementedError\(\)\s*$", cell.source, re.M) is not None
    return cell.source.strip() == TEXT_STUB


def compare(nb, manifest: dict) -> Findings:
    """How the notebook's tracked cells differ from the release the manifest describes."""
    found = Findings()
    released = {c["grade_id"]: c for c in manifest["cells"]}
    seen: dict[str, int] = {}
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid:
            seen[gid] = seen.get(gid, 0) + 1
    found.duplicated = sorted(gid for gid, n in seen.items() if n > 1)
    present = {grade_id(c): c for c in nb.cells if grade_id(c)}
    missing = [gid for gid in released if gid not in present]
    strangers = [gid for gid in present if gid not in released]
    # A stranger whose source hashes like a missing cell, or that sits where it sat, is
    # that cell under another id; the rest are new or deleted.
    for gid in list(strangers):
        cell = present[gid]
        match = next((m for m in missing if released[m]["hash"] == source_hash(cell.source)), None)
        if match is None:
            match = next((m for m in missing if released[m]["kind"] == kind(cell)
                          and _same_place(nb, manifest, m, gid)), None)
        if match is not None:
            found.renamed.append((match, gid))
            missing.remove(match)
            strangers.remove(gid)
    found.deleted, found.unknown = missing, strangers
    for gid, spec in released.items():
        cell = present.get(gid)
        if cell is None:
            continue
        if spec["kind"] in ("answer", "written") and _unanswered(cell, spec["hash"]):
            found.unanswered.append(gid)
        elif spec["kind"] in ("test", "given") and source_hash(cell.source) != spec["hash"]:
            found.edited.append(gid)
    return found


def _same_place(nb, manifest: dict, released_id: str, gid: str) -> bool:
    """Whether cell `gid` of the notebook follows the same tracked cell as `released_id`
    did in the release (the nearest earlier one the two have in common)."""
    order = [c["grade_id"] for c in manifest["cells"]]
    mine = [grade_id(c) for c in nb.cells if grade_id(c)]
    before_release = [g for g in order[:order.index(released_id)] if g in mine]
    before_mine = [g for g in mine[:mine.index(gid)] if g in order]
    return (before_release[-1:] or [None]) == (before_mine[-1:] or [None])
