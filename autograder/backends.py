"""Where submissions execute: local worker processes, or tasks on a Ray cluster.

A backend only executes prepared jobs (`autograder.executor`); preparing notebooks and
writing grades stay in the grader's process, so one writer touches the gradebook.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


def gpu_count() -> int:
    try:
        import torch

        return torch.cuda.device_count()
    except Exception:
        return 0


def default_workers() -> int:
    """One worker per GPU where there are GPUs, else one per CPU core."""
    return gpu_count() or os.cpu_count() or 1


class LocalBackend:
    """N worker slots; each job runs `python -m autograder.executor` as a fresh process."""

    def __init__(self, workers: int, grace_s: float = 120.0):
        self.workers = workers
        self.grace_s = grace_s
        self.gpus = gpu_count()
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._free_slots = list(range(workers))
        self._slot_lock = __import__("threading").Lock()

    def submit(self, job_dir: Path, timeout_s: float) -> Future:
        return self._pool.submit(self._run, job_dir, timeout_s)

    def _run(self, job_dir: Path, timeout_s: float) -> dict:
        with self._slot_lock:
            slot = self._free_slots.pop()
        try:
            env = dict(os.environ)
            if self.gpus:
                env["CUDA_VISIBLE_DEVICES"] = str(slot % self.gpus)  # pin this worker to one GPU
            proc = subprocess.run([sys.executable, "-m", "autograder.executor", str(job_dir)], env=env,
                                  capture_output=True, text=True, timeout=timeout_s + self.grace_s)
            status_file = job_dir / "status.json"
            if status_file.exists():
                return json.loads(status_file.read_text())
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"state": "error", "reason": "executor failed: " + " | ".join(tail)}
        except subprocess.TimeoutExpired:
            return {"state": "timeout", "reason": f"grading took longer than {timeout_s + self.grace_s:g} s"}
        finally:
            with self._slot_lock:
                self._free_slots.append(slot)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def _run_on_ray_worker(files: dict[str, bytes]) -> dict[str, bytes]:
    """Recreate a job folder on the Ray worker, execute it, send back the results."""
    from autograder.executor import run_job

    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        job_dir = Path(tmp)
        for rel, data in files.items():
            (job_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (job_dir / rel).write_bytes(data)
        job = json.loads((job_dir / "job.json").read_text())
        job["scratch"] = str(job_dir / "scratch")
        (job_dir / "job.json").write_text(json.dumps(job))
        try:
            run_job(job_dir)
        except Exception as err:  # report, never lose the task
            (job_dir / "status.json").write_text(json.dumps({"state": "error", "reason": repr(err)}))
        return {name: (job_dir / name).read_bytes() for name in ("executed.ipynb", "status.json")
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

    def submit(self, job_dir: Path, timeout_s: float) -> Future:
        files = {str(p.relative_to(job_dir)): p.read_bytes() for p in job_dir.rglob("*") if p.is_file()}
        ref = self._task.remote(files)
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

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def cleanup(job_dir: Path) -> None:
    shutil.rmtree(job_dir, ignore_errors=True)
