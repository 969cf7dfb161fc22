"""Grids of generated digits."""

from __future__ import annotations

import math

import numpy as np
import torch


def _as_array(images) -> np.ndarray:
    """Flat (N, 784), (N, 28, 28) or (N, 1, 28, 28) images in [-1, 1] -> (N, 28, 28) in [0, 1]."""
    if torch.is_tensor(images):
        images = images.detach().float().cpu().numpy()
    images = np.asarray(images, dtype=np.float32)
    side = int(round(math.sqrt(images[0].size)))
    return ((images.reshape(len(images), side, side) + 1.0) / 2.0).clip(0.0, 1.0)


def image_grid(images, columns: int | None = None, gap: int = 2) -> np.ndarray:
    """Images in [-1, 1] tiled into one (H, W) array in [0, 1], `columns` to a row
    (default: as square as possible), with a white `gap` of pixels between them."""
    tiles = _as_array(images)
    n, side, _ = tiles.shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    grid = np.ones((rows * (side + gap) - gap, columns * (side + gap) - gap), dtype=np.float32)
    for k, tile in enumerate(tiles):
        r, c = divmod(k, columns)
        grid[r * (side + gap):r * (side + gap) + side, c * (side + gap):c * (side + gap) + side] = tile
    return grid


def show_images(images, columns: int | None = None, title: str | None = None, size: float = 3.0):
    """Show generated (or real) digits in [-1, 1] as one grid with matplotlib."""
    import matplotlib.pyplot as plt

    grid = image_grid(images, columns)
    fig, ax = plt.subplots(figsize=(size, size * grid.shape[0] / grid.shape[1]))
    ax.imshow(grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=9)
    plt.show()
