"""A virtual environment with only the student kit and its extras, for the clean-room test.

Made by `pip install <kit wheel>[all]` into an empty venv, with the course's pins as
constraints (torch and torchvision from this machine's pinned wheels). Installing PyTorch
takes minutes, so the environment is kept in `~/.cache/dlcourse-kit-env/<key>` (or
`$KIT_ENV_CACHE`), the key being a hash of what decides its contents: the kit's
pyproject, the pins of its packages and the Python version. Every test session still reinstalls the kit
itself from a freshly built wheel, without touching its dependencies.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

FORBIDDEN = ("nbgrader", "ray", "playwright", "jupyter-server", "pytest")  # the grader's stack


def _key(root: Path) -> str:
    """What decides the environment's contents: the kit's pyproject, the pins of the
    packages it installs (not the grader's), the Python version."""
    from autograder.bundle.requirements import kit_packages, normalized, pins

    course_pins = pins(root / "requirements.txt")
    digest = hashlib.sha256((root / "kit" / "pyproject.toml").read_bytes())
    for name in kit_packages(root, "all"):
        digest.update(course_pins.get(normalized(name), name).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def cache_root() -> Path:
    return Path(os.environ.get("KIT_ENV_CACHE") or Path.home() / ".cache" / "dlcourse-kit-env")


def clean_env(python: Path) -> dict[str, str]:
    """Environment variables for running the kit's interpreter: nothing of this checkout's."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = str(python.parent) + os.pathsep + env.get("PATH", "")
    return env


def pip(python: Path, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True, timeout=timeout,
                          env=clean_env(python), cwd=python.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"pip {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def kit_python(root: Path, wheel: Path) -> tuple[Path, bool]:
    """The interpreter of the kit-only environment, made if missing, with `wheel` (the kit
    as built now) installed; and whether it was made in this call."""
    base = cache_root()
    key = _key(root)
    home = base / key
    made = False
    if not (home / ".complete").exists():
        partial = base / f"{key}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        subprocess.run([sys.executable, "-m", "venv", str(partial)], check=True)
        python = partial / "bin" / "python"
        pip(python, "install", "--quiet", f"{wheel}[all]", "-c", str(root / "requirements.txt"))
        (partial / ".complete").write_text(json.dumps({"wheel": wheel.name}))
        shutil.rmtree(home, ignore_errors=True)
        partial.rename(home)
        made = True
        for old in base.iterdir():  # environments of older pins or pyprojects
            if old.name != key and not old.name.startswith(f"{key}."):
                shutil.rmtree(old, ignore_errors=True)
    python = home / "bin" / "python"
    pip(python, "install", "--quiet", "--no-deps", "--force-reinstall", str(wheel))
    return python, made


def installed(python: Path) -> dict[str, str]:
    """Normalized distribution name -> version, of everything in the environment."""
    listing = json.loads(pip(python, "list", "--format=json").stdout)
    return {d["name"].lower().replace("_", "-"): d["version"] for d in listing}
