"""Full mode, rehearsed end to end: every release notebook, filled with the reference
solutions, runs in full mode (COURSE_SAMPLE_MODE=0) from empty caches, downloading every
file from a course mirror on 127.0.0.1 that serves real-format stand-ins
(tests/standin_mirror.py), and is then graded by the autograder in full mode.

Two things are cut, and only these: training budgets (COURSE_TRAINING_SCALE=0.02, the one
knob, helpers.mode.training_budget) and the weights (the stand-in checkpoints are untrained).
The tests that judge what real weights or a whole training budget reach cannot pass then;
they are listed in CANNOT_PASS_HERE and must still be judged (a verdict, not an error);
every other test must give full marks.
A mirror that is down makes each notebook's first loading cell fail with one line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grading import ROOT, autograded_cells, grade_folder, write_reference_and_bugs
from standin_mirror import build, serving

ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir())
SCALE = "0.02"

# grade_id -> why it cannot pass with untrained stand-in weights and training cut to SCALE.
# Each must still be judged (a verdict, not an error); every other test must give full marks.
CANNOT_PASS_HERE: dict[str, str] = {
    "test_fooling": "hw3_netvis: an untrained SqueezeNet is not fooled in 100 unit steps (a trained one is in a few)",
    "fooling_demo": "hw3_netvis: the same, for the demo's own check",
    "test_linear_evaluation": "hw3_simclr: untrained ResNet-50 features give a linear probe far below 70 %",
    "test_vanilla_training": "hw3_gans: 80 of 4,000 iterations make no digits yet",
    "test_lsgan_training": "hw3_gans: 80 of 4,000 iterations make no digits yet",
}


def _executed_errors(path: Path) -> dict[str, str]:
    """cell label (grade_id or index) -> 'Name: message' of every cell that raised."""
    errors = {}
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                label = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {i}")
                errors[label] = f"{out['ename']}: {out['evalue']}"
    return errors


def _text_outputs(path: Path) -> str:
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
    return "".join(parts)


RUNS: dict[str, str] = {}  # executed notebook -> the tail of nbconvert's stderr, for failure messages


def execute(notebook: Path, out_dir: Path, env: dict, timeout: int = 1200) -> Path:
    """Run `notebook` as a student would (a fresh kernel in its folder, every cell even after
    an error) with `env`; the executed copy."""
    out_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
            f"--ExecutePreprocessor.timeout={timeout}", "--output-dir", str(out_dir), str(notebook)]
    proc = subprocess.run(argv, cwd=notebook.parent, env=env, capture_output=True, text=True, timeout=timeout * 2)
    RUNS[str(out_dir / notebook.name)] = f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    return out_dir / notebook.name


def full_mode_env(root: Path, **settings: str) -> dict:
    """This process's environment in full mode with empty caches under `root` (no course config,
    no snapshot folder, a Hugging Face cache of its own), plus `settings`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("COURSE_HF_SNAPSHOTS", "COURSE_STANDIN_MIRROR", "COURSE_TRAINING_SCALE", "COURSE_DATA_MIRROR")}
    env.update(COURSE_SAMPLE_MODE="0", COURSE_DATA_DIR=str(root / "cache"), TORCH_HOME=str(root / "torch"),
               HF_HOME=str(root / "hf"), HF_HUB_CACHE=str(root / "hf" / "hub"), COURSE_CONFIG=str(root / "none.toml"),
               COURSE_REFERENCE_CACHE=str(root / "references"), **settings)
    return env


