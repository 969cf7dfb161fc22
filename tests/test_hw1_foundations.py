"""hw1_foundations through the real autograder: solution, untouched release, seeded bugs."""

import pytest

from grading import assert_bug_caught, assert_full_marks, assert_nothing_else_lost, assert_zero_everywhere
from hw1_bugs import BUGS, packed

SUBMISSION_OF = {bug.name: student for student, bugs in packed().items() for bug in bugs}


def test_reference_solution_scores_full_marks(hw1_batch):
    assert_full_marks(hw1_batch)


def test_unmodified_release_scores_zero_on_every_autograded_cell(hw1_batch):
    assert_zero_everywhere(hw1_batch)


def test_every_answer_cell_has_at_least_three_seeded_bugs():
    per_cell = {}
    for bug in BUGS:
        per_cell[bug.cell] = per_cell.get(bug.cell, 0) + 1
    assert len(per_cell) == 9 and min(per_cell.values()) >= 3, per_cell


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.name)
def test_seeded_bug_loses_the_points_of_its_tests(hw1_batch, bug):
    assert_bug_caught(hw1_batch, SUBMISSION_OF[bug.name], bug.failing)


@pytest.mark.parametrize("student", sorted(packed()))
def test_bugs_cost_nothing_elsewhere(hw1_batch, student):
    """Cells that none of a submission's bugs target keep their full points."""
    assert_nothing_else_lost(hw1_batch, student, set().union(*(bug.failing for bug in packed()[student])))
