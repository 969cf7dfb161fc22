"""show(): nested lists alternate rows and columns; every kind of item renders."""

import io

import ipywidgets
import numpy as np
import torch
from matplotlib.figure import Figure
from PIL import Image

from helpers import PlotWidget, Range, show
from helpers.demo_plots import gate_plot


def test_lists_alternate_rows_and_columns():
    box = show.render([["a", ["b", "c"]], "d"])
    assert isinstance(box, ipywidgets.HBox)
    column = box.children[0]
    assert isinstance(column, ipywidgets.VBox)
    assert isinstance(column.children[1], ipywidgets.HBox)


def test_show_arguments_stack_and_top_level_wrap_applies_to_every_row():
    plots = [PlotWidget(gate_plot, gate=g, figsize=(1.5, 1.5)) for g in ("AND", "OR")]
    # The seed notebooks' forms: show(show.WRAP, list_of_plots) and
    # show(show.WRAP, [[[label, style, slider, ...], [plot, plot]]]).
    grid = show.layout(show.WRAP, plots)
    assert isinstance(grid, ipywidgets.VBox)
    assert grid.children[0].layout.flex_flow == "row wrap"
    explorer = show.layout(show.WRAP, [[[show.raw_html("<div>y</div>"), show.style(flex=12), Range(0, 5)],
                                        plots]])
    column = explorer.children[0].children[0]
    assert isinstance(column, ipywidgets.VBox)
    controls, row_of_plots = column.children
    assert controls.layout.flex == "12" and controls.layout.flex_flow == "row wrap"
    assert row_of_plots.children[1] is plots[1].view
    thumbs = show.layout(show.WRAP, [[show.style(width=144), plots[0]]])
    assert thumbs.children[0].children[0].layout.width == "144px"


def test_wrap_and_style_set_the_box_layout():
    gates = [PlotWidget(gate_plot, gate=g, figsize=(1.5, 1.5)) for g in ("AND", "OR", "XOR", "NAND")]
    box = show.render([show.WRAP, show.style(margin="4px", width="300px"), *gates])
    assert box.layout.flex_flow == "row wrap"
    assert box.layout.width == "300px" and box.layout.margin == "4px"
    assert len(box.children) == 4  # markers are not children
    assert box.children[0] is gates[0].view


def test_text_is_escaped_but_raw_html_is_not():
    assert "&lt;b&gt;" in show.render("<b>x</b>").value
    assert show.render(show.raw_html("<b>x</b>")).value == "<b>x</b>"


def test_images_figures_tensors_and_arrays_become_png():
    fig = Figure()
    fig.add_subplot(1, 1, 1).plot([0, 1])
    items = [Image.new("RGB", (8, 8)), fig, torch.rand(3, 8, 8), np.zeros((8, 8, 3), dtype=np.uint8)]
    for item in items:
        view = show.render(item)
        assert isinstance(view, ipywidgets.Image) and bytes(view.value).startswith(b"\x89PNG"), type(item)


def _shown(item) -> Image.Image:
    view = show.render(item)
    assert isinstance(view, ipywidgets.Image), type(item)
    return Image.open(io.BytesIO(bytes(view.value)))


def test_two_dimensional_tensors_and_arrays_are_grayscale_images():
    show(torch.rand(5, 5))  # raised before: renormalize took no (H, W) tensors
    gray = torch.linspace(0, 1, 6).expand(4, 6)
    assert _shown(gray).mode == "L" and _shown(gray).size == (6, 4)
    assert _shown(torch.full((3, 3), 255, dtype=torch.uint8)).getpixel((0, 0)) == 255
    assert _shown(np.eye(5)).getpixel((0, 0)) == 255 and _shown(np.eye(5) > 0).getpixel((1, 0)) == 0
    assert _shown(np.zeros((4, 4, 1), dtype=np.uint8)).mode == "L"


def test_four_channel_tensors_and_arrays_are_rgba_images():
    rgba = torch.rand(4, 6, 5)
    rgba[3] = 0.5
    image = _shown(rgba)
    assert image.mode == "RGBA" and image.size == (5, 6) and image.getpixel((0, 0))[3] == 128
    assert _shown(np.full((3, 3, 4), 7, dtype=np.uint8)).getpixel((1, 1)) == (7, 7, 7, 7)


def test_widgets_and_other_objects():
    slider = Range(0, 5)
    assert show.render(slider) is slider.view
    native = ipywidgets.Button()
    assert show.render(native) is native
    assert "<pre>" in show.render({"a": 1}).value
    assert "<pre>" in show.render(torch.zeros(5)).value  # a vector is not an image
    assert "<pre>" in show.render(torch.zeros(1, 5)).value  # nor is a one-row matrix
    assert "<pre>" in show.render(torch.zeros(2, 4, 4)).value  # nor two channels


def test_unknown_style_property_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="unknown layout property 'colour'"):
        show.style(colour="red")
