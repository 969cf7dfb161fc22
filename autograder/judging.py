"""The grader's verdict on one executed notebook, decided in the grader's process.

The executor brings back, for every test cell, the observations its hidden tests made
of the student's code (see `sandbox.observe`). The reference run of the same notebook
made the same observations of the instructor's solution and said what each is worth and
how to compare it (`Expected`). Here each expected observation is looked up among the
student's by name and alternative, compared with the judge it names, and the cell gets
the points of those that pass, with one line for each that did not. Only the reference
run's points, judges and parameters count: whatever else the student's kernel sent is
ignored. The verdict is written into the cell's outputs in the form nbgrader reads
(a number as the cell's result), before the outputs the student's code made.
"""

from __future__ import annotations

import base64
import importlib.util
import math
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable

import nbformat
import numpy as np

from autograder.judges import GENERIC

_SAFE_DTYPES = frozenset("b1 i1 i2 i4 i8 u1 u2 u4 u8 f2 f4 f8 c8 c16".split())


MISSING = object()  # an alternative the reference run did not observe


class RecordingError(ValueError):
    """The reference run did not give a usable expectation (a mistake in the source)."""


def decode(encoded):
    """The value `sandbox.observe.encode` made, with arrays as NumPy arrays; never runs code."""
    if encoded is None or isinstance(encoded, (bool, int, str)):
        return encoded
    if isinstance(encoded, list):  # not produced by encode, but harmless
        return [decode(v) for v in encoded]
    if not isinstance(encoded, dict):
        raise ValueError(f"unexpected {type(encoded).__name__} in an observation")
    if "__float__" in encoded:
        return float(encoded["__float__"])
    if "__array__" in encoded:
        dtype = np.dtype(str(encoded["dtype"]))
        if dtype.str.lstrip("<>|=") not in _SAFE_DTYPES:
            raise ValueError(f"arrays of {dtype} are not accepted")
        shape = tuple(int(n) for n in encoded["shape"])
        data = base64.b64decode(encoded["__array__"])
        if len(data) != dtype.itemsize * math.prod(shape):
            raise ValueError("an array's data does not match its shape")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
    if "__seq__" in encoded:
        items = [decode(v) for v in encoded["__seq__"]]
        return tuple(items) if encoded.get("type") == "tuple" else items
    if "__map__" in encoded:
        return {_key(decode(k)): decode(v) for k, v in encoded["__map__"]}
    raise ValueError("unrecognised value in an observation")


def _key(k):
    return tuple(k) if isinstance(k, list) else k


@dataclass
class Expected:
    """One observation of the reference run: its name, worth, judge and the reference's
    value for each alternative."""

    name: str
    points: float
    judge: str
    params: dict
    values: list = field(default_factory=list)  # decoded, one per alternative


def expectations(records: dict[str, list[dict]], max_points: dict[str, float]) -> dict[str, list[Expected]]:
    """grade_id -> the reference run's observations, checked: every test cell observes
    something, no reference observation failed, and each cell's points add up."""
    out: dict[str, list[Expected]] = {}
    problems = []
    for gid, possible in max_points.items():
        found: dict[str, Expected] = {}
        for rec in records.get(gid, []):
            name = rec.get("name", "")
            if "error" in rec:
                problems.append(f"{gid}: observing {name!r} failed on the reference solution: {rec['error']}")
                continue
            exp = found.setdefault(name, Expected(name, float(rec.get("points", 0)), rec.get("judge", "close"),
                                                  dict(rec.get("params") or {})))
            alternative = int(rec.get("alternative", 0))
            while len(exp.values) <= alternative:
                exp.values.append(MISSING)
            exp.values[alternative] = decode(rec["value"])
        if not found and not any(gid in p for p in problems):
            problems.append(f"{gid}: the hidden tests observe nothing (see 'Writing hidden tests' in the README)")
        total = sum(e.points for e in found.values())
        if found and abs(total - possible) > 1e-9:
            problems.append(f"{gid}: its observations are worth {total:g} points, the cell {possible:g}")
        out[gid] = list(found.values())
    if problems:
        raise RecordingError("the reference run of the source notebook is not usable:\n  " + "\n  ".join(problems))
    return out


@dataclass
class Verdict:
    points: float
    possible: float
    lines: list[str]  # one per observation that lost points


