"""Fair numeric comparisons for tests: absolute plus relative tolerance sized to the dtype.

Hidden and public tests compare a student's result with a reference computed in float64
(or in the student's own dtype). A bare elementwise relative error explodes where values
are near zero, so every comparison here passes where

    |actual - expected| <= atol + rtol * |expected|      (elementwise)

with `rtol` and `atol` chosen from the dtype of `actual` unless given. Hidden tests import
these under private names (`from helpers.checks import assert_close as _assert_close`).
"""

from __future__ import annotations

import numpy as np

# (rtol, atol) per precision: loose enough for any correct order of operations in that
# precision, tight enough that a wrong formula (a missing term, a sign) fails.
TOLERANCES = {
    "float64": (1e-6, 1e-8),
    "float32": (1e-4, 1e-5),
    "float16": (1e-2, 1e-3),
    "bfloat16": (2e-2, 1e-2),
}


def _as_float64(x) -> np.ndarray:
    if hasattr(x, "detach"):  # a torch tensor, on any device, with or without grad
        x = x.detach().to("cpu")
        if x.is_floating_point() or x.is_complex():
            x = x.double()
        return x.numpy()
    return np.asarray(x, dtype=np.float64)


def _dtype_name(x) -> str:
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        return "float64"  # Python numbers and lists: full precision
    name = str(dtype).replace("torch.", "")
    return name if name in TOLERANCES else "float64"


def tolerance(actual, rtol: float | None = None, atol: float | None = None) -> tuple[float, float]:
    """(rtol, atol) for comparing `actual`: given values, else those of its dtype."""
    default_rtol, default_atol = TOLERANCES[_dtype_name(actual)]
    return (default_rtol if rtol is None else rtol), (default_atol if atol is None else atol)


def close_report(actual, expected, rtol: float | None = None, atol: float | None = None,
                 name: str = "result") -> str:
    """'' when `actual` matches `expected` within tolerance, else a message saying how not."""
    rtol, atol = tolerance(actual, rtol, atol)
    a, e = _as_float64(actual), _as_float64(expected)
    if a.shape != e.shape:
        return f"{name} has shape {tuple(a.shape)}, expected {tuple(e.shape)}"
    if not np.all(np.isfinite(a) | ~np.isfinite(e)):
        return f"{name} contains NaN or infinite values"
    diff = np.abs(a - e)
    bound = atol + rtol * np.abs(e)
    bad = ~(diff <= bound)
    if not bad.any():
        return ""
    worst = np.unravel_index(int(np.argmax(np.where(bad, diff - bound, -np.inf))), a.shape) if a.ndim else ()
    return (f"{name} differs from the expected values at {int(bad.sum())} of {a.size} entries; "
            f"largest difference {diff.max():.3g} (allowed: {atol:g} + {rtol:g} x |expected|)"
            + (f", e.g. at index {tuple(int(i) for i in worst)}" if worst else ""))


def is_close(actual, expected, rtol: float | None = None, atol: float | None = None) -> bool:
    """True when `actual` matches `expected` within tolerance (see the module docstring)."""
    return close_report(actual, expected, rtol, atol) == ""


def assert_close(actual, expected, name: str = "result", rtol: float | None = None,
                 atol: float | None = None) -> None:
    """AssertionError with a readable message when `actual` does not match `expected`."""
    report = close_report(actual, expected, rtol, atol, name)
    if report:
        raise AssertionError(report)
