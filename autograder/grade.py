"""Grade a batch of submissions: prepare, execute in parallel sandboxes, judge, record.

The grader's process prepares each notebook with nbgrader's sanitizing, hands the job to
a backend (local worker processes or Ray tasks) and, as results come back, judges what
the hidden tests observed against the reference run (`reference`, `judging`) and records
the verdict itself: it is the only writer of the gradebook. Each finished submission is
persisted before the next is recorded, so a batch killed at any point resumes where it
stopped; a hand-in whose recording fails gets that as its reason and the batch goes on.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from concurrent.futures import Future, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from tqdm.auto import tqdm

from autograder.backends import LocalBackend, RayBackend, cleanup
from autograder.gpus import declared_need_mb, gpu_memory_mb, plan_slots
from helpers.data.registry import warm_cache
from autograder.course import Course
from autograder.executor import answer_names, is_test_cell
from autograder.gradebook import assignment_maxima, cell_grades, forget_submission, gradebook_url, read_scores
from autograder.integrity import integrity_notes
from autograder.judging import Judge, RecordingError, verdict_outputs
from autograder import manual
from autograder.prepare import PrepareError, course_config, prepare
from autograder.record import error_page, feedback_html, results_json, save_grades
from autograder.reference import References, test_points
from autograder.sandbox.limits import Limits
from autograder.staging import make_job, stage_course
from autograder.state import State, fingerprint
from autograder.submissions import Submission, find_submissions


@dataclass
class Result:
    """One line of grades.csv."""

    student_id: str
    assignment: str
    score: float
    max_score: float
    manual_max: float
    status: str  # "graded" or "error"
    reason: str = ""
    cells: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0  # time its notebooks took to run


@dataclass
class Options:
    workers: int = 0  # 0: as many as fit on the GPUs (see gpus.plan_slots), else one per core
    backend: str = "local"
    ray_address: str | None = None
    limits: Limits = field(default_factory=Limits)
    regrade: bool = False  # every hand-in again, with the current source (manual grades of unchanged answers kept)
    sandbox: bool = True
    gpus_per_task: float = 0.0


class Interrupted(Exception):
    """Ctrl-C: queued work was dropped; what finished is saved."""

    def __init__(self, done: int, total: int):
        super().__init__(f"interrupted: {done} of {total} hand-ins graded and saved")
        self.done, self.total = done, total


def grade_batch(course: Course, assignment: str, submissions: Path, out: Path,
                options: Options | None = None) -> list[Result]:
    """Grade every hand-in; one submission's failure never stops the rest. Ctrl-C drops
    the queued work within seconds and raises `Interrupted`; a rerun grades the rest."""
    options = options or Options()
    expected = course.notebooks(assignment)
    # Workers warm up (sandbox, interpreter, torch) while nbgrader builds the gradebook.
    backend = _backend(options, out / "work", sorted((course.source / assignment).glob("*.ipynb")))
    try:
        return _grade(course, assignment, expected, submissions, out, options, backend)
    except RecordingError as err:
        backend.close(cancel=True)
        raise ValueError(str(err)) from None
    except (KeyboardInterrupt, Interrupted):  # Ctrl-C: drop the queue and kill what runs, now
        backend.close(cancel=True)
        raise
    finally:
        backend.close()


def _grade(course: Course, assignment: str, expected: list[str], submissions: Path, out: Path,
           options: Options, backend) -> list[Result]:
    root = stage_course(course, assignment, out / "course", update=options.regrade)
    warm_cache()  # sample data and helper-trained models, built once where kernels can read them
    db_url = gradebook_url(root)
    auto_max, manual_max = assignment_maxima(root, assignment)
    state = State(out)
    if options.regrade:
        state.clear()
    subs = find_submissions(submissions, expected, assignment, unpack_to=out / "unpacked")
    if not subs:
        raise ValueError(f"no submissions found in {submissions} (expected <student_id>/{expected[0]}, "
                         f"<student_id>/{assignment}/{expected[0]}, or an LMS zip)")
    duplicates = _duplicates(subs)
    answers = {name: answer_names(nbformat.read(root / "source" / assignment / name, as_version=4))
               for name in expected}
    others = _other_notebooks(course, assignment)
    references = References(root, assignment, expected, out / "work", _device(backend, options))
    judge = Judge(root / "source" / assignment / "judges.py")

    def finish(sub: Submission, result: Result, fp: str) -> None:
        for name in expected:  # every notebook that got no feedback says why
            page = out / "feedback" / sub.student_id / f"{Path(name).stem}.html"
            if not page.exists() or result.status == "error":
                possible = sum(test_points(nbformat.read(root / "source" / assignment / name, as_version=4)).values())
                error_page(page, name, _about(expected, name, result.reason), possible)
        state.save(sub.student_id, {**asdict(result), "fingerprint": fp})
        manual.done(out, sub.student_id)

    pending: dict[Future, tuple[Submission, str, Path]] = {}
    todo = []
    for sub in subs:
        fp = fingerprint(list(sub.notebooks.values())) if sub.notebooks else sub.problem or ""
        if state.done(sub.student_id, fp):
            continue
        if sub.student_id in duplicates:
            sub.problem = sub.problem or duplicates[sub.student_id]
        todo.append((sub, fp))

    # A submission is finished when every one of its notebooks is; each notebook is its
    # own job (own kernel, own time limit), so one bad notebook costs only its own points.
    open_notebooks: dict[str, set[str]] = {}
    manual_grades: dict[str, dict] = {}  # filled when a student's first notebook is recorded
    seconds: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    fps: dict[str, str] = {}

    def notebook_done(sub: Submission, name: str) -> None:
        open_notebooks[sub.student_id].discard(name)
        if not open_notebooks[sub.student_id]:
            result = _summary(root, assignment, sub, reasons[sub.student_id], auto_max, manual_max, out)
            result.seconds = round(seconds.get(sub.student_id, 0.0), 2)
            finish(sub, result, fps[sub.student_id])
            bar.update()

    bar = tqdm(total=len(todo), desc=f"grading {assignment}", unit="sub", file=sys.stderr,
               disable=not todo)
    try:
        if todo:
            references.start(backend, options.limits, options.sandbox)  # ahead of the hand-ins, once per version
        for sub, fp in todo:
            if sub.problem:
                finish(sub, _failed(sub, assignment, auto_max, manual_max, sub.problem), fp)
                bar.update()
                continue
            sid = sub.student_id
            open_notebooks[sid], reasons[sid], fps[sid] = set(sub.notebooks), list(sub.notes), fp
            prepared = []
            for name, path in sub.notebooks.items():
                try:
                    nb, notes = prepare(path, db_url, assignment, sid, root, others)
                except PrepareError as err:
                    reasons[sid].append(str(err))
                    continue
                reasons[sid].extend(_prefixed(expected, name, notes))
                prepared.append((name, path, nb))
            if not prepared:
                _start_recording(root, out, assignment, sid, manual_grades)
                finish(sub, _failed(sub, assignment, auto_max, manual_max, "; ".join(reasons[sid])), fp)
                bar.update()
                continue
            open_notebooks[sid] = {name for name, _, _ in prepared}
            for name, path, nb in prepared:
                job_dir = out / "work" / sid / (Path(name).stem if len(expected) > 1 else "")
                job = make_job(job_dir, nb, path, root / "release" / assignment, options.limits, options.sandbox,
                               answers.get(name, []))
                pending[backend.submit(job, options.limits.timeout_s)] = (sub, name, job)
        for future in as_completed(pending):
            sub, name, job = pending[future]
            status = future.result()
            seconds[sub.student_id] = seconds.get(sub.student_id, 0.0) + float(status.get("seconds", 0.0))
            expected_obs = references.expected(name)  # the instructor's mistake stops the batch
            _start_recording(root, out, assignment, sub.student_id, manual_grades)
            try:
                notes = _record(root, db_url, assignment, sub, name, job, status, out,
                                manual_grades.get(sub.student_id, {}), expected_obs, judge)
            except Exception as err:  # one hand-in's failure is its own, never the batch's
                notes = [f"could not record the grades ({type(err).__name__}: {err})"]
            reasons[sub.student_id].extend(_prefixed(expected, name, notes))
            cleanup(job)
            notebook_done(sub, name)
    except KeyboardInterrupt:
        raise Interrupted(len(subs) - len(todo) + bar.n, len(subs)) from None
    finally:
        bar.close()
    recorded = state.all()
    return [Result(**{k: v for k, v in recorded[s.student_id].items() if k != "fingerprint"})
            for s in subs if s.student_id in recorded]


def _start_recording(root: Path, out: Path, assignment: str, sid: str, manual_grades: dict) -> None:
    """Before a student's first notebook is recorded: keep their manual grades (on disk, so
    an interrupted batch loses none), then drop their old gradebook entries and files, so a
    notebook that fails now cannot keep old points."""
    if sid in manual_grades:
        return
    kept = manual.pending(out, sid)
    if kept is None:
        kept = manual.remember(root, assignment, sid)
        manual.keep(out, sid, kept)
    manual_grades[sid] = kept
    forget_submission(root, assignment, sid)
    shutil.rmtree(root / "autograded" / sid / assignment, ignore_errors=True)
    shutil.rmtree(out / "feedback" / sid, ignore_errors=True)


def _other_notebooks(course: Course, assignment: str) -> dict[str, set[str]]:
    """'assignment/notebook' -> grade_ids, for every notebook of the course (to name the
    one a wrongly handed-in notebook belongs to)."""
    found = {}
    for other in course.assignments():
        for path in sorted((course.source / other).glob("*.ipynb")):
            try:
                cells = nbformat.read(path, as_version=4).cells
            except Exception:  # noqa: BLE001 - an unreadable source only loses this hint
                continue
            found[f"{other}/{path.stem}"] = {c.metadata["nbgrader"]["grade_id"] for c in cells
                                             if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}
    return found


def _device(backend, options: Options) -> str:
    """'gpu' when kernels run on GPUs (the reference is recorded where students run)."""
    plan = getattr(backend, "plan", None)
    if plan is not None:
        return "gpu" if any(getattr(slot, "gpu", None) is not None for slot in plan) else "cpu"
    return "gpu" if options.gpus_per_task > 0 else "cpu"


def _backend(options: Options, work_root: Path, notebooks: list[Path]):
    if options.backend == "ray":
        return RayBackend(options.ray_address, options.gpus_per_task)
    if options.backend != "local":
        raise ValueError(f"unknown backend {options.backend!r}: use local or ray")
    slots = plan_slots(gpu_memory_mb(), declared_need_mb(notebooks), os.cpu_count() or 1, options.workers)
    return LocalBackend(slots, work_root, options.limits, options.sandbox)


def _duplicates(subs: list[Submission]) -> dict[str, str]:
    seen: dict[str, int] = {}
    for sub in subs:
        seen[sub.student_id] = seen.get(sub.student_id, 0) + 1
    return {sid: f"duplicate student: {n} hand-ins" for sid, n in seen.items() if n > 1}


def _failed(sub: Submission, assignment: str, auto_max: float, manual_max: float, reason: str) -> Result:
    return Result(sub.student_id, assignment, 0.0, auto_max, manual_max, "error", reason)


def _about(expected: list[str], name: str, reason: str) -> str:
    """The parts of a student's reason that concern one notebook (all of it for one notebook)."""
    if len(expected) == 1:
        return reason
    parts = [p for p in reason.split("; ") if p.startswith(f"{name}:") or name in p]
    return "; ".join(parts) or reason


