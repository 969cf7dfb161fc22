"""Manual grading in nbgrader's own formgrader, over a graded batch's course folder.

    python -m autograder formgrader OUT [--port 8888] [--ip 127.0.0.1]

`OUT/course` already holds the gradebook and the autograded notebooks, laid out as
nbgrader expects; this starts JupyterLab 4 there with nbgrader's formgrader server
extension (its pages are under /formgrader) on localhost. Points and comments a person
gives are saved in `OUT/course/gradebook.db`; `python -m autograder export OUT` reads them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from autograder.export import batch_assignment
from autograder.nbgrader_api import nbgrader_env


def formgrader_argv(out: Path, port: int, ip: str = "127.0.0.1", token: str | None = None) -> list[str]:
    argv = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ip={ip}", f"--port={port}",
            f"--ServerApp.root_dir={out / 'course'}", "--ServerApp.open_browser=False", "--allow-root"]
    return argv + ([f"--ServerApp.token={token}"] if token is not None else [])


def start(out: Path, port: int = 8888, ip: str = "127.0.0.1", token: str | None = None) -> subprocess.Popen:
    """JupyterLab with the formgrader in `OUT/course` (nbgrader reads its config from there)."""
    assignment = batch_assignment(out)  # fails clearly when OUT is not a graded batch
    print(f"formgrader for {assignment}: http://{ip}:{port}/formgrader (manual grading: "
          f"Formgrader > Manage Assignments > {assignment} > the number under 'Submissions')", flush=True)
    return subprocess.Popen(formgrader_argv(out, port, ip, token), cwd=out / "course", env=nbgrader_env())


def serve(out: Path, port: int = 8888, ip: str = "127.0.0.1", token: str | None = None) -> int:
    """`start`, then wait; stopping this process (Ctrl-C or SIGTERM) stops JupyterLab too,
    so no server is left running on the port."""
    import signal

    server = start(out, port, ip, token)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
