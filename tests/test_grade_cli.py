"""The `grade` command: the demo's example submissions, bad hand-ins, the printed table."""

import pytest

from grading import run_cli


@pytest.fixture
def hw1_batch(graded):
    return graded("hw1_foundations")


def test_examples_grade_as_the_demo_promises(hw1_batch):
    rows = hw1_batch.rows
    assert float(rows["correct"]["score"]) == float(rows["correct"]["max_score"]) > 0
    assert float(rows["blank"]["score"]) == 0
    assert 0 < float(rows["partly_wrong"]["score"]) < float(rows["partly_wrong"]["max_score"])
    assert all(rows[s]["status"] == "graded" for s in ("correct", "blank", "partly_wrong"))


def test_manual_points_are_reported_separately(hw1_batch):
    # hw1 has eight manually graded written answers worth 1 point each.
    assert {row["manual_max"] for row in hw1_batch.rows.values()} == {"8"}


def test_bad_hand_ins_get_a_reason_and_the_batch_goes_on(hw1_batch):
    rows = hw1_batch.rows
    assert rows["broken_json"]["status"] == "error"
    assert "invalid notebook JSON" in rows["broken_json"]["reason"]
    assert rows["wrong_name"]["status"] == "error"
    assert "missing hw1_foundations.ipynb" in rows["wrong_name"]["reason"]
    assert "homework1.ipynb" in rows["wrong_name"]["reason"]
    assert rows["empty"]["status"] == "error" and "no notebook" in rows["empty"]["reason"]
    assert all(float(rows[s]["score"]) == 0 for s in ("broken_json", "wrong_name", "empty"))
    # Students after the broken ones in name order were still graded.
    assert rows["reference"]["status"] == "graded"


def test_printed_table_lists_every_student(hw1_batch):
    table = hw1_batch.proc.stdout
    for student in hw1_batch.rows:
        assert student in table
    full = hw1_batch.rows["correct"]["max_score"]
    assert f"{full} / {full}" in table and f"0 / {full}" in table
    assert f"{len(hw1_batch.rows)} submissions" in table


def test_unknown_assignment_is_a_clear_error(tmp_path):
    proc = run_cli("grade", "no_such_hw", str(tmp_path), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "no assignment 'no_such_hw'" in proc.stderr and "hw1_foundations" in proc.stderr


def test_missing_submissions_folder_is_a_clear_error(tmp_path):
    proc = run_cli("grade", "hw1_foundations", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr
