"""Pictures for the SimCLR assignment: augmented views, probe accuracies, the temperature explorer."""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from matplotlib.figure import Figure
from PIL import Image

from helpers.simclr.data import unnormalize


def image_strip(images: np.ndarray, scale: int = 3) -> Image.Image:
    """uint8 images (N, H, W, 3) side by side, 2 white pixels apart, enlarged `scale` times."""
    tiles = [np.pad(np.asarray(img), ((0, 0), (0, 2), (0, 0)), constant_values=255) for img in images]
    strip = Image.fromarray(np.concatenate(tiles, axis=1).astype(np.uint8))
    return strip.resize((strip.width * scale, strip.height * scale), Image.Resampling.NEAREST)


def view_strip(views: list[torch.Tensor], scale: int = 3) -> Image.Image:
    """Normalized views (3, H, W), as the transforms make them, shown like `image_strip`."""
    pixels = [np.rint(255 * unnormalize(v).permute(1, 2, 0).numpy()).astype(np.uint8) for v in views]
    return image_strip(pixels, scale)


def accuracy_plot(ax, curves: dict[str, list[float]], title: str = "Linear probe: test top-1 accuracy") -> None:
    """One line per named curve of per-epoch accuracies (in %)."""
    for label, acc in curves.items():
        ax.plot(range(1, len(acc) + 1), acc, marker="o", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("top-1 accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()


def _positive_mask(n2: int) -> np.ndarray:
    n = n2 // 2
    mask = np.zeros((n2, n2), dtype=bool)
    mask[np.arange(n), np.arange(n) + n] = mask[np.arange(n) + n, np.arange(n)] = True
    return mask


def temperature_plot(fig: Figure, tau: float = 0.5, z_left: torch.Tensor | None = None,
                     z_right: torch.Tensor | None = None, loss_fn: Callable | None = None) -> None:
    """Cosine similarities of a batch's 2N views, and the softmax over each row at temperature tau."""
    fig.clear()
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    z = torch.cat([z_left, z_right]).double()
    z = z / z.norm(dim=1, keepdim=True)
    sims = (z @ z.T).numpy()
    n2 = len(sims)
    logits = np.where(np.eye(n2, dtype=bool), -np.inf, sims / tau)
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    left.imshow(sims, cmap="coolwarm", vmin=-1, vmax=1)
    left.set_title("sim(z_i, z_k)")
    right.imshow(probs, cmap="viridis", vmin=0, vmax=1)
    rows, cols = np.nonzero(_positive_mask(n2))
    for ax in (left, right):
        ax.scatter(cols, rows, marker="s", s=30, facecolors="none", edgecolors="white", linewidths=1.0)
        ax.set_xticks([])
        ax.set_yticks([])
    on_positive = probs[_positive_mask(n2)].mean()
    right.set_title(f"softmax over k != i (tau = {tau:.2f})\nweight on the positive: {on_positive:.2f}")
    if loss_fn is not None:
        loss = float(loss_fn(z_left.double(), z_right.double(), tau))
        fig.suptitle(f"SimCLR loss at tau = {tau:.2f}: {loss:.3f}   (chance level: log(2N - 1) = {np.log(n2 - 1):.3f})",
                     y=0.98)
    fig.subplots_adjust(top=0.78, bottom=0.03, wspace=0.15)
