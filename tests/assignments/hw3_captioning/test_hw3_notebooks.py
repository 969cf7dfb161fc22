"""hw3_captioning's own checks beyond the shared contract: three notebooks graded as one
assignment, a hand-in with notebooks missing or broken, and the partly-done example."""

import json

from contract import contract
from grading import autograded_cells

ASSIGNMENT = "hw3_captioning"
NOTEBOOKS = ("rnn_captioning", "lstm_captioning", "transformer_captioning")


def test_each_notebook_gets_its_own_feedback_and_results_cover_all(graded):
    batch = graded(ASSIGNMENT)
    for name in NOTEBOOKS:
        assert (batch.out / "feedback" / "reference" / f"{name}.html").exists()
    results = json.loads((batch.out / "results" / "reference" / "results.json").read_text())
    assert {t["name"] for t in results["tests"]} == set(autograded_cells(ASSIGNMENT))


def test_model_cells_have_three_bugs_for_each_of_their_two_functions():
    bugs = contract(ASSIGNMENT).bugs
    for cell, tests in [("captioning_rnn", ("test_rnn_model_loss", "test_rnn_sample")),
                        ("lstm_captioning_model", ("test_lstm_model_loss", "test_lstm_sample"))]:
        for test in tests:
            assert sum(test in bug.failing for bug in bugs if bug.cell == cell) >= 3, (cell, test)


def test_missing_and_broken_notebooks_cost_only_their_own_points(graded):
    batch = graded(ASSIGNMENT)
    row = batch.rows["no_extra_credit"]
    assert row["status"] == "graded"
    assert "missing lstm_captioning.ipynb" in row["reason"]
    assert "transformer_captioning.ipynb: invalid notebook JSON" in row["reason"]
    cells = batch.cells("no_extra_credit")
    rnn = autograded_cells(ASSIGNMENT, "rnn_captioning")
    assert {c: cells[c] for c in rnn} == rnn
    assert float(row["score"]) == sum(rnn.values())


def test_partly_done_example(graded):
    batch = graded(ASSIGNMENT)
    row = batch.rows["partly_done"]
    assert row["status"] == "graded" and "missing lstm_captioning.ipynb" in row["reason"]
    cells = batch.cells("partly_done")
    assert cells["test_rnn_backward"] < 3 and cells["test_tf_attention"] == 0  # partial credit: dx and dh0 are right
    assert all(cells[c] == 0 for c in autograded_cells(ASSIGNMENT, "lstm_captioning"))
    assert cells["test_rnn_step_backward"] > 0 and cells["test_tf_forward"] > 0
