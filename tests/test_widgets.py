"""PlotWidget, Range, Checkbox and property binding, through their ipywidgets views."""

import matplotlib.pyplot as plt
import pytest

from helpers import Checkbox, PlotWidget, Range
from helpers.demo_plots import gradient_plot, loss_plot


def draw_line(fig, slope=1.0, dashed=False):
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1], [0, slope], "--" if dashed else "-")
    ax.set_ylim(-2, 2)


def test_keyword_defaults_become_properties():
    plot = PlotWidget(draw_line)
    assert plot.slope == 1.0 and plot.dashed is False
    assert PlotWidget(draw_line, slope=-1.0).slope == -1.0


def test_unknown_property_and_bad_draw_fn_are_clear_errors():
    with pytest.raises(TypeError, match="no keyword argument.*'colour'"):
        PlotWidget(draw_line, colour="red")
    with pytest.raises(TypeError, match="first argument"):
        PlotWidget(lambda: None)
    with pytest.raises(AttributeError, match="has no property 'nope'"):
        PlotWidget(draw_line).prop("nope")


def test_changing_a_property_redraws():
    plot = PlotWidget(draw_line)
    before = plot.png
    assert before.startswith(b"\x89PNG")
    plot.slope = -1.5
    assert plot.png != before
    assert bytes(plot.view.value) == plot.png


def test_range_bound_to_plot_syncs_both_ways_through_the_views():
    plot = PlotWidget(draw_line)
    slider = Range(-2.0, 2.0, 0.1, value=plot.prop("slope"))
    png = plot.png
    slider.view.value = 0.5  # what dragging the slider in the browser does
    assert plot.slope == 0.5 and bytes(plot.view.value) != png
    plot.slope = -0.3  # and the other way: code changes the plot, the slider follows
    assert slider.view.value == pytest.approx(-0.3)


def test_checkbox_bound_to_two_plots():
    losses, grads = PlotWidget(loss_plot), PlotWidget(gradient_plot)
    box = Checkbox("squared error", value=losses.prop("squared_error"))
    grads_box = Checkbox("squared error", value=grads.prop("squared_error"))
    grads.prop("squared_error")  # exists
    before = (losses.png, grads.png)
    box.view.value = True
    assert losses.squared_error is True and losses.png != before[0]
    assert grads.png == before[1]  # not bound to this checkbox
    grads_box.view.value = True
    assert grads.png != before[1]


def test_one_slider_drives_two_plots():
    losses = PlotWidget(loss_plot, target=0.3)
    grads = PlotWidget(gradient_plot, target=losses.prop("target"))
    slider = Range(0.0, 1.0, 0.01, value=losses.prop("target"))
    before = grads.png
    slider.view.value = 0.9
    assert grads.target == 0.9 and grads.png != before


def test_integer_range_and_bad_bounds():
    r = Range(0, 10)
    assert type(r.view).__name__ == "IntSlider" and r.view.step == 1
    assert type(Range(0.0, 1.0).view).__name__ == "FloatSlider"
    with pytest.raises(ValueError, match="max > min"):
        Range(1, 1)


def test_no_figures_leak_into_pyplot():
    open_before = len(plt.get_fignums())
    plot = PlotWidget(draw_line)
    for i in range(30):
        plot.slope = i / 30
    assert len(plt.get_fignums()) == open_before
