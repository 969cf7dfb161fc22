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

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.sandbox import HOME, Limits, kernel_argv, unsandboxed_argv, zygote_argv

NOT_RUN = "CellNotRun"
STATUS_PREFIX = "@@status "  # how a serving worker marks its answers on stdout


def is_test_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _error_output(ename: str, evalue: str):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class Kernel:
    """A fresh sandboxed kernel whose home is `scratch`, started (and warmed) before its job.

    Starting one costs seconds (a new interpreter importing torch and friends); a worker
    starts the next while the grader records the last, so each submission still gets a
    brand-new process but rarely waits for it.
    """

    def __init__(self, scratch: Path, limits: Limits, sandbox: bool, env: dict[str, str]):
        from jupyter_client.kernelspec import KernelSpec
        from jupyter_client.manager import KernelManager

        # Connection file and sockets; a short path, as Unix socket paths are capped at 107 bytes.
        self.runtime = runtime = Path(tempfile.mkdtemp(prefix="kernel-", dir="/tmp"))
        scratch.mkdir(parents=True, exist_ok=True)
        self.scratch, self.limits = scratch, limits
        guard_file = runtime / "guard"
        argv = kernel_argv(scratch, runtime, limits) if sandbox else unsandboxed_argv(limits)
        full_env = _kernel_env(env, guard_file, HOME if sandbox else str(scratch))
        self.km = KernelManager(transport="ipc", ip=str(runtime / "kernel"), connection_file=str(runtime / "kernel.json"))
        self.km._kernel_spec = KernelSpec(argv=argv, env=full_env, display_name="sandboxed", language="python",
                                          interrupt_mode="message")
        self.km.start_kernel(cwd=None if sandbox else str(scratch), env=full_env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.guard = _read_guard(guard_file)
        _silent(self.kc, f"{self.guard}()", timeout=60)  # snapshot the pristine state before any cell

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        shutil.rmtree(self.runtime, ignore_errors=True)


class Zygote:
    """A worker slot's sandboxed fork server (see `zygote.py`), started once per slot."""

    def __init__(self, scratch: Path, limits: Limits, env: dict[str, str]):
        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        self.runtime = Path(tempfile.mkdtemp(prefix="slot-", dir="/tmp"))  # short socket paths
        full_env = _kernel_env(env, None, HOME)  # each forked child gets its own guard file
        self.proc = subprocess.Popen(zygote_argv(scratch, self.runtime, limits), env=full_env, text=True, bufsize=1,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        hello = json.loads(self.proc.stdout.readline() or "{}")
        if not hello.get("ready"):
            raise RuntimeError(f"the kernel fork server did not start: {hello}")
        self.count = 0

    def ask(self, command: dict) -> dict:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the kernel fork server exited")
        return json.loads(line)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.runtime, ignore_errors=True)


class ForkedKernel:
    """A fresh kernel process forked by a slot's zygote, with KernelManager's few methods
    that the executor uses (interrupt, liveness, shutdown)."""

    def __init__(self, zygote: Zygote):
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        zygote.count += 1
        self.zygote, self.scratch = zygote, zygote.scratch
        folder = zygote.runtime / f"k{zygote.count}"
        folder.mkdir()
        conn, _ = write_connection_file(str(folder / "kernel.json"), transport="ipc", ip=str(folder / "s"))
        guard_file = folder / "guard"
        self.pid = zygote.ask({"spawn": conn, "guard": str(guard_file)})["pid"]
        self.folder = folder
        self.kc = BlockingKernelClient(connection_file=conn)
        self.kc.load_connection_file()
        self.kc.start_channels()
        self.km = self  # the executor calls km.interrupt_kernel() and friends
        self.kc.wait_for_ready(timeout=120)
        self.guard = _read_guard(guard_file)
        _silent(self.kc, f"{self.guard}()", timeout=60)

    def interrupt_kernel(self) -> None:
        self.kc.control_channel.send(self.kc.session.msg("interrupt_request", {}))

    def is_alive(self) -> bool:
        try:
            return bool(self.zygote.ask({"alive": self.pid})["alive"])
        except Exception:
            return False

    def shutdown_kernel(self, now: bool = True) -> None:
        try:
            self.zygote.ask({"kill": self.pid})
        except Exception:
            pass

    def close(self) -> None:
        self.kc.stop_channels()
        self.shutdown_kernel()
        shutil.rmtree(self.folder, ignore_errors=True)


def run_job(job_dir: Path, kernel: Kernel | ForkedKernel | None = None) -> dict:
    """Execute `job_dir/input.ipynb` (in `kernel`, else a new one); write `executed.ipynb`
    and `status.json`; return the status. The kernel is shut down afterwards."""
    job = json.loads((job_dir / "job.json").read_text())
    limits = Limits(**job["limits"])
    nb = nbformat.read(job_dir / "input.ipynb", as_version=4)
    status = {"state": "finished", "reason": "", "cells_run": 0}
    try:
        if kernel is None:
            kernel = Kernel(job_dir / "scratch", limits, job.get("sandbox", True), job.get("env", {}))
        else:  # a pre-started kernel: hand it the submission's files
            shutil.copytree(job_dir / "scratch", kernel.scratch, dirs_exist_ok=True)
        _run_cells(nb, kernel, limits, status)
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


def _run_cells(nb, kernel: Kernel | ForkedKernel, limits: Limits, status: dict) -> None:
    kc, km, guard = kernel.kc, kernel.km, kernel.guard
    deadline = time.monotonic() + limits.timeout_s
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
        if test:
            _silent(kc, f"{guard}()", timeout=60)
        code = cell.source + (f"\nprint({token!r})" if test else "")
        outcome = _execute(kc, km, code, min(limits.cell_timeout_s, remaining), limits.output_chars)
        cell.outputs = outcome["outputs"]
        cell.execution_count = outcome.get("execution_count")
        status["cells_run"] += 1
        if outcome["dead"]:
            status.update(state="kernel_died", reason=f"the kernel died in cell {index} ({outcome['why']})")
            cell.outputs.append(_error_output("DeadKernelError", status["reason"]))
        elif outcome["timed_out"]:
            cell.outputs.append(_error_output("CellTimeoutError",
                                              f"cell {index} ran past {min(limits.cell_timeout_s, remaining):g} s"))
        if test:
            _judge(cell, token)


def _kernel_env(extra: dict[str, str], guard_file: Path | None, home: str) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "COURSE_SAMPLE_MODE", "COURSE_DATA_DIR", "HF_HOME", "HF_HUB_CACHE",
            "HF_HUB_OFFLINE", "CUDA_VISIBLE_DEVICES", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(extra)
    env.update(NBGRADER_EXECUTION="autograde", MPLBACKEND="Agg", PYTHONUNBUFFERED="1", HOME=home)
    if guard_file is not None:
        env["GRADER_GUARD_FILE"] = str(guard_file)
    return env


def _read_guard(path: Path) -> str:
    for _ in range(600):
        if path.exists() and path.read_text():
            return path.read_text().strip()
        time.sleep(0.1)
    raise RuntimeError("the kernel did not start the guard")


def _silent(kc, code: str, timeout: float) -> None:
    msg_id = kc.execute(code, silent=True, store_history=False)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"guard call failed: {reply['content'].get('ename')}")


