"""Shared fixtures: the course checkout, and one graded batch per assignment (see `contract`)."""

from __future__ import annotations

import os
import tempfile
from typing import Callable

import pytest

# Tests run offline in sample mode, with a data cache of their own; nbgrader's kernels
# inherit these settings. (HF_HUB_OFFLINE is read once, when huggingface_hub is imported.)
os.environ["COURSE_SAMPLE_MODE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("COURSE_DATA_DIR", tempfile.mkdtemp(prefix="course-data-"))
os.environ.setdefault("MPLBACKEND", "Agg")

from autograder.course import Course  # noqa: E402
from contract import grade_contract  # noqa: E402
from grading import ROOT, Batch  # noqa: E402


@pytest.fixture(scope="session")
def course() -> Course:
    return Course(ROOT).check()


@pytest.fixture(scope="session")
def graded(tmp_path_factory) -> Callable[[str], Batch]:
    """`graded(assignment)`: the assignment's one grading run, made on first use and shared."""
    batches: dict[str, Batch | Exception] = {}

    def get(assignment: str) -> Batch:
        if assignment not in batches:
            try:
                batches[assignment] = grade_contract(assignment, tmp_path_factory.mktemp(f"{assignment}_submissions"),
                                                     tmp_path_factory.mktemp(f"{assignment}_out"))
            except Exception as error:  # a run that failed once fails every test that needs it, at once
                batches[assignment] = error
                raise
        if isinstance(batches[assignment], Exception):
            raise RuntimeError(f"{assignment}'s grading run failed earlier in this session: "
                               f"{batches[assignment]}") from batches[assignment]
        return batches[assignment]

    return get


@pytest.fixture(scope="session")
def bundles(tmp_path_factory):
    """Every assignment's student zip and the kit's wheel, written once from release/."""
    from autograder.bundle import write_bundles

    dist = tmp_path_factory.mktemp("dist")
    write_bundles(Course(ROOT), sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir()), dist)
    return dist
