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
        found = nbgrader_errors(result.get("log") or "", root / "source" / assignment)
        raise ReleaseError(f"nbgrader could not generate {assignment}:\n  " + "\n  ".join(
            found or [(result.get("error") or "no reason given").strip().splitlines()[-1]]))


def nbgrader_errors(log: str, source: Path) -> list[str]:
    """nbgrader's own [ERROR] lines from its log, without tracebacks, each followed by the
    grade_id of the cell it quotes (nbgrader prints a bad cell's contents, not its name)."""
    import nbformat

    cells = []
    for path in sorted(source.glob("*.ipynb")):
        try:
            for cell in nbformat.read(path, as_version=4).cells:
                gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                cells.append((path.name, gid or f"cell {len(cells)}", cell.source))
        except Exception:  # noqa: BLE001 - an unreadable notebook is reported by nbgrader itself
            continue
    entries, current = [], None
    for line in log.splitlines():
        if line.startswith("["):
            current = None
            if line.startswith("[ERROR]") and not any(
                    skip in line for skip in ("Traceback", "There was an error processing", "Please see the")):
                current = [line[len("[ERROR]"):].strip()]
                entries.append(current)
        elif current is not None and line.strip():
            current.append(line.strip())
    messages = []
    for entry in entries:
        head, quoted = entry[0], [q for q in entry[1:] if q]
        where = ""
        if quoted:
            for notebook, gid, text in cells:
                if all(q in text for q in quoted[:3]):
                    where = f" (in {notebook}, cell {gid})"
                    break
        head = head.split(" Cell contents are")[0].rstrip(": ").rstrip()
        messages.append(head + where)
    return messages
