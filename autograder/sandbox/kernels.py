"""The kernel processes a submission runs in, each fresh and sandboxed.

`Kernel` starts one cold (bubblewrap + `launcher`, or rlimits only without the sandbox);
`Zygote` is a worker slot's fork server and `ForkedKernel` a kernel it forks. All three
end with a kernel whose guard (see `guard`) has taken its snapshot before any cell runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from autograder.sandbox.bwrap import (HOME, INLINE_BACKEND, caches, kernel_argv, project_root, unsandboxed_argv,
                                     zygote_argv)
from autograder.sandbox.limits import Limits


class Kernel:
    """A fresh sandboxed kernel whose home is `scratch`, started (and warmed) before its job.

    Starting one costs seconds (a new interpreter importing torch and friends); a worker
    starts the next while the grader records the last, so each submission still gets a
    brand-new process but rarely waits for it.
    """

    def __init__(self, scratch: Path, limits: Limits, sandbox: bool):
        from jupyter_client.kernelspec import KernelSpec
        from jupyter_client.manager import KernelManager

        # Connection file and sockets; a short path, as Unix socket paths are capped at 107 bytes.
        self.runtime = runtime = Path(tempfile.mkdtemp(prefix="kernel-", dir="/tmp"))
        scratch.mkdir(parents=True, exist_ok=True)
        self.scratch, self.limits = scratch, limits
        guard_file = runtime / "guard"
        argv = kernel_argv(scratch, runtime, limits) if sandbox else unsandboxed_argv(limits)
        full_env = _kernel_env(guard_file, HOME if sandbox else str(scratch))
        self.km = KernelManager(transport="ipc", ip=str(runtime / "kernel"), connection_file=str(runtime / "kernel.json"))
        self.km._kernel_spec = KernelSpec(argv=argv, env=full_env, display_name="sandboxed", language="python",
                                          interrupt_mode="message")
        self.stderr_file = runtime / "stderr"
        with open(self.stderr_file, "wb") as log:
            self.km.start_kernel(cwd=None if sandbox else str(scratch), env=full_env,
                                 stdout=subprocess.DEVNULL, stderr=log)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.guard = _read_guard(guard_file)
        silent(self.kc, f"{self.guard}()", timeout=60)  # snapshot the pristine state before any cell

    def stderr_tail(self) -> str:
        return tail(self.stderr_file)

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        shutil.rmtree(self.runtime, ignore_errors=True)


class Zygote:
    """A worker slot's sandboxed fork server (see `zygote.py`), started once per slot."""

    def __init__(self, scratch: Path, limits: Limits):
        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        self.runtime = Path(tempfile.mkdtemp(prefix="slot-", dir="/tmp"))  # short socket paths
        full_env = _kernel_env(None, HOME)  # each forked child gets its own guard file
        self.stderr_file = self.runtime / "stderr"
        with open(self.stderr_file, "wb") as log:
            self.proc = subprocess.Popen(zygote_argv(scratch, self.runtime, limits), env=full_env, text=True,
                                         bufsize=1, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        hello = json.loads(self.proc.stdout.readline() or "{}")
        if not hello.get("ready"):
            raise RuntimeError(f"the kernel fork server did not start: {hello} {tail(self.stderr_file)}")
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
        self.stderr_file = folder / "stderr"
        self.pid = zygote.ask({"spawn": conn, "guard": str(guard_file), "stderr": str(self.stderr_file)})["pid"]
        self.folder = folder
        self.kc = BlockingKernelClient(connection_file=conn)
        self.kc.load_connection_file()
        self.kc.start_channels()
        self.km = self  # the executor calls km.interrupt_kernel() and friends
        self.kc.wait_for_ready(timeout=120)
        self.guard = _read_guard(guard_file)
        silent(self.kc, f"{self.guard}()", timeout=60)

    def stderr_tail(self) -> str:
        return tail(self.stderr_file)

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


def _kernel_env(guard_file: Path | None, home: str) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "COURSE_SAMPLE_MODE", "COURSE_TRAINING_SCALE", "COURSE_DATA_DIR", "HF_HOME", "HF_HUB_CACHE",
            "HF_HUB_OFFLINE", "CUDA_VISIBLE_DEVICES",
            "PYTORCH_NVML_BASED_CUDA_CHECK", "COURSE_GPU_MEMORY_MB", "CUDA_MPS_PINNED_DEVICE_MEM_LIMIT",
            "CUDA_MPS_PIPE_DIRECTORY", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(caches())  # the default caches too, though the kernel's HOME is elsewhere
    env.update(NBGRADER_EXECUTION="autograde", MPLBACKEND=INLINE_BACKEND, PYTHONUNBUFFERED="1", HOME=home,
               PYTHONPATH=str(project_root()))
    if guard_file is not None:
        env["GRADER_GUARD_FILE"] = str(guard_file)
    return env


def _read_guard(path: Path) -> str:
    for _ in range(600):
        if path.exists() and path.read_text():
            return path.read_text().strip()
        time.sleep(0.1)
    raise RuntimeError("the kernel did not start the guard")


def silent(kc, code: str, timeout: float) -> None:
    """Run `code` without output, history or IPython events (the guard's calls)."""
    msg_id = kc.execute(code, silent=True, store_history=False)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"guard call failed: {reply['content'].get('ename')}")


def tail(path: Path, lines: int = 8, chars: int = 2000) -> str:
    """The last lines a process wrote to its stderr file ('' when none), for a reason."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])[-chars:]
