"""PlotWidget, Range, Checkbox and property binding, through their ipywidgets views."""

import matplotlib.pyplot as plt
import pytest

from helpers import Checkbox, PlotWidget, Range
from helpers.demo_plots import gradient_plot, loss_plot


def draw_line(fig, slope=1.0, dashed=False):
    [ax] = fig.axes
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


def test_axes_are_reused_and_a_draw_fn_may_make_its_own_layout():
    plot = PlotWidget(draw_line)
    for slope in (0.1, 0.2, 0.3):
        plot.slope = slope
    assert len(plot.figure.axes) == 1

    def two_panels(fig, n=2):
        fig.clear()
        for i in range(n):
            fig.add_subplot(1, n, i + 1).plot([0, i])

    panels = PlotWidget(two_panels)
    panels.n = 3
    assert len(panels.figure.axes) == 3


def test_tight_bounding_box_crops_the_image():
    from PIL import Image
    import io

    loose = PlotWidget(draw_line, figsize=(3, 3), dpi=50)
    tight = PlotWidget(draw_line, figsize=(3, 3), dpi=50, bbox_inches="tight")
    assert Image.open(io.BytesIO(loose.png)).size == (150, 150)
    assert Image.open(io.BytesIO(tight.png)).size != (150, 150)
