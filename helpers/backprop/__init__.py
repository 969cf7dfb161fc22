"""Support code for the backpropagation homework (hw1_backprop): data only, no answers.

    from helpers.backprop import load_digits
"""

from helpers.backprop.data import load_digits

__all__ = ["load_digits"]
