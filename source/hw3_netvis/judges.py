"""hw3_netvis's own judges: what the grader decides about observations of the network
itself (is it fooled, did a score rise), in the grader's process, never in the sandbox.

Each judge follows `autograder.judges`: `judge(got, want, name, **params) -> str`, '' when
the student's value passes, else one sentence for the student. `want` is what the same
hidden test observed of the instructor's solution (the reference run). The network is
the notebook's own (`helpers.netvis.load_model`: SqueezeNet 1.1 in full mode, the helpers'
MNIST CNN in sample mode), loaded once on the CPU here, so no number the student's kernel
computed about it is ever trusted.

Never released: `autograder release` skips this file and the reference run ignores it.
"""

from __future__ import annotations

import contextlib
import io
from functools import cache

import numpy as np
import torch

from helpers.checks import close_report


@cache
def network() -> torch.nn.Module:
    """The notebook's frozen classifier on the CPU (its loaders' notices kept off the grader's output)."""
    from autograder.judging import RecordingError
    from helpers.netvis import load_model

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return load_model(device="cpu")
    except Exception as err:  # the grader's own setup, not the student's work: stop and say why
        raise RecordingError(f"hw3_netvis's judges could not load the network in the grader's process: {err}") from err


def _scores(images) -> np.ndarray:
    """The network's scores (N, classes) of preprocessed images (N, C, H, W), in float64."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32))
    with torch.no_grad():
        return network()(x).double().numpy()


def _picture_scores(pictures: list[np.ndarray]) -> np.ndarray:
    """The network's scores of uint8 pictures as the notebook shows them ((H, W) or (H, W, 3))."""
    model = network()
    with torch.no_grad():
        return model(model.preprocess(np.stack(pictures))).double().numpy()


def _class(k: int) -> str:
    return f"class {k} ({network().class_names[k]!r})"


def _entries(got, keys: tuple[str, ...], name: str) -> tuple[list, str]:
    """The values under `keys` of an observed dict, or a sentence saying what is missing."""
    if not isinstance(got, dict) or any(key not in got for key in keys):
        return [], f"{name}: the test could not collect its results"
    return [got[key] for key in keys], ""


def _array(x, name: str, shape: tuple[int, ...]) -> tuple[np.ndarray | None, str]:
    """`x` as a finite float64 array of `shape`, or a sentence saying how it is not one."""
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "fiub":
        return None, f"{name} should be a tensor, got a {type(x).__name__}"
    if tuple(x.shape) != tuple(shape):
        return None, f"{name} has shape {tuple(x.shape)}, expected {tuple(shape)}"
    a = x.astype(np.float64)
    if not np.isfinite(a).all():
        return None, f"{name} contains NaN or infinite values"
    return a, ""


def _relative(a: np.ndarray, b: np.ndarray, scale: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(float(np.linalg.norm(scale)), 1e-30))


def saliency_in_own_precision(got, want, name: str = "saliency maps", gap: float = 0.05,
                              repeat: float = 1e-2) -> str:
    """Saliency maps of the notebook's network, in its own precision (float32, on its own
    device), against the reference's maps of a float64 copy: within `gap` of them relative
    to their size over the whole batch (rounding differs between devices and algorithms,
    a wrong formula is off by far more); a second call on the same tensor within `repeat`
    of the first (no gradient left over); and the images passed in left unchanged."""
    keys = ("maps", "maps of a second call", "images afterwards")
    values, bad = _entries(got, keys, name)
    if bad:
        return bad
    maps, again, after = values
    want_maps, _, want_images = (want[key] for key in keys)
    first, bad = _array(maps, f"{name}: the result of the first call", want_maps.shape)
    if bad:
        return bad
    off = _relative(first, want_maps, want_maps)
    if off > gap:
        return (f"{name}: the maps differ from the expected ones by {off:.3g} of their size (whole batch; "
                f"allowed {gap:g})")
    second, bad = _array(again, f"{name}: the result of the second call", want_maps.shape)
    if bad:
        return bad
    drift = _relative(second, first, want_maps)
    if drift > repeat:
        return (f"{name}: a second call on the same images gave other maps (they moved by {drift:.3g} of their "
                "size): a gradient left over from the first call?")
    if not isinstance(after, np.ndarray) or close_report(after, want_images):
        return f"{name}: compute_saliency_maps changed the images it was given"
    return ""


def fools_the_network(got, want, name: str = "fooling image", target: int = 0, slack: float = 1.25,
                      extra: float = 3.0) -> str:
    """A fooling image made on the notebook's network: the image passed in is unchanged,
    the network (here, on the CPU) predicts `target` for the result, and the result is no
    farther from the original than `slack` times the reference's distance plus `extra`
    (steps have length 1, so `extra` is a few steps: the student stopped when fooled)."""
    keys = ("fooling image", "image afterwards")
    values, bad = _entries(got, keys, name)
    if bad:
        return bad
    fool, after = values
    want_fool, original = (want[key] for key in keys)
    if not isinstance(after, np.ndarray) or close_report(after, original):
        return f"{name}: make_fooling_image changed the image it was given"
    image, bad = _array(fool, f"{name}: the fooling image", original.shape)
    if bad:
        return bad
    scores = _scores(image)[0]
    top = int(scores.argmax())
    # the kernel may have stopped on another device, where a near tie can fall the other way
    if top != target and scores[top] - scores[target] > 1e-4 * max(1.0, abs(float(scores[top]))):
        return f"{name}: the network classifies it as {_class(top)}, not as {_class(target)}"
    distance = float(np.linalg.norm(image - original))
    needed = float(np.linalg.norm(want_fool.astype(np.float64) - original))
    if distance > slack * needed + extra:
        return (f"{name}: it is {distance:.2f} from the original, while {needed:.2f} was enough: stop as soon as "
                "the network predicts the target")
    return ""


def raises_the_score(got, want, name: str = "ascent steps", targets: list[int] = ()) -> str:
    """Images after some update steps from the reference's starting images: the network
    scores each higher for its target than the start."""
    if not isinstance(got, (list, tuple)) or len(got) != len(targets):
        return f"{name}: the test could not collect its results"
    for run, reference, target in zip(got, want, targets):
        values, bad = _entries(run, ("after",), name)
        if bad:
            return bad
        start = reference["start"]
        image, bad = _array(values[0], f"{name}: the image after the steps", start.shape)
        if bad:
            return bad
        before, after = _scores(start)[0, target], _scores(image)[0, target]
        if not after > before:
            return f"{name}: the score of {_class(target)} went from {before:.3f} to {after:.3f}; it should rise"
    return ""


def visualization_raises_score(got, want, name: str = "class visualization", target: int = 0) -> str:
    """A run of the given class-visualization loop, seen through its pictures: as many as
    steps, and the network scores the last one higher for `target` than the first."""
    keys = ("steps recorded", "first picture", "last picture")
    values, bad = _entries(got, keys, name)
    if bad:
        return bad
    steps, first, last = values
    if steps != want["steps recorded"]:
        return f"{name}: {steps!r} pictures for {want['steps recorded']} steps"
    pictures = []
    for picture, which in ((first, "first"), (last, "last")):
        if not isinstance(picture, np.ndarray) or picture.dtype != np.uint8 or picture.shape != want[f"{which} picture"].shape:
            return f"{name}: the {which} picture is not a picture like the loop makes"
        pictures.append(picture)
    before, after = _picture_scores(pictures)[:, target]
    if not after > before:
        return (f"{name}: the score of {_class(target)} went from {before:.2f} (first step) to {after:.2f} "
                "(last step); it should rise")
    return ""
