"""Numerical checks used by the assignments: relative error and finite-difference gradients."""

from __future__ import annotations

from typing import Callable

import numpy as np


def rel_error(x, y) -> float:
    """Largest elementwise relative error |x - y| / max(1e-8, |x| + |y|)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(f"rel_error: shapes differ, {x.shape} vs {y.shape}")
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def _central_differences(x: np.ndarray, h: float, value_at: Callable[[], np.ndarray]) -> np.ndarray:
    """Perturb each entry of `x` in place by ±h, restore it, and collect the slopes."""
    slopes = []
    flat = x.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be a contiguous array (use np.ascontiguousarray)")
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        plus = np.array(value_at(), dtype=np.float64, copy=True)
        flat[i] = saved - h
        minus = np.array(value_at(), dtype=np.float64, copy=True)
        flat[i] = saved
        slopes.append((plus - minus) / (2 * h))
    return np.array(slopes)


def eval_numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """d f(x) / dx for a scalar-valued f, by central differences; `x` is left unchanged."""
    if not np.issubdtype(np.asarray(x).dtype, np.floating):
        raise TypeError("x must be a floating-point array")
    return _central_differences(x, h, lambda: f(x)).reshape(x.shape)


def eval_numerical_gradient_array(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                                  df: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """The gradient of sum(f(x) * df) with respect to x, for an array-valued f."""
    if not np.issubdtype(np.asarray(x).dtype, np.floating):
        raise TypeError("x must be a floating-point array")
    slopes = _central_differences(x, h, lambda: f(x))
    return (slopes * np.asarray(df)[None]).reshape(slopes.shape[0], -1).sum(axis=1).reshape(x.shape)
