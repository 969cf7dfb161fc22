"""The GPU path that can be checked without a GPU: how slots share GPUs, each slot's
environment and memory cap, the sandbox's GPU arguments, and the fork server's CUDA rule.
(The real run on a GPU is `benchmarks/gpu_check.py`.)"""

import nbformat
import pytest

from autograder.gpus import (DEFAULT_NEED_MB, RESERVE_MB, Slot, declared_full_mode_memory_mb, declared_need_mb,
                             plan_slots)
from autograder.sandbox.bwrap import gpu_args


def test_without_gpus_one_cpu_slot_per_core_or_as_asked():
    assert plan_slots([], 4096, cores=2) == [Slot(0, None, None), Slot(1, None, None)]
    assert len(plan_slots([], 4096, cores=2, workers=5)) == 5
    assert Slot(0, None, None).env() == {}


def test_small_notebooks_share_an_h100_up_to_the_cores():
    slots = plan_slots([81559], need_mb=4096, cores=16)
    assert len(slots) == 16 and {s.gpu for s in slots} == {0}  # 19 would fit; 16 cores
    assert all(s.memory_mb == (81559 - RESERVE_MB) // 16 for s in slots)
    assert sum(s.memory_mb for s in slots) <= 81559 - RESERVE_MB


def test_a_large_need_gets_fewer_slots_and_several_gpus_take_turns():
    slots = plan_slots([81559, 81559], need_mb=30_000, cores=16)
    assert [s.gpu for s in slots] == [0, 1, 0, 1]  # two of 30 GB fit per GPU
    assert all(s.memory_mb >= 30_000 for s in slots)
    assert [s.gpu for s in plan_slots([16_000, 81_559], need_mb=8000, cores=4)] == [0, 1, 1, 1]


def test_asking_for_more_workers_than_fit_shares_memory_evenly():
    slots = plan_slots([24_000], need_mb=20_000, cores=8, workers=3)
    assert [s.memory_mb for s in slots] == [(24_000 - RESERVE_MB) // 3] * 3


def test_a_slot_pins_its_gpu_and_caps_its_memory_for_mps_and_torch():
    env = Slot(3, 1, 5000).env()
    assert env["CUDA_VISIBLE_DEVICES"] == "1"
    assert env["COURSE_GPU_MEMORY_MB"] == "5000"
    assert env["CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"] == "0=5000M"
    assert env["PYTORCH_NVML_BASED_CUDA_CHECK"] == "1"  # counting GPUs must not initialise CUDA


def test_assignments_declare_their_gpu_memory_in_notebook_metadata(tmp_path):
    plain, big = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), plain)
    nbformat.write(nbformat.v4.new_notebook(metadata={"course": {"gpu_memory_mb": 12000}}), big)
    assert declared_need_mb([plain]) == DEFAULT_NEED_MB
    assert declared_need_mb([plain, big]) == 12000


def test_full_mode_memory_needs_raise_the_cap_outside_sample_mode_only(tmp_path, monkeypatch):
    plain, big = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), plain)
    nbformat.write(nbformat.v4.new_notebook(metadata={"course": {"full_mode_memory_mb": 10240}}), big)
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    assert declared_full_mode_memory_mb([plain]) == 0
    assert declared_full_mode_memory_mb([plain, big]) == 10240
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "1")  # sample mode keeps the default cap (memory bombs stay small)
    assert declared_full_mode_memory_mb([plain, big]) == 0


def test_the_training_knob_cuts_budgets_only_when_set(monkeypatch):
    from helpers.mode import training_budget

    monkeypatch.delenv("COURSE_TRAINING_SCALE", raising=False)
    assert training_budget(4000) == 4000
    monkeypatch.setenv("COURSE_TRAINING_SCALE", "0.02")
    assert (training_budget(4000), training_budget(128, least=16), training_budget(10)) == (80, 16, 1)
    monkeypatch.setenv("COURSE_TRAINING_SCALE", "lots")
    with pytest.raises(ValueError, match="COURSE_TRAINING_SCALE"):
        training_budget(10)


def test_the_sandbox_exposes_gpu_device_nodes_sys_and_the_mps_pipe(tmp_path):
    dev, mps = tmp_path / "dev", tmp_path / "mps"
    dev.mkdir()
    mps.mkdir()
    assert gpu_args(dev, mps) == []  # no GPU: nothing extra
    for node in ("nvidia0", "nvidiactl", "nvidia-uvm", "nvidia-caps"):
        (dev / node).touch()
    args = gpu_args(dev, mps)
    binds = [args[i + 1] for i, a in enumerate(args) if a == "--dev-bind"]
    assert sorted(binds) == sorted(str(dev / n) for n in ("nvidia0", "nvidiactl", "nvidia-uvm", "nvidia-caps"))
    assert ["--ro-bind", "/sys", "/sys"] == args[len(binds) * 3:len(binds) * 3 + 3]
    assert args[-3:] == ["--bind", str(mps), str(mps)]


def test_the_fork_server_refuses_to_fork_after_cuda_was_initialised(monkeypatch):
    import torch

    from autograder.sandbox import zygote

    assert zygote._cuda_initialized() is False  # importing torch (as the fork server does) is fine
    monkeypatch.setattr(torch.cuda, "is_initialized", lambda: True)
    assert zygote._cuda_initialized() is True
