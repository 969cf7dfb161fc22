"""Full-mode loaders for the data sets torchvision downloads and checks itself (MD5s in torchvision)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from helpers.data.cache import cache_dir
from helpers.data.download import DownloadError


def torchvision_root() -> Path:
    """Where torchvision's data sets are cached: `<cache>/torchvision`."""
    return cache_dir() / "torchvision"


def mnist(train: bool = True, download: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """torchvision's MNIST (the 60,000 training or 10,000 test digits) as uint8 images and labels."""
    from torchvision.datasets import MNIST

    try:
        data = MNIST(str(torchvision_root()), train=train, download=download)
    except RuntimeError as err:  # "Dataset not found. You can use download=True to download it"
        raise DownloadError(
            f"MNIST is not cached in {torchvision_root() / 'MNIST'} (torchvision downloads it from "
            f"{MNIST.mirrors[0]}). Fetch it with `python -m helpers.data fetch mnist` on a machine with "
            "network and copy that folder here (or set COURSE_DATA_DIR), or turn on sample mode "
            f"(COURSE_SAMPLE_MODE=1). Cause: {err}") from err
    return data.data.numpy(), data.targets.numpy()
