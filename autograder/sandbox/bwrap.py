"""The sandbox a submission's kernel runs in: bubblewrap (Linux namespaces) plus rlimits.

Inside it the kernel sees the system and the Python environment read-only, the course's
`helpers` package, the kernel-side part of the grader (`autograder/sandbox/`, nothing of
the judging code), its own scratch folder (the submission and the release's files) as
its home and working directory, and nothing else of this machine: not the gradebook,
`source/` (hidden tests, judges), the reference observations, the output folder, nor
other submissions. It has no network (a fresh network
namespace with only loopback), its own PID namespace (it cannot see or signal the
grader), and dies with the grader. A Docker-based runner would add a pinned image and
cgroup limits (CPU shares, a hard memory ceiling, a process count); see the README.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from autograder.sandbox.limits import Limits, limit_args

HOME = "/home/student"
# Figures a cell shows with plt.show() are kept in its outputs (and so in the feedback).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# Caches a kernel reads (read-only): the variable, or where it points by default.
# COURSE_HF_SNAPSHOTS (a folder of Hugging Face snapshots, helpers.data.mirror) has no default.
CACHES = {"COURSE_DATA_DIR": "~/.cache/dl-course", "HF_HOME": "~/.cache/huggingface", "TORCH_HOME": "~/.cache/torch",
          "COURSE_HF_SNAPSHOTS": ""}


def caches() -> dict[str, str]:
    """The caches of this machine that exist, by variable: the sandbox binds them
    read-only and points the kernel's variables at them (its own HOME is elsewhere)."""
    found = {}
    for var, default in CACHES.items():
        if not (os.environ.get(var) or default):
            continue
        path = Path(os.environ.get(var) or default).expanduser()
        if path.exists():
            found[var] = str(path.resolve())
    return found


def bwrap_available() -> bool:
    return shutil.which("bwrap") is not None


def project_root() -> Path:
    """The folder holding the `helpers` and `autograder` packages this grader runs (kernels
    import the same ones: it goes first on their PYTHONPATH)."""
    return Path(__file__).resolve().parents[2]


def kernel_side() -> list[Path]:
    """The grader's files a kernel needs: the package marker, the GPU cap the launcher sets,
    and `sandbox/` (launcher, guard, fork server, the tests' `observe`)."""
    package = Path(__file__).resolve().parents[1]
    return [package / "__init__.py", package / "gpus.py", package / "sandbox"]


def _ro_binds() -> list[Path]:
    """What the kernel needs read-only: the interpreter, the environment, the helpers."""
    import importlib.util

    helpers = Path(importlib.util.find_spec("helpers").origin).parent  # located, not imported (no torch here)
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), helpers.resolve(), *kernel_side()}
    paths |= {Path(p) for p in caches().values()}
    if os.environ.get("HF_HUB_CACHE") and Path(os.environ["HF_HUB_CACHE"]).exists():
        paths.add(Path(os.environ["HF_HUB_CACHE"]).resolve())
    return sorted(paths)


def kernel_argv(scratch: Path, runtime: Path, limits: Limits, python: str = sys.executable) -> list[str]:
    """The command that starts a sandboxed kernel; '{connection_file}' is filled in by jupyter_client."""
    launcher = [python, "-m", "autograder.sandbox.launcher", *limit_args(limits), "-f", "{connection_file}"]
    return bwrap_argv(scratch, runtime) + launcher


def zygote_argv(scratch: Path, runtime: Path, limits: Limits, python: str = sys.executable) -> list[str]:
    """The command that starts a worker slot's sandboxed fork server (see `zygote`)."""
    return bwrap_argv(scratch, runtime) + [python, "-m", "autograder.sandbox.zygote", *limit_args(limits)]


def bwrap_argv(scratch: Path, runtime: Path) -> list[str]:
    """bubblewrap's arguments: what the sandbox sees, and its fresh namespaces."""
    if not bwrap_available():
        raise RuntimeError("bubblewrap (bwrap) is not installed: `apt-get install bubblewrap`, "
                           "or grade with --no-sandbox on a machine you trust")
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin", "--ro-bind", "/etc", "/etc",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in _ro_binds():
        argv += ["--ro-bind", str(path), str(path)]
    argv += gpu_args()
    argv += ["--bind", str(scratch), HOME, "--bind", str(runtime), str(runtime), "--chdir", HOME,
             "--setenv", "HOME", HOME, "--setenv", "PYTHONNOUSERSITE", "1", "--setenv", "MPLBACKEND", INLINE_BACKEND,
             "--setenv", "PYTHONPATH", str(project_root())]
    return argv


def gpu_args(dev: Path = Path("/dev"), mps: Path | None = None) -> list[str]:
    """What a kernel on a GPU runner needs besides the system: the driver's device nodes
    (/dev/nvidia0.., nvidiactl, nvidia-uvm, nvidia-caps), /sys read-only (NVML reads the
    PCI tree there) and, when a CUDA MPS server runs, its pipe folder. [] without GPUs."""
    nodes = sorted(dev.glob("nvidia*"))
    if not nodes:
        return []
    argv = [arg for node in nodes for arg in ("--dev-bind", str(node), str(node))]
    argv += ["--ro-bind", "/sys", "/sys"]
    mps = mps or Path(os.environ.get("CUDA_MPS_PIPE_DIRECTORY", "/tmp/nvidia-mps"))
    if mps.is_dir():
        argv += ["--bind", str(mps), str(mps)]
    return argv


def unsandboxed_argv(limits: Limits, python: str = sys.executable) -> list[str]:
    """The same kernel without namespaces (rlimits only), for --no-sandbox."""
    return [python, "-m", "autograder.sandbox.launcher", *limit_args(limits), "-f", "{connection_file}"]
