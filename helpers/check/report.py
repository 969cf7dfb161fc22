"""The few lines a student reads before handing in: what the grader will see."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.check.manifest import Findings
from helpers.check.run import Run

CLOSE = 0.5  # share of a grader limit past which the run time is worth a warning


@dataclass
class Report:
    notebook: str
    problems: list[str] = field(default_factory=list)  # what costs points or stops grading
    warnings: list[str] = field(default_factory=list)  # what may, on a slower machine
    notes: list[str] = field(default_factory=list)  # what was checked

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        head = f"{self.notebook}: " + ("ready to hand in" if self.ok and not self.warnings else
                                       "ready to hand in, with a warning" if self.ok else
                                       f"{len(self.problems)} problem(s) the grader will see")
        lines = [head] + [f"  x {p}" for p in self.problems] + [f"  ! {w}" for w in self.warnings]
        return "\n".join(lines + [f"    {n}" for n in self.notes])

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython shows the text, not the dataclass
        printer.text(self.text())


def _names(ids: list[str], sections: dict[str, str]) -> str:
    shown = [f"{gid} ({sections[gid]})" if sections.get(gid) else gid for gid in ids[:6]]
    return ", ".join(shown) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")


def build(notebook: str, found: Findings | None, run: Run | None, limits: dict,
          sections: dict[str, str]) -> Report:
    """Turn the comparison with the release and the run into the report's lines."""
    report = Report(notebook)
    unanswered = list(found.unanswered) if found else []
    failing = []
    if run is not None:
        for f in run.failures:
            if f.ename == "NotImplementedError" and f.kind == "answer":
                if f.grade_id not in unanswered:
                    unanswered.append(f.grade_id)
                continue
            if f.ename == "NotImplementedError":
                continue  # a test or given cell that calls an unanswered exercise: the answer is listed
            where = f"cell {f.index}" + (f" [{f.grade_id}]" if f.grade_id else "") + \
                (f" in '{f.section}'" if f.section else "")
            failing.append(f"{where}: {f.ename}: {f.evalue}" if f.evalue else f"{where}: {f.ename}")
    if unanswered:
        report.problems.append(f"answers still missing: {_names(unanswered, sections)}")
    if failing:
        report.problems.append("cells that fail (the grader runs them the same way): " + "; ".join(failing[:5])
                               + (f"; and {len(failing) - 5} more" if len(failing) > 5 else ""))
    if found:
        if found.edited:
            report.problems.append(f"read-only or test cells you changed: {_names(found.edited, sections)}; "
                                   "the grader puts the released version back, so your change is lost")
        if found.deleted:
            report.problems.append(f"cells deleted: {_names(found.deleted, sections)}; the grader puts the "
                                   "released cells back (a deleted answer counts as not answered): copy them back "
                                   "from a fresh copy of the assignment")
        if found.renamed:
            pairs = ", ".join(f"{mine} (released as {theirs})" for theirs, mine in found.renamed[:6])
            report.problems.append(f"cell ids that no longer match the release: {pairs}; the grader finds "
                                   "cells by these ids (cell metadata, nbgrader grade_id) and, where it cannot "
                                   "tell which cell it was, runs it as an ordinary cell without points: set them back")
        if found.unknown:
            report.problems.append(f"cells with ids the release does not have: {', '.join(found.unknown[:6])}; "
                                   "the grader runs them as ordinary cells (were they copied from another notebook?)")
        if found.duplicated:
            report.problems.append(f"ids used by more than one cell: {', '.join(found.duplicated)}; "
                                   "delete the copies")
    if run is not None:
        if run.died:
            report.problems.append(f"the run stopped: {run.died}; the grader would stop there too")
        _timing(report, run, limits)
    return report


def _timing(report: Report, run: Run, limits: dict) -> None:
    notebook_s, cell_s = limits.get("notebook_s"), limits.get("cell_s")
    took, (slow, index, section) = run.seconds, run.slowest
    report.notes.append(f"ran in a fresh kernel in {took:.0f} s (slowest: cell {index}, {slow:.0f} s"
                        + (f", in '{section}'" if section else "") + ")")
    if notebook_s and took > CLOSE * notebook_s:
        report.warnings.append(f"the notebook took {took:.0f} s; the grader stops a notebook at {notebook_s:g} s "
                               "(on a machine that may be slower than yours)")
    if cell_s and slow > CLOSE * cell_s:
        report.warnings.append(f"cell {index} took {slow:.0f} s; the grader stops a cell at {cell_s:g} s")
