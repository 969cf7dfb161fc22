"""Pictures survive a reopen: a notebook run and saved in real JupyterLab, then reopened in
a new JupyterLab (its kernel gone, a new one that has run nothing), shows every PlotWidget
and `show` layout as last drawn (not "Error displaying widget"). What makes it so is the kit's JupyterLab
setting (kit/jupyter/dlcourse-kit.json, installed in `share/jupyter/lab/settings/
overrides.d`): save widget state with the notebook. Without it the same steps end in
"Error displaying widget: model not found", which the test checks too.

(With "No Kernel" chosen, JupyterLab's widget manager, jupyterlab_widgets 3.0, restores
nothing at all, saved state or not: it stops at "Kernel not set" and shows "Loading
widget..." for good. That is upstream's to fix; the kit cannot reach it.)
"""

import json
import shutil

import nbformat
import pytest

from browser import browser_page, jupyterlab, open_and_run, save_screenshot
from grading import ROOT

SETTING = ROOT / "kit" / "jupyter" / "dlcourse-kit.json"
CELLS = [
    "from helpers import PlotWidget, Range, show\n"
    "from helpers.demo_plots import gradient_plot, loss_plot\n"
    "plot = PlotWidget(loss_plot)\n"
    "show([Range(0.0, 1.0, value=plot.prop('target'), description='target')], [plot, PlotWidget(gradient_plot)])",
    "alone = PlotWidget(loss_plot, target=0.2)\nalone",
    "print('REOPEN' + ' READY')",
]
# The bytes of every widget image on the page, fetched from the blob URLs they show.
IMAGE_BYTES = """async () => {
  const out = [];
  for (const img of document.querySelectorAll('.jp-OutputArea-output img.widget-image')) {
    const buf = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let s = ''; for (const b of buf) s += String.fromCharCode(b);
    out.push(btoa(s));
  }
  return out;
}"""


def _settings(tmp_path, with_setting: bool):
    folder = tmp_path / f"settings-{with_setting}"
    (folder / "overrides.d").mkdir(parents=True)
    if with_setting:
        shutil.copy(SETTING, folder / "overrides.d" / SETTING.name)
    return [f"--LabApp.app_settings_dir={folder}"]


def _run_and_save(page, server, tmp_path) -> list[str]:
    """Run the notebook, move the slider, save; return the images' bytes as last drawn."""
    open_and_run(page, server, "plots.ipynb", "REOPEN READY")
    page.locator("img.widget-image").nth(2).wait_for(timeout=60_000)
    before = page.evaluate(IMAGE_BYTES)
    first = page.locator("img.widget-image").first
    src = first.get_attribute("src")
    box = page.locator(".widget-slider .noUi-target").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
    page.wait_for_function("([el, old]) => el.src !== old", arg=[first.element_handle(), src], timeout=30_000)
    last = page.evaluate(IMAGE_BYTES)
    assert last[0] != before[0] and last[2] == before[2]
    page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("!window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
    return last


def _reopen(page, server):
    """Open the saved notebook in a new server: JupyterLab starts a new kernel for it, which
    has run nothing, so every widget model it shows comes from the saved notebook."""
    base, token = server.split("|")
    page.goto(f"{base}/lab/tree/plots.ipynb?token={token}", wait_until="domcontentloaded")
    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')", timeout=90_000)
    page.wait_for_function(
        "(() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.connectionStatus === 'connected'; })()", timeout=90_000)
    page.wait_for_function("!document.body.innerText.includes('Loading widget...')", timeout=60_000)


@pytest.mark.parametrize("with_setting", [True, False], ids=["kit-setting", "jupyterlab-default"])
def test_plots_survive_save_and_reopen_in_a_new_kernel(tmp_path, with_setting):
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS], metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}),
        tmp_path / "plots.ipynb")
    settings = _settings(tmp_path, with_setting)
    with browser_page() as page:
        with jupyterlab(tmp_path, settings) as server:
            last = _run_and_save(page, server, tmp_path)
        saved = json.loads((tmp_path / "plots.ipynb").read_text())
        assert ("widgets" in saved["metadata"]) == with_setting
        with jupyterlab(tmp_path, settings) as server:
            _reopen(page, server)
            errors = page.get_by_text("Error displaying widget").count()
            if not with_setting:  # the failure this setting exists for
                assert errors > 0
                return
            assert errors == 0
            page.locator("img.widget-image").nth(2).wait_for(timeout=30_000)
            assert page.evaluate(IMAGE_BYTES) == last, "the reopened plots are not the last drawn ones"
            assert page.locator(".widget-slider").count() == 1
            save_screenshot(page, "reopened_in_new_kernel.png")
