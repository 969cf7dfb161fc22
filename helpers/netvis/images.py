"""Implicit regularizers for class visualization: shifting and blurring an image batch."""

from __future__ import annotations

import math

import torch
from torchvision.transforms.functional import gaussian_blur


def jitter(x: torch.Tensor, dx: int, dy: int) -> torch.Tensor:
    """`x` (N, C, H, W) rolled `dx` pixels right and `dy` pixels down, wrapping around;
    `jitter(jitter(x, dx, dy), -dx, -dy)` is `x` again."""
    return torch.roll(x, shifts=(dy, dx), dims=(-2, -1))


@torch.no_grad()
def blur_image(x: torch.Tensor, sigma: float = 0.5) -> torch.Tensor:
    """Blur `x` (N, C, H, W) in place with a Gaussian of standard deviation `sigma` pixels
    (each channel on its own) and return it: this smooths away high-frequency noise."""
    radius = max(1, math.ceil(3 * sigma))
    x.copy_(gaussian_blur(x, kernel_size=[2 * radius + 1] * 2, sigma=[sigma, sigma]))
    return x
