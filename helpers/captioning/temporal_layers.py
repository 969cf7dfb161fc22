"""Layers that act at every timestep of a sequence, given to students ready-made.

Shapes: N sequences, T timesteps, D inputs, M outputs, V vocabulary words.
"""

from __future__ import annotations

import numpy as np


def temporal_affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """The same affine map at every timestep: (N, T, D) @ (D, M) + (M,) -> (N, T, M)."""
    return x @ w + b, (x, w)


def temporal_affine_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients (dx, dw, db) of `temporal_affine_forward`, summed over every timestep."""
    x, w = cache
    n, t, d = x.shape
    dx = dout @ w.T
    dw = x.reshape(n * t, d).T @ dout.reshape(n * t, -1)
    db = dout.sum(axis=(0, 1))
    return dx, dw, db


def temporal_softmax_loss(x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy at each timestep where `mask` is true, summed over time and
    averaged over the N sequences; returns (loss, dx).

    x: (N, T, V) scores; y: (N, T) target word ids; mask: (N, T) booleans, false where the
    target is padding that must not count.
    """
    n, t, v = x.shape
    scores = x.reshape(n * t, v)
    targets, keep = y.reshape(n * t), mask.reshape(n * t).astype(x.dtype)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -(keep * log_probs[np.arange(n * t), targets]).sum() / n
    dx = np.exp(log_probs)
    dx[np.arange(n * t), targets] -= 1
    dx *= keep[:, None] / n
    return float(loss), dx.reshape(n, t, v)
