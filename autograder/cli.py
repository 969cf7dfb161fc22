"""Command line, one verb per step: `release`, `grade`, `formgrader`, `export`, `report`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import formgrader
from autograder.classreport import write_report
from autograder.course import Course
from autograder.export import errored, export, waiting
from autograder.grade import Interrupted, Options, grade_batch
from autograder.release import ReleaseError, generate_release
from autograder.report import format_table, write_csv
from autograder.sandbox.limits import Limits


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder",
                                description="Release and grade the course's notebooks with nbgrader.")
    p.add_argument("--course", type=Path, default=Path.cwd(),
                   help="course folder holding nbgrader_config.py and source/ (default: here)")
    verbs = p.add_subparsers(dest="verb", required=True)

    rel = verbs.add_parser("release", help="generate release/<assignment>/ from source/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="assignment names (default: every folder in source/)")
    rel.add_argument("--bundle", action="store_true",
                     help="also write dist/<assignment>.zip for students (notebooks, files, kit wheel, "
                          "pinned requirements.txt, README)")
    rel.add_argument("--dist", type=Path, default=None, help="where bundles go (default: COURSE/dist)")
    rel.add_argument("--kit-url", default="",
                     help="where the kit's wheel is published, for a notebook opened without its bundle")

    grade = verbs.add_parser("grade", help="autograde a folder of submissions")
    grade.add_argument("assignment")
    grade.add_argument("submissions", type=Path,
                       help="folder of <student_id>/<notebook>.ipynb, nbgrader's submitted/ folder, or an LMS zip")
    grade.add_argument("--out", type=Path, required=True, help="where grades, feedback and the gradebook go")
    grade.add_argument("--workers", type=int, default=0, help="parallel submissions (default: GPUs, else cores)")
    grade.add_argument("--backend", choices=["local", "ray"], default="local")
    grade.add_argument("--ray-address", default=None, help="Ray cluster to join (default: start a local one)")
    grade.add_argument("--gpus-per-task", type=float, default=0.0, help="GPUs each Ray task asks for")
    grade.add_argument("--timeout", type=float, default=Limits.timeout_s, help="seconds allowed per notebook")
    grade.add_argument("--cell-timeout", type=float, default=Limits.cell_timeout_s,
                       help="seconds allowed per cell (below --timeout, so a runaway cell leaves time for the rest)")
    grade.add_argument("--restarts", type=int, default=Limits.restarts,
                       help="fresh kernels a notebook may get after a cell killed its kernel")
    grade.add_argument("--memory", type=int, default=None,
                       help=f"MB of memory per notebook (default {Limits.memory_mb}, or what the assignment's "
                            "notebooks declare for full mode: full_mode_memory_mb)")
    grade.add_argument("--regrade", action="store_true",
                       help="grade every hand-in again with the current source (after fixing a hidden test); "
                            "manual grades of unchanged answers are kept")
    grade.add_argument("--force", action="store_true", dest="regrade", help=argparse.SUPPRESS)  # the old name
    grade.add_argument("--no-sandbox", action="store_true",
                       help="run kernels without bubblewrap (rlimits only); for trusted machines without it")

    form = verbs.add_parser("formgrader", help="grade written answers in nbgrader's formgrader (JupyterLab)")
    form.add_argument("out", type=Path, help="a graded batch's --out folder")
    form.add_argument("--port", type=int, default=8888)
    form.add_argument("--ip", default="127.0.0.1")
    form.add_argument("--token", default=None, help="JupyterLab token (default: a random one, printed)")

    export = verbs.add_parser("export", help="final_grades.csv, canvas.csv and feedback after manual grading")
    export.add_argument("out", type=Path, help="a graded batch's --out folder")

    report = verbs.add_parser("report", help="OUT/report.html: scores, pass rates, failures, times, errors")
    report.add_argument("out", type=Path, help="a graded batch's --out folder")
    return p


def full_mode_memory(course, assignment: str, workers: int) -> tuple[int, int]:
    """The memory cap per notebook and the worker count when --memory is not given: the
    default, or what the assignment's notebooks declare for full mode, with fewer workers
    when the machine's memory does not hold one such notebook per worker."""
    from autograder.gpus import declared_full_mode_memory_mb

    need = declared_full_mode_memory_mb(sorted((course.source / assignment).glob("*.ipynb")))
    if need <= Limits.memory_mb:
        return Limits.memory_mb, workers
    ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1 << 20)
    fit = max(1, ram_mb // need)
    slots = workers or os.cpu_count() or 1
    fewer = slots > fit and not os.path.exists("/dev/nvidiactl")  # on a GPU runner the training runs on the GPU
    print(f"note: {assignment} declares {need:,} MB per notebook in full mode (full_mode_memory_mb), so the "
          f"memory cap is {need:,} MB instead of {Limits.memory_mb:,}"
          + (f", with {fit} worker(s) to fit this machine's {ram_mb:,} MB" if fewer else "")
          + "; --memory sets the cap", file=sys.stderr)
    return need, (fit if fewer else workers)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.verb == "formgrader":
            return formgrader.serve(args.out.resolve(), args.port, args.ip, args.token)
        if args.verb == "export":
            final, canvas = export(args.out.resolve())
            print(f"final grades written to {final}\nCanvas import file written to {canvas}")
            failed = errored(args.out.resolve())
            if failed:
                print(f"warning: {len(failed)} hand-in(s) could not be graded ({', '.join(failed[:10])}"
                      f"{', ...' if len(failed) > 10 else ''}): their Canvas cells are left empty; the reasons are "
                      "in final_grades.csv and on their feedback pages", file=sys.stderr)
            pending = waiting(args.out.resolve())
            if pending:
                print(f"warning: written answers nobody has graded yet for {len(pending)} student(s), so "
                      f"their totals are not final ({', '.join(pending[:10])}{', ...' if len(pending) > 10 else ''}); "
                      "grade them with `python -m autograder formgrader` and export again", file=sys.stderr)
            return 0
        if args.verb == "report":
            print(f"class report written to {write_report(args.out.resolve())}")
            return 0
        course = Course(args.course.resolve()).check()
        if args.verb == "release":
            names = args.assignments or course.assignments()
            for name in names:
                print(f"release/{name}/ <- source/{name}/", flush=True)
                generate_release(course, name)
            if args.bundle:
                from autograder.bundle import write_bundles

                for path in write_bundles(course, names, args.dist or course.root / "dist", args.kit_url):
                    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
            return 0
        memory, workers = args.memory, args.workers
        if memory is None:
            memory, workers = full_mode_memory(course, args.assignment, workers)
        if os.environ.get("COURSE_TRAINING_SCALE", "").strip() not in ("", "1"):
            print(f"note: COURSE_TRAINING_SCALE={os.environ['COURSE_TRAINING_SCALE']} cuts full-mode training in "
                  "every graded notebook (a rehearsal setting)", file=sys.stderr)
        limits = Limits(timeout_s=args.timeout, cell_timeout_s=min(args.cell_timeout, args.timeout),
                        memory_mb=memory, restarts=args.restarts)
        options = Options(workers=workers, backend=args.backend, ray_address=args.ray_address, limits=limits,
                          regrade=args.regrade, sandbox=not args.no_sandbox, gpus_per_task=args.gpus_per_task)
        try:
            results = grade_batch(course, args.assignment, args.submissions.resolve(), args.out.resolve(), options)
        except Interrupted as stop:
            print(f"\n{stop}; queued work dropped. Run the same command again to grade the other "
                  f"{stop.total - stop.done} (finished hand-ins are not graded twice).", file=sys.stderr)
            return 130
        csv_path = write_csv(results, args.out / "grades.csv")
        print(format_table(results))
        print(f"grades written to {csv_path}")
        return 0
    except (ValueError, ReleaseError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
