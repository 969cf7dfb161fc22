"""Stand-in layers the grader runs captioning code on: none of them is a correct answer.

A hidden test of code that *uses* another exercise's function (a sequence built from the
step, a model built from the layers, sampling built from the step, the Transformer built
from attention and the positional encoding) runs it twice: once with the student's own
functions, and once with these stand-ins put in their place, so a mistake in one function
costs only that function's points. Each stand-in is deterministic and has its own exact
backward pass, but is deliberately a different function from the one it stands in for:

* `half_recurrence_step` and `half_recurrence_step_backward`: the vanilla-RNN step with
  the recurrent term halved, tanh(x Wx + 0.5 prev_h Wh + b); its cache has the layout the
  notebook's solution uses, (x, prev_h, Wx, Wh, next_h);
* `half_recurrence_sequence` and `half_recurrence_sequence_backward`: that step run over
  a sequence (a list of step caches, as the solution keeps);
* `doubled_lookup` and `doubled_lookup_backward`: a word-embedding lookup that returns
  twice the row;
* `half_recurrence_cell_step` (and its backward, sequence and sequence backward): the LSTM
  step with the recurrent term halved, cache laid out like the solution's
  (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c);

The Transformer's stand-ins are in `helpers.captioning.torch_standins`.

The names say what each is, not which exercise it stands in for, on purpose.
"""

from __future__ import annotations

import numpy as np

HALF = 0.5  # the factor on the recurrent term of the stand-in steps


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


# ---- vanilla recurrence ----

def half_recurrence_step(x, prev_h, Wx, Wh, b):
    """tanh(x Wx + 0.5 prev_h Wh + b), and the cache (x, prev_h, Wx, Wh, next_h)."""
    next_h = np.tanh(x @ Wx + HALF * (prev_h @ Wh) + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def half_recurrence_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1.0 - next_h ** 2)
    return da @ Wx.T, HALF * (da @ Wh.T), x.T @ da, HALF * (prev_h.T @ da), da.sum(axis=0)


def half_recurrence_sequence(x, h0, Wx, Wh, b):
    """The stand-in step over x (N, T, D) from h0: states (N, T, H) and a list of step caches."""
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]), dtype=np.result_type(x, h0, Wx))
    steps, prev = [], h0
    for t in range(T):
        prev, step = half_recurrence_step(x[:, t], prev, Wx, Wh, b)
        h[:, t] = prev
        steps.append(step)
    return h, steps


def half_recurrence_sequence_backward(dh, cache):
    N, T, H = dh.shape
    x0, _, Wx, Wh, _ = cache[0]
    dx = np.zeros((N, T, x0.shape[1]), dtype=dh.dtype)
    dWx, dWh, db = np.zeros_like(Wx, dtype=dh.dtype), np.zeros_like(Wh, dtype=dh.dtype), np.zeros(H, dtype=dh.dtype)
    dprev = np.zeros((N, H), dtype=dh.dtype)
    for t in reversed(range(T)):
        dx[:, t], dprev, gWx, gWh, gb = half_recurrence_step_backward(dh[:, t] + dprev, cache[t])
        dWx += gWx
        dWh += gWh
        db += gb
    return dx, dprev, dWx, dWh, db


# ---- word lookup ----

def doubled_lookup(x, W):
    """2 W[x], and the cache (x, W.shape)."""
    return 2.0 * W[x], (x, W.shape)


def doubled_lookup_backward(dout, cache):
    x, shape = cache
    dW = np.zeros(shape, dtype=dout.dtype)
    np.add.at(dW, x, 2.0 * dout)
    return dW


# ---- gated recurrence ----

def half_recurrence_cell_step(x, prev_h, prev_c, Wx, Wh, b):
    """The LSTM step (gates i, f, o, g) on x Wx + 0.5 prev_h Wh + b."""
    H = prev_h.shape[1]
    a = x @ Wx + HALF * (prev_h @ Wh) + b
    i, f, o = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H]), _sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    return o * tanh_c, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)


def half_recurrence_cell_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2)
    da = np.concatenate([dc * g * i * (1 - i), dc * prev_c * f * (1 - f), dnext_h * tanh_c * o * (1 - o),
                         dc * i * (1 - g ** 2)], axis=1)
    return da @ Wx.T, HALF * (da @ Wh.T), dc * f, x.T @ da, HALF * (prev_h.T @ da), da.sum(axis=0)


def half_recurrence_cell_sequence(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]), dtype=np.result_type(x, h0, Wx))
    prev_h, prev_c, steps = h0, np.zeros_like(h0), []
    for t in range(T):
        prev_h, prev_c, step = half_recurrence_cell_step(x[:, t], prev_h, prev_c, Wx, Wh, b)
        h[:, t] = prev_h
        steps.append(step)
    return h, steps


def half_recurrence_cell_sequence_backward(dh, cache):
    N, T, H = dh.shape
    x0, Wx, Wh = cache[0][0], cache[0][3], cache[0][4]
    dx = np.zeros((N, T, x0.shape[1]), dtype=dh.dtype)
    dWx, dWh = np.zeros_like(Wx, dtype=dh.dtype), np.zeros_like(Wh, dtype=dh.dtype)
    db = np.zeros(4 * H, dtype=dh.dtype)
    dprev_h, dprev_c = np.zeros((N, H), dtype=dh.dtype), np.zeros((N, H), dtype=dh.dtype)
    for t in reversed(range(T)):
        dx[:, t], dprev_h, dprev_c, gWx, gWh, gb = half_recurrence_cell_step_backward(dh[:, t] + dprev_h, dprev_c,
                                                                                     cache[t])
        dWx += gWx
        dWh += gWh
        db += gb
    return dx, dprev_h, dWx, dWh, db


__all__ = ["HALF", "doubled_lookup", "doubled_lookup_backward",
           "half_recurrence_cell_sequence", "half_recurrence_cell_sequence_backward", "half_recurrence_cell_step",
           "half_recurrence_cell_step_backward", "half_recurrence_sequence", "half_recurrence_sequence_backward",
           "half_recurrence_step", "half_recurrence_step_backward"]
