"""The demo's partly-right hw1 student: exercise 1 right, a sign error in p3, autograd unfinished.

`PARTLY` = (student id, {notebook: {answer grade_id: new source, or (old, new) in the
reference}}, notebooks not handed in); read by `examples/make_submissions.py`.
"""

POWER_RULE = '''
def p1(x):
    return 4 * x**3 - 6 * x**2 + 6 * x - 4


def p2(x):
    return 12 * x**2 - 12 * x + 6


def p3(x):
    return 24 * x + 12


def p4(x):
    return 24 * torch.ones_like(x)
'''.strip()

AUTOGRAD = '''
def derivatives(f, x, order):
    # TODO: I ran out of time here.
    return [torch.zeros_like(x) for _ in range(order)]


x = torch.linspace(-2.0, 3.0, 100)
y = polynomial(x)
dy_dx, d2y_dx, d3y_dx, d4y_dx = derivatives(polynomial, x, 4)
'''.strip()

PARTLY = ("partly_wrong", {"hw1_foundations.ipynb": {"power_rule": POWER_RULE, "autograd": AUTOGRAD}}, ())