def run_until_error(notebook: Path, out_dir: Path, env: dict, timeout: int = 600) -> Path:
    """Run `notebook` in a fresh kernel with `env` up to its first error; the executed copy."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=timeout, resources={"metadata": {"path": str(notebook.parent)}})
    try:
        client.execute(env=env)
    except CellExecutionError:
        pass
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / notebook.name)
    return out_dir / notebook.name


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    """Serve the stand-in mirror, run every reference notebook in full mode, grade each assignment."""
    root = tmp_path_factory.mktemp("full_mode")
    (root / "mirror").mkdir()
    with serving(root / "mirror") as url:
        index = build(root / "mirror", f"{url}/coco_images")
        env = full_mode_env(root, COURSE_DATA_MIRROR=url, COURSE_STANDIN_MIRROR="1", COURSE_TRAINING_SCALE=SCALE)
        executed, batches = {}, {}
        for assignment in ASSIGNMENTS:
            subs = root / "submissions" / assignment
            write_reference_and_bugs(assignment, subs, {})
            shutil.rmtree(subs / "release")
            for nb in sorted((subs / "reference").glob("*.ipynb")):
                executed[f"{assignment}/{nb.stem}"] = execute(nb, root / "executed" / assignment, env)
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)  # the grader's command line reads this process's environment
        try:
            for assignment in ASSIGNMENTS:
                batches[assignment] = grade_folder(assignment, root / "submissions" / assignment,
                                                   root / "graded" / assignment)
        finally:
            os.environ.clear()
            os.environ.update(saved)
    return {"index": index, "executed": executed, "batches": batches, "url": url, "root": root}


def _progress_bars(path: Path) -> set[str]:
    """The descriptions of the progress bars a run showed (a download's bar is named after its file)."""
    bars = set()
    for cell in nbformat.read(path, as_version=4).cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/plain", "") if out.get("output_type") == "display_data" else ""
            if "%|" in text:  # tqdm's "desc:  0%|     | 0.00/652k ..."
                bars.add(text.strip("'\"[] ").split(":", 1)[0])
    return bars


def test_every_file_came_from_the_mirror_checked_and_with_a_progress_bar(rehearsal):
    bars = set().union(*(_progress_bars(p) for p in rehearsal["executed"].values()))
    for entry in rehearsal["index"]["files"]:  # a Hugging Face file's bar names its path in the repository
        shown = entry["file"].split("/", 3)[3] if entry["file"].startswith("hf/") else entry["file"]
        assert shown in bars, f"no progress bar for {entry['file']} ({entry['name']})"
    cache = rehearsal["root"] / "cache"
    assert (cache / "hf-snapshots" / "CompVis" / "stable-diffusion-v1-4" / "model_index.json").is_file()
    outputs = "".join(_text_outputs(p) for p in rehearsal["executed"].values())
    for public in ("torchvision's MD5", "its hash prefix"):  # the stand-ins cannot match those: said each time
        assert f"checked against the mirror's index.json, not {public}" in outputs


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_notebook_runs_to_the_end_in_full_mode(rehearsal, assignment):
    for name, path in rehearsal["executed"].items():
        if name.startswith(assignment + "/"):
            assert path.exists(), f"{name} did not run: {RUNS.get(str(path))}"
            errors = {k: v for k, v in _executed_errors(path).items() if k not in CANNOT_PASS_HERE}
            assert not errors, f"{name} raised in full mode: {errors}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_reference_gets_full_marks_in_full_mode(rehearsal, assignment):
    batch = rehearsal["batches"][assignment]
    assert batch.rows["reference"]["status"] == "graded", batch.rows["reference"]
    cells = batch.cells("reference")
    short = {gid: (cells.get(gid), points) for gid, points in autograded_cells(assignment).items()
             if gid not in CANNOT_PASS_HERE and cells.get(gid) != points}
    assert not short, f"{assignment} in full mode: (earned, possible) below full marks: {short}"
    results = json.loads((batch.out / "results" / "reference" / "results.json").read_text())
    for test in results["tests"]:
        if test["name"] in CANNOT_PASS_HERE and test["status"] != "passed":  # judged, with the judge's reason
            assert test["output"] and "Error" not in test["output"], (test["name"], test["output"])


@pytest.fixture(scope="module")
def mirror_down(tmp_path_factory):
    """Every reference notebook run in full mode from an empty cache with the mirror down
    (a closed port), stopping at its first error."""
    import socket

    root = tmp_path_factory.mktemp("mirror_down")
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/course-data"
    env = full_mode_env(root, COURSE_DATA_MIRROR=url)
    executed = {}
    for assignment in ASSIGNMENTS:
        subs = root / "submissions" / assignment
        write_reference_and_bugs(assignment, subs, {})
        for nb in sorted((subs / "reference").glob("*.ipynb")):
            executed[f"{assignment}/{nb.stem}"] = run_until_error(nb, root / "executed" / assignment, env)
    return url, executed


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_with_the_mirror_down_the_first_loading_cell_fails_with_one_line_naming_the_url(mirror_down, assignment):
    url, executed = mirror_down
    for name, path in executed.items():
        if not name.startswith(assignment + "/"):
            continue
        errors = _executed_errors(path)
        assert len(errors) == 1, f"{name}: expected the run to stop at one loading cell, got {errors}"
        (where, message), = errors.items()
        text = message.split(": ", 1)[1]
        assert "\n" not in text.strip(), f"{name} ({where}): the error is more than one line: {text!r}"
        assert url in text, f"{name} ({where}): the error does not name the mirror's URL: {text}"
        assert "Error" in message.split(":")[0], message
