"""Run the real nbgrader command line in a course folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def nbgrader_env() -> dict[str, str]:
    """The environment nbgrader needs: this interpreter's bin/ first on PATH, because
    nbgrader starts `alembic` as a subprocess for its gradebook."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def run_nbgrader(args: list[str], cwd: Path, timeout: float | None = None) -> subprocess.CompletedProcess:
    """`nbgrader ARGS` in `cwd` (which holds nbgrader_config.py); output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout,
    )


def error_lines(proc: subprocess.CompletedProcess) -> str:
    """The lines of nbgrader's log that explain a failure, for an error message."""
    text = (proc.stdout or "") + (proc.stderr or "")
    picked = [ln for ln in text.splitlines() if "ERROR" in ln or "Error" in ln]
    return "\n".join(picked[-5:]) or "\n".join(text.splitlines()[-5:])
