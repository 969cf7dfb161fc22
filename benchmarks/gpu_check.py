"""The GPU path, checked on a real GPU runner with the real grader and the sandbox on.

    .venv/bin/python benchmarks/gpu_check.py [--assignments A B ...] [--copies 8]

For every assignment it grades the reference, the untouched release and the first two
packed seeded-bug hand-ins twice, on the GPU and with the GPU hidden
(CUDA_VISIBLE_DEVICES=""), and checks that every cell scores the same; a probe hand-in
(the reference plus one cell) records inside the graded notebook which device tensors
went to. Then it grades `--copies` reference hand-ins with one slot per GPU and with the
planned number of slots per GPU (`autograder.gpus.plan_slots`), and prints submissions
per minute. It prints per-hand-in times on GPU and CPU. Exit status 1 when a score
differs or the probe did not see `cuda`, 2 when no GPU is visible.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("COURSE_SAMPLE_MODE", "1")

from autograder.gpus import gpu_memory_mb  # noqa: E402
from autograder.testing import reference_submission, replace_cells, write_submission  # noqa: E402
from contract import assignments, contract  # noqa: E402
from autograder.gradebook import read_scores  # noqa: E402
from seeded import answers  # noqa: E402

PROBE = ("import torch\nfrom helpers import default_device\n"
         "print('DEVICE-PROBE', torch.zeros(1).to(default_device()).device.type)")


def _grade(assignment: str, subs: Path, out: Path, env: dict, *flags: str) -> tuple[dict, float]:
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", assignment, str(subs), "--out", str(out),
                           *flags], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"grading {assignment} failed:\n{proc.stderr[-3000:]}")
    return {s.name: read_scores(out / "course", assignment, s.name) for s in subs.iterdir()}, \
        time.monotonic() - start


def _hand_ins(assignment: str, folder: Path) -> None:
    bugs = dict(list(answers(contract(assignment).bug_submissions()).items())[:2])
    for path in sorted((ROOT / "source" / assignment).glob("*.ipynb")):
        reference = reference_submission(path)
        write_submission(reference, folder, "reference", path.name)
        write_submission(nbformat.read(ROOT / "release" / assignment / path.name, as_version=4), folder,
                         "release", path.name)
        for student, cells in bugs.items():
            mine = {c: s for c, s in cells.items() if any(x.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                                                         == c for x in reference.cells)}
            write_submission(replace_cells(reference, mine), folder, student, path.name)
        probe = nbformat.from_dict(reference)
        probe.cells.append(nbformat.v4.new_code_cell(PROBE))
        write_submission(probe, folder, "device_probe", path.name)


def _probe_device(out: Path, assignment: str) -> set[str]:
    seen = set()
    for path in (out / "course" / "autograded" / "device_probe" / assignment).glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                for line in output.get("text", "").splitlines():
                    if line.startswith("DEVICE-PROBE"):
                        seen.add(line.split()[-1])
    return seen


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assignments", nargs="*", default=None)
    ap.add_argument("--copies", type=int, default=8)
    args = ap.parse_args()
    gpus = gpu_memory_mb()
    if not gpus:
        print("no GPU visible (nvidia-smi finds none): the GPU run is still owed")
        return 2
    print(f"GPUs: {len(gpus)} x {gpus[0]} MB")
    failed = False
    gpu_env, cpu_env = dict(os.environ), dict(os.environ, CUDA_VISIBLE_DEVICES="")
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as tmp:
        for assignment in args.assignments or assignments():
            subs = Path(tmp) / assignment / "subs"
            _hand_ins(assignment, subs)
            on_gpu, t_gpu = _grade(assignment, subs, Path(tmp) / assignment / "gpu", gpu_env)
            on_cpu, t_cpu = _grade(assignment, subs, Path(tmp) / assignment / "cpu", cpu_env)
            differ = {s: (on_gpu[s].cells, on_cpu[s].cells) for s in on_gpu
                      if on_gpu[s] and on_cpu[s] and on_gpu[s].cells != on_cpu[s].cells}
            device = _probe_device(Path(tmp) / assignment / "gpu", assignment)
            full = on_gpu["reference"] and on_gpu["reference"].auto == on_gpu["reference"].auto_max
            ok = not differ and device == {"cuda"} and full
            failed |= not ok
            print(f"{assignment:24} GPU {t_gpu:6.1f} s  CPU {t_cpu:6.1f} s  ({len(on_gpu)} hand-ins)  "
                  f"reference {'full' if full else 'NOT FULL'}  probe {sorted(device)}  "
                  f"{'scores match' if not differ else f'DIFFER: {differ}'}")
        assignment = (args.assignments or assignments())[0]
        copies = Path(tmp) / "copies"
        source = sorted((ROOT / "source" / assignment).glob("*.ipynb"))
        for i in range(args.copies):
            for path in source:
                write_submission(reference_submission(path), copies, f"student{i:02d}", path.name)
        _, one = _grade(assignment, copies, Path(tmp) / "one", gpu_env, "--workers", str(len(gpus)))
        _, many = _grade(assignment, copies, Path(tmp) / "many", gpu_env)
        print(f"throughput on {assignment}: 1 slot per GPU {60 * args.copies / one:.1f} sub/min, "
              f"planned slots {60 * args.copies / many:.1f} sub/min ({one / many:.2f}x)")
        shutil.rmtree(copies, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
