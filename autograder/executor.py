"""Run one prepared notebook in a fresh sandboxed kernel and decide which tests passed.

    python -m autograder.executor JOB_DIR

JOB_DIR holds `job.json` (settings), `input.ipynb` (the submission after nbgrader's
sanitizing: locked cells and tests, hidden ones included, restored from the gradebook)
and `scratch/` (the submission's files, the kernel's home). It receives `executed.ipynb`
and `status.json`. The notebook itself never enters the sandbox: cells reach the kernel
one at a time, so hidden tests are not readable before they run.

A test cell passes only if it ran to its end: the executor appends a statement that
prints a fresh random token, and a cell whose output lacks that token, or that has an
error, fails, whatever the student's code did to tracebacks, `print` or the comparison
functions (the guard restores those before each test). A cell that kills the kernel costs
that cell: a fresh kernel replays the cells that ran cleanly before it and grading goes
on (see `_Run`); past the restart budget or the notebook's time limit, the remaining
cells are marked as not run and fail.
"""

from __future__ import annotations

import ast
import json
import secrets
import shutil
import time
from pathlib import Path
from typing import Callable

import nbformat

from autograder.namespace import bound_names, parse_cell
from autograder.sandbox.kernels import ForkedKernel, Kernel, silent
from autograder.sandbox.limits import Limits

