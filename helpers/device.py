"""Pick the device a notebook should compute on."""

import torch


def default_device() -> torch.device:
    """The first CUDA GPU when one is visible, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
