"""Kernel-side guard: put back what student code may have patched before a test runs.

`launcher.become_kernel` calls `install()` in the fresh kernel process, which imports the
guarded libraries and keeps `restore()` under a random name in `builtins`. The executor
calls it once, silently, as soon as the kernel is up and before any notebook cell: that
first call snapshots what tests and their verdicts rely on (builtins such as `print`,
`sys.excepthook`, `sys.stdout`, IPython's traceback display, event hooks and transformers,
numpy's and torch's comparison functions, the course's `helpers`). Before each test cell
the executor calls it again, silently (which fires no IPython events), so a submission
that monkeypatched any of them is tested against the originals.

This defeats the patches students actually try. Code that rewrites the interpreter
itself (audit hooks, ctypes) is beyond any in-process guard; the executor's end-of-cell
token (see `autograder.executor`) still turns a test that did not finish into a failure.
"""

from __future__ import annotations

import builtins
import importlib
import secrets
import sys
from typing import Any

_GUARDED_MODULES = {
    "numpy": ("allclose", "isclose", "array_equal", "array_equiv", "all", "any", "testing"),
    "numpy.testing": ("assert_allclose", "assert_array_equal", "assert_equal", "assert_almost_equal"),
    "torch": ("allclose", "isclose", "equal", "all", "any", "testing", "Tensor"),
    "torch.testing": ("assert_close",),
    "math": ("isclose",),
}
_TENSOR_METHODS = ("allclose", "isclose", "equal", "all", "any", "item", "tolist", "__eq__", "__bool__")


def install() -> str:
    """Snapshot the originals in this (fresh) process; return the builtins name of restore()."""
    for name in ("numpy", "torch", "helpers", "IPython"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    name = "_grader_restore_" + secrets.token_hex(8)
    snapshots: list[dict[str, Any]] = []

    def restore() -> None:
        if not snapshots:
            snapshots.append(_take_snapshot())
        else:
            _apply_snapshot(snapshots[0])

    setattr(builtins, name, restore)
    return name


def _take_snapshot() -> dict[str, Any]:
    snap: dict[str, Any] = {
        "builtins": dict(vars(builtins)),
        "sys": {k: getattr(sys, k) for k in ("excepthook", "displayhook", "stdout", "stderr", "stdin")},
        "modules": {},
        "tensor": {},
        "helpers": {},
        "ipython": _ipython_baseline(),
    }
    for module, attrs in _GUARDED_MODULES.items():
        mod = sys.modules.get(module)
        if mod is not None:
            snap["modules"][module] = {a: getattr(mod, a) for a in attrs if hasattr(mod, a)}
    torch = sys.modules.get("torch")
    if torch is not None:
        snap["tensor"] = {m: torch.Tensor.__dict__[m] for m in _TENSOR_METHODS if m in torch.Tensor.__dict__}
    for modname, mod in list(sys.modules.items()):
        if modname == "helpers" or modname.startswith("helpers."):
            snap["helpers"][modname] = {k: v for k, v in vars(mod).items() if callable(v)}
    return snap


def _apply_snapshot(snap: dict[str, Any]) -> None:
    # Builtins: put back every original; drop names student code added on top.
    current = vars(builtins)
    for key in list(current):
        if key not in snap["builtins"]:
            del current[key]
    current.update(snap["builtins"])
    for key, value in snap["sys"].items():
        setattr(sys, key, value)
    sys.settrace(None)
    sys.setprofile(None)
    for module, attrs in snap["modules"].items():
        mod = sys.modules.get(module)
        if mod is not None:
            for attr, value in attrs.items():
                setattr(mod, attr, value)
    torch = sys.modules.get("torch")
    if torch is not None:
        for method, value in snap["tensor"].items():
            setattr(torch.Tensor, method, value)
    for modname, funcs in snap["helpers"].items():
        mod = sys.modules.get(modname)
        if mod is not None:
            for key, value in funcs.items():
                setattr(mod, key, value)
    _restore_ipython(snap)


def _ipython_baseline() -> dict[str, Any] | None:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None:
        return None
    return {
        "callbacks": {event: list(cbs) for event, cbs in shell.events.callbacks.items()},
        "input_transformers_post": list(shell.input_transformers_post),
        "input_transformers_cleanup": list(shell.input_transformer_manager.cleanup_transforms),
        "ast_transformers": list(shell.ast_transformers),
        "class": {k: v for k, v in vars(type(shell)).items() if callable(v)},
    }


def _restore_ipython(snap: dict[str, Any]) -> None:
    """Undo instance-level overrides of the shell (showtraceback, run_cell, ...) and drop
    event callbacks and input/AST transformers that student code registered."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    for attr in ("showtraceback", "showsyntaxerror", "_showtraceback", "run_cell", "run_cell_async",
                 "run_ast_nodes", "run_code", "transform_cell", "showindentationerror", "excepthook"):
        shell.__dict__.pop(attr, None)
    baseline = snap["ipython"]
    if baseline is None:
        return
    for event, cbs in baseline["callbacks"].items():
        shell.events.callbacks[event][:] = cbs
    shell.input_transformers_post[:] = baseline["input_transformers_post"]
    shell.input_transformer_manager.cleanup_transforms[:] = baseline["input_transformers_cleanup"]
    shell.ast_transformers[:] = baseline["ast_transformers"]
    for key, value in baseline["class"].items():
        setattr(type(shell), key, value)