def _load_judges(path: Path | None) -> ModuleType | None:
    if path is None or not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"judges_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Judge:
    """Judges observations for one assignment (its own judges first, then the generic ones)."""

    def __init__(self, judges_file: Path | None = None):
        self.module = _load_judges(judges_file)

    def function(self, name: str) -> Callable[..., str]:
        found = getattr(self.module, name, None) if self.module is not None else None
        if found is None:
            found = GENERIC.get(name)
        if found is None:
            raise RecordingError(f"no judge named {name!r} (generic: {', '.join(GENERIC)}; or define it in "
                                 "the assignment's judges.py)")
        return found

    def cell(self, expected: list[Expected], got: list[dict], possible: float, why_missing: str = "") -> Verdict:
        """The points of one test cell: each expected observation passes when any of its
        alternatives does."""
        by_key: dict[tuple[str, int], dict] = {}
        for rec in got:
            if isinstance(rec, dict) and isinstance(rec.get("name"), str) and type(rec.get("alternative")) is int:
                by_key[(rec["name"], rec["alternative"])] = rec  # the last report of a name counts
        points, lines = 0.0, []
        for exp in expected:
            problem = ""
            for alternative, want in enumerate(exp.values):
                if want is MISSING:
                    continue
                rec = by_key.get((exp.name, alternative))
                bad = self._one(exp, want, rec, why_missing)
                if not bad:
                    problem = ""
                    break
                problem = problem or bad  # the first alternative's reason: the student's own parts
            if problem:
                lines.append(f"FAILED ({exp.points:g} point{'' if exp.points == 1 else 's'} lost): {problem}")
            else:
                points += exp.points
        return Verdict(round(min(points, possible), 6), possible, lines)

    def _one(self, exp: Expected, want, rec: dict | None, why_missing: str) -> str:
        if rec is None:
            return f"{exp.name}: not observed" + (f" ({why_missing})" if why_missing else
                                                  " (the test stopped before it got here)")
        if "error" in rec:
            error = str(rec["error"])
            if error.startswith("NotImplementedError"):
                return f"{exp.name}: not answered yet (the code it tests still raises NotImplementedError)"
            return f"{exp.name}: {error}"
        try:
            value = decode(rec.get("value"))
        except (ValueError, TypeError, KeyError) as err:
            return f"{exp.name}: the grader could not read the result ({err})"
        params = dict(exp.params)
        calls_problem = _calls(exp.name, rec.get("calls"), params)
        if calls_problem:
            return calls_problem
        try:
            return self.function(exp.judge)(value, want, name=exp.name, **params)
        except RecordingError:
            raise
        except Exception as err:  # a judge that cannot handle a strange value: the value fails
            return f"{exp.name}: the result could not be compared ({type(err).__name__}: {err})"


def _calls(name: str, calls, params: dict) -> str:
    """The method checks a test asked for (torch operators counted while the compute ran)."""
    required, forbidden = params.pop("require_calls", None), params.pop("forbid_calls", None)
    most = params.pop("max_calls", None)
    if required is None and forbidden is None and most is None:
        return ""
    counts = calls if isinstance(calls, dict) else {}
    counts = {str(k): v for k, v in counts.items() if isinstance(v, int)}
    for op in required or ():
        if not counts.get(op):
            return f"{name}: the exercise asks for torch.{op}, which this code does not call"
    for op in forbidden or ():
        if counts.get(op):
            return f"{name}: the exercise asks not to use torch.{op} (called {counts[op]} time(s))"
    if most is not None and sum(counts.values()) > most:
        return (f"{name}: {sum(counts.values())} torch operations for one call, more than the {most} a "
                "vectorized version needs (a Python loop over the batch?)")
    return ""


def verdict_outputs(verdict: Verdict, shown: list) -> list:
    """The test cell's outputs: the grader's number first (nbgrader's partial credit reads
    the first result), its reasons, then what the public part of the cell printed."""
    out = [nbformat.v4.new_output("execute_result", data={"text/plain": f"{verdict.points:g}"},
                                  execution_count=None)]
    if verdict.lines:
        out.append(nbformat.v4.new_output("stream", name="stdout", text="\n".join(verdict.lines) + "\n"))
    return out + [o for o in shown if o.get("output_type") != "execute_result"]
