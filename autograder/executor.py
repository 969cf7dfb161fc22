"""Run one prepared notebook in a fresh sandboxed kernel and collect what its tests observed.

    python -m autograder.executor JOB_DIR

JOB_DIR holds `job.json` (settings), `input.ipynb` (the submission after nbgrader's
sanitizing: locked cells and tests, hidden ones included, restored from the gradebook)
and `scratch/` (the submission's files, the kernel's home). It receives `executed.ipynb`,
`observations.json` and `status.json`. The notebook itself never enters the sandbox:
cells reach the kernel one at a time, so hidden tests are not readable before they run.

A test cell runs in parts: its public part (what the student sees, outputs kept for the
feedback), then each hidden block on its own, out of the kernel's history, with its
generators seeded from the cell's grade_id (the same numbers as in the reference run,
wherever the cell sits). A hidden block's outputs are not kept: only the observations it
reports (see `sandbox.observe`) come back, and the grader, not this process and not the
kernel, judges them (`judging`). After the block the names it bound and its source are
removed from the kernel, so later cells find nothing of it. A cell that kills the kernel
costs that cell: a fresh kernel replays the cells that ran cleanly before it and grading
goes on (see `_Run`); past the restart budget or the notebook's time limit, the remaining
cells are marked as not run.
"""

from __future__ import annotations

import json
import shutil
import time
import zlib
from pathlib import Path
from typing import Callable

import nbformat

from autograder.bundle.setup_cell import is_course_cell
from autograder.markers import split_test
from autograder.namespace import bound_names
from autograder.sandbox.kernels import ForkedKernel, Kernel, silent
from autograder.sandbox.limits import Limits
from autograder.sandbox.observe import MIME

