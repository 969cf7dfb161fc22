"""hw1_foundations through the real autograder: solution, untouched release, seeded bugs."""

import pytest

from grading import autograded_cells
from hw1_bugs import EXPECTED_FAILURES

ASSIGNMENT = "hw1_foundations"


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


def test_every_exercise_has_at_least_three_seeded_bugs():
    knn = [n for n in EXPECTED_FAILURES if n.startswith("knn_")]
    power = [n for n, cells in EXPECTED_FAILURES.items() if cells == {"test_power_rule"}]
    autograd = [n for n, cells in EXPECTED_FAILURES.items() if cells == {"test_autograd"}]
    assert min(len(knn), len(power), len(autograd)) >= 3


@pytest.mark.parametrize("bug", sorted(EXPECTED_FAILURES))
def test_seeded_bug_loses_exactly_the_points_it_should(hw1_batch, bug):
    student = f"bug_{bug}"
    assert hw1_batch.rows[student]["status"] == "graded"
    full = autograded_cells(ASSIGNMENT)
    got = hw1_batch.cells(student)
    failing = EXPECTED_FAILURES[bug]
    assert {cell: got[cell] for cell in failing} == {cell: 0.0 for cell in failing}
    assert {cell: got[cell] for cell in full if cell not in failing} == \
        {cell: pts for cell, pts in full.items() if cell not in failing}
    assert float(hw1_batch.rows[student]["score"]) < float(hw1_batch.rows[student]["max_score"])
