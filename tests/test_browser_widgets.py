"""The helpers demo in real JupyterLab 4: move a slider, click a checkbox, see the plot change."""

from browser import browser_page, copy_notebook, jupyterlab, open_and_run, save_screenshot
from grading import ROOT


def _plot(page):
    """The first PlotWidget on the page: the loss plot."""
    return page.locator(".jp-OutputArea-output img.widget-image").first


def _wait_for_redraw(page, old_src: str) -> bytes:
    """Wait until the kernel has sent a new PNG (a new blob URL), then screenshot it."""
    page.wait_for_function("([el, old]) => el.src !== old", arg=[_plot(page).element_handle(), old_src],
                           timeout=30_000)
    page.wait_for_timeout(200)  # let the new image paint
    return _plot(page).screenshot()


def test_demo_widgets_react_in_jupyterlab(tmp_path):
    name = copy_notebook(ROOT / "notebooks" / "helpers_demo.ipynb", tmp_path)
    with jupyterlab(tmp_path) as server, browser_page() as page:
        open_and_run(page, server, name, "DEMO DONE")
        slider = page.locator(".widget-slider").first
        slider.scroll_into_view_if_needed()
        handle = slider.locator(".noUi-handle")
        before_value = float(handle.get_attribute("aria-valuenow"))
        before_src = _plot(page).get_attribute("src")
        before = _plot(page).screenshot()

        # Click near the right end of the slider's track: the handle jumps there.
        box = slider.locator(".noUi-target").bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.92, box["y"] + box["height"] / 2)
        page.wait_for_function("([el, old]) => parseFloat(el.getAttribute('aria-valuenow')) !== old",
                               arg=[handle.element_handle(), before_value], timeout=20_000)
        assert float(handle.get_attribute("aria-valuenow")) > before_value
        after_slider = _wait_for_redraw(page, before_src)
        assert after_slider != before, "the loss plot did not change when the slider moved"

        checkbox = page.get_by_role("checkbox", name="squared error").first
        assert not checkbox.is_checked()
        slider_src = _plot(page).get_attribute("src")
        checkbox.click()
        assert checkbox.is_checked()
        after_checkbox = _wait_for_redraw(page, slider_src)
        assert after_checkbox != after_slider, "the loss plot did not change when a checkbox was ticked"

        shot = save_screenshot(page, "helpers_demo.png")
        assert shot.stat().st_size > 10_000