NOT_RUN = "CellNotRun"
SEED_BASE = 20_000  # a student's cell i starts with its generators seeded to SEED_BASE + i
OBSERVATION_BYTES = 256 << 20  # what one test cell may report in all


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer_cell(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def is_instructor_cell(cell) -> bool:
    """A read-only cell of the instructor's (given code); not a test, not an answer, not a
    cell the student added (those carry no nbgrader metadata)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade_id")) and not meta.get("solution") and not is_test_cell(cell)


def cell_seed(cell, index: int, part: str = "") -> int:
    """The seed a cell's generators start from: by grade_id for the instructor's cells and
    tests (the same in the reference run, wherever the student moved them), by position
    for the student's own."""
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    if gid and not is_answer_cell(cell):
        return SEED_BASE + zlib.crc32(f"{gid}{part}".encode()) % 1_000_000
    return SEED_BASE + index


def answer_names(source_notebook: nbformat.NotebookNode) -> list[str]:
    """Names the answer cells of the instructor's notebook bind: what students are meant to define."""
    names: set[str] = set()
    for cell in source_notebook.cells:
        if cell.cell_type == "code" and is_answer_cell(cell):
            names |= bound_names(cell.source)
    return sorted(names)


def _gid(cell) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def _error_output(ename: str, evalue: str):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def run_job(job_dir: Path, kernel: Kernel | ForkedKernel | None = None,
            restart: Callable[[], Kernel | ForkedKernel] | None = None) -> dict:
    """Execute `job_dir/input.ipynb` (in `kernel`, else a new one); write `executed.ipynb`
    and `status.json`; return the status. `restart` makes a fresh kernel over the same
    scratch folder when one dies (default: a cold one). The kernel is shut down afterwards."""
    job = json.loads((job_dir / "job.json").read_text())
    limits = Limits(**job["limits"])
    nb = nbformat.read(job_dir / "input.ipynb", as_version=4)
    status = {"state": "finished", "reason": "", "cells_run": 0, "restarts": 0, "tests": {}, "stray": 0}
    started = time.monotonic()
    if restart is None:
        restart = lambda: Kernel(job_dir / "scratch", limits, job.get("sandbox", True))  # noqa: E731
    run = None
    try:
        if kernel is None:
            kernel = restart()
        else:  # a pre-started kernel: hand it the submission's files
            shutil.copytree(job_dir / "scratch", kernel.scratch, dirs_exist_ok=True)
        run = _Run(kernel, restart, limits, job.get("answer_names", []), job.get("record", False))
        run.cells(nb, status)
    except Exception as err:  # the kernel never came up, or the channel broke
        status.update(state="error", reason=f"{type(err).__name__}: {err}")
        for cell in nb.cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if is_test_cell(cell) and not status["tests"].get(gid):
                status["tests"][gid] = f"not run: {status['reason']}"
    finally:
        live = run.kernel if run is not None else kernel
        if live is not None:
            live.close()
    status["seconds"] = round(time.monotonic() - started, 2)
    nbformat.write(nb, job_dir / "executed.ipynb")
    (job_dir / "observations.json").write_text(json.dumps(run.observations if run is not None else {}))
    (job_dir / "status.json").write_text(json.dumps(status))
    return status


class _Run:
    """One notebook's cells in order, in a kernel that is replaced when it dies.

    A cell that kills the kernel, or runs past its limit where an interrupt cannot stop
    it, fails with its reason; a fresh kernel then replays the cells that ran cleanly
    before it (answers and given code, never test cells, so no hidden test runs twice
    and none is re-sent) and the notebook goes on, so later, independent exercises keep
    their points. At most `limits.restarts` restarts, all within the notebook's time limit.
    """

    def __init__(self, kernel, restart, limits: Limits, answer_names: list[str], record: bool = False):
        self.kernel, self.restart, self.limits = kernel, restart, limits
        self.answers, self.record = set(answer_names), record
        self.replay: list = []  # cells that ran cleanly, to rebuild the state after a restart
        self.deadline = time.monotonic() + limits.timeout_s
        self.notes: list[str] = []
        self.observations: dict[str, list[dict]] = {}  # grade_id -> what its hidden tests reported
        self.status: dict | None = None
        self._begin()

    def _begin(self) -> None:
        self._guard(f"answers={sorted(self.answers)!r}" + (", record=True" if self.record else ""))

    def _guard(self, args: str = "") -> None:
        """Call the kernel's guard. A notebook that broke it only hurts itself (the verdict
        is not the kernel's), so a failed call is noted, not fatal."""
        try:
            silent(self.kernel.kc, f"{self.kernel.guard}({args})", timeout=60)
        except RuntimeError as err:
            note = f"the notebook disabled the grader's guard ({err})"
            if note not in self.notes:
                self.notes.append(note)

    def _remaining(self) -> float:
        return self.deadline - time.monotonic()

    def cells(self, nb, status: dict) -> None:
        """Run the notebook's cells in order. The setup and check cells a student bundle
        adds are skipped and not counted, so every other cell keeps its release position
        (and the seed that goes with it)."""
        self.status = status
        index = -1
        for cell in nb.cells:
            if is_course_cell(cell):
                continue
            index += 1
            if cell.cell_type != "code":
                continue
            if status["state"] != "finished" or self._remaining() <= 0:
                if status["state"] == "finished":
                    status.update(state="timeout",
                                  reason=f"the notebook ran past its {self.limits.timeout_s:g} s limit")
                cell.outputs = [_error_output(NOT_RUN, f"not run: {status['reason']}")]
                if is_test_cell(cell):
                    status["tests"][_gid(cell)] = f"not run: {status['reason']}"
                continue
            outcome = self.run(cell, index)
            status["cells_run"] += 1
            if outcome["dead"]:
                why = self._recover(cell, index, outcome, status)
                if why:
                    status.update(state="kernel_died", reason="; ".join(self.notes + [why]))
        if status["state"] == "finished" and self.notes:
            status["reason"] = "; ".join(self.notes)

    def run(self, cell, index: int, record: bool = True) -> dict:
        """Execute one cell (a test in its parts, see `_test`); with `record`, keep its outputs."""
        if is_test_cell(cell):
            return self._test(cell, index)
        kc = self.kernel.kc
        if not is_answer_cell(cell):  # instructor code runs against the instructor's names
            self._guard()
        self._guard(f"seed={cell_seed(cell, index)}")  # a regrade draws the same numbers
        limit = min(self.limits.cell_timeout_s, self._remaining())
        outcome = _execute(kc, self.kernel.km, cell.source, limit, self.limits.output_chars)
        clean = not outcome["dead"] and not outcome["timed_out"] \
            and not any(o.output_type == "error" for o in outcome["outputs"])
        if record:
            self._stray(outcome)
            cell.outputs = outcome["outputs"]
            cell.execution_count = outcome.get("execution_count")
            if outcome["timed_out"]:
                cell.outputs.append(_error_output("CellTimeoutError", f"cell {index} ran past {limit:g} s"))
            if clean:
                self.replay.append(cell)
        if is_instructor_cell(cell) and not outcome["dead"]:  # given names, put back before later cells
            protected = sorted(bound_names(cell.source) - self.answers)
            if protected:
                self._guard(f"keep={protected!r}")
        return outcome

    def _test(self, cell, index: int) -> dict:
        """A test cell: its public parts as the student sees them (outputs kept), each hidden
        block apart (seeded by grade_id, out of the history, outputs dropped but for the
        observations it reports), then the block's names and source removed."""
        gid, kc = _gid(cell), self.kernel.kc
        shown, observed, count = [], self.observations.setdefault(gid, []), None
        outcome = {"outputs": shown, "dead": False, "why": "", "timed_out": False}
        for number, (hidden, code) in enumerate(split_test(cell.source)):
            self._guard()
            self._guard(f"seed={cell_seed(cell, index, f':{number}' if hidden else '')}")
            limit = min(self.limits.cell_timeout_s, self._remaining())
            if hidden:
                self._guard("mark=True")
                part = _execute(kc, self.kernel.km, code, limit, self.limits.output_chars,
                                observations=observed, store_history=False)
                if self.record:  # the instructor sees why a reference run failed
                    shown.extend(o for o in part["outputs"] if o.output_type == "error")
                if not part["dead"]:
                    names = sorted(n for n in bound_names(code) if n not in self.answers)
                    self._guard(f"purge={names!r}")
            else:
                part = _execute(kc, self.kernel.km, code, limit, self.limits.output_chars)
                self._stray(part)
                shown.extend(part["outputs"])
                count = part.get("execution_count") or count
            if part["timed_out"]:
                shown.append(_error_output("CellTimeoutError", f"cell {index} ran past {limit:g} s"))
                self.status["tests"][gid] = f"this cell ran past its {limit:g} s limit"
            if part["dead"]:
                outcome.update(dead=True, why=part["why"], timed_out=part["timed_out"])
                self.status["tests"].setdefault(gid, "the kernel died while this cell ran")
                break
        cell.outputs, cell.execution_count = shown, count
        return outcome

    def _stray(self, outcome: dict) -> None:
        """Observations reported outside a hidden test are dropped; the count is kept."""
        self.status["stray"] += outcome.get("stray", 0)

    def _recover(self, cell, index: int, outcome: dict, status: dict) -> str:
        """After cell `index` killed the kernel: '' once a fresh kernel has the state of the
        cells before it, else why the notebook cannot go on."""
        last_words = self.kernel.stderr_tail()
        why = f"the kernel died in cell {index} ({outcome['why']})" + \
            (f"; its last words: {last_words}" if last_words else "")
        cell.outputs.append(_error_output("DeadKernelError", why))
        if status["restarts"] >= self.limits.restarts or self._remaining() <= 0:
            return why + (f"; no restarts left ({self.limits.restarts} used)" if self._remaining() > 0 else "")
        self.kernel.close()
        self.kernel = self.restart()
        status["restarts"] += 1
        self._begin()
        for earlier in self.replay:
            again = self.run(earlier, index, record=False)  # never a test: tests are not replayed
            if again["dead"] or again["timed_out"] or self._remaining() <= 0:
                return why + "; replaying the cells before it failed"
        self.notes.append(f"{why}; restarted a fresh kernel and replayed the {len(self.replay)} cells "
                          "that ran cleanly before it")
        return ""


def _execute(kc, km, code: str, timeout: float, max_chars: int, observations: list | None = None,
             store_history: bool = True) -> dict:
    """Run one cell; collect its outputs (capped) until the kernel is idle again. With
    `observations`, what the code reports for the grader goes there (see
    `sandbox.observe`); elsewhere such reports are dropped and counted as `stray`."""
    msg_id = kc.execute(code, store_history=store_history, allow_stdin=False)
    outputs, chars, count, truncated, stray, observed_bytes = [], 0, None, False, 0, 0
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            km.interrupt_kernel()
            if not _drain(kc, msg_id, 10):  # stuck where an interrupt cannot reach
                km.shutdown_kernel(now=True)
            return {"outputs": outputs, "dead": not km.is_alive(), "why": "timeout", "timed_out": True,
                    "execution_count": count, "stray": stray}
        try:
            msg = kc.get_iopub_msg(timeout=min(left, 1.0))
        except Exception:  # queue.Empty
            if not km.is_alive():
                return {"outputs": outputs, "dead": True, "why": "process exited", "timed_out": False,
                        "execution_count": count, "stray": stray}
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            return {"outputs": outputs, "dead": False, "why": "", "timed_out": False, "execution_count": count,
                    "stray": stray}
        if kind == "execute_input":
            count = content.get("execution_count")
        elif kind in ("display_data", "update_display_data") and MIME in content.get("data", {}):
            report = content["data"][MIME]
            size = len(json.dumps(report)) if isinstance(report, dict) else 0
            if observations is None or not isinstance(report, dict):
                stray += 1
            elif observed_bytes + size <= OBSERVATION_BYTES:
                observed_bytes += size
                observations.append(report)
        elif kind in ("stream", "error", "execute_result", "display_data"):
            out = nbformat.v4.output_from_msg(msg)
            size = len(json.dumps(out))
            if chars + size > max_chars:
                if not truncated:  # one marker, however many messages follow
                    truncated = True
                    outputs.append(nbformat.v4.new_output("stream", name="stdout",
                                                          text=f"\n[output truncated at {max_chars} characters]\n"))
                if kind == "error":
                    outputs.append(out)
                continue
            chars += size
            if kind == "stream" and outputs and outputs[-1].output_type == "stream" and outputs[-1].name == out.name:
                outputs[-1].text += out.text
            else:
                outputs.append(out)
        elif kind == "clear_output":
            outputs = [o for o in outputs if o.output_type == "error"]


def _drain(kc, msg_id: str, seconds: float) -> bool:
    """Wait for the kernel to go idle after an interrupt; False if it did not."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except Exception:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                and msg["content"]["execution_state"] == "idle":
            return True
    return False


def main() -> None:
    """`python -m autograder.executor JOB_DIR`: run one job folder in a new kernel."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m autograder.executor")
    ap.add_argument("job", type=Path, help="the job folder to run")
    print(json.dumps(run_job(ap.parse_args().job)))


if __name__ == "__main__":
    main()
