"""hw3_gans's grader-side judges (`source/hw3_gans/judges.py`) on values built here: each
passes what a correct hand-in hands out and says why it fails the rest; the judges of
generated digits on real sample-mode digits (which pass) and on noise (which fails)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import torch

from grading import ROOT


@pytest.fixture(scope="module")
def judges():
    spec = importlib.util.spec_from_file_location("hw3_gans_judges", ROOT / "source" / "hw3_gans" / "judges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    module.classifier.cache_clear()


def _uniform(shape, seed=0) -> np.ndarray:
    return (2 * torch.rand(shape, generator=torch.Generator().manual_seed(seed)) - 1).numpy()


def test_noise_judges(judges):
    want = {"sample_noise(3, 4)": _uniform((3, 4))}
    assert judges.noise_batches({"sample_noise(3, 4)": _uniform((3, 4), 1)}, want) == ""
    assert "not float32" in judges.noise_batches({"sample_noise(3, 4)": _uniform((3, 4)).astype(np.float64)}, want)
    assert "has shape (4, 3)" in judges.noise_batches({"sample_noise(3, 4)": _uniform((4, 3))}, want)
    assert "outside [-1, 1]" in judges.noise_batches({"sample_noise(3, 4)": 2 * _uniform((3, 4))}, want)
    assert "returned a ndarray, not a tensor" in judges.noise_batches(
        {"sample_noise(3, 4)": "a ndarray, not a tensor"}, want)

    draws = {"first draw": _uniform((40000, 2)), "same seed again": _uniform((40000, 2))}
    assert judges.uniform_draws(draws, draws) == ""
    assert "different noise" in judges.uniform_draws({**draws, "same seed again": _uniform((40000, 2), 1)}, draws)
    half = {k: v / 2 for k, v in draws.items()}
    assert "not uniform" in judges.uniform_draws(half, draws)
    normal = torch.randn(40000, 2, generator=torch.Generator().manual_seed(0)).numpy().clip(-1, 1)
    assert "not uniform" in judges.uniform_draws({"first draw": normal, "same seed again": normal}, draws)


def test_batches_judge(judges):
    want = {"noise_dim=4": _uniform((6, 784))}
    assert judges.batches({"noise_dim=4": _uniform((6, 784), 1)}, want, low=-1.0, high=1.0) == ""
    assert "outside [-1.0, 1.0]" in judges.batches({"noise_dim=4": 3 * _uniform((6, 784))}, want, low=-1.0, high=1.0)
    assert "has shape (6, 28, 28)" in judges.batches({"noise_dim=4": _uniform((6, 28, 28))}, want)
    assert "could not collect" in judges.batches(0.0, want)


def test_generated_digit_judges(judges):
    from helpers.gans import mnist_loader

    real = next(iter(mnist_loader(1000, seed=1)))[0].numpy()
    noise = _uniform((1000, 784))
    assert judges.confident_share(real, noise, at_least=0.2) == ""
    assert judges.digit_count(real, noise, at_least=6) == ""
    assert "of the samples are confident digits, the grader asks for 20%" in judges.confident_share(noise, real, at_least=0.2)
    assert "different digits appear at least 5 times" in judges.digit_count(noise, real, at_least=6)
    assert "has shape (10, 784)" in judges.confident_share(real[:10], real, at_least=0.2)
    assert "NaN" in judges.digit_count(real * np.nan, real, at_least=6)
