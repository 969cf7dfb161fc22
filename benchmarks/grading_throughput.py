"""Grading throughput: plain `nbgrader autograde` against our grader, in one run.

    .venv/bin/python benchmarks/grading_throughput.py [--trivial 12] [--hw1 4] [--workers N]

Part 1 builds N trivial submissions of a tiny torch notebook and grades the same folder
with plain `nbgrader autograde` (sequential, one command for all) and with
`python -m autograder grade` (parallel sandboxed workers). Part 2 grades copies of the
hw1 reference solution (sample mode) with 1 worker and with N, to show how close to
linear the scaling is. Timings include staging the gradebook, as a grader would see them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.testing import make_mini_course, mini_submission, reference_submission, write_submission  # noqa: E402


def _env() -> dict[str, str]:
    env = dict(os.environ, COURSE_SAMPLE_MODE="1", HF_HUB_OFFLINE="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed:\n{proc.stderr[-2000:]}")
    return elapsed


def plain_nbgrader(course: Path, assignment: str, submissions: Path) -> float:
    """`nbgrader generate_assignment` + `nbgrader autograde` over every student."""
    shutil.rmtree(course / "submitted", ignore_errors=True)
    for student in submissions.iterdir():
        dest = course / "submitted" / student.name / assignment
        dest.mkdir(parents=True)
        for nb in student.glob("*.ipynb"):
            shutil.copy(nb, dest / nb.name)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    return (_timed([*nbgrader, "generate_assignment", assignment, "--force"], course)
            + _timed([*nbgrader, "autograde", assignment, "--force"], course))


def ours(course: Path, assignment: str, submissions: Path, out: Path, workers: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    return _timed([sys.executable, "-m", "autograder", "--course", str(course), "grade", assignment,
                   str(submissions), "--out", str(out), "--workers", str(workers)], ROOT)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trivial", type=int, default=12, help="trivial submissions for part 1")
    ap.add_argument("--hw1", type=int, default=4, help="hw1 submissions for part 2 (0 to skip)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores; our grader with {args.workers} workers, bubblewrap sandbox")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        course = make_mini_course(tmp / "mini_course", ROOT / "nbgrader_config.py")
        subs = tmp / "mini_subs"
        for i in range(args.trivial):
            write_submission(mini_submission(course / "source" / "mini" / "mini.ipynb"), subs, f"s{i:02d}", "mini.ipynb")
        plain = plain_nbgrader(course, "mini", subs)
        mine = ours(course, "mini", subs, tmp / "out_mini", args.workers)
        print(f"\n1. {args.trivial} trivial torch notebooks")
        print(f"   plain nbgrader autograde : {plain:7.1f} s  ({plain / args.trivial:.2f} s each)")
        print(f"   ours, {args.workers} workers          : {mine:7.1f} s  ({mine / args.trivial:.2f} s each)")
        print(f"   speed-up                 : {plain / mine:7.2f}x")

        if args.hw1:
            hw1 = tmp / "hw1_subs"
            ref = reference_submission(ROOT / "source" / "hw1_foundations" / "hw1_foundations.ipynb")
            for i in range(args.hw1):
                write_submission(ref, hw1, f"h{i:02d}", "hw1_foundations.ipynb")
            one = ours(ROOT, "hw1_foundations", hw1, tmp / "out_hw1_1", 1)
            many = ours(ROOT, "hw1_foundations", hw1, tmp / "out_hw1_n", args.workers)
            print(f"\n2. {args.hw1} hw1_foundations submissions (sample mode)")
            print(f"   ours, 1 worker           : {one:7.1f} s")
            print(f"   ours, {args.workers} workers          : {many:7.1f} s")
            print(f"   scaling                  : {one / many:7.2f}x of an ideal {args.workers}x "
                  f"({100 * one / many / args.workers:.0f} % efficiency)")


if __name__ == "__main__":
    main()
