"""Write grades.csv and print the grade table a person reads at the end of a run."""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.grade import Result

COLUMNS = ["student_id", "assignment", "score", "max_score", "manual_max", "status", "reason", "seconds"]


def write_csv(results: list[Result], path: Path) -> Path:
    """grades.csv: autograded score and maximum, points left for manual grading, status."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for r in results:
            writer.writerow({"student_id": r.student_id, "assignment": r.assignment,
                             "score": f"{r.score:g}", "max_score": f"{r.max_score:g}",
                             "manual_max": f"{r.manual_max:g}", "status": r.status,
                             "reason": r.reason, "seconds": f"{r.seconds:g}"})
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def format_table(results: list[Result]) -> str:
    """A fixed-width table: one row per student, then a line of totals."""
    header = ("student", "autograded", "manual", "status")
    rows = [(r.student_id, f"{r.score:g} / {r.max_score:g}", f"{r.manual_max:g} pts to grade",
             r.status + (f": {r.reason}" if r.reason else "")) for r in results]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(3)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header[:3], widths)) + "  " + header[3]]
    lines.append("-" * (sum(widths) + 6 + len(header[3])))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row[:3], widths)) + "  " + row[3] for row in rows]
    graded = sum(r.status == "graded" for r in results)
    lines.append(f"{len(results)} submissions: {graded} graded, {len(results) - graded} with errors")
    return "\n".join(lines)
