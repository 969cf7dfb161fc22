"""Unit tests for finding and checking hand-ins (no nbgrader run)."""

import json

import nbformat

from autograder.submissions import find_submissions, notebook_problem


def _notebook(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), path)
    return path


def test_good_notebook_has_no_problem(tmp_path):
    assert notebook_problem(_notebook(tmp_path / "a.ipynb")) is None


def test_truncated_json_is_named_with_its_position(tmp_path):
    path = tmp_path / "a.ipynb"
    path.write_text('{"cells": [\n  {"cell_type": ')
    assert notebook_problem(path).startswith("invalid notebook JSON (line 2")


def test_json_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "a.ipynb"
    path.write_text(json.dumps({"hello": "world"}))
    assert "not a Jupyter notebook" in notebook_problem(path)


def test_binary_file(tmp_path):
    path = tmp_path / "a.ipynb"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert "not a text file" in notebook_problem(path)


def test_find_submissions_one_per_student_folder(tmp_path):
    _notebook(tmp_path / "alice" / "hw.ipynb")
    _notebook(tmp_path / "bob" / "other.ipynb")
    (tmp_path / ".hidden").mkdir()
    subs = {s.student_id: s for s in find_submissions(tmp_path, ["hw.ipynb"])}
    assert set(subs) == {"alice", "bob"}
    assert subs["alice"].problem is None and subs["alice"].notebooks["hw.ipynb"].name == "hw.ipynb"
    assert subs["bob"].problem == "missing hw.ipynb (found: other.ipynb)"
