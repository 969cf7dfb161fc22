"""How long a PlotWidget takes to redraw: the loss/gradient explorer of the helpers demo.

    .venv/bin/python benchmarks/plotwidget_redraw.py [--redraws 60]

Moves the shared target slider and toggles a loss checkbox, each change redrawing both
bound plots, and prints the median and 90th-percentile time of one plot's redraw
(render + PNG encoding, what the kernel does before sending the image). Target: <= 100 ms.
"""

import argparse
import statistics
import time

from helpers import Checkbox, PlotWidget, Range
from helpers.demo_plots import gradient_plot, loss_plot

TARGET_MS = 100.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--redraws", type=int, default=60, help="changes to make (each redraws 2 plots)")
    args = ap.parse_args()

    losses = PlotWidget(loss_plot)
    grads = PlotWidget(gradient_plot, target=losses.prop("target"), squared_error=losses.prop("squared_error"))
    slider = Range(0.01, 0.99, 0.01, value=losses.prop("target"))
    box = Checkbox("squared error", value=losses.prop("squared_error"))

    per_plot = []
    for i in range(args.redraws):
        start = time.perf_counter()
        if i % 4 == 3:
            box.view.value = not box.value  # through the ipywidgets view, as a click does
        else:
            slider.view.value = round(0.05 + (i % 90) * 0.01, 2)
        per_plot.append((time.perf_counter() - start) * 1000 / 2)  # two plots redrew

    median = statistics.median(per_plot)
    p90 = statistics.quantiles(per_plot, n=10)[-1]
    print(f"PlotWidget redraw (loss/gradient explorer, {len(per_plot)} changes x 2 plots, "
          f"{losses.figure.get_size_inches()[0]:g}x{losses.figure.get_size_inches()[1]:g} in at "
          f"{losses.figure.dpi:g} dpi):")
    print(f"  median {median:.1f} ms per plot, p90 {p90:.1f} ms  (target <= {TARGET_MS:.0f} ms: "
          f"{'met' if median <= TARGET_MS else 'NOT met'})")


if __name__ == "__main__":
    main()
