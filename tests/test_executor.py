"""The executor's cell runner on a real (unsandboxed) kernel: output cap, pictures, caches, seeds."""

import pytest

from autograder.executor import _execute
from autograder.sandbox.kernels import Kernel
from autograder.sandbox.limits import Limits


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("scratch"), Limits(), sandbox=False)
    yield k
    k.close()


def test_past_the_output_cap_one_marker_and_the_error_survive(kernel):
    code = ("import sys\nfor i in range(50):\n    print('x' * 100, flush=True)\n    sys.stdout.flush()\n"
            "raise ValueError('the reason')")
    out = _execute(kernel.kc, kernel.km, code, 60, 1000)
    texts = [o.get("text", "") for o in out["outputs"]]
    assert sum("[output truncated at 1000 characters]" in t for t in texts) == 1
    assert any(o.output_type == "error" and o.evalue == "the reason" for o in out["outputs"])


def test_a_final_expression_is_the_cells_result(kernel):
    out = _execute(kernel.kc, kernel.km, "points = 0\nif True:\n    points += 1.5\npoints", 60, 10_000)
    results = [o for o in out["outputs"] if o.output_type == "execute_result"]
    assert results and results[0]["data"]["text/plain"] == "1.5"


def test_figures_shown_with_plt_show_are_kept_as_pictures(kernel):
    code = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()"
    out = _execute(kernel.kc, kernel.km, code, 60, 200_000)
    assert any("image/png" in o.get("data", {}) for o in out["outputs"]), out["outputs"]


def test_the_default_caches_are_found_without_their_variables(monkeypatch, tmp_path):
    from autograder.sandbox.bwrap import caches

    for var in ("COURSE_DATA_DIR", "HF_HOME", "TORCH_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".cache" / "dl-course").mkdir(parents=True)
    assert caches() == {"COURSE_DATA_DIR": str(tmp_path / ".cache" / "dl-course")}


def test_every_cell_starts_with_seeded_generators_so_regrades_repeat(tmp_path):
    import nbformat

    from autograder.executor import _Run

    kernel = Kernel(tmp_path, Limits(), sandbox=False)
    try:
        run = _Run(kernel, None, Limits(), [])
        run.status = {"state": "finished", "reason": "", "tests": {}, "cells_run": 0, "stray": 0}
        cell = nbformat.v4.new_code_cell("import random, numpy, torch\n"
                                         "print(random.random(), numpy.random.rand(), float(torch.rand(1)))")
        cell.metadata["nbgrader"] = {"solution": True, "grade_id": "answer"}
        first = "".join(o.text for o in run.run(cell, 3)["outputs"])
        again = "".join(o.text for o in run.run(cell, 3)["outputs"])
        other = "".join(o.text for o in run.run(cell, 4)["outputs"])
    finally:
        kernel.close()
    assert first == again != other
