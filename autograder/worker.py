"""A worker slot: a long-lived process that runs jobs one at a time, each in a fresh kernel.

    python -m autograder.worker --serve SLOT_DIR --limits JSON [--no-sandbox]

It reads job folders from stdin, one per line, runs each with `executor.run_job` and
answers with one status line (prefixed, so stray output is never mistaken for one).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from autograder.executor import run_job
from autograder.sandbox.kernels import ForkedKernel, Kernel, Zygote
from autograder.sandbox.limits import Limits

STATUS_PREFIX = "@@status "  # how a worker marks its answers on stdout


def serve(slot: Path, limits: Limits, sandbox: bool) -> None:
    """A worker: read job folders from stdin, one per line; answer each with a status line.

    With the sandbox, a fork server in the slot's sandbox hands each submission a fresh
    kernel process without re-importing torch; the next one is forked while the grader
    records the last result. Without it, kernels start cold (still one per submission)."""
    zygote, kernel = _next_kernel(slot, limits, sandbox, None)  # warm before the first job

    def restart():  # a fresh kernel over the same scratch folder, after one died mid-notebook
        if zygote is not None and zygote.alive():
            return ForkedKernel(zygote)
        return Kernel(slot / "scratch", limits, sandbox)

    for line in sys.stdin:
        status = run_job(Path(line.strip()), kernel, restart)
        print(STATUS_PREFIX + json.dumps(status), flush=True)
        zygote, kernel = _next_kernel(slot, limits, sandbox, zygote)
    if zygote is not None:
        zygote.close()


def _next_kernel(slot: Path, limits: Limits, sandbox: bool, zygote: Zygote | None):
    """(zygote, a fresh kernel over an emptied scratch folder), or (zygote, None) on failure.
    Whatever the last hand-in left running is killed first, then its files removed."""
    scratch = slot / "scratch"
    if zygote is not None and zygote.alive():
        try:
            zygote.ask({"sweep": True})
        except Exception:  # a fork server that cannot sweep is replaced below
            zygote.close()
    for entry in list(scratch.iterdir()) if scratch.exists() else []:
        shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
    try:
        if not sandbox:
            return None, Kernel(scratch, limits, sandbox)
        if zygote is None or not zygote.alive():
            if zygote is not None:
                zygote.close()
            zygote = Zygote(scratch, limits)
        return zygote, ForkedKernel(zygote)
    except Exception:  # the job then starts its own kernel and reports what goes wrong
        if zygote is not None:
            zygote.close()
        return None, None


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m autograder.worker")
    ap.add_argument("--serve", type=Path, required=True, help="this slot's folder")
    ap.add_argument("--limits", default="{}", help="JSON of sandbox.Limits fields")
    ap.add_argument("--no-sandbox", action="store_true")
    args = ap.parse_args()
    serve(args.serve, Limits(**json.loads(args.limits)), not args.no_sandbox)


if __name__ == "__main__":
    main()
