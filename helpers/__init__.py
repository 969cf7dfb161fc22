"""Small helpers that every course notebook imports."""

from helpers.device import default_device

__all__ = ["default_device"]
