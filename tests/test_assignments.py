"""The contract every assignment meets, through the real autograder (see `contract`):
the reference scores full marks, the untouched release zero on every autograded cell,
every seeded bug loses the points of its tests and nothing beyond its declared collateral,
every alternative correct solution full marks, and the bundled examples grade as shown."""

import pytest

from contract import answer_cells, assignments, contract
from grading import (assert_bug_caught, assert_full_marks, assert_nothing_else_lost, assert_points_lost,
                     assert_zero_everywhere, autograded_cells)

ASSIGNMENTS = assignments()
BUGS = [(a, bug) for a in ASSIGNMENTS for bug in contract(a).bugs]
BUG_SUBMISSIONS = [(a, s) for a in ASSIGNMENTS for s in contract(a).bug_submissions()]
ALTERNATIVE_SUBMISSIONS = [(a, s) for a in ASSIGNMENTS for s in contract(a).alternative_submissions()]


def _ids(pair) -> str:
    assignment, item = pair
    return f"{assignment}-{getattr(item, 'name', item)}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solution_scores_full_marks(graded, assignment):
    batch = graded(assignment)
    assert_full_marks(batch)
    assert batch.rows["reference"]["reason"] == ""


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_unmodified_release_scores_zero_on_every_autograded_cell(graded, assignment):
    assert_zero_everywhere(graded(assignment))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_answer_cell_has_three_bugs_and_an_alternative(assignment):
    c = contract(assignment)
    cells = answer_cells(assignment) - set(c.not_graded_here)
    bugs = {cell: sum(b.cell == cell for b in c.bugs) for cell in cells}
    alternatives = {cell: sum(a.cell == cell for a in c.alternatives) for cell in cells}
    assert {cell: n for cell, n in bugs.items() if n < 3} == {}, "answer cells with fewer than 3 seeded bugs"
    assert {cell for cell, n in alternatives.items() if n < 1} == set(), "answer cells without an alternative"
    tests = set(autograded_cells(assignment))
    for bug in c.bugs:
        assert bug.failing and bug.failing <= tests, (bug.name, bug.failing - tests)


@pytest.mark.parametrize("pair", BUGS, ids=_ids)
def test_seeded_bug_loses_the_points_of_its_tests(graded, pair):
    assignment, bug = pair
    student, carried = next((s, bugs) for s, bugs in contract(assignment).bug_submissions().items() if bug in bugs)
    assert_bug_caught(graded(assignment), student, bug.failing)
    others = set().union(*(b.failing | b.collateral for b in carried if b is not bug))
    assert_points_lost(graded(assignment), student, dict(bug.lost), shared=others)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_seeded_bug_declares_the_points_it_loses(assignment):
    c = contract(assignment)
    undeclared = [b.name for b in c.bugs if not b.lost]
    assert undeclared == [], "bugs whose `failing` is not a {test: points lost} dict"
    assert {b.name: dict(b.lost) for b in c.bugs if set(dict(b.lost)) != set(b.failing)} == {}


@pytest.mark.parametrize("pair", BUG_SUBMISSIONS, ids=_ids)
def test_bugs_cost_nothing_beyond_their_tests_and_collateral(graded, pair):
    assignment, student = pair
    bugs = contract(assignment).bug_submissions()[student]
    assert_nothing_else_lost(graded(assignment), student, set().union(*(b.failing | b.collateral for b in bugs)))


@pytest.mark.parametrize("pair", ALTERNATIVE_SUBMISSIONS, ids=_ids)
def test_alternative_correct_solutions_score_full_marks(graded, pair):
    assignment, student = pair
    batch = graded(assignment)
    assert_full_marks(batch, student)
    assert batch.rows[student]["reason"] == "", batch.rows[student]["reason"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_bundled_examples_grade_as_the_demo_shows(graded, assignment):
    batch = graded(assignment)
    assert_full_marks(batch, "correct")
    assert_zero_everywhere(batch, "blank")
    partly = [s for s in batch.rows if s.startswith("partly")]
    for student in partly:
        assert 0 < float(batch.rows[student]["score"]) < float(batch.rows[student]["max_score"])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_never_shows_hidden_tests(graded, assignment):
    batch = graded(assignment)
    pages = list((batch.out / "feedback").rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "_ref_" not in html, page


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_rebinding_instructor_names_and_builtins_gains_nothing(graded, assignment):
    """Stub answers plus `rel_error = lambda *a: 0.0`, `np = torch = <anything>`, `len = ...`,
    `print = ...` and every given helper rebound score no more than the stubs alone."""
    batch = graded(assignment)
    stubs, rebinding = batch.cells("release"), batch.cells("rebinding")
    assert {c: p for c, p in rebinding.items() if p > stubs[c]} == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_hand_in_that_attacks_the_grader_gains_nothing(graded, assignment):
    """Borrowing references by name and through gc, patching during the call, forging the
    end of a test and forging observations (see `hostile`) score no more than the stubs,
    and the batch grades everyone else (the hand-in calls the display hook with 99)."""
    batch = graded(assignment)
    stubs, hostile = batch.cells("release"), batch.cells("hostile")
    assert {c: p for c, p in hostile.items() if p > stubs[c]} == {}
    assert batch.rows["hostile"]["status"] == "graded"
    assert "integrity flag" in batch.rows["hostile"]["reason"]
    assert batch.rows["reference"]["status"] == "graded"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_results_and_grades_agree_on_every_total(graded, assignment):
    import json
    import re

    batch = graded(assignment)
    for student, row in batch.rows.items():
        if row["status"] != "graded":
            assert list((batch.out / "feedback" / student).glob("*.html")), f"{student}: no page saying why"
            continue
        results = json.loads((batch.out / "results" / student / "results.json").read_text())
        assert abs(sum(t["score"] for t in results["tests"]) - float(row["score"])) < 1e-9, student
        assert abs(sum(t["max_score"] for t in results["tests"]) - float(row["max_score"])) < 1e-9, student
        pages = sorted((batch.out / "feedback" / student).glob("*.html"))
        totals = [re.search(r"Autograded total: ([\d.]+) / ([\d.]+) points", p.read_text()) for p in pages]
        found = [(float(m[1]), float(m[2])) for m in totals if m]
        assert abs(sum(a for a, _ in found) - float(row["score"])) < 1e-9, student
        assert abs(sum(b for _, b in found) - float(row["max_score"])) < 1e-9, student
