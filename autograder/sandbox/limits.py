"""Resource limits of one submission, and the rlimits that enforce them inside the sandbox."""

from __future__ import annotations

import argparse
import resource
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission."""

    timeout_s: float = 1800.0  # wall time for the whole notebook
    cell_timeout_s: float = 600.0  # wall time for one cell
    memory_mb: int = 4096  # beyond what the kernel uses after importing torch
    cpu_s: int = 3600
    output_mb: int = 64  # largest file the submission may write
    output_chars: int = 200_000  # text kept from one cell's outputs
    restarts: int = 3  # fresh kernels a notebook may get after a cell killed its kernel


MB = 1 << 20


def _limit(kind: int, value: int) -> None:
    soft, hard = resource.getrlimit(kind)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, value))


def apply_limits(memory_mb: int, cpu_s: int, fsize_mb: int) -> None:
    """rlimits for this process and all it starts; 0 leaves one unlimited."""
    if memory_mb:
        _limit(resource.RLIMIT_DATA, _data_in_use() + memory_mb * MB)
    if cpu_s:
        _limit(resource.RLIMIT_CPU, cpu_s)
    if fsize_mb:
        _limit(resource.RLIMIT_FSIZE, fsize_mb * MB)
    _limit(resource.RLIMIT_CORE, 0)


def _data_in_use() -> int:
    """Bytes of data segment this process already uses (torch's import is not the student's)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_args(limits: Limits) -> list[str]:
    """The command-line form of the limits that the sandboxed process sets on itself."""
    return [f"--memory-mb={limits.memory_mb}", f"--cpu-s={limits.cpu_s}", f"--fsize-mb={limits.output_mb}"]


def limit_parser() -> argparse.ArgumentParser:
    """Parses `limit_args` (and leaves other arguments alone with parse_known_args)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--memory-mb", type=int, default=0, help="cap on the data segment (heap and anonymous maps)")
    ap.add_argument("--cpu-s", type=int, default=0)
    ap.add_argument("--fsize-mb", type=int, default=0, help="largest file the submission may write")
    return ap
