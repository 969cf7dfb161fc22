"""Kernel-side guard: put back what student code may have patched before a test runs.

`launcher.become_kernel` calls `install()` in the fresh kernel process, which imports the
guarded libraries and keeps `restore()` under a random name in `builtins`. The executor
calls it once, silently, as soon as the kernel is up and before any notebook cell: that
first call snapshots what tests and their verdicts rely on (builtins such as `print`,
`sys.excepthook`, `sys.stdout`, IPython's traceback display, event hooks and transformers,
numpy's and torch's comparison functions, the course's `helpers`). After each instructor
cell the executor tells it which names that cell bound (`keep=`), and at the start which
names are the student's answers (`answers=`). Before each test cell the executor calls it
again, silently (which fires no IPython events), so a submission that monkeypatched any of
them, rebound an instructor name (`rel_error = lambda *a: 0.0`, `np = ...`) or shadowed a
builtin (`len = ...`) is tested against the originals.

The guard keeps honest-but-messy notebooks gradable; it is not what makes a verdict safe.
Verdicts are decided in the grader's process from observations (see `observe` and
`autograder.judging`), so a notebook that defeats the guard can only spoil its own
results. It also hides hidden tests after they ran: `mark=True` before a hidden block and
`purge=[names]` after it remove the block's names and its source from linecache.
"""

from __future__ import annotations

import builtins
import importlib
import linecache
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
    for name in ("numpy", "torch", "helpers", "IPython", "autograder.sandbox.observe"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    name = "_grader_restore_" + secrets.token_hex(8)
    snapshots: list[dict[str, Any]] = []
    kept: dict[str, Any] = {}  # names instructor cells bound, with the values they gave them
    student_names: set[str] = set()  # names the student's answer cells are meant to bind

    lines_before: set[str] = set()

    def restore(keep: list[str] | None = None, answers: list[str] | None = None, seed: int | None = None,
                record: bool = False, mark: bool = False, purge: list[str] | None = None) -> None:
        """No arguments: the first call snapshots, later calls restore. `keep=[names]`:
        remember the notebook's current values of these names (after an instructor cell);
        `answers=[names]`: these names belong to the student and are never touched
        (`record=True` with them: this kernel runs the reference); `seed=N`: seed Python's,
        NumPy's and torch's generators (before every cell); `mark=True` before a hidden
        block and `purge=[names]` after it: forget the block (its names, its source)."""
        if seed is not None:
            _seed_generators(seed)
        elif mark:
            lines_before.clear()
            lines_before.update(linecache.cache)
        elif purge is not None:
            ns = _user_ns()
            for key in purge:
                ns.pop(key, None)
            for key in [k for k in list(linecache.cache) if k not in lines_before]:
                linecache.cache.pop(key, None)
        elif answers is not None:
            student_names.update(answers)
            if record:
                from autograder.sandbox import observe

                observe.recording(True)
        elif keep is not None:
            ns = _user_ns()
            kept.update({k: ns[k] for k in keep if k in ns})
        elif not snapshots:
            snapshots.append(_take_snapshot())
        else:
            _apply_snapshot(snapshots[0])
            _restore_names(snapshots[0], kept, student_names)

    setattr(builtins, name, restore)
    return name


def _seed_generators(seed: int) -> None:
    """The same random numbers for the same cell on every grading run of a hand-in."""
    import random

    random.seed(seed)
    for name in ("numpy", "torch"):
        module = sys.modules.get(name)
        if module is not None:
            (module.random.seed if name == "numpy" else module.manual_seed)(seed)


def _user_ns() -> dict[str, Any]:
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def _restore_names(snap: dict[str, Any], kept: dict[str, Any], answers: set[str]) -> None:
    """Put back the names instructor cells bound, and undo the shadowing of builtins
    (`len = ...` in the notebook), except for the student's own answer names."""
    ns = _user_ns()
    for key, value in kept.items():
        if key not in answers:
            ns[key] = value
    for key in [k for k in ns if k in snap["builtins"] and not k.startswith("__")]:
        if key in answers or key in kept:
            continue
        if key in snap["user_ns_builtins"]:
            ns[key] = snap["user_ns_builtins"][key]  # IPython's own (exit, quit, ...)
        else:
            del ns[key]


def _take_snapshot() -> dict[str, Any]:
    ns = _user_ns()
    snap: dict[str, Any] = {
        "user_ns_builtins": {k: v for k, v in ns.items() if k in vars(builtins) and not k.startswith("__")},
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
