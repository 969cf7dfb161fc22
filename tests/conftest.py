"""Shared fixtures: the course checkout and the graded hw1 batch that several test files read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.course import Course
from grading import ROOT, Batch, grade_folder, write_reference_and_bugs
from hw1_bugs import BUGS as HW1_BUGS


@pytest.fixture(scope="session")
def course() -> Course:
    return Course(ROOT).check()


@pytest.fixture(scope="session")
def hw1_batch(tmp_path_factory) -> Batch:
    """One grading run over: the bundled examples, the reference solution, the untouched
    release, every seeded hw1 bug, and hand-ins that cannot be graded at all."""
    folder = tmp_path_factory.mktemp("hw1_submissions")
    shutil.copytree(ROOT / "examples" / "submissions", folder, dirs_exist_ok=True)
    write_reference_and_bugs("hw1_foundations", folder, HW1_BUGS)
    (folder / "broken_json").mkdir()
    (folder / "broken_json" / "hw1_foundations.ipynb").write_text('{"cells": [')
    (folder / "wrong_name").mkdir()
    shutil.copy(folder / "reference" / "hw1_foundations.ipynb", folder / "wrong_name" / "homework1.ipynb")
    (folder / "empty").mkdir()
    return grade_folder("hw1_foundations", folder, tmp_path_factory.mktemp("hw1_out"))