NOT_RUN = "CellNotRun"
SEED_BASE = 20_000  # cell i of every notebook starts with its generators seeded to SEED_BASE + i


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer_cell(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def answer_names(source_notebook: nbformat.NotebookNode) -> list[str]:
    """Names the answer cells of the instructor's notebook bind: what students are meant to define."""
    names: set[str] = set()
    for cell in source_notebook.cells:
        if cell.cell_type == "code" and is_answer_cell(cell):
            names |= bound_names(cell.source)
    return sorted(names)


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
    status = {"state": "finished", "reason": "", "cells_run": 0, "restarts": 0}
    started = time.monotonic()
    if restart is None:
        restart = lambda: Kernel(job_dir / "scratch", limits, job.get("sandbox", True))  # noqa: E731
    run = None
    try:
        if kernel is None:
            kernel = restart()
        else:  # a pre-started kernel: hand it the submission's files
            shutil.copytree(job_dir / "scratch", kernel.scratch, dirs_exist_ok=True)
        run = _Run(kernel, restart, limits, job.get("answer_names", []))
        run.cells(nb, status)
    except Exception as err:  # the kernel never came up, or the channel broke
        status.update(state="error", reason=f"{type(err).__name__}: {err}")
        for cell in nb.cells:
            if is_test_cell(cell) and not any(o.output_type == "error" for o in cell.get("outputs", [])):
                cell.outputs = [_error_output(NOT_RUN, f"not run: {status['reason']}")]
    finally:
        live = run.kernel if run is not None else kernel
        if live is not None:
            live.close()
    status["seconds"] = round(time.monotonic() - started, 2)
    nbformat.write(nb, job_dir / "executed.ipynb")
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

    def __init__(self, kernel, restart, limits: Limits, answer_names: list[str]):
        self.kernel, self.restart, self.limits = kernel, restart, limits
        self.answers = set(answer_names)
        self.replay: list = []  # cells that ran cleanly, to rebuild the state after a restart
        self.deadline = time.monotonic() + limits.timeout_s
        self.notes: list[str] = []
        self._begin()

    def _begin(self) -> None:
        silent(self.kernel.kc, f"{self.kernel.guard}(answers={sorted(self.answers)!r})", timeout=60)

    def _remaining(self) -> float:
        return self.deadline - time.monotonic()

    def cells(self, nb, status: dict) -> None:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if status["state"] != "finished":
                cell.outputs = [_error_output(NOT_RUN, f"not run: {status['reason']}")]
                continue
            if self._remaining() <= 0:
                status.update(state="timeout", reason=f"the notebook ran past its {self.limits.timeout_s:g} s limit")
                cell.outputs = [_error_output(NOT_RUN, f"not run: {status['reason']}")]
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
        """Execute one cell (a test with its end token); with `record`, keep its outputs."""
        kc, guard = self.kernel.kc, self.kernel.guard
        test = is_test_cell(cell)
        token = secrets.token_hex(16) if test else None
        if not is_answer_cell(cell):  # instructor code runs against the instructor's names
            silent(kc, f"{guard}()", timeout=60)
        silent(kc, f"{guard}(seed={SEED_BASE + index})", timeout=60)  # a regrade draws the same numbers
        limit = min(self.limits.cell_timeout_s, self._remaining())
        code = with_end_token(cell.source, token) if test else cell.source
        outcome = _execute(kc, self.kernel.km, code, limit, self.limits.output_chars, token)
        clean = not outcome["dead"] and not outcome["timed_out"] \
            and not any(o.output_type == "error" for o in outcome["outputs"])
        if record:
            cell.outputs = outcome["outputs"]
            cell.execution_count = outcome.get("execution_count")
            if outcome["timed_out"]:
                cell.outputs.append(_error_output("CellTimeoutError", f"cell {index} ran past {limit:g} s"))
            if test:
                _judge(cell, token)
            if clean and not test:
                self.replay.append(cell)
        if not is_answer_cell(cell) and not outcome["dead"]:  # the instructor's names, kept for later tests
            protected = sorted(bound_names(cell.source) - self.answers)
            if protected:
                silent(kc, f"{guard}(keep={protected!r})", timeout=60)
        return outcome

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
            again = self.run(earlier, index, record=False)
            if again["dead"] or again["timed_out"] or self._remaining() <= 0:
                return why + "; replaying the cells before it failed"
        self.notes.append(f"{why}; restarted a fresh kernel and replayed the {len(self.replay)} cells "
                          "that ran cleanly before it")
        return ""


def with_end_token(source: str, token: str) -> str:
    """The test cell with a statement printing `token` once it has run: before its last
    statement when that is an expression (its value is the cell's partial credit, which
    nbgrader reads from the cell's result), else at its end."""
    line = f"print({token!r})"
    tree = parse_cell(source)
    if tree is None or not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return f"{source}\n{line}"
    lines = source.splitlines()
    at = tree.body[-1].lineno - 1
    return "\n".join(lines[:at] + [line] + lines[at:])


def _execute(kc, km, code: str, timeout: float, max_chars: int, token: str | None = None) -> dict:
    """Run one cell; collect its outputs (capped) until the kernel is idle again. Past the
    cap, errors and the test's end `token` are still kept (the verdict needs them)."""
    msg_id = kc.execute(code, store_history=True, allow_stdin=False)
    outputs, chars, count, truncated = [], 0, None, False
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            km.interrupt_kernel()
            if not _drain(kc, msg_id, 10):  # stuck where an interrupt cannot reach
                km.shutdown_kernel(now=True)
            return {"outputs": outputs, "dead": not km.is_alive(), "why": "timeout", "timed_out": True,
                    "execution_count": count}
        try:
            msg = kc.get_iopub_msg(timeout=min(left, 1.0))
        except Exception:  # queue.Empty
            if not km.is_alive():
                return {"outputs": outputs, "dead": True, "why": "process exited", "timed_out": False,
                        "execution_count": count}
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            return {"outputs": outputs, "dead": False, "why": "", "timed_out": False, "execution_count": count}
        if kind == "execute_input":
            count = content.get("execution_count")
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
                elif token and kind == "stream" and token in out.text:
                    outputs.append(nbformat.v4.new_output("stream", name="stdout", text=token + "\n"))
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


def _judge(cell, token: str) -> None:
    """Keep a test's pass only if its closing token was printed; remove the token."""
    finished = False
    for out in cell.outputs:
        if out.output_type == "stream" and token in out.text:
            finished = True
            out.text = out.text.replace(token + "\n", "").replace(token, "")
    cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and not o.text)]
    failed = any(o.output_type == "error" for o in cell.outputs)
    if not finished and not failed:
        cell.outputs.append(_error_output("TestNotFinished", "the test did not run to its end"))


def main() -> None:
    """`python -m autograder.executor JOB_DIR`: run one job folder in a new kernel."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m autograder.executor")
    ap.add_argument("job", type=Path, help="the job folder to run")
    print(json.dumps(run_job(ap.parse_args().job)))


if __name__ == "__main__":
    main()
