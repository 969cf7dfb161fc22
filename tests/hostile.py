"""A hand-in written by a student who has read the grader: it does no work of its own and
tries everything that could earn points without it. It must score no more than the
untouched release on every cell of every assignment (`test_assignments.py`).

Every answer cell keeps the release's stub and then replaces each function it defines
(and each method of each class it defines) with a wrapper that, when a test calls it:

* forges observations: reports, under every string the calling test's code holds (the
  likely observation names), values of its own, before and after the test's report;
* patches during the call: numpy's, torch's and `helpers.checks`' comparisons, the
  tolerances, the test's private helpers in the notebook's globals, `sys.modules`;
* borrows by name: calls any other callable in the notebook's or the callers' globals
  whose name ends with its own name (`_ref_rnn_step_forward`, a probe);
* borrows through gc: the same among every function the garbage collector knows;
* forges the end of a test: prints what looks like tokens from the test's source, calls
  the display hook with 99 and with "all points", silences tracebacks, and sends a
  forged "idle" status;
* and finally returns an object equal to anything.

A cell the student added at the top shadows the guard's names in builtins, hooks the
display hook, wraps the kernel's `session.send` to rewrite every observation and every
result it sends, rebinds the usual private helper names (`_part`, `_observe`), and
swaps modules in `sys.modules`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from autograder.executor import is_answer_cell
from autograder.testing import grade_id, write_submission
from grading import ROOT

PRELUDE = r'''
import builtins as _hb, gc as _hgc, sys as _hsys, types as _htypes, re as _hre
from IPython import get_ipython as _hip
_MIME = "application/vnd.dlcourse.observation+json"


class _Anything:
    """Equal to, smaller and greater than everything; any attribute or call gives itself."""
    def __getattr__(self, name): return self
    def __call__(self, *args, **kwargs): return self
    def __bool__(self): return True
    def __eq__(self, other): return True
    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    def __ne__(self, other): return False
    def __float__(self): return 0.0
    def __int__(self): return 0
    def __index__(self): return 0
    def __len__(self): return 0
    def __iter__(self): return iter(())
    def __getitem__(self, key): return self
    def __hash__(self): return 0
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __abs__ = __neg__ = __call__
    __matmul__ = __rmatmul__ = __pow__ = __rpow__ = __call__


def _hforged_value():
    return {"__float__": "0.0"}


def _hpublish(name, alternative, value):
    try:
        from IPython.display import publish_display_data
        publish_display_data({_MIME: {"name": name, "alternative": alternative, "value": value,
                                      "points": 99, "judge": "within", "params": {}},
                              "text/plain": "forged"})
    except Exception:
        pass


def _hnotebook_frames(frame):
    """The calling frames that run notebook code (the test's), not the kernel's machinery."""
    ns = _hip().user_ns
    while frame is not None:
        if frame.f_globals is ns:
            yield frame
        frame = frame.f_back


def _hstrings(frame):
    """Every short string the calling test's code objects hold: its observation names."""
    found = set()
    for frame in _hnotebook_frames(frame):
        stack = [frame.f_code]
        while stack:
            code = stack.pop()
            for const in code.co_consts:
                if isinstance(const, str) and 0 < len(const) < 200:
                    found.add(const)
                elif hasattr(const, "co_consts"):
                    stack.append(const)
    return found


def _hforge(frame):
    for name in _hstrings(frame):
        for alternative in (0, 1, 2):
            _hpublish(name, alternative, _hforged_value())


def _hpatch(frame):
    """Patch every comparison and helper the test might use, and the test's own helpers."""
    everything = lambda *a, **k: True  # noqa: E731
    for modname in ("numpy", "torch", "math", "numpy.testing", "torch.testing"):
        mod = _hsys.modules.get(modname)
        for attr in ("allclose", "isclose", "array_equal", "equal", "all", "any", "assert_close",
                     "assert_allclose", "assert_array_equal"):
            if mod is not None and hasattr(mod, attr):
                try:
                    setattr(mod, attr, everything)
                except Exception:
                    pass
    checks = _hsys.modules.get("helpers.checks")
    if checks is not None:
        checks.TOLERANCES.update({k: (1e300, 1e300) for k in list(checks.TOLERANCES)})
        checks.assert_close = lambda *a, **k: None
        checks.close_report = lambda *a, **k: ""
    observe = _hsys.modules.get("autograder.sandbox.observe")
    if observe is not None:
        real = observe.encode
        observe.encode = lambda value, depth=0: real(0.0) if depth == 0 else real(value, depth)
    ns = _hip().user_ns
    for key in list(ns):
        if key.startswith("_") and not key.startswith(("__", "_h")) and callable(ns[key]) \
                and not getattr(ns[key], "_hostile", False):
            ns[key] = lambda *a, **k: _Anything()


def _hborrow(name, me, frame, args, kwargs):
    """Call anything else whose name ends with `name`: by name in globals, then through gc."""
    seen = set()
    candidates = [v for k, v in list(_hip().user_ns.items()) if k.endswith(name)]
    for frame in _hnotebook_frames(frame):
        candidates += [v for k, v in list(frame.f_locals.items()) if k.endswith(name)]
    for obj in _hgc.get_objects():  # functions the notebook's code defined, hidden blocks included
        if isinstance(obj, _htypes.FunctionType) and obj.__name__.endswith(name) \
                and obj.__module__ in ("__main__", None):
            candidates.append(obj)
    for candidate in candidates:
        if not callable(candidate) or candidate is me or getattr(candidate, "_hostile", False) \
                or id(candidate) in seen:
            continue
        seen.add(id(candidate))
        try:
            return True, candidate(*args, **kwargs)
        except Exception:
            continue
    return False, None


def _hend_of_test(frame):
    """Print token-like strings from the test's source, results nbgrader might read, and
    a forged idle status."""
    ip = _hip()
    try:
        for text in _hstrings(frame) | set(ip.user_ns.get("In", [])[-1:]):
            for token in _hre.findall(r"[0-9a-f]{32}", str(text)):
                print(token)
        ip.displayhook(99)
        ip.displayhook("all points")
        ip.showtraceback = lambda *a, **k: None
        ip.kernel.session.send(ip.kernel.iopub_socket, "status", {"execution_state": "idle"},
                               parent=ip.parent_header)
    except Exception:
        pass


def _hostile_wrap(stub, name):
    def wrapper(*args, **kwargs):
        frame = _hsys._getframe(1)
        _hforge(frame)
        _hpatch(frame)
        _hend_of_test(frame)
        ok, value = _hborrow(name, wrapper, frame, args, kwargs)
        _hforge(frame)
        return value if ok else _Anything()
    wrapper._hostile = True
    wrapper.__name__ = getattr(stub, "__name__", name)
    return wrapper


def _hostile_class(cls):
    for attr, value in list(vars(cls).items()):
        if callable(value) and not attr.startswith("__"):
            setattr(cls, attr, _hostile_wrap(value, attr))
    return cls


# The environment, before any instructor cell: shadow the guard, hook results and the
# kernel's messages, rebind private helper names, swap modules.
for _hname in list(vars(_hb)):
    if _hname.startswith("_grader_restore_"):
        globals()[_hname] = lambda *a, **k: None
_hipy = _hip()
_hipy.displayhook("all points")
_hipy.displayhook(99)
_hsys.displayhook = lambda value: _hipy.displayhook(99)
_hsession = _hipy.kernel.session
_hsend = _hsession.send


def _hevil_send(stream, msg_or_type, content=None, parent=None, *args, **kwargs):
    try:
        if isinstance(content, dict):
            data = content.get("data", {})
            if _MIME in data and isinstance(data[_MIME], dict):
                data[_MIME].update(value=_hforged_value(), points=99)
            if msg_or_type == "execute_result" and "text/plain" in data:
                data["text/plain"] = "99"
    except Exception:
        pass
    return _hsend(stream, msg_or_type, content, parent, *args, **kwargs)


_hsession.send = _hevil_send
_part = _observe = _compare = _assert_close = _judge = lambda *a, **k: 99
try:
    import helpers.checks as _hchecks
    _hchecks.TOLERANCES.update({k: (1e300, 1e300) for k in list(_hchecks.TOLERANCES)})
    _hfake = _htypes.ModuleType("helpers.checks")
    _hfake.assert_close = lambda *a, **k: None
    _hfake.close_report = lambda *a, **k: ""
    _hfake.tolerance = lambda *a, **k: (1e300, 1e300)
    _hfake.TOLERANCES = {}
    _hsys.modules["helpers.checks"] = _hfake
except Exception:
    pass
'''.strip()


def _defined(source: str) -> tuple[list[str], list[str]]:
    """(functions, classes) an answer cell of the source defines at its top level."""
    tree = ast.parse("\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines()))
    functions = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    return functions, classes


def hostile_notebook(source: Path, release: Path) -> nbformat.NotebookNode:
    """The release with the prelude on top and every answer cell's definitions wrapped."""
    defined = {grade_id(c): _defined(c.source) for c in nbformat.read(source, as_version=4).cells
               if c.cell_type == "code" and is_answer_cell(c)}
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and is_answer_cell(cell) and grade_id(cell) in defined:
            functions, classes = defined[grade_id(cell)]
            wraps = [f"{f} = _hostile_wrap(globals().get({f!r}), {f!r})" for f in functions]
            wraps += [f"{c} = _hostile_class({c})" for c in classes]
            cell.source = cell.source + ("\n" + "\n".join(wraps) if wraps else "")
    nb.cells.insert(0, nbformat.v4.new_code_cell(PRELUDE))
    return nb


def write_hostile(assignment: str, folder: Path, student: str = "hostile") -> None:
    for release in sorted((ROOT / "release" / assignment).glob("*.ipynb")):
        write_submission(hostile_notebook(ROOT / "source" / assignment / release.name, release),
                         folder, student, release.name)
