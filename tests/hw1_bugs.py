"""Seeded bugs for hw1_foundations: answer cells (by grade_id) rewritten with a mistake
students really make, and the test cells that must then lose their points."""

_DERIV_CALL = """

x = torch.linspace(-2.0, 3.0, 100)
y = polynomial(x)
dy_dx, d2y_dx, d3y_dx, d4y_dx = derivatives(polynomial, x, 4)
"""


def _knn(body: str) -> str:
    return "def knn(D, X, k=2):\n" + body


def _power(p1="4 * x**3 - 6 * x**2 + 6 * x - 4", p2="12 * x**2 - 12 * x + 6",
           p3="24 * x - 12", p4="torch.full_like(x, 24.0)") -> str:
    return "\n".join(f"def p{i}(x):\n    return {expr}\n" for i, expr in enumerate([p1, p2, p3, p4], 1))


def _derivatives(body: str) -> str:
    return "def derivatives(f, x, order):\n" + body + _DERIV_CALL


_GOOD_LOOP = """    x = x.detach().clone().requires_grad_(True)
    result, current = [], f(x)
    for _ in range(order):
        (current,) = torch.autograd.grad(current.sum(), x, create_graph=True)
        result.append(current)
    return result
"""

KNN_TESTS = {"test_knn_example", "test_knn_more"}

# name -> (answers, test cells that must score zero)
CASES = {
    # --- Exercise 1: knn
    "knn_wrong_axis": ({"knn": _knn(
        "    d = (X[:, None, :] - D[None, :, :]).norm(dim=-1)\n"
        "    return d.topk(k, dim=0, largest=False)\n")}, KNN_TESTS),
    "knn_skips_nearest": ({"knn": _knn(
        "    d = (X[:, None, :] - D[None, :, :]).norm(dim=-1)\n"
        "    v, i = d.topk(k + 1, dim=1, largest=False)\n"
        "    return v[:, 1:], i[:, 1:]\n")}, KNN_TESTS),
    "knn_farthest": ({"knn": _knn(
        "    d = (X[:, None, :] - D[None, :, :]).norm(dim=-1)\n"
        "    return d.topk(k, dim=1)\n")}, KNN_TESTS),
    "knn_squared_distances": ({"knn": _knn(
        "    d = ((X[:, None, :] - D[None, :, :]) ** 2).sum(dim=-1)\n"
        "    return d.topk(k, dim=1, largest=False)\n")}, KNN_TESTS),
    "knn_swapped_outputs": ({"knn": _knn(
        "    d = (X[:, None, :] - D[None, :, :]).norm(dim=-1)\n"
        "    v, i = d.topk(k, dim=1, largest=False)\n"
        "    return i, v\n")}, KNN_TESTS),
    # --- Exercise 2: power rule
    "p3_sign_error": ({"power_rule": _power(p3="24 * x + 12")}, {"test_power_rule"}),
    "p4_not_a_batch": ({"power_rule": _power(p4="24")}, {"test_power_rule"}),
    "p2_wrong_coefficient": ({"power_rule": _power(p2="12 * x**2 - 6 * x + 6")}, {"test_power_rule"}),
    # --- Exercise 2: autograd
    "no_create_graph": ({"autograd": _derivatives(
        _GOOD_LOOP.replace(", create_graph=True", ""))}, {"test_autograd"}),
    "grad_of_non_scalar": ({"autograd": _derivatives(
        _GOOD_LOOP.replace("current.sum()", "current"))}, {"test_autograd"}),
    "order_off_by_one": ({"autograd": _derivatives(
        _GOOD_LOOP.replace("range(order)", "range(order + 1)"))}, {"test_autograd"}),
    "detached_between_orders": ({"autograd": _derivatives(
        _GOOD_LOOP.replace("result.append(current)",
                           "result.append(current)\n        current = current.detach().requires_grad_(True)"))},
                                {"test_autograd"}),
    "mutates_callers_x": ({"autograd": _derivatives(
        _GOOD_LOOP.replace("x = x.detach().clone().requires_grad_(True)", "x.requires_grad_(True)"))},
                          {"test_autograd"}),
}

BUGS = {name: answers for name, (answers, _) in CASES.items()}
EXPECTED_FAILURES = {name: failing for name, (_, failing) in CASES.items()}
