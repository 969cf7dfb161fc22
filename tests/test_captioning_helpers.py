"""Support code of the captioning notebooks: update rules, temporal layers, solvers."""

import numpy as np
import pytest
import torch

from helpers import eval_numerical_gradient, eval_numerical_gradient_array, rel_error
from helpers.captioning.solver import CaptioningSolver, TransformerSolver
from helpers.captioning.optim import adam, sgd, sgd_momentum
from helpers.captioning.temporal_layers import temporal_affine_backward, temporal_affine_forward, temporal_softmax_loss


def test_sgd_and_momentum_steps():
    w, dw = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    assert np.allclose(sgd(w, dw, {"learning_rate": 0.1})[0], [0.95, -2.05])
    config = {"learning_rate": 0.1, "momentum": 0.9}
    w1, config = sgd_momentum(w, dw, config)
    w2, _ = sgd_momentum(w1, dw, config)
    assert np.allclose(w1, w - 0.05) and np.allclose(w2, w1 - 0.05 * 1.9)


def test_adam_first_step_moves_each_weight_by_the_learning_rate():
    w, dw = np.array([1.0, -2.0, 3.0]), np.array([10.0, -0.001, 3.0])
    new, config = adam(w, dw, {"learning_rate": 0.01})
    assert np.allclose(new, w - 0.01 * np.sign(dw), atol=1e-6) and config["t"] == 1


def test_adam_minimises_a_quadratic():
    w, config = np.array([5.0, -3.0]), {"learning_rate": 0.1}
    for _ in range(500):
        w, config = adam(w, 2 * w, config)
    assert np.abs(w).max() < 1e-2


def test_temporal_affine_gradients():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(4, 5)), rng.normal(size=5)
    out, cache = temporal_affine_forward(x, w, b)
    upstream = rng.normal(size=out.shape)
    for value, analytic in zip([x, w, b], temporal_affine_backward(upstream, cache)):
        numeric = eval_numerical_gradient_array(lambda _: temporal_affine_forward(x, w, b)[0], value, upstream)
        assert rel_error(numeric, analytic) < 1e-8


def test_temporal_softmax_loss_values_mask_and_gradient():
    rng = np.random.default_rng(1)
    uniform = np.zeros((50, 4, 10))
    targets = rng.integers(10, size=(50, 4))
    assert temporal_softmax_loss(uniform, targets, np.ones((50, 4), bool))[0] == pytest.approx(4 * np.log(10))
    assert temporal_softmax_loss(uniform, targets, np.zeros((50, 4), bool))[0] == 0.0
    x, mask = rng.normal(size=(5, 6, 7)), rng.random((5, 6)) > 0.5
    y = rng.integers(7, size=(5, 6))
    loss, dx = temporal_softmax_loss(x, y, mask)
    assert np.all(dx[~mask] == 0)
    numeric = eval_numerical_gradient(lambda z: temporal_softmax_loss(z, y, mask)[0], x)
    assert rel_error(numeric, dx) < 1e-7


def _toy_data(n=40, v=6, t=5, d=8, seed=0):
    rng = np.random.default_rng(seed)
    captions = rng.integers(1, v, size=(n, t)).astype(np.int32)
    return {"train_captions": captions, "train_image_idxes": np.arange(n, dtype=np.int32),
            "train_features": rng.normal(size=(n, d)).astype(np.float32),
            "train_urls": np.array([f"u{i}" for i in range(n)]),
            "word_to_idx": {"<NULL>": 0, **{f"w{i}": i for i in range(1, v)}}}


class _BagOfWords:
    """A numpy model whose loss is a softmax regression of every caption word on the features."""

    def __init__(self, d, v):
        self.params = {"W": np.zeros((d, v))}

    def loss(self, features, captions):
        n, t = captions.shape
        scores = np.repeat((features @ self.params["W"])[:, None], t, axis=1)
        loss, dscores = temporal_softmax_loss(scores, captions, captions != 0)
        return loss, {"W": features.T @ dscores.sum(axis=1)}


def test_captioning_solver_trains_and_decays_the_learning_rate(capsys):
    data = _toy_data()
    np.random.seed(0)
    solver = CaptioningSolver(_BagOfWords(8, 6), data, update_rule="adam", optim_config={"learning_rate": 0.05},
                              lr_decay=0.5, batch_size=10, num_epochs=3, print_every=5)
    history = solver.train()
    assert len(history) == 12 and history[-1] < history[0]
    assert solver.configs["W"]["learning_rate"] == pytest.approx(0.05 * 0.5 ** 3)
    assert "(Iteration 1 / 12) loss:" in capsys.readouterr().out
    with pytest.raises(ValueError, match="unknown update_rule 'rmsprop'"):
        CaptioningSolver(_BagOfWords(8, 6), data, update_rule="rmsprop")


class _NextWord(torch.nn.Module):
    def __init__(self, d, v):
        super().__init__()
        self.embed, self.image = torch.nn.Embedding(v, 16), torch.nn.Linear(d, 16)
        self.out = torch.nn.Linear(16, v)

    def forward(self, features, captions):
        return self.out(torch.tanh(self.embed(captions) + self.image(features)[:, None]))


def test_transformer_solver_ignores_padding_and_learns():
    torch.manual_seed(0)
    np.random.seed(0)
    data = _toy_data(n=20)
    data["train_captions"][:, 3:] = 0  # padding after three words
    solver = TransformerSolver(_NextWord(8, 6), data, learning_rate=0.05, batch_size=20, num_epochs=60, verbose=False)
    history = solver.train()
    assert len(history) == 60 and history[-1] < 0.2 * history[0]
    assert not solver.model.training
