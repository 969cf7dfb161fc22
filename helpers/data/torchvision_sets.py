"""Full-mode loaders for the data sets torchvision downloads and checks itself (MD5s in torchvision)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from helpers.data.cache import cache_dir
from helpers.data.download import DownloadError


def torchvision_root() -> Path:
    """Where torchvision's data sets are cached: `<cache>/torchvision`."""
    return cache_dir() / "torchvision"


def open_torchvision(dataset_class, name: str, folder: str, source: str, entry: str, **kwargs):
    """`dataset_class(<cache>/torchvision, **kwargs)`, or a DownloadError that names the
    source, the cache folder and the fetch command when the files are not there."""
    try:
        return dataset_class(str(torchvision_root()), **kwargs)
    except RuntimeError as err:  # "Dataset not found ... You can use download=True to download it"
        raise DownloadError(
            f"{name} is not cached in {torchvision_root() / folder} (torchvision downloads it from {source}). "
            f"Fetch it with `python -m helpers.data fetch {entry}` on a machine with network and copy that "
            "folder here (or set COURSE_DATA_DIR), or turn on sample mode (COURSE_SAMPLE_MODE=1). "
            f"Cause: {err}") from err


def mnist(train: bool = True, download: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """torchvision's MNIST (the 60,000 training or 10,000 test digits) as uint8 images and labels."""
    from torchvision.datasets import MNIST

    data = open_torchvision(MNIST, "MNIST", "MNIST", MNIST.mirrors[0], "mnist", train=train, download=download)
    return data.data.numpy(), data.targets.numpy()
