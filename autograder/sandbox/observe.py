"""What a hidden test hands the grader: observations of the student's code, never a verdict.

A hidden test calls the student's code on inputs of its own and passes each result to
`observe` under a name, with the points it is worth and how to compare it. The grader
runs the same hidden test on the instructor's solution once (the *reference run*) and
keeps those observations in its own process; it then judges each student observation
against the reference's, outside the student's kernel. No reference value, expected
number or verdict ever exists in the kernel, so a student's code that reads, patches or
forges anything here can at most hand the grader a value, and a value earns points only
when it is the right one.

    from autograder.sandbox.observe import observe as _observe, substituted as _substituted

    _args = ...  # inputs drawn from a private generator
    _observe("next_h on random inputs", lambda: rnn_step_forward(*_args)[0], points=1)
    # two ways to earn the point: with the student's own step function, or with a probe
    # step (not the answer) swapped in, so a wrong step costs only its own test
    _observe("h of rnn_forward", lambda: rnn_forward(*_seq)[0],
             lambda: _with_probe(lambda: rnn_forward(*_seq)[0]), points=1)

Values may be numbers, strings, booleans, None, NumPy arrays, torch tensors and lists,
tuples and dicts of them. Everything else is reported as an error for that observation.
"""

from __future__ import annotations

import base64
import contextlib
import sys
import traceback

MIME = "application/vnd.dlcourse.observation+json"
MAX_BYTES = 64 << 20  # largest encoded value of one observation

# Captured when the kernel starts, before any student code: a student's rebinding of a
# builtin must not change how values are encoded (it can only hurt their own values).
_callable, _isinstance, _len, _type, _str, _repr = callable, isinstance, len, type, str, repr
_float, _int, _bool, _list, _tuple, _dict = float, int, bool, list, tuple, dict

_state = {"recording": False}


def recording(on: bool | None = None) -> bool:
    """Whether this kernel runs the reference (set by the grader before any cell)."""
    if on is not None:
        _state["recording"] = _bool(on)
    return _state["recording"]


def observe(name: str, *computes, points: float, judge: str = "close", reference=None,
            calls: bool = False, **params) -> None:
    """Hand the grader the result of each `compute()` under `name`.

    Several computes are alternatives: the grader awards `points` when any of them matches
    the reference run's result of the same alternative. A compute may also be a plain value.
    `judge` names how to compare ('close': dtype-sized absolute plus relative tolerance,
    'exact', 'same_set', 'within', or a judge of the assignment's `judges.py`); `params` go
    to the judge. `reference`, if given, is what the reference run observes instead of
    the first compute (for example the same call in float64). `calls=True` also reports
    which torch operators each compute dispatched (for judges that check the method)."""
    if not computes:
        raise TypeError("observe needs at least one compute")
    spec = {"points": _float(points), "judge": _str(judge), "params": params} if recording() else {}
    for alternative, compute in enumerate(computes):
        if alternative == 0 and reference is not None and recording():
            compute = reference
        payload = {"name": _str(name), "alternative": alternative, **spec}
        payload.update(_evaluate(compute, calls))
        _publish(payload)


def _evaluate(compute, calls: bool) -> dict:
    counter = _OpCounter() if calls else None
    try:
        with (counter if counter is not None else contextlib.nullcontext()):
            value = compute() if _callable(compute) else compute
        encoded = encode(value)
    except BaseException as error:  # noqa: BLE001 - a student's error is an observation, not a crash
        if _isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        return {"error": _describe(error)}
    size = _size(encoded)
    if size > MAX_BYTES:
        return {"error": f"the result is too large to hand to the grader ({size >> 20} MB)"}
    out = {"value": encoded}
    if counter is not None:
        out["calls"] = counter.counts
    return out


def _size(encoded) -> int:
    """Bytes of array data in an encoded value (what makes an observation large)."""
    if _type(encoded) is _dict:
        if "__array__" in encoded:
            return _len(encoded["__array__"])
        return sum(_size(v) for v in encoded.values() if _type(v) in (_dict, _list))
    if _type(encoded) is _list:
        return sum(_size(v) for v in encoded)
    return 0


