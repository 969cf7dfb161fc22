"""Regenerate the demo's example submissions from the source and release notebooks.

    python examples/make_submissions.py

Three students hand in hw1_foundations: `correct` wrote the reference answers, `blank`
handed in the release untouched, and `partly_wrong` got exercise 1 right, made a sign
error in p3 and did not finish the autograd function.
"""

from pathlib import Path

import nbformat

from autograder.testing import reference_submission, replace_cells, write_submission

ROOT = Path(__file__).resolve().parents[1]
NAME = "hw1_foundations.ipynb"
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


def main() -> None:
    reference = reference_submission(ROOT / "source" / "hw1_foundations" / NAME)
    write_submission(reference, OUT, "correct", NAME)
    write_submission(nbformat.read(ROOT / "release" / "hw1_foundations" / NAME, as_version=4), OUT, "blank", NAME)
    write_submission(replace_cells(reference, PARTLY_WRONG), OUT, "partly_wrong", NAME)
    print(f"wrote 3 submissions under {OUT}")


if __name__ == "__main__":
    main()
