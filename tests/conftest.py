"""Shared fixtures: the course checkout and the graded hw1 batch that several test files read."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

# Tests run offline in sample mode, with a data cache of their own; nbgrader's kernels
# inherit these settings. (HF_HUB_OFFLINE is read once, when huggingface_hub is imported.)
os.environ["COURSE_SAMPLE_MODE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("COURSE_DATA_DIR", tempfile.mkdtemp(prefix="course-data-"))
os.environ.setdefault("MPLBACKEND", "Agg")

from autograder.course import Course  # noqa: E402
from grading import ROOT, Batch, grade_folder, write_reference_and_bugs  # noqa: E402
from hw1_bugs import BUGS as HW1_BUGS  # noqa: E402
from hw3_bugs import BUGS as HW3_BUGS  # noqa: E402
from seeded import answers  # noqa: E402


@pytest.fixture(scope="session")
def course() -> Course:
    return Course(ROOT).check()


@pytest.fixture(scope="session")
def hw1_batch(tmp_path_factory) -> Batch:
    """One grading run over: the bundled examples, the reference solution, the untouched
    release, every seeded hw1 bug (packed several to a submission), and hand-ins that
    cannot be graded at all."""
    folder = tmp_path_factory.mktemp("hw1_submissions")
    shutil.copytree(ROOT / "examples" / "submissions" / "hw1_foundations", folder, dirs_exist_ok=True)
    write_reference_and_bugs("hw1_foundations", folder, answers(HW1_BUGS))
    (folder / "broken_json").mkdir()
    (folder / "broken_json" / "hw1_foundations.ipynb").write_text('{"cells": [')
    (folder / "wrong_name").mkdir()
    shutil.copy(folder / "reference" / "hw1_foundations.ipynb", folder / "wrong_name" / "homework1.ipynb")
    (folder / "empty").mkdir()
    return grade_folder("hw1_foundations", folder, tmp_path_factory.mktemp("hw1_out"))


@pytest.fixture(scope="session")
def hw3_batch(tmp_path_factory) -> Batch:
    """One grading run of the three captioning notebooks: the bundled examples, the
    reference solution, the untouched release, every seeded bug (packed), and a student
    who handed in only the two required notebooks, one of them broken."""
    folder = tmp_path_factory.mktemp("hw3_submissions")
    shutil.copytree(ROOT / "examples" / "submissions" / "hw3_captioning", folder, dirs_exist_ok=True)
    write_reference_and_bugs("hw3_captioning", folder, answers(HW3_BUGS))
    partial = folder / "no_extra_credit"
    partial.mkdir()
    shutil.copy(folder / "reference" / "rnn_captioning.ipynb", partial)
    (partial / "transformer_captioning.ipynb").write_text('{"cells": [')
    return grade_folder("hw3_captioning", folder, tmp_path_factory.mktemp("hw3_out"))
