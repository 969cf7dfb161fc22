"""Command line: `python -m autograder release` and `python -m autograder grade`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.course import Course
from autograder.grade import grade_batch
from autograder.release import ReleaseError, generate_release
from autograder.report import format_table, write_csv


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder",
                                description="Release and grade the course's notebooks with nbgrader.")
    p.add_argument("--course", type=Path, default=Path.cwd(),
                   help="course folder holding nbgrader_config.py and source/ (default: here)")
    verbs = p.add_subparsers(dest="verb", required=True)

    rel = verbs.add_parser("release", help="generate release/<assignment>/ from source/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="assignment names (default: every folder in source/)")

    grade = verbs.add_parser("grade", help="autograde a folder of submissions")
    grade.add_argument("assignment")
    grade.add_argument("submissions", type=Path, help="folder of <student_id>/<notebook>.ipynb")
    grade.add_argument("--out", type=Path, required=True, help="where grades.csv and nbgrader's files go")
    grade.add_argument("--timeout", type=float, default=None, help="seconds allowed per submission")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        course = Course(args.course.resolve()).check()
        if args.verb == "release":
            names = args.assignments or course.assignments()
            for name in names:
                print(f"release/{name}/ <- source/{name}/", flush=True)
                generate_release(course, name)
            return 0
        results = grade_batch(course, args.assignment, args.submissions.resolve(), args.out.resolve(),
                              timeout=args.timeout)
        csv_path = write_csv(results, args.out / "grades.csv")
        print(format_table(results))
        print(f"grades written to {csv_path}")
        return 0
    except (ValueError, ReleaseError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
