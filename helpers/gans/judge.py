"""How good are generated digits? A frozen MNIST classifier gives its opinion.

A sample counts as *confident* when the classifier of `helpers.models.mnist_classifier`
puts more than `threshold` of its softmax on one digit: blobs, smudges and hybrids of two
digits rarely get there, clear digits usually do. The digits that confident samples fall
into show whether the generator covers the data or has collapsed onto a few modes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class Judgement:
    """The classifier's verdict on a batch of generated images."""

    n: int  # images judged
    confident_share: float  # share of images whose top class has probability > threshold
    counts: tuple[int, ...]  # confident images per digit 0..9
    min_count: int  # confident images a digit needs to count as present

    @property
    def digits(self) -> tuple[int, ...]:
        """The digits with at least `min_count` confident images."""
        return tuple(d for d, c in enumerate(self.counts) if c >= self.min_count)

    def __str__(self) -> str:
        per_digit = ", ".join(f"{d}: {c}" for d, c in enumerate(self.counts))
        return (f"{self.confident_share:.1%} of {self.n} samples are confident digits; "
                f"{len(self.digits)} different digits appear at least {self.min_count} times ({per_digit})")


def judge_images(images: torch.Tensor, threshold: float = 0.9, min_count: int = 5) -> Judgement:
    """Judge images in [-1, 1], shaped (N, 784), (N, 28, 28) or (N, 1, 28, 28)."""
    from helpers.models.mnist_classifier import mnist_classifier

    images = torch.as_tensor(images).detach()
    classifier = mnist_classifier(device=images.device)
    unit = ((images.float().reshape(len(images), 1, 28, 28) + 1.0) / 2.0).clamp(0.0, 1.0)
    with torch.no_grad():
        probs = classifier(classifier.preprocess(unit)).softmax(dim=1)
    top, label = probs.max(dim=1)
    confident = top > threshold
    counts = torch.bincount(label[confident].cpu(), minlength=10)
    return Judgement(len(images), float(confident.float().mean()), tuple(int(c) for c in counts), min_count)


def uniform_noise(n: int, dim: int = 96, seed: int = 0) -> torch.Tensor:
    """`n` noise vectors drawn uniformly from [-1, 1) with their own `seed` (float32, CPU),
    leaving torch's global random numbers alone."""
    noise = torch.rand(n, dim, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    return (2.0 * noise - 1.0).float()


def generate(G: nn.Module, noise: torch.Tensor) -> torch.Tensor:
    """What `G` makes of `noise`, in one batch, without gradients.

    `G` runs on a copy in its current mode (the batch-norm layers of a generator that is
    still training use the statistics of this batch), so `G` itself, running statistics
    included, is left as it was."""
    param = next(G.parameters())
    with torch.no_grad():
        return copy.deepcopy(G)(noise.to(device=param.device, dtype=param.dtype))


def judge_generator(G: nn.Module, n: int = 1000, noise_dim: int = 96, seed: int = 0,
                    threshold: float = 0.9, min_count: int = 5) -> Judgement:
    """Judge what `G` makes of `n` noise vectors of `uniform_noise` (see `judge_images`)."""
    return judge_images(generate(G, uniform_noise(n, noise_dim, seed)), threshold, min_count)
