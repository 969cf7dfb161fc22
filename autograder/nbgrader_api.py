"""The one way this package calls nbgrader: its Python API, in this process.

In-process is seconds faster than `nbgrader ...` on the command line, which would start
an interpreter and import everything again for each call.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class ReleaseError(RuntimeError):
    """nbgrader could not generate an assignment."""


def nbgrader_env() -> dict[str, str]:
    """The environment nbgrader needs: this interpreter's bin/ first on PATH, because
    nbgrader starts `alembic` as a subprocess for its gradebook."""
    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def generate_assignment(root: Path, assignment: str) -> None:
    """`nbgrader generate_assignment ASSIGNMENT --force` in the course folder `root`: writes
    `root/release/ASSIGNMENT/` and the assignment's entry in `root/gradebook.db`."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import PyFileConfigLoader

    os.environ.update(nbgrader_env())
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    result = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config).generate_assignment(
        assignment, force=True)
    if not result["success"]:
        raise ReleaseError(f"nbgrader could not generate {assignment}:\n{result.get('error') or result.get('log')}")
