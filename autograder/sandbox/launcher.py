"""Start an IPython kernel with resource limits and the verdict guard, inside the sandbox.

    python -m autograder.sandbox.launcher --memory-mb 4096 --cpu-s 900 --fsize-mb 64 -f CONNECTION

`become_kernel` is the one way a kernel process starts, whether launched cold like this
or forked by a slot's fork server (`zygote`): the guard is installed (importing torch &
co.) before the limits and before any student code, its random name is written to the
guard file (outside the kernel's reach once read), and the limits are set on the process
so that everything the submission runs inherits them.
"""

from __future__ import annotations

import os
import sys

from autograder.gpus import kernel_gpu_cap
from autograder.sandbox.limits import apply_limits, limit_parser


def gpu_visible() -> bool:
    """A GPU is exposed to this process (the sandbox binds the driver's device nodes)."""
    return os.path.exists("/dev/nvidiactl") and os.environ.get("CUDA_VISIBLE_DEVICES", "") not in ("", "-1")


def become_kernel(connection_file: str, guard_file: str | None, memory_mb: int, cpu_s: int, fsize_mb: int) -> None:
    """Turn this process into a limited, guarded IPython kernel on `connection_file`."""
    from autograder.sandbox import guard

    name = guard.install()
    if guard_file:
        with open(guard_file, "w") as fh:
            fh.write(name)
    if gpu_visible():
        # CUDA reserves far more address space than any data-segment cap allows, so on a GPU
        # slot the host-memory rlimit is off; the GPU memory cap (and the runner's) apply.
        memory_mb = 0
        kernel_gpu_cap()
    apply_limits(memory_mb, cpu_s, fsize_mb)
    # Inside the sandbox's PID namespace the kernel's parent is the namespace's init (or the
    # fork server), so ipykernel's parent poller would shut it down at once; bwrap
    # --die-with-parent does that job instead.
    os.environ.pop("JPY_PARENT_PID", None)
    from ipykernel import kernelapp

    # Python's sys.stdout/stderr still reach the notebook; what native code writes to file
    # descriptor 2 (a crash's last words) goes to the process's stderr file for the grader.
    sys.argv = ["ipykernel", "-f", connection_file, "--IPKernelApp.capture_fd_output=False"]
    kernelapp.launch_new_instance()


def main() -> None:
    ap = limit_parser()
    ap.add_argument("-f", dest="connection_file", required=True)
    args = ap.parse_args()
    become_kernel(args.connection_file, os.environ.pop("GRADER_GUARD_FILE", None),
                  args.memory_mb, args.cpu_s, args.fsize_mb)


if __name__ == "__main__":
    main()
