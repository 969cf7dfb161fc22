"""hw3_captioning (three notebooks) through the real autograder: solution, untouched
release, seeded bugs, and a hand-in with notebooks missing or broken."""

import json

import pytest

from grading import (assert_bug_caught, assert_full_marks, assert_nothing_else_lost, assert_zero_everywhere,
                     autograded_cells)
from hw3_bugs import BUGS, packed

ASSIGNMENT = "hw3_captioning"
SUBMISSION_OF = {bug.name: student for student, bugs in packed().items() for bug in bugs}
NOTEBOOKS = ("rnn_captioning", "lstm_captioning", "transformer_captioning")


def test_reference_solution_scores_full_marks(hw3_batch):
    assert_full_marks(hw3_batch)
    assert hw3_batch.rows["reference"]["reason"] == ""


def test_each_notebook_gets_its_own_feedback_and_results_cover_all(hw3_batch):
    for name in NOTEBOOKS:
        html = (hw3_batch.out / "feedback" / "reference" / f"{name}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "_ref_" not in html
    results = json.loads((hw3_batch.out / "results" / "reference" / "results.json").read_text())
    assert {t["name"] for t in results["tests"]} == set(autograded_cells(ASSIGNMENT))


def test_unmodified_release_scores_zero_on_every_autograded_cell(hw3_batch):
    assert_zero_everywhere(hw3_batch)


def test_every_implemented_function_has_at_least_three_seeded_bugs():
    per_cell = {}
    for bug in BUGS:
        per_cell[bug.cell] = per_cell.get(bug.cell, 0) + 1
    assert len(per_cell) == 15 and min(per_cell.values()) >= 3, per_cell
    # the model cells hold two functions each (loss and sample): three bugs for each
    for cell, tests in [("captioning_rnn", ("test_rnn_model_loss", "test_rnn_sample")),
                        ("lstm_captioning_model", ("test_lstm_model_loss", "test_lstm_sample"))]:
        for test in tests:
            assert sum(test in bug.failing for bug in BUGS if bug.cell == cell) >= 3, (cell, test)


@pytest.mark.parametrize("bug", BUGS, ids=lambda b: b.name)
def test_seeded_bug_loses_the_points_of_its_tests(hw3_batch, bug):
    assert_bug_caught(hw3_batch, SUBMISSION_OF[bug.name], bug.failing)


@pytest.mark.parametrize("student", sorted(packed()))
def test_bugs_cost_nothing_beyond_their_tests_and_collateral(hw3_batch, student):
    assert_nothing_else_lost(hw3_batch, student, set().union(*(b.failing | b.collateral for b in packed()[student])))


def test_missing_and_broken_notebooks_cost_only_their_own_points(hw3_batch):
    row = hw3_batch.rows["no_extra_credit"]
    assert row["status"] == "graded"
    assert "missing lstm_captioning.ipynb" in row["reason"]
    assert "transformer_captioning.ipynb: invalid notebook JSON" in row["reason"]
    cells = hw3_batch.cells("no_extra_credit")
    rnn = autograded_cells(ASSIGNMENT, "rnn_captioning")
    assert {c: cells[c] for c in rnn} == rnn
    assert float(row["score"]) == sum(rnn.values())


def test_bundled_examples(hw3_batch):
    full = sum(autograded_cells(ASSIGNMENT).values())
    assert float(hw3_batch.rows["correct"]["score"]) == full
    assert float(hw3_batch.rows["blank"]["score"]) == 0
    row = hw3_batch.rows["partly_done"]
    assert row["status"] == "graded" and "missing lstm_captioning.ipynb" in row["reason"]
    cells = hw3_batch.cells("partly_done")
    assert cells["test_rnn_backward"] == cells["test_tf_attention"] == 0
    assert all(cells[c] == 0 for c in autograded_cells(ASSIGNMENT, "lstm_captioning"))
    assert cells["test_rnn_step_backward"] > 0 and cells["test_tf_forward"] > 0
