"""hw3_gans's own judges: what the grader decides about noise draws, batches of outputs and
generated digits, in the grader's process, never in the sandbox.

Each judge follows `autograder.judges`: `judge(got, want, name, **params) -> str`, '' when
the student's value passes, else one sentence for the student. `want` is what the same
hidden test observed of the instructor's solution (the reference run). Generated digits
are judged by the notebook's own frozen MNIST classifier (`helpers.models.mnist_classifier`,
the one `helpers.gans.judge_images` uses), loaded here on the CPU, so no number the
student's kernel computed about its samples is ever trusted.

Never released: `autograder release` skips this file and the reference run ignores it.
"""

from __future__ import annotations

import contextlib
import io
from functools import cache

import numpy as np
import torch

THRESHOLD = 0.9  # a sample is confident when the classifier puts more than this on one digit
MIN_COUNT = 5  # confident samples a digit needs to count as present


def _floats(x, name: str, shape: tuple[int, ...] | None = None) -> tuple[np.ndarray | None, str]:
    """`x` as a finite float64 array (of `shape`, if given), or a sentence saying how it is not one."""
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "fiub":
        return None, f"{name} should be a tensor, got {'a string' if isinstance(x, str) else type(x).__name__}"
    if shape is not None and tuple(x.shape) != tuple(shape):
        return None, f"{name} has shape {tuple(x.shape)}, expected {tuple(shape)}"
    a = x.astype(np.float64)
    if not np.isfinite(a).all():
        return None, f"{name} contains NaN or infinite values"
    return a, ""


def _same_keys(got, want, name: str) -> str:
    if not isinstance(got, dict) or set(got) != set(want):
        return f"{name}: the test could not collect its results"
    return ""


# ---- sample_noise ----

def noise_batches(got, want, name: str = "noise") -> str:
    """Each draw is a float32 tensor of the reference's shape with every value in [-1, 1]
    (a draw that is not a tensor arrives as a sentence saying what it is)."""
    bad = _same_keys(got, want, name)
    if bad:
        return bad
    for key, expected in want.items():
        value = got[key]
        if isinstance(value, str):
            return f"{name}: {key} returned {value}"
        a, bad = _floats(value, f"{name}: {key}", expected.shape)
        if bad:
            return bad
        if value.dtype != np.float32:
            return f"{name}: {key} holds {value.dtype}, not float32 (torch's default dtype)"
        if a.min() < -1 or a.max() > 1:
            return f"{name}: {key} has values from {a.min():.3g} to {a.max():.3g}, outside [-1, 1]"
    return ""


def uniform_draws(got, want, name: str = "noise", share_tolerance: float = 0.01,
                  mean_tolerance: float = 0.02) -> str:
    """Two draws after the same seed: identical; in [-1, 1]; each tenth of [-1, 1] holds
    10 % of the 80,000 values within `share_tolerance` (ten standard deviations of a
    binomial share, 0.1 %), and their mean is within `mean_tolerance` of 0 (about ten
    standard deviations, 0.002)."""
    keys = ("first draw", "same seed again")
    bad = _same_keys(got, want, name)
    if bad:
        return bad
    first, bad = _floats(got[keys[0]], f"{name}: the first draw", want[keys[0]].shape)
    if bad:
        return bad
    again, bad = _floats(got[keys[1]], f"{name}: the second draw", want[keys[1]].shape)
    if bad:
        return bad
    if not np.array_equal(first, again):
        return f"{name}: the same torch.manual_seed gave different noise (draw it with torch's generator)"
    if first.min() < -1 or first.max() > 1:
        return f"{name}: values from {first.min():.3g} to {first.max():.3g}, outside [-1, 1]"
    shares = np.histogram(first, bins=10, range=(-1.0, 1.0))[0] / first.size
    if np.abs(shares - 0.1).max() > share_tolerance:
        return (f"{name}: not uniform on [-1, 1]: the ten tenths of [-1, 1] hold "
                f"{[round(float(s), 3) for s in shares]} of the values, 0.1 each expected")
    if abs(first.mean()) > mean_tolerance:
        return f"{name}: the mean of {first.size:,} values is {first.mean():.3f}, expected about 0"
    return ""


# ---- networks ----

def batches(got, want, name: str = "outputs", low: float | None = None, high: float | None = None) -> str:
    """Each output has the reference's shape, is finite and lies within [low, high] where given."""
    bad = _same_keys(got, want, name)
    if bad:
        return bad
    for key, expected in want.items():
        a, bad = _floats(got[key], f"{name} ({key})", expected.shape)
        if bad:
            return bad
        if (low is not None and a.min() < low) or (high is not None and a.max() > high):
            return (f"{name} ({key}): values from {a.min():.3g} to {a.max():.3g}, outside "
                    f"[{low if low is not None else '-inf'}, {high if high is not None else 'inf'}]")
    return ""


# ---- trained generators ----

@cache
def classifier() -> torch.nn.Module:
    """The notebook's frozen MNIST classifier on the CPU (its loaders' notices kept off the grader's output)."""
    from autograder.judging import RecordingError
    from helpers.models.mnist_classifier import mnist_classifier

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return mnist_classifier(device="cpu")
    except Exception as err:  # the grader's own setup, not the student's work: stop and say why
        raise RecordingError(f"hw3_gans's judges could not load the MNIST classifier in the grader's process: "
                             f"{err}") from err


def judged(samples: np.ndarray) -> tuple[float, np.ndarray]:
    """(share of confident samples, confident samples per digit) of images in [-1, 1],
    shaped (N, 784), as `helpers.gans.judge_images` computes them."""
    model = classifier()
    unit = ((torch.as_tensor(samples, dtype=torch.float32).reshape(len(samples), 1, 28, 28) + 1.0) / 2.0).clamp(0, 1)
    with torch.no_grad():
        probs = model(model.preprocess(unit)).softmax(dim=1)
    top, label = probs.max(dim=1)
    confident = top > THRESHOLD
    return float(confident.float().mean()), torch.bincount(label[confident], minlength=10).numpy()


def _samples(got, want, name: str) -> tuple[np.ndarray | None, str]:
    return _floats(got, f"{name}: the generated images", want.shape)


def confident_share(got, want, name: str = "generated digits", at_least: float = 0.2) -> str:
    """Samples of the trained generator: at least `at_least` of them confident digits."""
    samples, bad = _samples(got, want, name)
    if bad:
        return bad
    share, _ = judged(samples)
    if share < at_least:
        return (f"{name}: {share:.1%} of the samples are confident digits, the grader asks for {at_least:.0%}")
    return ""


def digit_count(got, want, name: str = "generated digits", at_least: int = 6) -> str:
    """Samples of the trained generator: at least `at_least` digits with `MIN_COUNT` or more
    confident samples each (fewer is mode collapse)."""
    samples, bad = _samples(got, want, name)
    if bad:
        return bad
    _, counts = judged(samples)
    present = int((counts >= MIN_COUNT).sum())
    if present < at_least:
        per_digit = ", ".join(f"{d}: {int(c)}" for d, c in enumerate(counts))
        return (f"{name}: {present} different digits appear at least {MIN_COUNT} times among the confident "
                f"samples ({per_digit}), the grader asks for {at_least}")
    return ""
