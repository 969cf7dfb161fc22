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
functions (the guard restores those before each test). Cells after a dead kernel or past
the time limit are marked as not run and fail.
"""

from __future__ import annotations

import ast
import json
import secrets
import shutil
import time
from pathlib import Path

import nbformat

from autograder.namespace import bound_names, parse_cell
from autograder.sandbox.kernels import ForkedKernel, Kernel, silent
from autograder.sandbox.limits import Limits

NOT_RUN = "CellNotRun"


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


def run_job(job_dir: Path, kernel: Kernel | ForkedKernel | None = None) -> dict:
    """Execute `job_dir/input.ipynb` (in `kernel`, else a new one); write `executed.ipynb`
    and `status.json`; return the status. The kernel is shut down afterwards."""
    job = json.loads((job_dir / "job.json").read_text())
    limits = Limits(**job["limits"])
    nb = nbformat.read(job_dir / "input.ipynb", as_version=4)
    status = {"state": "finished", "reason": "", "cells_run": 0}
    try:
        if kernel is None:
            kernel = Kernel(job_dir / "scratch", limits, job.get("sandbox", True))
        else:  # a pre-started kernel: hand it the submission's files
            shutil.copytree(job_dir / "scratch", kernel.scratch, dirs_exist_ok=True)
        _run_cells(nb, kernel, limits, status, job.get("answer_names", []))
    except Exception as err:  # the kernel never came up, or the channel broke
        status.update(state="error", reason=f"{type(err).__name__}: {err}")
        for cell in nb.cells:
            if is_test_cell(cell) and not any(o.output_type == "error" for o in cell.get("outputs", [])):
                cell.outputs = [_error_output(NOT_RUN, f"not run: {status['reason']}")]
    finally:
        if kernel is not None:
            kernel.close()
    nbformat.write(nb, job_dir / "executed.ipynb")
    (job_dir / "status.json").write_text(json.dumps(status))
    return status


def _run_cells(nb, kernel: Kernel | ForkedKernel, limits: Limits, status: dict, answer_names: list[str]) -> None:
    kc, km, guard = kernel.kc, kernel.km, kernel.guard
    deadline = time.monotonic() + limits.timeout_s
    silent(kc, f"{guard}(answers={sorted(answer_names)!r})", timeout=60)
    answers = set(answer_names)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if status["state"] != "finished":
            cell.outputs = [_error_output(NOT_RUN, f"not run: {status['reason']}")]
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            status.update(state="timeout", reason=f"the notebook ran past its {limits.timeout_s:g} s limit")
            cell.outputs = [_error_output(NOT_RUN, f"not run: {status['reason']}")]
            continue
        test = is_test_cell(cell)
        token = secrets.token_hex(16) if test else None
        if not is_answer_cell(cell):  # instructor code runs against the instructor's names
            silent(kc, f"{guard}()", timeout=60)
        code = with_end_token(cell.source, token) if test else cell.source
        outcome = _execute(kc, km, code, min(limits.cell_timeout_s, remaining), limits.output_chars, token)
        cell.outputs = outcome["outputs"]
        cell.execution_count = outcome.get("execution_count")
        status["cells_run"] += 1
        if outcome["dead"]:
            last_words = kernel.stderr_tail()
            status.update(state="kernel_died", reason=f"the kernel died in cell {index} ({outcome['why']})"
                          + (f"; its last words: {last_words}" if last_words else ""))
            cell.outputs.append(_error_output("DeadKernelError", status["reason"]))
        elif outcome["timed_out"]:
            cell.outputs.append(_error_output("CellTimeoutError",
                                              f"cell {index} ran past {min(limits.cell_timeout_s, remaining):g} s"))
        if test:
            _judge(cell, token)
        if not is_answer_cell(cell) and not outcome["dead"]:  # the instructor's names, kept for later tests
            protected = sorted(bound_names(cell.source) - answers)
            if protected:
                silent(kc, f"{guard}(keep={protected!r})", timeout=60)


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
