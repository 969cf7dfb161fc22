"""Support code for the backpropagation homework (hw1_backprop): no answers.

    from helpers.backprop import load_digits

`data` holds the digit split; `standins` the stand-in layers and forward-mode scalars the
grader runs students' code on (each deliberately another function than the layer it
stands in for, so none answers an exercise).
"""

from helpers.backprop.data import load_digits

__all__ = ["load_digits"]
