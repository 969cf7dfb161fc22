"""Start an IPython kernel with resource limits and the verdict guard, inside the sandbox.

    python -m autograder.kernel_launcher --memory-mb 4096 --cpu-s 900 --fsize-mb 64 -f CONNECTION

Limits are set on this process before the kernel exists, so everything the submission
runs inherits them. The guard's random name is written to the file named by
$GRADER_GUARD_FILE (outside the kernel's reach once read) and the variable is removed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

MB = 1 << 20


def _limit(kind: int, value: int) -> None:
    soft, hard = resource.getrlimit(kind)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, value))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--memory-mb", type=int, default=0, help="cap on the data segment (heap and anonymous maps)")
    ap.add_argument("--cpu-s", type=int, default=0)
    ap.add_argument("--fsize-mb", type=int, default=0, help="largest file the submission may write")
    args, rest = ap.parse_known_args()

    from autograder import guard

    name = guard.install()  # imports torch & co. before the limits and before student code
    guard_file = os.environ.pop("GRADER_GUARD_FILE", None)
    if guard_file:
        with open(guard_file, "w") as fh:
            fh.write(name)
    apply_limits(args.memory_mb, args.cpu_s, args.fsize_mb)

    # Inside the sandbox's PID namespace the kernel's parent is the namespace's init, so
    # ipykernel's parent poller would shut it down at once; bwrap --die-with-parent does
    # that job instead.
    os.environ.pop("JPY_PARENT_PID", None)
    from ipykernel import kernelapp

    sys.argv = [sys.argv[0], *rest]
    kernelapp.launch_new_instance()


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


if __name__ == "__main__":
    main()
