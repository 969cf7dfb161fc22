"""First-order update rules for numpy models: `w, config = rule(w, dw, config)`.

Each rule reads its hyperparameters from `config` (filling in defaults) and keeps its
running state there too, so a solver holds one config per parameter.
"""

from __future__ import annotations

import numpy as np


def sgd(w: np.ndarray, dw: np.ndarray, config: dict | None = None) -> tuple[np.ndarray, dict]:
    """Plain stochastic gradient descent: w -= learning_rate * dw."""
    config = config if config is not None else {}
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w: np.ndarray, dw: np.ndarray, config: dict | None = None) -> tuple[np.ndarray, dict]:
    """SGD with a velocity that keeps a fraction `momentum` of the previous step."""
    config = config if config is not None else {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def adam(w: np.ndarray, dw: np.ndarray, config: dict | None = None) -> tuple[np.ndarray, dict]:
    """Adam (Kingma & Ba, 2015) with bias-corrected first and second moment estimates."""
    config = config if config is not None else {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    config["t"] += 1
    b1, b2, t = config["beta1"], config["beta2"], config["t"]
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * dw * dw
    m_hat = config["m"] / (1 - b1 ** t)
    v_hat = config["v"] / (1 - b2 ** t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


RULES = {"sgd": sgd, "sgd_momentum": sgd_momentum, "adam": adam}
