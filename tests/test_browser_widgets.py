"""Widgets in real JupyterLab 4: move a slider, click a checkbox, see the plot change;
and an executed notebook opened without its kernel shows the plots' saved pictures.

Runs the helpers demo and the hw1 reference solution in JupyterLab, driven in Debian's
headless Chromium by Playwright; screenshots land in out/test-artifacts/.
"""

import nbformat

from autograder.testing import reference_submission
from browser import browser_page, copy_notebook, jupyterlab, open_and_run, save_screenshot
from grading import ROOT


def _widget_output(page):
    """The first output area holding a slider: the explorer."""
    return page.locator(".jp-OutputArea-output", has=page.locator(".widget-slider")).first


def _image(page, index: int):
    return _widget_output(page).locator("img.widget-image").nth(index)


def _redrawn(page, index: int, old_src: str) -> bytes:
    """Wait for the kernel's new PNG (a new blob URL) in plot `index`, then screenshot it."""
    page.wait_for_function("([el, old]) => el.src !== old", arg=[_image(page, index).element_handle(), old_src],
                           timeout=30_000)
    page.wait_for_timeout(200)  # let the new image paint
    return _image(page, index).screenshot()


def _slide_and_tick(page, plot: int, checkbox: str) -> None:
    """Move the explorer's slider, then tick `checkbox`; plot `plot` must change each time."""
    output = _widget_output(page)
    output.scroll_into_view_if_needed()
    handle = output.locator(".widget-slider .noUi-handle").first
    before_value = float(handle.get_attribute("aria-valuenow"))
    src = _image(page, plot).get_attribute("src")
    before = _image(page, plot).screenshot()

    box = output.locator(".widget-slider .noUi-target").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.92, box["y"] + box["height"] / 2)  # the handle jumps there
    page.wait_for_function("([el, old]) => parseFloat(el.getAttribute('aria-valuenow')) !== old",
                           arg=[handle.element_handle(), before_value], timeout=20_000)
    assert float(handle.get_attribute("aria-valuenow")) > before_value
    after_slider = _redrawn(page, plot, src)
    assert after_slider != before, "the plot did not change when the slider moved"

    tick = output.get_by_role("checkbox", name=checkbox).first
    was = tick.is_checked()
    src = _image(page, plot).get_attribute("src")
    tick.click()
    assert tick.is_checked() != was
    assert _redrawn(page, plot, src) != after_slider, f"the plot did not change when {checkbox!r} was clicked"


def test_helpers_demo_widgets_react_in_jupyterlab(tmp_path):
    name = copy_notebook(ROOT / "notebooks" / "helpers_demo.ipynb", tmp_path)
    with jupyterlab(tmp_path) as server, browser_page() as page:
        open_and_run(page, server, name, "DEMO DONE")
        _slide_and_tick(page, plot=0, checkbox="squared error")
        assert save_screenshot(page, "helpers_demo.png").stat().st_size > 10_000


def test_hw1_loss_explorer_reacts_in_jupyterlab(tmp_path):
    nb = reference_submission(ROOT / "source" / "hw1_foundations" / "hw1_foundations.ipynb")
    nbformat.write(nb, tmp_path / "hw1_foundations.ipynb")
    with jupyterlab(tmp_path) as server, browser_page() as page:
        open_and_run(page, server, "hw1_foundations.ipynb", "hw1_foundations: end of notebook")
        # Plot 1 is the gradient panel, drawn with the student's (here the reference) functions.
        _slide_and_tick(page, plot=1, checkbox="MSE")
        assert save_screenshot(page, "hw1_loss_explorer.png").stat().st_size > 10_000


def test_executed_notebook_shows_saved_pictures_without_its_kernel(tmp_path):
    """Executed elsewhere (here by nbclient, without widget state, as the grader does) and
    so not trusted: JupyterLab skips the widget view and shows the static fallback."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from helpers import PlotWidget, Range, show\n"
        "from helpers.demo_plots import gradient_plot, loss_plot\n"
        "plot = PlotWidget(loss_plot)\n"
        "show([Range(0.0, 1.0, value=plot.prop('target'), description='target')], "
        "[plot, PlotWidget(gradient_plot)])")])
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    nbformat.write(nb, tmp_path / "executed.ipynb")
    with jupyterlab(tmp_path) as server, browser_page() as page:
        base, token = server.split("|")
        page.goto(f"{base}/lab/tree/executed.ipynb?token={token}", wait_until="domcontentloaded")
        pictures = page.locator(".jp-OutputArea-output img")
        pictures.first.wait_for(timeout=90_000)
        assert pictures.count() == 2
        assert pictures.first.get_attribute("src").startswith("data:image/png;base64,")
        assert page.locator(".jp-OutputArea-output input[type=range]").count() == 1
        assert page.get_by_text("VBox(children=").count() == 0
        assert save_screenshot(page, "executed_without_kernel.png").stat().st_size > 10_000
