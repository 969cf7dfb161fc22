"""Ready-made drawing functions for PlotWidget, shared by the helpers demo notebook, its
browser test and the redraw benchmark: a two-class loss explorer and logic-gate grids."""

from __future__ import annotations

import numpy as np

# Logits z = (s, -s) for a two-class softmax, so p = sigmoid(2s) sweeps (0, 1).
_S = np.linspace(-4, 4, 201)
_P = 1 / (1 + np.exp(-2 * _S))


def _losses(target: float) -> dict[str, np.ndarray]:
    y = np.array([target, 1 - target])[:, None]
    p = np.stack([_P, 1 - _P])
    eps = 1e-12
    return {
        "cross-entropy": -(y * np.log(p + eps)).sum(0),
        "KL divergence": (y * (np.log(y + eps) - np.log(p + eps))).sum(0),
        "squared error": ((p - y) ** 2).sum(0),
    }


def _gradients(target: float) -> dict[str, np.ndarray]:
    """d loss / d s for each loss, with p1 = sigmoid(2s) (dp1/ds = 2 p1 (1 - p1))."""
    dp = 2 * _P * (1 - _P)
    return {
        "cross-entropy": 2 * (_P - target),
        "KL divergence": 2 * (_P - target),
        "squared error": 4 * (_P - target) * dp,
    }


def _draw(fig, curves: dict[str, np.ndarray], shown: dict[str, bool], target: float, title: str, ylabel: str):
    [ax] = fig.axes
    for name, values in curves.items():
        if shown[name]:
            ax.plot(_P, values, label=name)
    ax.axvline(target, color="grey", linestyle=":", label="target y")
    ax.set_xlabel("predicted probability p of class 0")
    ax.set_ylabel(ylabel)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_title(title, y=1.0)  # a fixed position skips matplotlib's costly title placement
    if any(shown.values()):
        ax.legend(loc="upper center", fontsize="small")
    fig.subplots_adjust(left=0.17, right=0.97, bottom=0.16, top=0.9)  # fixed: tight_layout is slow


def loss_plot(fig, target=0.7, cross_entropy=True, kl=True, squared_error=False, grid=False):
    """Each chosen loss against the predicted probability, for a target probability."""
    shown = {"cross-entropy": cross_entropy, "KL divergence": kl, "squared error": squared_error}
    _draw(fig, _losses(target), shown, target, "Loss", "loss")
    fig.axes[0].grid(grid)


def gradient_plot(fig, target=0.7, cross_entropy=True, kl=True, squared_error=False, grid=False):
    """The gradient of each chosen loss with respect to the logit gap s."""
    shown = {"cross-entropy": cross_entropy, "KL divergence": kl, "squared error": squared_error}
    _draw(fig, _gradients(target), shown, target, "Gradient", "d loss / d s")
    fig.axes[0].axhline(0, color="black", linewidth=0.5)
    fig.axes[0].grid(grid)


GATES = {
    "AND": lambda a, b: a and b, "OR": lambda a, b: a or b, "XOR": lambda a, b: a != b,
    "NAND": lambda a, b: not (a and b), "NOR": lambda a, b: not (a or b), "XNOR": lambda a, b: a == b,
    "A": lambda a, b: a, "NOT B": lambda a, b: not b,
}


def gate_plot(fig, gate="AND"):
    """A logic gate's output on the four ±1 inputs: blue for +1, red for -1."""
    fn = GATES[gate]
    grid = np.array([[1 if fn(a > 0, b > 0) else -1 for a in (-1, 1)] for b in (1, -1)])
    [ax] = fig.axes
    ax.imshow(grid, cmap="bwr_r", vmin=-1, vmax=1, extent=(-1.5, 1.5, -1.5, 1.5))
    ax.set_xticks([-0.75, 0.75], ["a=-1", "a=+1"])
    ax.set_yticks([-0.75, 0.75], ["b=-1", "b=+1"])
    ax.set_title(gate)
