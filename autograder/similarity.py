"""Pairs of hand-ins whose answer cells are near-identical, for a person to look at.

The course asks students to cite what they borrow; this lists, per answer cell, the pairs
of hand-ins whose code is the same up to names and formatting, beyond what the release
itself gives. Each answer cell is normalized: lines that are in the release's version of
the cell (the stub, a given signature) are dropped, comments and layout go, and every
name that is not a keyword, a builtin or an attribute is renamed by order of first use
(`v0`, `v1`, ...). Two cells are compared by the Jaccard similarity of their 5-token
shingles; cells shorter than `MIN_TOKENS` say too little and are skipped.
"""

from __future__ import annotations

import builtins
import io
import keyword
import tokenize
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import nbformat

from autograder.executor import is_answer_cell

MIN_TOKENS = 25
THRESHOLD = 0.85
_KEEP = set(keyword.kwlist) | set(dir(builtins))


def normalized(source: str, given: str = "") -> list[str]:
    """The cell's tokens with the release's lines, comments and layout removed and names
    renamed by first use."""
    given_lines = {line.strip() for line in given.splitlines() if line.strip()}
    lines = [line for line in source.splitlines() if line.strip() and line.strip() not in given_lines
             and not line.lstrip().startswith(("%", "!"))]
    names: dict[str, str] = {}
    out, previous = [], None
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                            tokenize.ENDMARKER):
                continue
            text = tok.string
            if tok.type == tokenize.NAME and text not in _KEEP and previous != ".":
                text = names.setdefault(text, f"v{len(names)}")
            elif tok.type == tokenize.STRING:
                text = "STR"
            out.append(text)
            previous = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return out


def _shingles(tokens: list[str], k: int = 5) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + k]) for i in range(max(0, len(tokens) - k + 1))}


@dataclass(frozen=True)
class Pair:
    cell: str
    first: str
    second: str
    score: float


def answer_cells(notebook: Path) -> dict[str, str]:
    nb = nbformat.read(notebook, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.cell_type == "code" and is_answer_cell(c) and c.metadata.get("nbgrader", {}).get("grade_id")}


def similar_pairs(hand_ins: dict[str, dict[str, str]], release: dict[str, str],
                  threshold: float = THRESHOLD) -> list[Pair]:
    """`hand_ins`: student -> {answer grade_id: source}; `release`: grade_id -> the
    release's source of that cell. Pairs at or above `threshold`, most similar first."""
    pairs = []
    for cell, given in release.items():
        shingles = {}
        for student, cells in hand_ins.items():
            tokens = normalized(cells.get(cell, ""), given)
            if len(tokens) >= MIN_TOKENS:
                shingles[student] = _shingles(tokens)
        for (a, sa), (b, sb) in combinations(sorted(shingles.items()), 2):
            score = len(sa & sb) / len(sa | sb)
            if score >= threshold:
                pairs.append(Pair(cell, a, b, round(score, 3)))
    return sorted(pairs, key=lambda p: (-p.score, p.cell, p.first, p.second))


def batch_pairs(course: Path, assignment: str, students: list[str]) -> list[Pair]:
    """Similar answer cells among a graded batch's hand-ins (its autograded notebooks)."""
    release: dict[str, str] = {}
    for notebook in sorted((course / "release" / assignment).glob("*.ipynb")):
        release.update(answer_cells(notebook))
    hand_ins = {}
    for student in students:
        cells: dict[str, str] = {}
        for notebook in sorted((course / "autograded" / student / assignment).glob("*.ipynb")):
            cells.update(answer_cells(notebook))
        if cells:
            hand_ins[student] = cells
    return similar_pairs(hand_ins, release)
