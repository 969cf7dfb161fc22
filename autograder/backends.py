"""Where submissions execute: local worker processes, or tasks on a Ray cluster.

A backend only executes prepared jobs (`autograder.executor`); preparing notebooks and
writing grades stay in the grader's process, so one writer touches the gradebook.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from autograder.gpus import Slot
from autograder.sandbox.kernels import tail
from autograder.worker import STATUS_PREFIX


class LocalBackend:
    """Worker slots on this machine (see `gpus.plan_slots`), each a long-lived
    `python -m autograder.worker --serve`, pinned to its GPU with its memory cap if any.

    A worker runs one submission at a time, each in a brand-new sandboxed kernel that it
    started while the previous result was being recorded. A worker that hangs past the
    time limit is killed with its kernel and replaced.
    """

    def __init__(self, slots: list[Slot], work_root: Path, limits, sandbox: bool = True, grace_s: float = 120.0):
        import threading
        from dataclasses import asdict

        self.plan, self.grace_s = slots, grace_s
        workers = self.workers = len(slots)
        self._argv = [sys.executable, "-m", "autograder.worker", "--limits", json.dumps(asdict(limits))]
        if not sandbox:
            self._argv.append("--no-sandbox")
        self._work_root = work_root
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._lock = threading.Lock()
        self._slots = {slot: self._start(slot) for slot in range(workers)}
        self._free = list(range(workers))
        self._cancelled = False  # after a cancel, a killed worker is not replaced

    def _start(self, slot: int) -> subprocess.Popen:
        env = dict(os.environ)
        # Share the cores: N kernels each spinning up a full-size thread pool slow each other down.
        threads = str(max(1, (os.cpu_count() or 1) // self.workers))
        env.update(OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads, OPENBLAS_NUM_THREADS=threads)
        env.update(self.plan[slot].env())  # its GPU and its share of that GPU's memory
        folder = self._work_root / f"slot-{slot}"
        folder.mkdir(parents=True, exist_ok=True)
        with open(self._stderr(slot), "wb") as log:  # kept for the reason when the worker dies
            return subprocess.Popen([*self._argv, "--serve", str(folder)], env=env, text=True, bufsize=1,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                    start_new_session=True)

    def _stderr(self, slot: int) -> Path:
        return self._work_root / f"slot-{slot}.stderr"

    def submit(self, job_dir: Path, timeout_s: float) -> Future:
        return self._pool.submit(self._run, job_dir, timeout_s)

    def _run(self, job_dir: Path, timeout_s: float) -> dict:
        with self._lock:
            slot = self._free.pop()
            proc = self._slots[slot]
        try:
            proc.stdin.write(f"{job_dir}\n")
            proc.stdin.flush()
            end = time.monotonic() + timeout_s + self.grace_s
            ready, line = True, "x"
            while line:  # skip anything that is not an answer
                ready, _, _ = select.select([proc.stdout], [], [], max(0.0, end - time.monotonic()))
                line = proc.stdout.readline() if ready else ""
                if line.startswith(STATUS_PREFIX):
                    return json.loads(line[len(STATUS_PREFIX):])
            last_words = tail(self._stderr(slot))
            reason = (f"grading took longer than {timeout_s + self.grace_s:g} s" if not ready
                      else "the worker process died" + (f"; its last words: {last_words}" if last_words else ""))
            self._replace(slot)
            return {"state": "timeout" if not ready else "error", "reason": reason}
        except (BrokenPipeError, OSError, ValueError) as err:
            self._replace(slot)
            return {"state": "error", "reason": f"worker failed: {err}"}
        finally:
            with self._lock:
                self._free.append(slot)

    def _replace(self, slot: int) -> None:
        _kill(self._slots[slot])
        if not self._cancelled:
            self._slots[slot] = self._start(slot)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: after the queued jobs, or at once with `cancel` (what is
        queued is dropped, what runs is killed)."""
        if cancel or self._cancelled:
            self._cancelled = True
            self._pool.shutdown(wait=False, cancel_futures=True)
            for proc in list(self._slots.values()):
                if proc.poll() is None:
                    _kill(proc)
            return
        self._pool.shutdown(wait=True)
        for proc in self._slots.values():
            if proc.poll() is not None:
                continue
            try:
                proc.stdin.close()
                proc.wait(timeout=30)
            except Exception:
                _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _run_on_ray_worker(files: dict[str, bytes]) -> dict[str, bytes]:
    """Recreate a job folder on the Ray worker, execute it, send back the results."""
    from autograder.executor import run_job

    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        job_dir = Path(tmp)
        for rel, data in files.items():
            (job_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (job_dir / rel).write_bytes(data)
        try:
            run_job(job_dir)
        except Exception as err:  # report, never lose the task
            (job_dir / "status.json").write_text(json.dumps({"state": "error", "reason": repr(err)}))
        return {name: (job_dir / name).read_bytes() for name in ("executed.ipynb", "observations.json", "status.json")
                if (job_dir / name).exists()}


class RayBackend:
    """Each submission is a Ray task; it asks for a GPU when the assignment needs one."""

    def __init__(self, address: str | None, gpus_per_task: float = 0.0):
        import ray

        self.ray = ray
        if not ray.is_initialized():
            ray.init(address=address, ignore_reinit_error=True, log_to_driver=False,
                     runtime_env={"env_vars": {k: v for k, v in os.environ.items()
                                               if k.startswith(("COURSE_", "HF_"))}})
        self._task = ray.remote(num_cpus=1, num_gpus=gpus_per_task, max_retries=1)(_run_on_ray_worker)
        self._pool = ThreadPoolExecutor(max_workers=64)
        self._refs: list = []
        self._cancelled = False

    def submit(self, job_dir: Path, timeout_s: float) -> Future:
        files = {str(p.relative_to(job_dir)): p.read_bytes() for p in job_dir.rglob("*") if p.is_file()}
        ref = self._task.remote(files)
        self._refs.append(ref)
        return self._pool.submit(self._collect, ref, job_dir, timeout_s)

    def _collect(self, ref, job_dir: Path, timeout_s: float) -> dict:
        try:
            results = self.ray.get(ref, timeout=timeout_s + 300)
        except Exception as err:
            return {"state": "error", "reason": f"ray task failed: {type(err).__name__}: {err}"}
        for name, data in results.items():
            (job_dir / name).write_bytes(data)
        return json.loads(results["status.json"]) if "status.json" in results else \
            {"state": "error", "reason": "ray task returned no status"}

    def close(self, cancel: bool = False) -> None:
        """Wait for the submitted tasks, or with `cancel` drop them (queued and running) at once."""
        if cancel or self._cancelled:
            self._cancelled = True
            for ref in self._refs:
                try:
                    self.ray.cancel(ref, force=True)
                except Exception:  # finished already, or the cluster is gone: nothing left to stop
                    pass
            self._pool.shutdown(wait=False, cancel_futures=True)
            return
        self._pool.shutdown(wait=True)


def cleanup(job_dir: Path) -> None:
    shutil.rmtree(job_dir, ignore_errors=True)
