"""Convert images between PIL and tensors in the normalizations models expect.

Normalizations (`source=` / `target=`):
  "pt"        float in [0, 1]
  "zc"        zero-centred float in [-1, 1] (diffusion models, GANs)
  "imagenet"  (x - ImageNet mean) / ImageNet std, per channel
  "clip"      (x - CLIP mean) / CLIP std, per channel
  "byte"      uint8-valued in [0, 255]
A tensor is one image (C, H, W) or a batch (N, C, H, W) with 1 (grayscale), 3 (RGB) or
4 (RGBA) channels (`CHANNELS`); `show` draws the same shapes as pictures. Alpha is scaled
like the colour channels in "pt", "zc" and "byte"; the per-channel statistics of
"imagenet" and "clip" leave it in [0, 1].
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

STATS = {
    "imagenet": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
    # CLIP's published preprocessing statistics.
    "clip": ((0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711)),
}
NORMALIZATIONS = ("pt", "zc", "imagenet", "clip", "byte")
CHANNELS = (1, 3, 4)


def _check_name(name: str) -> None:
    if name not in NORMALIZATIONS:
        raise ValueError(f"unknown normalization {name!r}; use one of {', '.join(NORMALIZATIONS)}")


def is_image_shape(shape: tuple[int, ...]) -> bool:
    """Whether a tensor of this shape is an image (C, H, W) or a batch (N, C, H, W) that
    these conversions accept, so that callers (such as `show`) agree with them."""
    return len(shape) in (3, 4) and shape[-3] in CHANNELS


def _check_shape(t: torch.Tensor) -> None:
    if not is_image_shape(tuple(t.shape)):
        raise ValueError(f"expected an image (C, H, W) or a batch (N, C, H, W) with 1, 3 or 4 channels, "
                         f"got shape {tuple(t.shape)}")


def _stats(name: str, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    mean, std = (torch.tensor(v, dtype=t.dtype, device=t.device).view(3, 1, 1) for v in STATS[name])
    if t.shape[-3] == 1:
        mean, std = mean.mean().view(1, 1, 1), std.mean().view(1, 1, 1)
    elif t.shape[-3] == 4:  # alpha: no published statistics, so it stays in [0, 1]
        mean, std = torch.cat([mean, mean.new_zeros(1, 1, 1)]), torch.cat([std, std.new_ones(1, 1, 1)])
    return mean, std


def to_unit(t: torch.Tensor, source: str) -> torch.Tensor:
    """From `source` normalization to float in [0, 1] (not clamped)."""
    _check_name(source)
    _check_shape(t)
    t = t.float() if not t.is_floating_point() else t
    if source == "pt":
        return t
    if source == "zc":
        return (t + 1) / 2
    if source == "byte":
        return t / 255
    mean, std = _stats(source, t)
    return t * std + mean


def from_unit(t: torch.Tensor, target: str) -> torch.Tensor:
    """From float in [0, 1] to `target` normalization."""
    _check_name(target)
    _check_shape(t)
    if target == "pt":
        return t
    if target == "zc":
        return t * 2 - 1
    if target == "byte":
        return (t.clamp(0, 1) * 255).round()
    mean, std = _stats(target, t)
    return (t - mean) / std


def renormalize(t: torch.Tensor, source: str, target: str) -> torch.Tensor:
    """Re-express an image tensor from one normalization in another."""
    return from_unit(to_unit(t, source), target)


def as_image(t: torch.Tensor, source: str = "zc") -> Image.Image | list[Image.Image]:
    """A PIL image (L, RGB or RGBA) from a (C, H, W) tensor, or a list of them from a batch."""
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"as_image expects a torch.Tensor, got {type(t).__name__}")
    unit = to_unit(t.detach().cpu(), source).clamp(0, 1)
    if unit.dim() == 4:
        return [as_image(img, "pt") for img in unit]
    array = (unit * 255).round().to(torch.uint8).permute(1, 2, 0).numpy()
    return Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array)


def as_tensor(image: Image.Image, target: str = "zc", device: str | torch.device | None = None) -> torch.Tensor:
    """A (C, H, W) float tensor in the `target` normalization from a PIL image.

    Grayscale images give one channel; every other mode (RGBA included) gives RGB, the
    three channels that models take."""
    _check_name(target)
    if not isinstance(image, Image.Image):
        raise TypeError(f"as_tensor expects a PIL image, got {type(image).__name__}")
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    array = np.asarray(image, dtype=np.float32) / 255
    t = torch.from_numpy(array if array.ndim == 3 else array[:, :, None]).permute(2, 0, 1).contiguous()
    return from_unit(t, target).to(device or "cpu")
