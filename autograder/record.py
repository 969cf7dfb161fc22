"""Write one graded submission's results: the gradebook (the only writer), the autograded
notebook, feedback HTML without hidden tests, and a Gradescope-style results.json."""

from __future__ import annotations

import html
import json
import warnings
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning
from nbgrader.preprocessors import CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades

from autograder.executor import NOT_RUN
from autograder.gradebook import CellGrade
from autograder.integrity import PREFIX
from autograder.markers import strip_hidden_tests
from autograder.mathml import markdown_with_mathml
from autograder.prepare import resources

def save_grades(nb: nbformat.NotebookNode, db_url: str, assignment: str, notebook: str,
                student: str, config=None) -> nbformat.NotebookNode:
    """Record the executed notebook's grades with nbgrader's own SaveAutoGrades (after its
    IgnorePattern and LimitOutput, all built from the course's configuration)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's ORM use is noisy, not wrong
        with Gradebook(db_url) as gb:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(assignment, student)
        res = resources(db_url, assignment, notebook, student)
        for pp in (IgnorePattern(config=config), LimitOutput(config=config), SaveAutoGrades(config=config),
                   CheckCellMetadata(config=config)):
            nb, res = pp.preprocess(nb, res)
    return nb


def without_hidden_tests(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy for the student's eyes: each hidden test block replaced by one line."""
    out = nbformat.from_dict(nb)
    for cell in out.cells:
        cell.source = strip_hidden_tests(cell.source, "# (hidden tests ran here)\n")
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":  # tracebacks quote the hidden lines
                    output["traceback"] = [f"{output.get('ename')}: {output.get('evalue')}"]
    return out


def _verdict(cell, grade: CellGrade | None, possible: float) -> str:
    """One line for a graded cell: its points and, when it lost some, why."""
    if cell.cell_type != "code":
        if grade is None or grade.points is None:
            return f"{possible:g} point{'s' * (possible != 1)}, not graded yet (a person grades this answer)"
        return f"{grade.points:g} / {possible:g} points (graded by a person)"
    earned = grade.points if grade is not None and grade.points is not None else 0.0
    why = failure_message(cell, earned, possible)
    if len(why) > BADGE_CHARS or "\n" in why:  # the whole message is in the cell's output below
        why = why.splitlines()[0][:BADGE_CHARS].rstrip() + " …"
    return f"{earned:g} / {possible:g} points" + (f" — {why}" if why else "")


BADGE_CHARS = 200


def failure_message(cell, earned: float, possible: float) -> str:
    """Why a test cell lost points, in words a student can act on ('' when it did not):
    the grader's reasons (lines starting with FAILED), else the cell's error."""
    if earned >= possible:
        return ""
    failed = [line.strip() for o in cell.get("outputs", []) if o.get("output_type") == "stream"
              for line in o.get("text", "").splitlines() if line.strip().startswith("FAILED")]
    if failed and all("not answered yet" in line for line in failed):
        return "not answered yet: the code it tests still raises NotImplementedError"
    if failed and all(line.endswith(")") and "not observed" in line for line in failed):
        why = failed[0][failed[0].index("not observed") + len("not observed"):].strip(" ()")
        return f"this cell did not run to its end ({why.removeprefix('not run: ')})"
    if failed:
        return "; ".join(line.split(": ", 1)[1] if ": " in line else line for line in failed)
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        ename, evalue = errors[0].get("ename", ""), errors[0].get("evalue", "")
        if ename == "NotImplementedError":
            return "not answered yet: the code it tests still raises NotImplementedError"
        if ename == NOT_RUN:
            return f"this cell did not run ({evalue.removeprefix('not run: ')})"
        return f"{ename}: {evalue}" if evalue else ename
    return f"partial credit: {earned:g} of {possible:g} points"


def _badge(text: str, full: bool) -> nbformat.NotebookNode:
    colour = "#1b7f3b" if full else "#b3261e"
    return nbformat.v4.new_output("display_data", data={
        "text/html": f'<div class="grade-points" style="font-weight:bold;color:{colour};margin:4px 0">'
                     f"{html.escape(text)}</div>",
        "text/plain": text})


def _comment(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={
        "text/html": f'<div class="grader-comment" style="border-left:3px solid #555;padding-left:8px">'
                     f"<b>Grader's comment:</b> {html.escape(text)}</div>",
        "text/plain": f"Grader's comment: {text}"})


