"""The grader's own judges for hw3_simclr: never released, never in the sandbox.

The hidden tests hand out what the student's code made (views of test images reduced to
column profiles or mean colours, the two views of a dataset item, a model's parameters
after training steps, the trained encoder's weights), and these functions decide, in the
grader's process, whether that passes. Each is `judge(got, want, name, **params)`: '' when
`got` passes, else one sentence for the student; `want` is the reference run's value of
the same observation. The thresholds of the statistical checks hold the reference's draws
and correct alternatives by a wide margin (each is about four standard deviations of a
binomial count from its expected rate) and fail the seeded mistakes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io

import numpy as np

from autograder.judges import close
from helpers.simclr.data import MEAN, STD

_MEAN = np.asarray(MEAN, dtype=np.float64)
_STD = np.asarray(STD, dtype=np.float64)


def _floats(x) -> np.ndarray | None:
    """`x` as a float64 array, or None when it is not an array of numbers."""
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "biuf":
        return None
    return x.astype(np.float64)


def _pixels(per_channel: np.ndarray) -> np.ndarray:
    """Values in view units (normalized with MEAN and STD), channels on axis 1, back to
    pixel values in [0, 1]."""
    shape = (1, 3) + (1,) * (per_channel.ndim - 2)
    return per_channel * _STD.reshape(shape) + _MEAN.reshape(shape)


# ---- compute_train_transform ----

def seeded_views(got, want, name: str = "views") -> str:
    """Views are float tensors of the asked size; a transform built with the same seed draws
    the same views, another seed other views, and successive views differ."""
    if not isinstance(got, dict) or set(got) != set(want):
        return f"{name}: the views could not be read (does compute_train_transform return a transform?)"
    for key in ("size 32", "size 24"):
        for view, expected in zip(got[key], want[key]):
            if not isinstance(view, np.ndarray) or view.dtype.kind != "f":
                return f"{name}: a view is {type(view).__name__}, not a float tensor (end with ToTensor and Normalize)"
            if view.shape != expected.shape:
                return (f"{name}: with {key.replace(' ', '=')}, a view of a 40x48 image has shape {view.shape}, "
                        f"expected {expected.shape}")
    same = [np.array_equal(a, b) for a, b in zip(got["seed 7"], got["seed 7 again"])]
    if not all(same):
        return f"{name}: two transforms built with seed 7 drew different views (seed before building the transform)"
    if all(np.array_equal(a, b) for a, b in zip(got["seed 7"], got["seed 8"])):
        return f"{name}: transforms built with seeds 7 and 8 drew the same views (is `seed` used?)"
    if np.array_equal(got["seed 7"][0], got["seed 7"][1]):
        return f"{name}: two successive views of one image are identical (are the transformations random?)"
    return ""


def _edges(profiles: np.ndarray) -> tuple[int, set[int]]:
    """Of views of a two-tone image (dark left half, light right half): how many show one
    half only, and the columns where the others change tone (mirrored or not)."""
    pixels = _pixels(profiles).mean(axis=1)  # (views, columns)
    plain, columns = 0, set()
    for row in pixels:
        low, high = row.min(), row.max()
        if high - low < 1e-3:
            plain += 1
        else:
            light = row > (low + high) / 2
            columns.add(int(np.argmax(light != light[0])))
    return plain, columns


def random_crop(got, want, name: str = "random crop") -> str:
    """Column profiles of views of a two-tone image: the default crop must sometimes fall
    inside one half (areas down to 8 %) and move the edge around; with scale=(1, 1) every
    crop is the whole image."""
    if not isinstance(got, dict) or set(got) != set(want):
        return f"{name}: the views could not be read"
    default, whole = _floats(got["default"]), _floats(got["scale=(1, 1)"])
    if default is None or whole is None or default.shape != want["default"].shape \
            or whole.shape != want["scale=(1, 1)"].shape:
        return f"{name}: the views do not have the expected shape (3, 32, 32)"
    plain, columns = _edges(default)
    if plain < 9:
        return (f"{name}: only {plain} of {len(default)} views of a half-dark, half-light image show a single half: "
                "is the crop's area random, down to 8 % of the image by default?")
    if len(columns) < 8:
        return f"{name}: the edge between the two halves lands on only {len(columns)} column(s) of the views"
    plain, columns = _edges(whole)
    if plain or columns != {16}:
        return (f"{name}: with scale=(1.0, 1.0) every crop must be the whole image (the edge stays at column 16 "
                "of 32): is `scale` passed to the crop?")
    return ""


def _mirrored(profiles: np.ndarray) -> np.ndarray:
    """Which views of a ramp that brightens to the right got darker to the right."""
    pixels = _pixels(profiles).mean(axis=1)
    half = pixels.shape[1] // 2
    return pixels[:, half:].mean(axis=1) < pixels[:, :half].mean(axis=1)


def flip_rate(got, want, name: str = "horizontal flip") -> str:
    """Column profiles of views of a left-to-right ramp: 40-60 % mirrored with the default
    hflip=0.5 (400 views), none with hflip=0 and all with hflip=1."""
    if not isinstance(got, dict) or set(got) != set(want):
        return f"{name}: the views could not be read"
    rates = {}
    for key in want:
        profiles = _floats(got[key])
        if profiles is None or profiles.shape != want[key].shape:
            return f"{name}: the views do not have the expected shape (3, 32, 32)"
        rates[key] = float(_mirrored(profiles).mean())
    if not 0.4 <= rates["default"] <= 0.6:
        return f"{name}: {rates['default']:.0%} of the views are mirrored with the default hflip=0.5"
    for key, expected in (("hflip=0", 0.0), ("hflip=1", 1.0)):
        if rates[key] != expected:
            return f"{name}: {rates[key]:.0%} of the views are mirrored with {key} (is `hflip` used?)"
    return ""


def jitter_rate(got, want, name: str = "colour jitter") -> str:
    """Centre colours of 400 views of a one-colour image: the share that keeps one colour
    exactly (neither jittered nor gray: 0.2 x 0.8 = 16 %) must lie in 8-25 %."""
    colours = _floats(got)
    if colours is None or colours.shape != want.shape:
        return f"{name}: the views could not be read (expected (3, H, W) float tensors)"
    _, counts = np.unique(np.round(colours, 5), axis=0, return_counts=True)
    kept = counts.max() / len(colours)
    if not 0.08 <= kept <= 0.25:
        return (f"{name}: {kept:.0%} of the views of a one-colour image keep its colour exactly; with the colour "
                "jitter at p=0.8 and the grayscale at p=0.2 about 16 % should")
    return ""


def gray_and_normalized(got, want, name: str = "grayscale and normalization") -> str:
    """Centre colours of 400 views of a one-colour image: once Normalize(MEAN, STD) is undone,
    12-29 % must have three equal channels (grayscale at p=0.2). Views normalized otherwise,
    or not at all, show no equal channels once un-normalized."""
    colours = _floats(got)
    if colours is None or colours.shape != want.shape:
        return f"{name}: the views could not be read (expected (3, H, W) float tensors)"
    pixels = _pixels(colours)
    gray = float(np.mean(pixels.max(axis=1) - pixels.min(axis=1) < 1e-4))
    if gray == 0:
        return (f"{name}: no view has three equal channels once Normalize(MEAN, STD) is undone: are the views "
                "converted to grayscale (p=0.2) and then normalized with MEAN and STD?")
    if not 0.12 <= gray <= 0.29:
        return (f"{name}: {gray:.0%} of the views have three equal channels once Normalize(MEAN, STD) is undone; "
                "grayscale at p=0.2 gives about 20 %")
    return ""


# ---- PairDataset ----

def either_order(got, want, name: str = "two views") -> str:
    """Each item's two views are the transform's two draws, in either order."""
    if not isinstance(got, (list, tuple)) or len(got) != len(want):
        return f"{name}: the items could not be read"
    for pair, expected in zip(got, want):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return f"{name}: an item's first two elements could not be read as two views"
        (a, b), (c, d) = pair, expected
        straight = close(a, c) == "" and close(b, d) == ""
        swapped = close(a, d) == "" and close(b, c) == ""
        if straight or swapped:
            continue
        if close(a, b) == "":
            return f"{name}: the two views of an item are identical: call self.transform twice, once for each view"
        return f"{name}: the views of an item are not two separate draws of self.transform on that item's image"
    return ""


# ---- train ----

def trained_parameters(got, want, name: str = "parameters") -> str:
    """The parameters after training steps match the reference run's (values of
    {"before": ..., "after": ...}: the model's named parameters before and after `train`)."""
    if not isinstance(got, dict) or "after" not in got:
        return f"{name}: the parameters could not be read"
    problem = close(got["after"], want["after"], name=name)
    if problem and close(got["after"], want["before"], name=name) == "":
        return f"{name}: the parameters did not change (does train call optimizer.step() after loss.backward()?)"
    return problem


