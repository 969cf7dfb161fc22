"""hw1_backprop's own judges. They run in the grader's process only: never released, never
in the sandbox. Each is `judge(got, want, name=..., **params) -> str`, '' when the student's
observation passes, else one sentence the student can act on.

* `by_hand`: a layer's gradients, which count only when the layer's output was made by the
  student's `torch.autograd.Function` (its grad_fn), so autograd did not work them out.
* `expression_rules` and `agree`: the student's own expression, for which no reference
  value exists: the shape of its autograd graph, and whether its two evaluations (scalars
  and float64 tensors) agree with each other at the grader's points.
* `trained_network`: the trained parameters a hidden test hands out. The grader loads the
  test digits itself and computes the network's accuracy here, with the network the
  reference run says the parameters were trained in (the student's layers, or the
  stand-ins of `helpers.backprop.standins`).
"""

from __future__ import annotations

import contextlib
import functools
import io

import numpy as np
import torch

from autograder.judges import close
from helpers.backprop import load_digits
from helpers.backprop.standins import standin_predictions

FUNCTION = "by a torch.autograd.Function"  # the flag a layer's gradient observation carries


def by_hand(got, want, name: str = "gradients", rtol: float | None = None, atol: float | None = None) -> str:
    """{FUNCTION: bool, "grad_fn": the other node's kind, "gradients": ...}: the flag must be
    True, then the gradients are compared with the reference's like `close` does."""
    if not isinstance(got, dict) or FUNCTION not in got or "gradients" not in got:
        return close(got, want, name, rtol, atol)
    if got[FUNCTION] is not True:
        return (f"{name}: the layer's output was made by {got.get('grad_fn')!s}, not by your "
                "torch.autograd.Function, so autograd worked out these gradients instead of your backward; "
                "compute the forward pass in forward() and the gradients in backward()")
    return close(got["gradients"], want["gradients"], name, rtol, atol)


def _count(got: dict, key: str):
    value = got.get(key)
    return value if type(value) is int else None


def expression_rules(got, want, name: str = "my_expression", operations: int = 5) -> str:
    """The graph of the student's expression on tensors: at least `operations` operations,
    one of tanh, relu or exp, and some value used more than once."""
    keys = ("operations", "tanh, relu or exp", "most uses of one value")
    if not isinstance(got, dict) or any(_count(got, k) is None for k in keys):
        return f"{name}: the grader could not read the expression's autograd graph"
    problems = []
    if got["operations"] < operations:
        problems.append(f"it uses {got['operations']} operations; use at least {operations}")
    if got["tanh, relu or exp"] < 1:
        problems.append("use tanh, relu or exp at least once")
    if got["most uses of one value"] < 2:
        problems.append("use an input or an intermediate result more than once")
    return f"{name}: " + "; ".join(problems) if problems else ""


def agree(got, want, name: str = "my_expression", rtol: float = 1e-6, atol: float = 1e-8) -> str:
    """{"points": [(a, b, c)...], "scalars": rows, "torch": rows}, a row being the value and
    the three derivatives: the scalars' rows within atol + rtol |torch| of torch's, at the
    points the reference run used."""
    if not isinstance(got, dict) or not all(k in got for k in ("points", "scalars", "torch")):
        return f"{name}: the grader could not read the two evaluations"
    try:
        points = np.asarray(got["points"], dtype=np.float64)
        mine = np.asarray(got["scalars"], dtype=np.float64)
        theirs = np.asarray(got["torch"], dtype=np.float64)
    except (TypeError, ValueError):
        return f"{name}: each evaluation should give a number and three derivatives at every point"
    expected_points = np.asarray(want["points"], dtype=np.float64)
    if points.shape != expected_points.shape or not np.array_equal(points, expected_points):
        return f"{name}: not evaluated at the grader's points"
    shape = (len(expected_points), 4)
    if mine.shape != shape or theirs.shape != shape:
        return f"{name}: each evaluation should give a number and three derivatives at every point"
    if not (np.isfinite(mine).all() and np.isfinite(theirs).all()):
        return (f"{name}: the value or a derivative is NaN or infinite at one of the points "
                "(keep it smooth between 0.5 and 1.5)")
    bad = np.abs(mine - theirs) > atol + rtol * np.abs(theirs)
    if not bad.any():
        return ""
    row, col = (int(i) for i in np.argwhere(bad)[0])
    what = "the value" if col == 0 else f"d/d{'abc'[col - 1]}"
    at = ", ".join(f"{v:.3g}" for v in points[row])
    return (f"{name}: at (a, b, c) = ({at}), {what} is {mine[row, col]:.10g} with Value and "
            f"{theirs[row, col]:.10g} with torch")


