"""rel_error and finite-difference gradients."""

import numpy as np
import pytest

from helpers import eval_numerical_gradient, eval_numerical_gradient_array, rel_error


def test_rel_error():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert rel_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)
    with pytest.raises(ValueError, match="shapes differ"):
        rel_error(np.zeros(2), np.zeros(3))


def test_scalar_function_gradient_matches_calculus_and_restores_x():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    saved = x.copy()
    grad = eval_numerical_gradient(lambda v: float(np.sum(v ** 3)), x)
    assert rel_error(grad, 3 * x ** 2) < 1e-7
    assert np.array_equal(x, saved)


def test_array_function_gradient_is_the_vector_jacobian_product():
    rng = np.random.default_rng(1)
    x, w, df = rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    grad = eval_numerical_gradient_array(lambda v: v @ w, x, df)
    assert rel_error(grad, df @ w.T) < 1e-8


def test_bad_inputs():
    with pytest.raises(TypeError, match="floating-point"):
        eval_numerical_gradient(lambda v: 0.0, np.arange(3))
    with pytest.raises(ValueError, match="contiguous"):
        eval_numerical_gradient(lambda v: 0.0, np.zeros((4, 4))[::2, :3])