# ---- linear evaluation of the trained encoder ----

_CACHE: dict[str, object] = {}


def _data():
    """The assignment's data set in the grader's mode (its loader's announcement muted)."""
    if "data" not in _CACHE:
        from helpers.data import load

        with contextlib.redirect_stdout(io.StringIO()):
            _CACHE["data"] = load("cifar10")
    return _CACHE["data"]


@contextlib.contextmanager
def _one_thread():
    """Evaluate on one thread: the grader's cores are shared with the kernels."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _encoder_accuracy(weights: dict) -> float:
    """Best test top-1 (%) of the notebook's linear evaluation of an encoder f with these
    weights (cached: both judges of a hand-in ask)."""
    import torch

    from helpers.simclr import evaluate_encoder
    from helpers.simclr.model import simclr_architecture

    digest = hashlib.sha256()
    for key in sorted(weights):
        digest.update(key.encode() + np.ascontiguousarray(weights[key]).tobytes())
    key = "weights:" + digest.hexdigest()
    if key not in _CACHE:
        with _one_thread():
            model = simclr_architecture()
            model.f.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in weights.items()})
            _CACHE[key] = evaluate_encoder(model.to("cpu"), _data(), epochs=10, seed=0).best
    return _CACHE[key]


def _random_accuracy() -> float:
    """The same evaluation of the notebook's random encoder (random_simclr(seed=0))."""
    if "random" not in _CACHE:
        from helpers.simclr import evaluate_encoder, random_simclr

        with _one_thread():
            _CACHE["random"] = evaluate_encoder(random_simclr(seed=0, device="cpu"), _data(), epochs=10, seed=0).best
    return _CACHE["random"]


