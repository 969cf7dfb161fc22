"""One crash costs one exercise: hw1 hand-ins whose exercise 3 runs forever (ignoring
interrupts), exits its kernel, or allocates past the memory limit keep full marks on the
other exercises; one that crashes in every answer finishes with a reason for each."""

import json

import pytest

from grading import autograded_cells

EXERCISE_3_TESTS = {"test_logic_networks"}


@pytest.mark.parametrize("student", ["ex3_runs_forever", "ex3_exits", "ex3_memory_bomb"])
def test_a_runaway_exercise_3_costs_only_exercise_3(graded, student):
    batch = graded("hw1_foundations")
    full = autograded_cells("hw1_foundations")
    got = batch.cells(student)
    assert {c: got[c] for c in full if c not in EXERCISE_3_TESTS} == {c: p for c, p in full.items()
                                                                      if c not in EXERCISE_3_TESTS}
    assert all(got[c] == 0 for c in EXERCISE_3_TESTS)
    assert batch.rows[student]["status"] == "graded"


def test_the_reason_says_what_happened(graded):
    rows = graded("hw1_foundations").rows
    assert "kernel died in cell" in rows["ex3_runs_forever"]["reason"] and "(timeout)" in rows["ex3_runs_forever"]["reason"]
    assert "kernel died" in rows["ex3_exits"]["reason"] and "replayed" in rows["ex3_exits"]["reason"]


def test_crashing_in_every_exercise_finishes_with_a_reason_per_exercise(graded):
    batch = graded("hw1_foundations")
    row = batch.rows["crashes_everywhere"]
    assert row["status"] == "graded" and float(row["score"]) == 0
    assert "no restarts left" in row["reason"]
    results = json.loads((batch.out / "results" / "crashes_everywhere" / "results.json").read_text())
    assert {t["name"] for t in results["tests"]} == set(autograded_cells("hw1_foundations"))
    assert all(t["output"] for t in results["tests"]), "every failed test says why"
