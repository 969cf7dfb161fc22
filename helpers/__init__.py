"""Small helpers that every course notebook imports.

    from helpers import PlotWidget, Range, Checkbox, show, pbar, as_image, as_tensor
"""

from helpers._version import __version__
from helpers.device import default_device
from helpers.mode import sample_mode, set_sample_mode, training_budget
from helpers.numerics import eval_numerical_gradient, eval_numerical_gradient_array, rel_error
from helpers.progress import pbar
from helpers.renormalize import as_image, as_tensor, renormalize
from helpers.show import show
from helpers.widgets import Checkbox, PlotWidget, Property, Range

__all__ = [
    "__version__", "default_device", "sample_mode", "set_sample_mode", "training_budget", "rel_error", "eval_numerical_gradient",
    "eval_numerical_gradient_array", "pbar", "as_image", "as_tensor", "renormalize", "show",
    "Checkbox", "PlotWidget", "Property", "Range",
]