def _prefixed(expected: list[str], name: str, notes: list[str]) -> list[str]:
    """Notes about one notebook, named when the assignment has several."""
    return [f"{name}: {n}" for n in notes] if len(expected) > 1 else list(notes)


def judged(nb: nbformat.NotebookNode, observations: dict, status: dict, expected: dict, judge: Judge):
    """The executed notebook with each test cell's verdict written in (see `judging`)."""
    tests = status.get("tests", {})
    for cell in nb.cells:
        if not is_test_cell(cell):
            continue
        gid = cell.metadata["nbgrader"]["grade_id"]
        possible = float(cell.metadata["nbgrader"].get("points", 0))
        got = observations.get(gid, []) if isinstance(observations, dict) else []
        verdict = judge.cell(expected.get(gid, []), got if isinstance(got, list) else [], possible,
                             tests.get(gid, ""))
        cell.outputs = verdict_outputs(verdict, cell.get("outputs", []))
    return nb


def _record(root: Path, db_url: str, assignment: str, sub: Submission, name: str, job: Path,
            status: dict, out: Path, kept_grades: dict, expected: dict, judge: Judge) -> list[str]:
    """Single writer: one executed notebook judged, its grades into the gradebook (with the
    manual grades of unchanged answers put back), then its files. Returns what the grader
    should be told about it."""
    executed = job / "executed.ipynb"
    if not executed.exists():
        return [status.get("reason") or "execution failed"]
    stem = Path(name).stem
    observed = job / "observations.json"
    observations = json.loads(observed.read_text()) if observed.exists() else {}
    nb = judged(nbformat.read(executed, as_version=4), observations, status, expected, judge)
    flags = integrity_notes(nb, status)
    nb = save_grades(nb, db_url, assignment, stem, sub.student_id, course_config(root))
    notes = manual.restore(db_url, assignment, sub.student_id, stem, nb, kept_grades)
    autograded = root / "autograded" / sub.student_id / assignment / name
    autograded.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, autograded)
    feedback_html(nb, out / "feedback" / sub.student_id / f"{stem}.html",
                  cell_grades(root, assignment, sub.student_id, stem))
    return ([status["reason"]] if status.get("reason") else []) + notes + flags


def _summary(root: Path, assignment: str, sub: Submission, reasons: list[str], auto_max: float,
             manual_max: float, out: Path) -> Result:
    """The student's line once all their notebooks are recorded (or failed)."""
    scores = read_scores(root, assignment, sub.student_id)
    reason = "; ".join(reasons)
    if scores is None:  # not one notebook got as far as the gradebook
        return _failed(sub, assignment, auto_max, manual_max, reason or "execution failed")
    notebooks = [root / "autograded" / sub.student_id / assignment / name for name in sub.notebooks]
    missing = []  # notebooks that never reached the gradebook count as zero, with why
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        if not (root / "autograded" / sub.student_id / assignment / path.name).exists():
            why = _about(sorted(p.name for p in (root / "source" / assignment).glob("*.ipynb")), path.name, reason)
            missing += [(gid, points, f"not graded: {why}")
                        for gid, points in test_points(nbformat.read(path, as_version=4)).items()]
    results_json([nbformat.read(p, as_version=4) for p in notebooks if p.exists()], scores.cells,
                 out / "results" / sub.student_id / "results.json", reason, missing)
    return Result(sub.student_id, assignment, scores.auto, scores.auto_max, scores.manual_max,
                  "graded", reason, scores.cells)