def _describe(error: BaseException) -> str:
    kind = _type(error).__name__
    try:
        text = _str(error)
    except Exception:  # noqa: BLE001
        text = ""
    where = ""
    try:  # the innermost frame of the student's code, so the message says where it failed
        frames = [f for f in traceback.extract_tb(error.__traceback__) if "observe.py" not in f.filename]
        if frames:
            where = f" (in {frames[-1].name}, line {frames[-1].lineno})"
    except Exception:  # noqa: BLE001
        pass
    return f"{kind}: {text}{where}"[:2000] if text else f"{kind}{where}"


def encode(value, depth: int = 0):
    """A JSON-ready form of `value` that the grader decodes without running any code."""
    if depth > 20:
        raise ValueError("the result is nested too deeply")
    if value is None or _type(value) in (_bool, _str):
        return value
    if _type(value) is _int:
        return value if -(2 ** 62) < value < 2 ** 62 else {"__float__": _repr(_float(value))}
    if _type(value) is _float:
        return {"__float__": _repr(value)}
    torch = sys.modules.get("torch")
    if torch is not None and _isinstance(value, torch.Size):
        return {"__seq__": [_int(v) for v in value], "type": "tuple"}
    if torch is not None and _isinstance(value, torch.Tensor):
        return _tensor(value, torch)
    np = sys.modules.get("numpy")
    if np is not None and _isinstance(value, (np.ndarray, np.generic)):
        return _array(np.asarray(value), "numpy")
    if _type(value) in (_list, _tuple):
        return {"__seq__": [encode(v, depth + 1) for v in value], "type": _type(value).__name__}
    if _type(value) is _dict:
        return {"__map__": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if _isinstance(value, (_bool, _int, _float, _str)):  # subclasses (numpy bools are handled above)
        return encode(_type(value).__mro__[-2](value), depth + 1)
    raise TypeError(f"a {_type(value).__name__} is not something the grader can compare "
                    "(expected numbers, arrays, tensors, or lists, tuples and dicts of them)")


def _tensor(value, torch):
    t = value.detach()
    if t.is_sparse:
        t = t.to_dense()
    device = t.device.type
    dtype = _str(t.dtype).replace("torch.", "")
    if t.dtype == torch.bfloat16:
        t = t.float()
    encoded = _array(t.cpu().contiguous().numpy(), "torch")
    encoded["dtype_name"], encoded["device"] = dtype, device
    return encoded


def _array(a, kind: str) -> dict:
    if a.dtype.kind not in "biufc":
        raise TypeError(f"an array of {a.dtype} is not something the grader can compare")
    a = a.astype(a.dtype.newbyteorder("<"), copy=False)
    return {"__array__": base64.b64encode(a.tobytes(order="C")).decode("ascii"), "dtype": a.dtype.str,
            "dtype_name": a.dtype.name, "shape": [_int(n) for n in a.shape], "kind": kind}


def _publish(payload: dict) -> None:
    from IPython.display import publish_display_data

    label = f"[observed for the grader: {payload['name']}]"
    publish_display_data({MIME: payload, "text/plain": label})


@contextlib.contextmanager
def substituted(namespace: dict, **functions):
    """Within the block, `namespace[name]` is `functions[name]` (restored after): the way
    a test runs a student's function on top of probe versions of the functions it calls."""
    missing = object()
    saved = {name: namespace.get(name, missing) for name in functions}
    namespace.update(functions)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


class _OpCounter:
    """Counts the torch operators dispatched inside the block (aten names: 'topk', 'sort')."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self._mode = None

    def __enter__(self):
        torch = sys.modules.get("torch")
        if torch is None:
            return self
        from torch.utils._python_dispatch import TorchDispatchMode

        counts = self.counts

        class _Mode(TorchDispatchMode):
            def __torch_dispatch__(self, func, types, args=(), kwargs=None):
                name = func._overloadpacket.__name__
                counts[name] = counts.get(name, 0) + 1
                return func(*args, **(kwargs or {}))

        self._mode = _Mode()
        self._mode.__enter__()
        return self

    def __exit__(self, *exc):
        if self._mode is not None:
            self._mode.__exit__(*exc)
        return False

