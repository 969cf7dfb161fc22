"""How the grader compares a student's observation with the reference run's, by name.

Every judge takes the student's value, the reference's value (decoded, see `judging`)
and the parameters the hidden test gave, and returns '' when the student's value passes,
else one sentence a student can act on. These run in the grader's process only.

An assignment adds its own judges in `source/<assignment>/judges.py` (never released):
plain functions with the same signature, found by name before these.
"""

from __future__ import annotations

import numpy as np

from helpers.checks import close_report, tolerance


def _label(name: str, where: tuple = ()) -> str:
    """The observation's name with the place inside it: 'dW (N=3, item 2)'."""
    parts = [str(p) if isinstance(p, str) else f"item {p + 1}" if isinstance(p, int) else repr(p) for p in where]
    return f"{name} ({', '.join(parts)})" if parts else name


def _is_array(x) -> bool:
    return isinstance(x, np.ndarray)


def _numeric(x) -> bool:
    return _is_array(x) or (isinstance(x, (int, float)) and not isinstance(x, bool))


def _structure(got, want, name: str, leaf, where: tuple = ()) -> str:
    """Walk `want`'s structure (sequences, dicts) alongside `got`, judging leaves with `leaf`."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{_label(name, where)} should be a dict, got {_kind(got)}"
        missing = [k for k in want if k not in got]
        if missing:
            return f"{_label(name, where)} has no entry {missing[0]!r}"
        extra = [k for k in got if k not in want]
        if extra:
            return f"{_label(name, where)} has an unexpected entry {extra[0]!r}"
        for key in want:
            bad = _structure(got[key], want[key], name, leaf, (*where, key))
            if bad:
                return bad
        return ""
    if isinstance(want, (list, tuple)) and not _numeric_sequence(want):
        if not isinstance(got, (list, tuple)):
            return f"{_label(name, where)} should be a sequence of {len(want)} results, got {_kind(got)}"
        if len(got) != len(want):
            return f"{_label(name, where)} has {len(got)} results, expected {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            bad = _structure(g, w, name, leaf, (*where, i))
            if bad:
                return bad
        return ""
    return leaf(got, want, _label(name, where))


def _numeric_sequence(x) -> bool:
    return len(x) > 0 and all(_numeric(v) and not _is_array(v) for v in x)


def _kind(x) -> str:
    if _is_array(x):
        return f"an array of shape {tuple(x.shape)}"
    return f"a {type(x).__name__}"


def _tolerance(got, want, rtol, atol) -> tuple[float, float]:
    """The given tolerance, else the looser of the two values' dtypes (a float32 reference
    carries float32 rounding even when the student answers in float64)."""
    r1, a1 = tolerance(got, rtol, atol)
    r2, a2 = tolerance(want, rtol, atol)
    return max(r1, r2), max(a1, a2)


def close(got, want, name: str = "result", rtol: float | None = None, atol: float | None = None) -> str:
    """Numbers and arrays within atol + rtol x |expected| (sized to the student's dtype
    unless given); booleans, strings and None exactly; structures entry by entry."""
    def leaf(g, w, label):
        if isinstance(w, (str, bool)) or w is None:
            return "" if g == w and type(g) is type(w) else f"{label} is {_short(g)}, expected {_short(w)}"
        if isinstance(g, (list, tuple)) and _numeric_sequence(list(g)):
            g = np.asarray(g, dtype=np.float64)
        if isinstance(w, (list, tuple)):
            w = np.asarray(w, dtype=np.float64)
        if not _numeric(g):
            return f"{label} should be a number or an array, got {_kind(g)}"
        if _is_array(g) and g.dtype == bool:
            g = g.astype(np.float64)
        r, a = _tolerance(g, w, rtol, atol)
        return close_report(g, w, r, a, name=label)
    return _structure(got, want, name, leaf)


def exact(got, want, name: str = "result") -> str:
    """Equal values (integers, booleans, strings, arrays entry by entry, any integer dtype)."""
    def leaf(g, w, label):
        if _numeric(w) or _is_array(w):
            if isinstance(g, (list, tuple)):
                g = np.asarray(g)
            if not (_numeric(g) or _is_array(g)):
                return f"{label} should be a number or an array, got {_kind(g)}"
            ga, wa = np.asarray(g), np.asarray(w)
            if ga.shape != wa.shape:
                return f"{label} has shape {tuple(ga.shape)}, expected {tuple(wa.shape)}"
            if ga.dtype.kind in "fc" and wa.dtype.kind not in "fc":
                return f"{label} should hold integers, got {ga.dtype}"
            bad = ga != wa
            if bad.any():
                first = tuple(int(i) for i in np.argwhere(bad)[0]) if ga.ndim else ()
                return (f"{label} differs from the expected values at {int(bad.sum())} of {ga.size} entries"
                        + (f", e.g. at index {first}: {ga[first]!r} instead of {wa[first]!r}" if first else
                           f": {_short(g)} instead of {_short(w)}"))
            return ""
        return "" if g == w else f"{label} is {_short(g)}, expected {_short(w)}"
    return _structure(got, want, name, leaf)


def same_set(got, want, name: str = "result") -> str:
    """The same elements in any order (a collection of numbers or strings)."""
    def as_set(x):
        if _is_array(x):
            return set(x.ravel().tolist())
        if isinstance(x, (list, tuple, set)):
            return set(x)
        return {x}
    g, w = as_set(got), as_set(want)
    if g == w:
        return ""
    missing, extra = sorted(w - g, key=str), sorted(g - w, key=str)
    return f"{name}: " + "; ".join(part for part in (
        f"missing {missing[:5]}" if missing else "", f"unexpected {extra[:5]}" if extra else "") if part)


def within(got, want, name: str = "result", low: float | None = None, high: float | None = None) -> str:
    """Every entry between `low` and `high` (a property; the reference's value is not used)."""
    if isinstance(got, (list, tuple)):
        got = np.asarray(got, dtype=np.float64)
    if not _numeric(got):
        return f"{name} should be a number or an array, got {_kind(got)}"
    a = np.asarray(got, dtype=np.float64)
    if a.size == 0:
        return f"{name} is empty"
    if not np.isfinite(a).all():
        return f"{name} contains NaN or infinite values"
    if low is not None and a.min() < low:
        return f"{name} goes down to {a.min():.4g}, below {low:g}"
    if high is not None and a.max() > high:
        return f"{name} goes up to {a.max():.4g}, above {high:g}"
    return ""


def _short(x) -> str:
    text = repr(x.tolist() if _is_array(x) else x)
    return text if len(text) <= 80 else text[:77] + "..."


GENERIC = {"close": close, "exact": exact, "same_set": same_set, "within": within}