def _execute(kc, km, code: str, timeout: float, max_chars: int) -> dict:
    """Run one cell; collect its outputs (capped) until the kernel is idle again."""
    msg_id = kc.execute(code, store_history=True, allow_stdin=False)
    outputs, chars, count = [], 0, None
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
                if not outputs or outputs[-1].get("name") != "truncated":
                    outputs.append(nbformat.v4.new_output("stream", name="stdout",
                                                          text=f"\n[output truncated at {max_chars} characters]\n"))
                    outputs[-1]["name"] = "stdout"
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


def serve(slot: Path, limits: Limits, sandbox: bool) -> None:
    """A worker: read job folders from stdin, one per line; answer each with a status line.

    With the sandbox, a fork server in the slot's sandbox hands each submission a fresh
    kernel process without re-importing torch; the next one is forked while the grader
    records the last result. Without it, kernels start cold (still one per submission)."""
    zygote, kernel = _next_kernel(slot, limits, sandbox, None)  # warm before the first job
    for line in sys.stdin:
        status = run_job(Path(line.strip()), kernel)
        print(STATUS_PREFIX + json.dumps(status), flush=True)
        zygote, kernel = _next_kernel(slot, limits, sandbox, zygote)
    if zygote is not None:
        zygote.close()


def _next_kernel(slot: Path, limits: Limits, sandbox: bool, zygote: Zygote | None):
    """(zygote, a fresh kernel over an emptied scratch folder), or (zygote, None) on failure."""
    scratch = slot / "scratch"
    for entry in list(scratch.iterdir()) if scratch.exists() else []:
        shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
    try:
        if not sandbox:
            return None, Kernel(scratch, limits, sandbox, {})
        if zygote is None or not zygote.alive():
            if zygote is not None:
                zygote.close()
            zygote = Zygote(scratch, limits, {})
        return zygote, ForkedKernel(zygote)
    except Exception:  # the job then starts its own kernel and reports what goes wrong
        if zygote is not None:
            zygote.close()
        return None, None


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m autograder.executor")
    ap.add_argument("job", nargs="?", type=Path, help="run this one job folder and exit")
    ap.add_argument("--serve", type=Path, help="be a worker with this slot folder, reading jobs from stdin")
    ap.add_argument("--limits", default="{}", help="JSON of sandbox.Limits fields, with --serve")
    ap.add_argument("--no-sandbox", action="store_true")
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, Limits(**json.loads(args.limits)), not args.no_sandbox)
    else:
        print(json.dumps(run_job(args.job)))


if __name__ == "__main__":
    main()