def with_scores(nb: nbformat.NotebookNode, grades: dict[str, CellGrade], title: str) -> nbformat.NotebookNode:
    """The feedback notebook: hidden tests removed, each graded cell headed by its points
    (and why it lost them) and the grader's comment, and a first cell with the total and a
    table of contents of the exercises with their scores."""
    out = without_hidden_tests(nb)
    section, sections = "Start", {}
    earned_total = possible_total = manual = manual_earned = 0.0
    for cell in out.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "markdown":  # exercises are named by the heading nearest above them
            headings = [ln.lstrip("#").strip() for ln in cell.source.splitlines() if ln.startswith("#")]
            section = headings[-1] if headings else section
        if not meta.get("grade"):
            continue
        possible, grade = float(meta.get("points", 0)), grades.get(meta.get("grade_id"))
        comment = f"\n\n> **Grader's comment:** {grade.comment}" if grade is not None and grade.comment else ""
        if cell.cell_type != "code":
            manual += possible
            manual_earned += grade.points if grade is not None and grade.points is not None else 0.0
            cell.source += f"\n\n*{_verdict(cell, grade, possible)}*{comment}"
            continue
        earned = grade.points if grade is not None and grade.points is not None else 0.0
        earned_total, possible_total = earned_total + earned, possible_total + possible
        got, most = sections.get(section, (0.0, 0.0))
        sections[section] = (got + earned, most + possible)
        extra = [_comment(grade.comment)] if grade is not None and grade.comment else []
        shown = [o for o in cell.get("outputs", []) if o.get("output_type") != "execute_result"]  # the points
        cell.outputs = [_badge(_verdict(cell, grade, possible), earned >= possible), *extra, *shown]
    rows = "\n".join(f"| [{name}](#{name.replace(' ', '-')}) | {got:g} / {most:g} |"
                     for name, (got, most) in sections.items())
    graded_by_hand = any(g.manual and g.points is not None for g in grades.values())
    written = (f" (written answers: {manual_earned:g} / {manual:g} points, graded by a person)" if graded_by_hand
               else f" (and {manual:g} points of written answers, not graded yet)") if manual else ""
    summary = (f"# Feedback: {title}\n\n**Autograded total: {earned_total:g} / {possible_total:g} points**"
               f"{written}\n\n| exercise | points |\n| --- | --- |\n{rows}\n")
    out.cells.insert(0, nbformat.v4.new_markdown_cell(summary))
    return out


def feedback_html(nb: nbformat.NotebookNode, path: Path, grades: dict[str, CellGrade] | None = None) -> Path:
    """The student's feedback page for one graded notebook (`grades`: grade_id -> its grade)."""
    page = with_scores(nb, grades or {}, path.stem)
    for cell in page.cells:
        if cell.cell_type == "markdown":
            cell.source = markdown_with_mathml(cell.source)
    body, _ = HTMLExporter(template_name="classic", mathjax_url="").from_notebook_node(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def error_page(path: Path, notebook: str, reason: str, possible: float | None = None) -> Path:
    """The feedback page of a notebook that could not be graded: why, and what to do."""
    what = html.escape(reason or "it could not be graded")
    total = f"<p><b>Autograded total: 0 / {possible:g} points</b></p>" if possible is not None else ""
    body = (f"<!doctype html><html><head><meta charset='utf-8'><title>Feedback: {html.escape(notebook)}</title>"
            "<style>body{font-family:sans-serif;margin:32px;max-width:800px}</style></head><body>"
            f"<h1>Feedback: {html.escape(notebook)}</h1>"
            f"{total}<p><b>This notebook was not graded</b> (0 points so far), because:</p>"
            f"<p style='border-left:3px solid #b3261e;padding-left:8px'>{what}</p>"
            "<p>Hand in the release notebook you were given, with your answers in it, under its own "
            "file name; if you think this is the grader's mistake, tell your instructor.</p></body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def results_json(nbs: list[nbformat.NotebookNode], cells: dict[str, float], path: Path,
                 reason: str = "", missing: list[tuple[str, float, str]] = ()) -> Path:
    """Gradescope's results format: a score and one entry per autograded test (`missing`:
    (grade_id, points, why) of the tests of notebooks that were not graded, at zero)."""
    tests = []
    for cell in (c for nb in nbs for c in nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id")
        if gid in cells:
            possible = float(meta.get("points", 0))
            tests.append({"name": gid, "score": cells[gid], "max_score": possible,
                          "status": "passed" if cells[gid] >= possible else "failed",
                          "output": failure_message(cell, cells[gid], possible)})
    listed = {t["name"] for t in tests}  # the gradebook also holds zeros for the missing notebooks' tests
    tests += [{"name": gid, "score": cells.get(gid, 0.0), "max_score": points, "status": "failed", "output": why}
              for gid, points, why in missing if gid not in listed]
    notes = [part for part in reason.split("; ") if part] if reason else []
    flags = [n for n in notes if n.startswith(PREFIX)]
    data = {"score": sum(cells.values()), "tests": tests,
            "output": "; ".join(n for n in notes if not n.startswith(PREFIX)), "integrity": flags}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
    return path
