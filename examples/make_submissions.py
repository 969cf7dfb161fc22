"""Regenerate the demo's example submissions from the source and release notebooks.

    python examples/make_submissions.py

Each assignment gets three students under `examples/submissions/<assignment>/`: `correct`
wrote the reference answers and `blank` handed in the release untouched. In
hw1_foundations, `partly_wrong` got exercise 1 right, made a sign error in p3 and did not
finish the autograd function. In hw3_captioning, `partly_done` forgot to add up the weight
gradients over time in rnn_backward, skipped the extra-credit LSTM notebook, and left the
scaling out of attention.
"""

from pathlib import Path

import nbformat

from autograder.testing import reference_submission, replace_cells, write_submission

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "submissions"

PARTLY_WRONG = {
    "power_rule": '''
def p1(x):
    return 4 * x**3 - 6 * x**2 + 6 * x - 4


def p2(x):
    return 12 * x**2 - 12 * x + 6


def p3(x):
    return 24 * x + 12


def p4(x):
    return 24 * torch.ones_like(x)
'''.strip(),
    "autograd": '''
def derivatives(f, x, order):
    # TODO: I ran out of time here.
    return [torch.zeros_like(x) for _ in range(order)]


x = torch.linspace(-2.0, 3.0, 100)
y = polynomial(x)
dy_dx, d2y_dx, d3y_dx, d4y_dx = derivatives(polynomial, x, 4)
'''.strip(),
}




def _edited(reference, cell: str, old: str, new: str) -> str:
    source = next(c.source for c in reference.cells if c.metadata.get("nbgrader", {}).get("grade_id") == cell)
    assert old in source, f"{old!r} is not in {cell}"
    return source.replace(old, new)


def _write(assignment: str, partly: str, edits: dict[str, dict[str, tuple[str, str]]], skip: set[str]) -> None:
    """correct, blank and `partly` for one assignment; `edits` maps a notebook to the
    answer cells it rewrites ({grade_id: (old, new)}), `skip` lists notebooks `partly` left out."""
    out = OUT / assignment
    for source in sorted((ROOT / "source" / assignment).glob("*.ipynb")):
        name = source.name
        reference = reference_submission(source)
        write_submission(reference, out, "correct", name)
        write_submission(nbformat.read(ROOT / "release" / assignment / name, as_version=4), out, "blank", name)
        if name in skip:
            continue
        changes = {cell: _edited(reference, cell, *pair) for cell, pair in edits.get(name, {}).items()}
        write_submission(replace_cells(reference, changes), out, partly, name)


def main() -> None:
    hw1 = ROOT / "source" / "hw1_foundations" / "hw1_foundations.ipynb"
    reference = reference_submission(hw1)
    out = OUT / "hw1_foundations"
    write_submission(reference, out, "correct", hw1.name)
    write_submission(nbformat.read(ROOT / "release" / "hw1_foundations" / hw1.name, as_version=4), out, "blank", hw1.name)
    write_submission(replace_cells(reference, PARTLY_WRONG), out, "partly_wrong", hw1.name)
    _write("hw3_captioning", "partly_done", {
        "rnn_captioning.ipynb": {"rnn_backward": ("dWx += dWx_t", "dWx = dWx_t")},
        "transformer_captioning.ipynb": {"multi_head_attention": (" / math.sqrt(d)", "")},
    }, skip={"lstm_captioning.ipynb"})
    print(f"wrote the example submissions under {OUT}")


if __name__ == "__main__":
    main()
