"""hw1_foundations' own judges, run by the grader in its own process (never released).

`knn_neighbours` judges the k-NN observations. The reference run hands it the test's
inputs rather than the reference solution's answer: the true neighbours are computed
here, in float64, so the judge is robust to ties (any k nearest members, nearest first,
are right) and needs no reference implementation in the student's kernel. `withheld`
judges answers to questions without quoting the right answer in the feedback.
"""

from __future__ import annotations

import numpy as np

from autograder.judges import GENERIC
from helpers.checks import TOLERANCES, close_report


def knn_neighbours(got, want, name: str = "knn") -> str:
    """`want`: one {"data", "queries", "k", "device"} per case (from the reference run);
    `got`: one {"result": (distances, indices), "devices": [...]} per case (the student's)."""
    if not isinstance(got, (list, tuple)) or len(got) != len(want):
        return f"{name}: knn did not answer every case"
    for answer, case in zip(got, want):
        problem = _one_case(answer, case)
        if problem:
            data, queries = case["data"], case["queries"]
            return (f"{name}: with k={case['k']}, {len(queries)} queries and {len(data)} data points of "
                    f"dimension {data.shape[1]} in {data.dtype}, {problem}")
    return ""


def _one_case(answer, case: dict) -> str:
    result = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(result, (list, tuple)) or len(result) != 2:
        return "knn should return a pair (distances, indices)"
    distances, indices = (np.asarray(r) if isinstance(r, (list, tuple)) else r for r in result)
    if not all(isinstance(r, np.ndarray) and r.dtype.kind in "biuf" for r in (distances, indices)):
        return "knn should return two tensors (distances, indices)"
    data = case["data"].astype(np.float64)
    queries = case["queries"].astype(np.float64)
    k = case["k"]
    shape = (len(queries), k)
    if distances.shape != shape or indices.shape != shape:
        return (f"knn returned shapes {distances.shape} and {indices.shape}, expected {shape} for both "
                "(one row per query, one column per neighbour)")
    if indices.dtype.kind not in "iu":
        return f"the indices should be integers, not {indices.dtype}"
    devices = answer.get("devices")
    if devices != [case["device"]] * 2:
        return f"the input is on {case['device']} but knn's results are on {devices}"
    if indices.size and (indices.min() < 0 or indices.max() >= len(data)):
        return f"an index lies outside 0..{len(data) - 1}"
    if (np.diff(np.sort(indices, axis=1), axis=1) == 0).any():
        return "an index repeats within a row"
    true = np.sqrt(((queries[:, None, :] - data[None, :, :]) ** 2).sum(axis=-1))  # (t, N), float64
    nearest = np.sort(true, axis=1)[:, :k]
    rtol, atol = TOLERANCES.get(str(case["data"].dtype), TOLERANCES["float64"])
    atol *= 10  # distances of O(1) data carry a few ulps of their dtype
    report = close_report(np.take_along_axis(true, indices.astype(np.int64), axis=1), nearest, rtol, atol,
                          name="the true distances of the returned indices")
    if report:
        return f"the indices are not the k nearest, nearest first: {report}"
    return close_report(distances, nearest, rtol, atol, name="the distances")


def withheld(got, want, name: str = "answer", compare: str = "exact", hint: str = "") -> str:
    """Compared like the generic judge `compare`, but a failure names what is wrong without
    giving the expected answer away (for questions whose answer is the exercise); a dict
    is judged entry by entry and the wrong entries are named."""
    check = GENERIC[compare]
    advice = f" ({hint})" if hint else ""
    if isinstance(want, dict) and isinstance(got, dict) and set(got) == set(want):
        wrong = [str(key) for key in want if check(got[key], want[key], name=name)]
        if not wrong:
            return ""
        return f"{name}: {', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not right{advice}"
    return "" if not check(got, want, name=name) else f"{name} is not right{advice}"
