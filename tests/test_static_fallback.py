"""Displays carry a static picture next to the widget view, so that executed notebooks
show their plots in nbconvert's HTML and the grader's feedback, where widget state is
not saved, and still show the interactive widget in a live notebook."""

import base64
import io
import re

import nbformat
import numpy as np
import torch
from PIL import Image

from helpers import Checkbox, PlotWidget, Range, show
from helpers.demo_plots import gate_plot, loss_plot
from helpers.static import FALLBACK_BUDGET, WithFallback, mimebundle

WIDGET = "application/vnd.jupyter.widget-view+json"


def _sources(markup: str) -> list[str]:
    return re.findall(r'<img src="data:(image/\w+);base64,', markup)


def test_a_plot_widget_displays_as_widget_and_png():
    plot = PlotWidget(loss_plot)
    data, metadata = plot._repr_mimebundle_()
    assert data[WIDGET]["model_id"] == plot.view.model_id  # what a live notebook shows
    assert base64.b64decode(data["image/png"]) == plot.png  # what a viewer without the kernel shows
    assert metadata["image/png"]["alt"].startswith("Each chosen loss")  # loss_plot's docstring


def test_a_layout_displays_as_widget_and_html_of_rows_columns_text_and_controls():
    plots = [PlotWidget(gate_plot, gate=g, figsize=(1.5, 1.5)) for g in ("AND", "OR")]
    view = show.layout(show.WRAP, [[Range(0.0, 1.0, 0.1, value=0.3, description="target"),
                                    Checkbox("grid", True), "a <caption>"], plots])
    data, _ = WithFallback(view)._repr_mimebundle_()
    assert data[WIDGET]["model_id"] == view.model_id
    markup = data["text/html"]
    assert _sources(markup) == ["image/png", "image/png"]
    assert base64.b64encode(plots[1].png).decode() in markup  # the plots as drawn, not re-encoded
    assert "flex-direction:row" in markup and "flex-direction:column" in markup and "flex-wrap:wrap" in markup
    assert 'type="range" disabled min="0.0" max="1.0" step="0.1" value="0.3"' in markup
    assert '<input type="checkbox" disabled checked> grid' in markup
    assert "a &lt;caption&gt;" in markup


def test_large_photos_shrink_to_the_budget_and_small_plots_stay_png():
    noise = np.random.default_rng(0).integers(0, 256, (400, 500, 3), dtype=np.uint8)  # about 600 KB as PNG
    plot = PlotWidget(gate_plot, figsize=(1.5, 1.5))
    markup = mimebundle(show.layout([plot, *[Image.fromarray(noise)] * 4]))[0]["text/html"]
    assert len(markup) < FALLBACK_BUDGET + 2_000
    assert _sources(markup) == ["image/png"] + ["image/jpeg"] * 4
    assert markup.count('width="500"') == 4  # shown at the size the widget shows them
    last = re.findall(r"base64,([^\"]+)", markup)[-1]
    assert Image.open(io.BytesIO(base64.b64decode(last))).format == "JPEG"


def test_show_prints_the_layout_not_the_pictures_outside_a_notebook(capsys):
    show(torch.rand(3, 8, 8))
    out = capsys.readouterr().out
    assert out.startswith("VBox(children=(Image(") and "base64" not in out


def test_executed_notebook_shows_pictures_in_nbconvert_html(tmp_path):
    """The grader's path: a fresh kernel, outputs saved without widget state (as the
    grader's executor and JupyterLab's default save them), then the feedback exporter."""
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    cells = [
        "from helpers import PlotWidget, Range, show\nfrom helpers.demo_plots import gate_plot, loss_plot",
        "plot = PlotWidget(loss_plot)\nplot",
        "show([Range(0.0, 1.0, value=plot.prop('target')), 'caption'], "
        "[PlotWidget(gate_plot, gate=g, figsize=(1.5, 1.5)) for g in ('AND', 'OR')])",
        "plot.target = 0.2  # a live redraw; the saved picture stays the first drawing",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=False).execute()
    for cell in nb.cells[1:3]:
        [output] = cell.outputs
        assert output.output_type in ("display_data", "execute_result") and WIDGET in output.data, output
    body, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    assert body.count('src="data:image/png;base64,') == 3
    assert "Each chosen loss against the predicted probability" in body  # the plot's alt text
    assert 'type="range"' in body and "caption" in body
    assert "VBox(children=" not in body and "Image(value=" not in body