def _predictions_accuracy(predictions) -> float | None:
    """Best top-1 (%) over epochs of per-epoch test predictions (epochs, N_test)."""
    labels = np.asarray(_data().test_labels)
    p = np.asarray(predictions) if isinstance(predictions, np.ndarray) else None
    if p is None or p.ndim != 2 or p.shape[1] != len(labels) or p.dtype.kind not in "iu":
        return None
    return float(100.0 * (p == labels[None, :]).mean(axis=1).max())


def _weights_problem(got: dict, want: dict) -> str:
    if not isinstance(got, dict) or set(got) != set(want):
        return "the trained encoder's weights do not fit the notebook's architecture"
    for key, value in want.items():
        mine = got[key]
        if not isinstance(mine, np.ndarray) or mine.shape != value.shape:
            return f"the trained encoder's weight {key} has an unexpected shape"
        if mine.dtype.kind == "f" and not np.isfinite(mine).all():
            return f"the trained encoder's weight {key} holds NaN or infinite values (did the training diverge?)"
    return ""


def _trained_accuracy(got, want, name: str) -> tuple[float | None, str]:
    """(accuracy of the student's trained encoder, '') or (None, why it cannot be measured)."""
    if not isinstance(got, dict) or set(got) != set(want):
        return None, f"{name}: the trained encoder could not be read (did the training cell run?)"
    if "weights" in want:
        problem = _weights_problem(got["weights"], want["weights"])
        return (None, f"{name}: {problem}") if problem else (_encoder_accuracy(got["weights"]), "")
    accuracy = _predictions_accuracy(got["predictions"])
    return (None, f"{name}: the probe's predictions could not be read") if accuracy is None else (accuracy, "")


def probe_accuracy(got, want, name: str = "linear probe", at_least: float = 90.0) -> str:
    """The notebook's linear evaluation of the trained encoder, run here on its weights
    (sample mode) or scored here from the probe's test predictions (full mode), reaches
    `at_least` % best test top-1."""
    accuracy, problem = _trained_accuracy(got, want, name)
    if problem:
        return problem
    if accuracy < at_least:
        return f"{name}: a linear probe on your trained encoder's features reaches {accuracy:.1f} %, below {at_least:g} %"
    return ""


def probe_lead(got, want, name: str = "lead over a random encoder", margin: float = 35.0) -> str:
    """The trained encoder's best test top-1 leads the random encoder's by `margin` points
    (the random encoder's evaluated here in sample mode, else the reference run's
    predictions of it)."""
    accuracy, problem = _trained_accuracy(got, want, name)
    if problem:
        return problem
    baseline = _random_accuracy() if "weights" in want else _predictions_accuracy(want["random predictions"])
    if accuracy - baseline < margin:
        return (f"{name}: your trained encoder ({accuracy:.1f} %) leads the random one ({baseline:.1f} %) by "
                f"{accuracy - baseline:.1f} points, fewer than {margin:g}")
    return ""
