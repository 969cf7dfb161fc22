"""Run a notebook top to bottom in a fresh kernel, the way the grader does, and say which
cells failed and how long everything took.

The setup and check cells a bundle adds are left out (the grader skips them too); every
other cell runs, in order, and a cell that fails does not stop the ones after it.
"""

from __future__ import annotations

import copy
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from helpers.check.manifest import grade_id, is_course_cell, kind


@dataclass
class Failure:
    index: int  # the cell's position in the notebook, from 0
    grade_id: str  # '' for a cell the student added
    kind: str  # answer, test, given or '' (the student's own)
    section: str  # the nearest heading above the cell
    ename: str
    evalue: str


@dataclass
class Run:
    seconds: float
    slowest: tuple[float, int, str] = (0.0, -1, "")  # seconds, cell index, section
    failures: list[Failure] = field(default_factory=list)
    died: str = ""  # why the kernel stopped, when it did


def _sections(nb) -> list[str]:
    """The heading nearest above each cell ('' before the first)."""
    section, names = "", []
    for cell in nb.cells:
        names.append(section)
        if cell.cell_type == "markdown":
            headings = [ln.lstrip("#").strip() for ln in cell.source.splitlines() if ln.startswith("#")]
            section = headings[-1] if headings else section
    return names


def _seconds(cell) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 0.0
    return (end - start).total_seconds()


def run_notebook(nb, folder: Path, cell_timeout: float, kernel_name: str = "python3") -> Run:
    """Execute a copy of `nb` with `folder` as the working directory; `nb` is not changed."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    work = copy.deepcopy(nb)
    sections = _sections(work)
    kept = [i for i, cell in enumerate(work.cells) if not is_course_cell(cell)]
    work.cells = [work.cells[i] for i in kept]
    client = NotebookClient(work, timeout=int(cell_timeout), kernel_name=kernel_name, allow_errors=True,
                            record_timing=True, store_widget_state=False,
                            resources={"metadata": {"path": str(folder)}})
    started, died = time.monotonic(), ""
    try:
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log lines are not the student's business
    except CellTimeoutError as err:
        died = f"a cell ran past {cell_timeout:g} s ({str(err).splitlines()[0]})"
    except DeadKernelError as err:
        died = f"the kernel died ({err})"
    result = Run(seconds=time.monotonic() - started, died=died)
    for position, cell in zip(kept, work.cells):
        if cell.cell_type != "code":
            continue
        took = _seconds(cell)
        if took > result.slowest[0]:
            result.slowest = (took, position, sections[position])
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                result.failures.append(Failure(position, grade_id(cell), kind(cell), sections[position],
                                               out.get("ename", ""), _first_line(out.get("evalue", ""))))
    return result


def _first_line(text: str, limit: int = 160) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[:limit - 3] + "..."