@functools.cache
def _test_digits() -> tuple[torch.Tensor, torch.Tensor]:
    with contextlib.redirect_stdout(io.StringIO()):  # the sample-mode notice is for notebooks
        return load_digits(train=False)


_PARAMETERS = ("W1", "b1", "W2", "b2")


def _parameters(got) -> dict[str, np.ndarray] | str:
    params = got.get("parameters") if isinstance(got, dict) else None
    if not isinstance(params, dict) or any(not isinstance(params.get(k), np.ndarray) for k in _PARAMETERS):
        return "train_two_layer should return the dictionary of tensors W1, b1, W2, b2"
    w1, b1, w2, b2 = (params[k] for k in _PARAMETERS)
    hidden = w1.shape[0] if w1.ndim == 2 else -1
    if (w1.shape, b1.shape, w2.shape, b2.shape) != ((hidden, 784), (hidden,), (10, hidden), (10,)):
        return (f"the returned parameters have shapes {w1.shape}, {b1.shape}, {w2.shape}, {b2.shape}; expected "
                "(hidden, 784), (hidden,), (10, hidden) and (10,)")
    if any(a.dtype.kind != "f" or not np.isfinite(a).all() for a in (w1, b1, w2, b2)):
        return "the trained parameters hold NaN or infinite values (training diverged)"
    return {k: params[k] for k in _PARAMETERS}


def trained_network(got, want, name: str = "training", bar: float = 0.90) -> str:
    """{"network", "calls of LinearFunction", "calls of SoftmaxCrossEntropy", "parameters"}:
    the training used the layers, and the trained network classifies at least `bar` of the
    test digits (computed here, in the network the reference run names)."""
    params = _parameters(got)
    if isinstance(params, str):
        return f"{name}: {params}"
    for layer, use in (("LinearFunction", "the network"), ("SoftmaxCrossEntropy", "the loss")):
        if not (_count(got, f"calls of {layer}") or 0) > 0:
            return (f"{name}: the training never called {layer}; compute {use} with the layers you wrote "
                    "(two_layer_logits and SoftmaxCrossEntropy)")
    x, y = _test_digits()
    tensors = {k: torch.from_numpy(v).to(x.dtype) for k, v in params.items()}
    standins = isinstance(want, dict) and want.get("network") == "stand-in layers"
    if standins:
        predicted = standin_predictions(tensors, x)
    else:
        with torch.no_grad():
            hidden = torch.relu(x @ tensors["W1"].T + tensors["b1"])
            predicted = (hidden @ tensors["W2"].T + tensors["b2"]).argmax(dim=1)
    accuracy = (predicted == y).double().mean().item()
    if accuracy >= bar:
        return ""
    if standins:  # the run the feedback reports: the student's layers did not reach the bar either
        return (f"{name}: trained with the grader's stand-in layers in place of yours, it classifies "
                f"{accuracy:.1%} of the test digits, below the bar of {bar:.0%} (the run with your own layers "
                "did not pass either), so look at train_two_layer")
    return f"{name}: trained with your layers, it classifies {accuracy:.1%} of the test digits; the bar is {bar:.0%}"
