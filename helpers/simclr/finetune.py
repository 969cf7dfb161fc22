"""Linear evaluation: a linear classifier trained on frozen encoder features.

The encoder runs once over every image (eval mode, no augmentation); the classifier then
trains on the stored features, so comparing two encoders costs seconds. Features are
standardized with the training set's mean and spread, which puts a random encoder and a
pretrained one on the same footing whatever the scale of their outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from helpers.simclr.data import ImageSet, as_batch


@torch.no_grad()
def extract_features(model: nn.Module, images: np.ndarray, batch_size: int = 500) -> torch.Tensor:
    """h = f(x) for uint8 images (N, 32, 32, 3), as float32 (N, feature_dim) on the CPU."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    out = [model.features(as_batch(images[i:i + batch_size]).to(device)).float().cpu()
           for i in range(0, len(images), batch_size)]
    model.train(was_training)
    return torch.cat(out)


@dataclass
class ProbeResult:
    """Per-epoch top-1 accuracies (in %) of a linear probe; `best` is the highest test accuracy."""

    train_acc: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return max(self.test_acc)

    @property
    def final(self) -> float:
        return self.test_acc[-1]


def _accuracy(classifier: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return 100.0 * (classifier(x).argmax(dim=1) == y).double().mean().item()


def _fitted(train_x: torch.Tensor, train_y, test_x: torch.Tensor, num_classes: int, epochs: int,
            batch_size: int, lr: float, seed: int):
    """Train `nn.Linear(feature_dim, num_classes)` with Adam on standardized features;
    after each epoch, yield (classifier, standardized train_x, standardized test_x)."""
    train_y = torch.as_tensor(train_y, dtype=torch.long)
    mean, std = train_x.mean(dim=0), train_x.std(dim=0) + 1e-6
    train_x, test_x = (train_x - mean) / std, (test_x - mean) / std
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    classifier = nn.Linear(train_x.shape[1], num_classes)
    optimizer = torch.optim.Adam(classifier.parameters(), lr=lr, weight_decay=1e-6)
    for _ in range(epochs):
        for batch in torch.randperm(len(train_x), generator=generator).split(batch_size):
            optimizer.zero_grad()
            F.cross_entropy(classifier(train_x[batch]), train_y[batch]).backward()
            optimizer.step()
        yield classifier, train_x, test_x


def linear_probe(train_x: torch.Tensor, train_y, test_x: torch.Tensor, test_y, num_classes: int = 10,
                 epochs: int = 10, batch_size: int = 128, lr: float = 1e-2, seed: int = 0) -> ProbeResult:
    """Train `nn.Linear(feature_dim, num_classes)` with Adam on standardized features;
    the classifier's initial weights and the batch order follow `seed`."""
    train_y, test_y = torch.as_tensor(train_y, dtype=torch.long), torch.as_tensor(test_y, dtype=torch.long)
    result = ProbeResult()
    for classifier, train_z, test_z in _fitted(train_x, train_y, test_x, num_classes, epochs, batch_size, lr, seed):
        result.train_acc.append(_accuracy(classifier, train_z, train_y))
        result.test_acc.append(_accuracy(classifier, test_z, test_y))
    return result


def evaluate_encoder(model: nn.Module, data: ImageSet, epochs: int = 10, seed: int = 0) -> ProbeResult:
    """Linear evaluation of `model.f`: frozen features of `data`, a linear probe trained on them."""
    train_x = extract_features(model, data.train_images)
    test_x = extract_features(model, data.test_images)
    return linear_probe(train_x, data.train_labels, test_x, data.test_labels, num_classes=len(data.classes),
                        epochs=epochs, seed=seed)


def probe_predictions(model: nn.Module, data: ImageSet, epochs: int = 10, seed: int = 0) -> torch.Tensor:
    """The linear evaluation of `evaluate_encoder` without its test labels: (epochs, N_test)
    int64, the class the probe predicts for each test image after each epoch. Scoring them
    is left to whoever holds the labels (the grader, in full mode)."""
    train_x = extract_features(model, data.train_images)
    test_x = extract_features(model, data.test_images)
    rows = []
    for classifier, _, test_z in _fitted(train_x, data.train_labels, test_x, len(data.classes), epochs=epochs,
                                         batch_size=128, lr=1e-2, seed=seed):
        with torch.no_grad():
            rows.append(classifier(test_z).argmax(dim=1))
    return torch.stack(rows)
