"""Feedback a student can act on: points per graded cell, the total, a table of contents
of the exercises, what an unanswered or unrun cell means; never the hidden tests."""

import nbformat

from autograder.gradebook import CellGrade
from autograder.record import with_scores


def _grades(points: dict, comments: dict | None = None) -> dict:
    return {k: CellGrade(v, 0, False, (comments or {}).get(k)) for k, v in points.items()}


def _cell(kind, source, grade_id, points=None, outputs=()):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    meta = {"grade_id": grade_id, "grade": points is not None, "solution": kind == "markdown", "locked": False,
            "schema_version": 3}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    if kind == "code":
        cell.outputs = list(outputs)
    return cell


def _error(ename, evalue):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=["hidden line 1", "hidden line 2"])


def _notebook():
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Exercise 1: neighbours"),
        _cell("code", "def knn(): ...", "knn"),
        _cell("code", "assert knn()\n### BEGIN HIDDEN TESTS\nassert secret()\n### END HIDDEN TESTS", "test_knn", 2),
        nbformat.v4.new_markdown_cell("## Exercise 2: gradients"),
        _cell("code", "check()", "test_grad", 3, [_error("NotImplementedError", "")]),
        _cell("code", "check_more()", "test_more", 1, [_error("AssertionError", "dx is off by 0.5")]),
        _cell("code", "last()", "test_last", 1, [_error("CellNotRun", "not run: the kernel died in cell 4")]),
        _cell("markdown", "My explanation.", "written", 2),
    ])


def test_each_graded_cell_shows_its_points_and_why_it_lost_them():
    page = with_scores(_notebook(), _grades({"test_knn": 2, "test_grad": 0, "test_more": 0, "test_last": 0}), "hw")
    badges = {c.metadata["nbgrader"]["grade_id"]: c.outputs[0]["data"]["text/plain"]
              for c in page.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}
    assert badges["test_knn"] == "2 / 2 points"
    assert badges["test_grad"].startswith("0 / 3 points — not answered yet")
    assert badges["test_more"] == "0 / 1 points — AssertionError: dx is off by 0.5"
    assert badges["test_last"] == "0 / 1 points — this cell did not run (the kernel died in cell 4)"
    assert page.cells[-1].source.endswith("*2 points, not graded yet (a person grades this answer)*")


def test_the_first_cell_has_the_total_and_a_table_of_contents():
    summary = with_scores(_notebook(), _grades({"test_knn": 2, "test_grad": 1.5}), "hw").cells[0].source
    assert "**Autograded total: 3.5 / 7 points** (and 2 points of written answers, not graded yet)" in summary
    assert "| [Exercise 1: neighbours](#Exercise-1:-neighbours) | 2 / 2 |" in summary
    assert "| [Exercise 2: gradients](#Exercise-2:-gradients) | 1.5 / 5 |" in summary


def test_no_hidden_test_text_or_traceback_survives():
    page = nbformat.writes(with_scores(_notebook(), {}, "hw"))
    assert "secret()" not in page and "hidden line" not in page and "(hidden tests ran here)" in page


def test_manual_points_and_comments_appear_once_a_person_graded():
    grades = {**_grades({"test_knn": 2}, {"test_knn": "Nice use of topk."}),
              "written": CellGrade(1.5, 2, True, "Say why the gradient vanishes.")}
    page = with_scores(_notebook(), grades, "hw")
    assert "written answers: 1.5 / 2 points, graded by a person" in page.cells[0].source
    assert page.cells[-1].source.endswith("*1.5 / 2 points (graded by a person)*\n\n"
                                          "> **Grader's comment:** Say why the gradient vanishes.")
    knn = next(c for c in page.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "test_knn")
    assert knn.outputs[1]["data"]["text/plain"] == "Grader's comment: Nice use of topk."


def test_partial_credit_says_which_parts_failed():
    cell = _cell("code", "check_parts()", "test_parts", 2,
                 [nbformat.v4.new_output("stream", name="stdout",
                                         text="FAILED (1 point lost): dx of rnn_backward: dx is off\n")])
    nb = nbformat.v4.new_notebook(cells=[cell])
    badge = with_scores(nb, _grades({"test_parts": 1}), "hw").cells[1].outputs[0]["data"]["text/plain"]
    assert badge == "1 / 2 points — dx of rnn_backward: dx is off"


def test_the_points_value_of_a_cell_is_not_shown_twice_and_long_messages_are_cut():
    cell = _cell("code", "check()\n_points", "test_long", 3, [
        nbformat.v4.new_output("error", ename="AssertionError", evalue="gradcheck failed:\n" + "row\n" * 20,
                               traceback=[]),
        nbformat.v4.new_output("execute_result", data={"text/plain": "0"}, execution_count=1)])
    page = with_scores(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Part 1\n## Question 1.1"),
                                                      cell]), _grades({"test_long": 0}), "hw")
    shown = page.cells[2].outputs
    assert [o.output_type for o in shown] == ["display_data", "error"]
    assert shown[0]["data"]["text/plain"] == "0 / 3 points — AssertionError: gradcheck failed: …"
    assert "| [Question 1.1](#Question-1.1) | 0 / 3 |" in page.cells[0].source


def test_formulas_are_mathml_so_the_page_needs_no_network(tmp_path):
    from autograder.mathml import markdown_with_mathml
    from autograder.record import feedback_html

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "The gradient of $L = -\\log p_y$ is $$\\frac{\\partial L}{\\partial z} = p - y$$; `$code$` stays.")])
    html = feedback_html(nb, tmp_path / "page.html").read_text()
    assert html.count("<math") == 2 and "$L = -\\log p_y$" not in html and "$code$" in html
    assert markdown_with_mathml("costs \\$5 and $5") == "costs \\$5 and $5"  # no formula there
