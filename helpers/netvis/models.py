"""The frozen classifier the network-visualization homework looks into.

Full mode: torchvision's SqueezeNet 1.1 with its ImageNet weights, read from torch's
hub cache (`$TORCH_HOME/hub/checkpoints/`). Sample mode: the small MNIST CNN of
`helpers.models.mnist_classifier`. Either way the model is frozen, in eval mode, and
carries the same three extras, so notebooks and tests run unchanged:

* `model.preprocess(images)`: uint8 images as the data set stores them -> the (N, C, H, W)
  float tensor the network reads (on the CPU);
* `model.deprocess(x)`: the inverse, pictures in [0, 1] for display ((N, H, W, 3) for
  colour, (N, H, W) for grey);
* `model.class_names`: the name of each class index.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from helpers.device import default_device
from helpers.renormalize import STATS

IMAGENET_MEAN, IMAGENET_STD = (torch.tensor(v).view(1, 3, 1, 1) for v in STATS["imagenet"])


def imagenet_preprocess(images) -> torch.Tensor:
    """uint8 RGB images (N, H, W, 3) or one (H, W, 3) -> ImageNet-normalized (N, 3, H, W) floats."""
    x = torch.as_tensor(np.asarray(images)) if not torch.is_tensor(images) else images.detach().cpu()
    x = x[None] if x.dim() == 3 else x
    x = x.permute(0, 3, 1, 2).float() / 255.0
    return (x - IMAGENET_MEAN) / IMAGENET_STD


def imagenet_deprocess(x: torch.Tensor) -> torch.Tensor:
    """The inverse of `imagenet_preprocess`: pictures (N, H, W, 3) in [0, 1] on the CPU."""
    x = x.detach().cpu().float()
    return (x * IMAGENET_STD + IMAGENET_MEAN).clamp(0, 1).permute(0, 2, 3, 1)


def _weights():
    from torchvision.models import SqueezeNet1_1_Weights

    return SqueezeNet1_1_Weights.IMAGENET1K_V1


def squeezenet_cache_path() -> Path:
    """Where torch keeps the SqueezeNet 1.1 weights: `$TORCH_HOME/hub/checkpoints/squeezenet1_1-b8a52dc0.pth`."""
    return Path(torch.hub.get_dir()) / "checkpoints" / _weights().url.rsplit("/", 1)[-1]


def _frozen(model: nn.Module, preprocess, deprocess, class_names, device) -> nn.Module:
    model.eval().requires_grad_(False)
    model.preprocess, model.deprocess, model.class_names = preprocess, deprocess, tuple(class_names)
    return model.to(torch.device(device) if device is not None else default_device())


def squeezenet_files() -> list[tuple[str, Path]]:
    """The weight file's name and where torch's hub cache keeps it (for the course mirror)."""
    path = squeezenet_cache_path()
    return [(path.name, path)]


def check_hash_prefix(path: Path) -> None:
    """torchvision weight files are named `<name>-<first hex digits of their SHA-256>.pth`:
    raise ChecksumError (and delete the file) when `path`'s SHA-256 does not start with them."""
    import re

    from helpers.data.download import ChecksumError, sha256_of

    from helpers.data.mirror import standin_mirror

    match = re.search(r"-([a-f0-9]+)\.", path.name)
    if match is None:
        return
    if standin_mirror():
        print(f"[stand-in mirror] {path.name}: checked against the mirror's index.json, not its hash prefix")
        return
    digest = sha256_of(path)
    if not digest.startswith(match.group(1)):
        path.unlink()
        raise ChecksumError(f"model 'squeezenet': {path.name} is corrupt or truncated (SHA-256 {digest[:16]}..., its "
                            f"name says it starts with {match.group(1)}); it was deleted, so the next try downloads "
                            "it again (`python -m helpers.data fetch squeezenet`)")


def pretrained_squeezenet(device: str | torch.device | None = None, download: bool = False) -> nn.Module:
    """SqueezeNet 1.1 with its ImageNet weights: from the cache, else downloaded once (by torch,
    or from the course mirror when one is set), checked against the hash prefix in its name.

    Raises NotCachedError (naming the URL, the cache path and the fetch command) when the
    weights are neither cached nor reachable.
    """
    from torchvision.models import squeezenet1_1

    from helpers.data.mirror import data_mirror
    from helpers.models import NotCachedError

    weights, path = _weights(), squeezenet_cache_path()
    if data_mirror() and not path.exists():
        from helpers.data.registry import download_entry_file

        path.unlink(missing_ok=True)
        download_entry_file("squeezenet", weights.url, path)  # a one-line DownloadError names the mirror URL
        check_hash_prefix(path)
    if data_mirror() or (path.exists() and not download):
        state = torch.load(path, map_location="cpu", weights_only=True)
    else:
        try:
            state = weights.get_state_dict(progress=download, check_hash=True)
        except Exception as err:  # no network, a proxy refusing, a truncated file
            raise NotCachedError(
                f"the SqueezeNet 1.1 ImageNet weights are not cached at {path} and could not be downloaded "
                f"from {weights.url}. Fetch them with `python -m helpers.data fetch squeezenet` on a machine "
                f"with network and copy that file here (same TORCH_HOME), or turn on sample mode "
                f"(COURSE_SAMPLE_MODE=1). Cause: {err}") from err
    model = squeezenet1_1(weights=None)
    model.load_state_dict(state)
    return _frozen(model, imagenet_preprocess, imagenet_deprocess, weights.meta["categories"], device)


def sample_squeezenet(device: str | torch.device | None = None) -> nn.Module:
    """Sample mode's stand-in: the course's MNIST classifier (already frozen, with the same extras)."""
    from helpers.models.mnist_classifier import mnist_classifier

    return mnist_classifier(device)


def load_model(device: str | torch.device | None = None) -> nn.Module:
    """The network to visualize, on `device` (default: GPU if any): SqueezeNet, or its sample stand-in."""
    from helpers.data import load

    return load("squeezenet", device=device)
