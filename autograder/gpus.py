"""GPU runners: how many grading slots share each GPU, and what each slot's kernels may use.

One small notebook uses a sliver of an H100, so one slot per GPU wastes it. Each
assignment declares the GPU memory one of its notebooks needs (`gpu_memory_mb` in the
source notebook's metadata under "course"; default `DEFAULT_NEED_MB`). The plan gives
every GPU as many slots as fit in its memory (less a reserve for the driver and CUDA
contexts), never more slots in all than CPU cores, and caps each slot's kernels at their
share: through CUDA MPS's per-client limit (`CUDA_MPS_PINNED_DEVICE_MEM_LIMIT`, enforced
by the MPS server when it runs) and PyTorch's allocator cap (set in each kernel before any
student code; see `sandbox.launcher`). GPU facts come from `nvidia-smi`, so the grader
process never initialises CUDA itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEFAULT_NEED_MB = 4096
RESERVE_MB = 2048  # per GPU: the driver, and each kernel's CUDA context
MEMORY_ENV = "COURSE_GPU_MEMORY_MB"  # read by the kernel launcher


@dataclass(frozen=True)
class Slot:
    """One worker slot: the GPU it is pinned to (None: CPU only) and its GPU memory cap."""

    index: int
    gpu: int | None
    memory_mb: int | None

    def env(self) -> dict[str, str]:
        """Environment of this slot's worker (and so of every kernel it starts)."""
        if self.gpu is None:
            return {}
        env = {"CUDA_VISIBLE_DEVICES": str(self.gpu), "PYTORCH_NVML_BASED_CUDA_CHECK": "1"}
        if self.memory_mb:
            env[MEMORY_ENV] = str(self.memory_mb)
            env["CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"] = f"0={self.memory_mb}M"  # device 0 of the visible ones
        return env


def gpu_memory_mb() -> list[int]:
    """Total memory of each GPU on this machine, from nvidia-smi ([] without GPUs)."""
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    except (subprocess.SubprocessError, OSError):
        return []
    return [int(float(line)) for line in out.split() if line.strip()]


def plan_slots(gpus_mb: list[int], need_mb: int, cores: int, workers: int = 0) -> list[Slot]:
    """Slots for a machine with GPUs of `gpus_mb` memory and `cores` CPU cores.

    Without GPUs: `workers` (default: one per core) CPU slots. With GPUs: on each GPU,
    floor((memory - reserve) / need) slots (at least one), spread round-robin over the GPUs
    up to `workers` (default: as many as fit, but no more than the cores), each capped at
    an equal share of its GPU's usable memory.
    """
    if not gpus_mb:
        return [Slot(i, None, None) for i in range(workers or cores or 1)]
    fits = [max(1, (mb - RESERVE_MB) // max(need_mb, 1)) for mb in gpus_mb]
    target = workers or min(sum(fits), max(cores, len(gpus_mb)))
    counts, order, turn = [0] * len(gpus_mb), [], 0
    while len(order) < target:  # round-robin; a full GPU takes more only once all are full
        gpu = turn % len(gpus_mb)
        if counts[gpu] < fits[gpu] or all(c >= f for c, f in zip(counts, fits)):
            counts[gpu] += 1
            order.append(gpu)
        turn += 1
    return [Slot(i, gpu, (gpus_mb[gpu] - RESERVE_MB) // counts[gpu]) for i, gpu in enumerate(order)]


def declared_need_mb(source_notebooks: list[Path]) -> int:
    """The largest `gpu_memory_mb` the assignment's notebooks declare (default otherwise)."""
    needs = []
    for path in source_notebooks:
        meta = json.loads(path.read_text()).get("metadata", {}).get("course", {})
        if "gpu_memory_mb" in meta:
            needs.append(int(meta["gpu_memory_mb"]))
    return max(needs, default=DEFAULT_NEED_MB)


def declared_full_mode_memory_mb(source_notebooks: list[Path]) -> int:
    """The largest host memory (MB) a notebook's kernel needs in full mode, as its metadata
    declares (`full_mode_memory_mb` under "course"; 0 when none does). The grader raises its
    per-notebook cap (--memory) to it outside sample mode: hw3_simclr's ResNet-50 training
    step on the CPU peaks near 8 GB, twice the default cap."""
    if os.environ.get("COURSE_SAMPLE_MODE", "").strip().lower() in ("1", "true", "yes", "on"):
        return 0
    needs = [int(json.loads(p.read_text()).get("metadata", {}).get("course", {}).get("full_mode_memory_mb", 0))
             for p in source_notebooks]
    return max(needs, default=0)


def kernel_gpu_cap() -> None:
    """In a fresh kernel (after the fork, before student code): cap PyTorch's allocator at
    this slot's share of the GPU. Does nothing on CPU-only slots."""
    cap = os.environ.get(MEMORY_ENV)
    if not cap:
        return
    import torch

    if torch.cuda.is_available():
        total = torch.cuda.get_device_properties(0).total_memory
        torch.cuda.set_per_process_memory_fraction(min(1.0, int(cap) * (1 << 20) / total), 0)
