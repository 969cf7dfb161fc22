"""hw3_captioning's own judges. They run in the grader's process only: never released, never
in the sandbox. Each is `judge(got, want, name=..., **params) -> str`, '' when the student's
observation passes, else one sentence the student can act on; `want` is the reference
run's value of the same observation.

* `greedy_captions`: sampled word ids. Up to and including each caption's first `<END>`
  they must be the reference's; after it the notebook leaves open whether sampling stops
  (the rest `<NULL>`) or goes on feeding the most likely word, so either is accepted.
* `training_loss`: the loss history of an overfitting run (a property of the student's
  own training; the reference's value is not used): the number of steps the notebook's
  solver takes, every loss finite, and the final loss (or the median of the last `last`
  losses) below the bound the notebook states.
"""

from __future__ import annotations

import numpy as np


def greedy_captions(got, want, name: str = "captions", end: int = 2, null: int = 0) -> str:
    if not isinstance(got, np.ndarray) or got.dtype.kind not in "iu":
        kind = f"an array of {got.dtype}" if isinstance(got, np.ndarray) else f"a {type(got).__name__}"
        return f"{name}: sample should return an integer array of word ids, got {kind}"
    if got.shape != want.shape:
        return f"{name} have shape {tuple(got.shape)}, expected {tuple(want.shape)}"
    for row, (g, w) in enumerate(zip(got, want)):
        ends = np.flatnonzero(w == end)
        stop = int(ends[0]) + 1 if ends.size else len(w)
        if not np.array_equal(g[:stop], w[:stop]):
            first = int(np.flatnonzero(g[:stop] != w[:stop])[0])
            return (f"{name}: caption {row + 1} differs from the expected greedy caption at word {first + 1} "
                    f"(id {int(g[first])} instead of {int(w[first])})")
        rest_g, rest_w = g[stop:], w[stop:]
        if not (np.array_equal(rest_g, rest_w) or bool((rest_g == null).all())):
            return (f"{name}: after its first <END>, caption {row + 1} is neither <NULL> throughout nor the "
                    "greedy continuation")
    return ""


def training_loss(got, want, name: str = "loss history", steps: int = 100, below: float = 0.1,
                  last: int = 1) -> str:
    if not isinstance(got, np.ndarray) or got.ndim != 1 or got.dtype.kind not in "iuf":
        return f"{name}: the grader could not read the training run's loss history"
    if got.size != steps:
        return f"{name}: the run recorded {got.size} losses, expected {steps} (one per training step)"
    if not np.isfinite(got).all():
        return f"{name}: the loss became NaN or infinite during training"
    final = float(np.median(got[-last:]))
    what = "the final loss" if last == 1 else f"the median of the last {last} losses"
    if not final < below:
        return f"{name}: {what} is {final:.3g}, not below {below:g}"
    return ""
