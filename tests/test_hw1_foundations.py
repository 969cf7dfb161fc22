"""hw1_foundations through the real autograder: solution, untouched release, seeded bugs."""

import pytest

from grading import autograded_cells
from hw1_bugs import BUGS, packed

ASSIGNMENT = "hw1_foundations"
SUBMISSION_OF = {bug.name: student for student, bugs in packed().items() for bug in bugs}


def test_reference_solution_scores_full_marks(hw1_batch):
    row = hw1_batch.rows["reference"]
    assert row["status"] == "graded", row["reason"]
    assert float(row["score"]) == float(row["max_score"]) == sum(autograded_cells(ASSIGNMENT).values())
    assert hw1_batch.cells("reference") == autograded_cells(ASSIGNMENT)


def test_unmodified_release_scores_zero_on_every_autograded_cell(hw1_batch):
    assert hw1_batch.rows["release"]["status"] == "graded"
    cells = hw1_batch.cells("release")
    assert set(cells) == set(autograded_cells(ASSIGNMENT))
    assert all(points == 0 for points in cells.values()), cells


def test_every_answer_cell_has_at_least_three_seeded_bugs():
    per_cell = {}
    for bug in BUGS:
        per_cell[bug.cell] = per_cell.get(bug.cell, 0) + 1
    assert len(per_cell) == 9 and min(per_cell.values()) >= 3, per_cell


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.name)
def test_seeded_bug_loses_the_points_of_its_tests(hw1_batch, bug):
    student = SUBMISSION_OF[bug.name]
    assert hw1_batch.rows[student]["status"] == "graded"
    got = hw1_batch.cells(student)
    assert {cell: got[cell] for cell in bug.failing} == {cell: 0.0 for cell in bug.failing}


@pytest.mark.parametrize("student", sorted(packed()))
def test_bugs_cost_nothing_elsewhere(hw1_batch, student):
    """Cells that none of a submission's bugs target keep their full points."""
    full = autograded_cells(ASSIGNMENT)
    hit = set().union(*(bug.failing for bug in packed()[student]))
    got = hw1_batch.cells(student)
    assert {c: got[c] for c in full if c not in hit} == {c: p for c, p in full.items() if c not in hit}
    assert float(hw1_batch.rows[student]["score"]) < float(hw1_batch.rows[student]["max_score"])
