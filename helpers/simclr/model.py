"""SimCLR models: an encoder f, a projection head g, and the pretrained weights of each mode.

`SimCLR(x)` returns the pair (h, z), both scaled to unit length: h = f(x) is the
representation kept for downstream tasks, z = g(h) the vector the contrastive loss sees.
Full mode uses the ResNet-50 of the original CIFAR-10 SimCLR code (3x3 first convolution,
no max-pooling), whose state-dict layout (`f.0 ... f.7`, `g.0 ... g.3`) the course's
pretrained weights have. Sample mode uses a small four-layer CNN whose weights ship with
the assignment (pretrained on the coloured digits by the instructors' script).
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from helpers.device import default_device
from helpers.mode import sample_mode

SAMPLE_WEIGHTS = "simclr_small_encoder.pt"  # shipped in the assignment's folder, beside the notebook


class SimCLR(nn.Module):
    """Encoder `f` (images -> features h) and projection head `g` (h -> z)."""

    def __init__(self, f: nn.Module, feature_dim: int, hidden_dim: int, out_dim: int):
        super().__init__()
        self.f = f
        self.g = nn.Sequential(nn.Linear(feature_dim, hidden_dim, bias=False), nn.BatchNorm1d(hidden_dim),
                               nn.ReLU(inplace=True), nn.Linear(hidden_dim, out_dim, bias=True))
        self.feature_dim, self.out_dim = feature_dim, out_dim

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The representation h = f(x), shape (N, feature_dim), not normalized."""
        return torch.flatten(self.f(x), start_dim=1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.features(x)
        return F.normalize(h, dim=-1), F.normalize(self.g(h), dim=-1)


def resnet50_simclr(out_dim: int = 128) -> SimCLR:
    """The full-mode model: ResNet-50 for 32 x 32 inputs, h of size 2048, z of size `out_dim`."""
    from torchvision.models import resnet50

    parts = []
    for name, module in resnet50(weights=None).named_children():
        if name == "conv1":
            module = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        if name not in ("maxpool", "fc"):
            parts.append(module)
    return SimCLR(nn.Sequential(*parts), 2048, 512, out_dim)


def small_simclr(out_dim: int = 64) -> SimCLR:
    """The sample-mode model: four 3 x 3 convolutions (32, 64, 128, 256 channels; 32 x 32 inputs
    down to 4 x 4), average-pooled into h of size 256."""
    def block(c_in: int, c_out: int, stride: int) -> list[nn.Module]:
        return [nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(c_out),
                nn.ReLU(inplace=True)]

    f = nn.Sequential(*block(3, 32, 2), *block(32, 64, 2), *block(64, 128, 2), *block(128, 256, 1),
                      nn.AdaptiveAvgPool2d(1))
    return SimCLR(f, 256, 128, out_dim)


def simclr_architecture() -> SimCLR:
    """A randomly initialised model of the architecture the current mode uses."""
    return small_simclr() if sample_mode() else resnet50_simclr()


def random_simclr(seed: int = 0, device: str | torch.device | None = None) -> SimCLR:
    """The current mode's architecture with random weights drawn under `seed`: the baseline."""
    torch.manual_seed(seed)
    return simclr_architecture().to(_device(device))


def _device(device: str | torch.device | None) -> torch.device:
    return torch.device(device) if device is not None else default_device()


def _load(model: SimCLR, state: dict[str, torch.Tensor], source: str) -> SimCLR:
    state = {key.removeprefix("module."): value for key, value in state.items()}
    missing = [key for key in model.state_dict() if key.startswith("f.") and key not in state]
    if missing:
        raise ValueError(f"{source} lacks {len(missing)} encoder weights of {type(model).__name__} "
                         f"(e.g. {missing[0]}); is it a SimCLR state dict of this architecture?")
    model.load_state_dict(state, strict=False)  # the original checkpoint may lack the head's extras
    return model


def pretrained_simclr(device: str | torch.device | None = None, download: bool = False) -> SimCLR:
    """Full mode: ResNet-50 with the course's SimCLR weights (about 18 hours of training on
    CIFAR-10), downloaded once into the cache and checked against its pinned SHA-256."""
    from helpers.data import fetch

    path = fetch("simclr_resnet50")
    state = torch.load(path, map_location="cpu", weights_only=True)
    return _load(resnet50_simclr(), state, str(path)).to(_device(device))


def sample_simclr(path: str | Path | None = None, device: str | torch.device | None = None) -> SimCLR:
    """Sample mode: the small CNN with the weights shipped beside the notebook (`SAMPLE_WEIGHTS`)."""
    path = Path(path) if path is not None else Path.cwd() / SAMPLE_WEIGHTS
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the SimCLR assignment ships {SAMPLE_WEIGHTS} in its folder; "
                                "run the notebook from that folder (or pass path=...)")
    state = torch.load(path, map_location="cpu", weights_only=True)
    return _load(small_simclr(), state, str(path)).to(_device(device))
