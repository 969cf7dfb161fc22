"""Integrity flags and near-identical answers: read from the code, never run."""

import nbformat

from autograder.integrity import findings, integrity_notes
from autograder.similarity import normalized, similar_pairs

MODULES = {"np", "torch", "helpers"}


def test_ordinary_answers_raise_no_flag():
    honest = ("def knn(D, X, k):\n    d = torch.cdist(X, D)\n    values, idx = d.topk(k, largest=False)\n"
              "    return values, idx\nmodel.weight.data = torch.zeros(3)\nresults = {}\nresults['a'] = 1")
    assert findings(honest, MODULES) == []


def test_reaching_into_the_grading_run_is_flagged():
    cases = {
        "def f(x):\n    return globals()['_ref_f'](x)": "calls globals()",
        "import gc\nfs = gc.get_objects()": "imports the garbage collector (gc)",
        "import sys\nframe = sys._getframe(1)": "uses sys._getframe",
        "import sys\nsys.modules['helpers.checks'] = None": "uses sys.modules",
        "import inspect": "imports inspect",
        "import ctypes": "imports ctypes",
        "import builtins\nbuiltins.print = None": "imports builtins",
        "get_ipython().displayhook(99)": "calls get_ipython()",
        "np.allclose = lambda *a: True": "changes the module np (np.allclose)",
        "helpers.checks.TOLERANCES['float32'] = (1, 1)": "changes the module helpers",
        "x = f.__globals__": "reads .__globals__",
        "name = '_grader_restore_0a1b'": "mentions the grader's internals ('_grader_restore')",
    }
    for code, expected in cases.items():
        found = findings(code, MODULES)
        assert any(expected in f for f in found), (code, found)


def test_notes_name_the_cell_and_count_stray_observations():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np"),
                                         nbformat.v4.new_code_cell("def f():\n    return globals()")])
    nb.cells[1].metadata["nbgrader"] = {"grade_id": "answer_f", "solution": True}
    notes = integrity_notes(nb, {"stray": 3})
    assert notes[0].startswith("integrity flag: answer_f calls globals()")
    assert "3 observation(s)" in notes[1]
    assert integrity_notes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), {}) == []


ANSWER = '''def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """Given docstring."""
    a = x @ Wx + prev_h @ Wh + b
    next_h = np.tanh(a)
    cache = (x, prev_h, Wx, Wh, next_h)
    return next_h, cache
'''
RENAMED = '''def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """Given docstring."""
    # my own comment
    pre   = x@Wx + prev_h@Wh + b
    h_new = np.tanh(pre)
    stash = (x, prev_h, Wx, Wh, h_new)
    return h_new, stash
'''
OTHER = '''def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """Given docstring."""
    z = np.einsum("nd,dh->nh", x, Wx) + np.einsum("nh,hk->nk", prev_h, Wh)
    out = np.tanh(z + b[None, :])
    return out, {"x": x, "h": prev_h, "Wx": Wx, "Wh": Wh, "out": out}
'''
RELEASE = 'def rnn_step_forward(x, prev_h, Wx, Wh, b):\n    """Given docstring."""\n    raise NotImplementedError()\n'


def test_renamed_and_reformatted_copies_are_paired_and_other_code_is_not():
    assert normalized(ANSWER, RELEASE) == normalized(RENAMED, RELEASE)
    pairs = similar_pairs({"ann": {"step": ANSWER}, "bob": {"step": RENAMED}, "cat": {"step": OTHER}},
                          {"step": RELEASE})
    assert [(p.first, p.second) for p in pairs] == [("ann", "bob")] and pairs[0].score == 1.0


def test_the_release_alone_is_never_similar():
    assert similar_pairs({"ann": {"step": RELEASE}, "bob": {"step": RELEASE}}, {"step": RELEASE}) == []
