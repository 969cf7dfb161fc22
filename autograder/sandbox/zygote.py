"""A fork server for kernels: import torch once, fork a fresh kernel process per submission.

    bwrap ... python -m autograder.sandbox.zygote --memory-mb M --cpu-s C --fsize-mb F

Runs inside a worker slot's sandbox. It imports what kernels need (ipykernel, numpy,
torch, helpers) once, makes itself non-dumpable (so kernels cannot ptrace it), then
answers commands on stdin, one JSON object per line:

  {"spawn": CONNECTION_FILE, "guard": GUARD_FILE, "stderr": LOG}  -> {"pid": N}
  {"alive": N}                                     -> {"alive": true|false}
  {"kill": N}                                      -> {"killed": N}
  {"sweep": true}                                  -> {"swept": COUNT}

`sweep` (the worker sends it between hand-ins, before it empties the home folder) kills
every other process in the slot's PID namespace, whatever session or process group it
put itself in (a `setsid` child outlives its kernel otherwise), and empties the slot's
/tmp of anything made after the fork server started: nothing of one hand-in is left for
the next to find.

A spawned child is a new process (its own session, stdin/stdout on /dev/null, stderr to LOG,
rlimits set, the verdict guard installed before any student code) that becomes an
IPython kernel on the given connection file. Each submission gets one, as with a cold
start, without paying for `import torch` again.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import shutil
import signal
import sys
import threading
import time

from autograder.sandbox.launcher import become_kernel
from autograder.sandbox.limits import limit_parser

PR_SET_DUMPABLE = 4


def _prepare_imports() -> None:
    import ipykernel.kernelapp  # noqa: F401
    import IPython  # noqa: F401

    from autograder.sandbox import guard

    guard.install()  # imports numpy, torch, helpers (the name it registers is replaced per child)


def _child(connection_file: str, guard_file: str, stderr_file: str, limits: argparse.Namespace) -> None:
    """In the forked child: become a fresh, limited kernel process."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    log = os.open(stderr_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for fd, target in ((0, devnull), (1, devnull), (2, log)):
        os.dup2(target, fd)
    os.close(devnull)
    os.close(log)
    os.chdir(os.environ.get("HOME", "/"))
    try:
        become_kernel(connection_file, guard_file, limits.memory_mb, limits.cpu_s, limits.fsize_mb)
    finally:
        os._exit(0)


def main() -> None:
    limits = limit_parser().parse_args()
    _prepare_imports()
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    if threading.active_count() != 1:  # forking a multi-threaded process is unsafe: refuse
        print(json.dumps({"error": f"{threading.active_count()} threads after imports"}), flush=True)
        raise SystemExit(1)
    if _cuda_initialized():  # a CUDA context does not survive fork: kernels initialise their own
        print(json.dumps({"error": "CUDA was initialised before forking kernels"}), flush=True)
        raise SystemExit(1)
    print(json.dumps({"ready": True}), flush=True)
    children: set[int] = set()
    tmp_at_start = set(os.listdir("/tmp")) if os.path.isdir("/tmp") else set()
    for line in sys.stdin:
        cmd = json.loads(line)
        if "spawn" in cmd:
            pid = os.fork()
            if pid == 0:
                _child(cmd["spawn"], cmd["guard"], cmd.get("stderr", os.devnull), limits)
            children.add(pid)
            reply = {"pid": pid}
        elif "alive" in cmd:
            reply = {"alive": _alive(cmd["alive"])}
        elif "sweep" in cmd:
            reply = {"swept": _sweep(tmp_at_start)}
            children.clear()
        elif "kill" in cmd:
            pid = cmd["kill"]
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _reap(pid)
            children.discard(pid)
            reply = {"killed": pid}
        else:
            reply = {"error": f"unknown command {cmd!r}"}
        print(json.dumps(reply), flush=True)


def _sweep(keep_in_tmp: set[str]) -> int:
    """Kill every process of this PID namespace but this one and its init; empty /tmp."""
    killed = 0
    for _ in range(50):
        others = [pid for pid in _pids() if pid not in (1, os.getpid())]
        if not others:
            break
        killed = max(killed, len(others))
        try:
            os.kill(-1, signal.SIGKILL)  # all we may signal, atomically: a forking process cannot escape
        except ProcessLookupError:
            pass
        _reap_all()
        time.sleep(0.02)
    for name in set(os.listdir("/tmp")) - keep_in_tmp if os.path.isdir("/tmp") else ():
        path = os.path.join("/tmp", name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass
    return killed


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _reap_all() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _cuda_initialized() -> bool:
    torch = sys.modules.get("torch")
    return bool(torch is not None and torch.cuda.is_initialized())


def _alive(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == 0


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


if __name__ == "__main__":
    main()
