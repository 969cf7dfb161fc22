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

from autograder.testing import grade_id, reference_submission, replace_cells, write_submission

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




def _write(assignment: str, partly: str, edits: dict[str, dict[str, str | tuple[str, str]]],
           skip: frozenset[str] = frozenset()) -> None:
    """correct, blank and `partly` for one assignment. `edits` maps a notebook to the answer
    cells `partly` rewrote: {grade_id: new source, or (old, new) replaced in the reference};
    `skip` lists notebooks `partly` did not hand in."""
    out = OUT / assignment
    for source in sorted((ROOT / "source" / assignment).glob("*.ipynb")):
        name = source.name
        reference = reference_submission(source)
        write_submission(reference, out, "correct", name)
        write_submission(nbformat.read(ROOT / "release" / assignment / name, as_version=4), out, "blank", name)
        if name in skip:
            continue
        answers = {grade_id(c): c.source for c in reference.cells}
        changes = {}
        for cell, change in edits.get(name, {}).items():
            if isinstance(change, tuple):
                assert change[0] in answers[cell], f"{change[0]!r} is not in {cell}"
                change = answers[cell].replace(*change)
            changes[cell] = change
        write_submission(replace_cells(reference, changes), out, partly, name)


def main() -> None:
    _write("hw1_foundations", "partly_wrong", {"hw1_foundations.ipynb": PARTLY_WRONG})
    _write("hw3_captioning", "partly_done", {
        "rnn_captioning.ipynb": {"rnn_backward": ("dWx += dWx_t", "dWx = dWx_t")},
        "transformer_captioning.ipynb": {"multi_head_attention": (" / math.sqrt(d)", "")},
    }, skip=frozenset({"lstm_captioning.ipynb"}))
    print(f"wrote the example submissions under {OUT}")


if __name__ == "__main__":
    main()
