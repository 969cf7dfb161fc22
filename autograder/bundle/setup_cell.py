"""The two cells a bundle adds to every student notebook, tagged so that the grader (and
`helpers.check`) never run them: the setup cell first, the check cell last.

The setup cell installs the course's kit where it is missing or older than the bundle's
(Colab, a new laptop): from the kit's wheel next to the notebook, from the bundle's zip
uploaded beside it (it unpacks the assignment's files too), or from the course's URL. It is
quiet, does nothing where the kit is already there, and returns at once under the grader.
On Colab it also turns on Colab's widget manager, which ipywidgets 8 needs there.
"""

from __future__ import annotations

import nbformat

SETUP_TAG = "course-setup"  # the same tags as helpers.check.manifest (a test keeps them equal)
CHECK_TAG = "course-check"

SETUP_SOURCE = '''\
# Course setup: installs the course's `helpers` kit where it is missing (Colab, a new
# laptop). It does nothing where the kit is installed, and the grader skips it.
def _course_setup(version={version!r}, extra={extra!r}, bundle={bundle!r}, url={url!r}):
    import glob, importlib, os, re, subprocess, sys, zipfile
    from importlib import util
    if os.environ.get("NBGRADER_EXECUTION"):
        return
    colab = "google.colab" in sys.modules
    spec = util.find_spec("helpers")
    have = None
    if spec is not None and spec.submodule_search_locations:
        found = glob.glob(os.path.join(list(spec.submodule_search_locations)[0], "_version.py"))
        have = re.findall(r"__version__ = .([^\\"']+)", open(found[0]).read()) if found else None
        have = have[0] if have else None
    if have != version:
        if os.path.exists(bundle):  # the bundle's zip uploaded next to the notebook: unpack what is missing
            with zipfile.ZipFile(bundle) as z:
                for name in z.namelist():
                    target = os.path.basename(name)
                    if target and not os.path.exists(target):
                        with z.open(name) as src, open(target, "wb") as dst:
                            dst.write(src.read())
        wheels = sorted(glob.glob(f"dlcourse_kit-{{version}}-*.whl") + glob.glob(f"*/dlcourse_kit-{{version}}-*.whl"))
        source = wheels[0] if wheels else url
        if not source:
            print(f"The course kit {{version}} is not installed and its wheel is not here: upload {{bundle}} "
                  "(or the dlcourse_kit wheel) next to this notebook and run this cell again.")
            return
        print(f"Installing the course kit {{version}} [{{extra}}] from {{source}} ...", flush=True)
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"{{source}}[{{extra}}]"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError("pip could not install the course kit:\\n" + done.stderr[-2000:])
        importlib.invalidate_caches()
        print("Installed." + (" Restart the kernel (helpers was already imported)." if "helpers" in sys.modules else ""))
    if colab:
        from google.colab import output
        output.enable_custom_widget_manager()
_course_setup()
del _course_setup'''

CHECK_SOURCE = '''\
# Before you hand in: save the notebook (Ctrl+S), then run this cell. It runs the public
# tests in a fresh kernel and says what the grader will see. The grader skips this cell.
from helpers.check import check
check()'''


def _tagged(source: str, tag: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [tag]
    cell.metadata["editable"] = True
    return cell


def setup_cell(version: str, extra: str, assignment: str, url: str = "") -> nbformat.NotebookNode:
    """The first cell of a bundle's notebook (`url`: where the kit's wheel is published, if
    anywhere; the wheel in the bundle is found first)."""
    return _tagged(SETUP_SOURCE.format(version=version, extra=extra, bundle=f"{assignment}.zip", url=url),
                   SETUP_TAG)


def check_cell() -> nbformat.NotebookNode:
    """The last cell of a bundle's notebook: `helpers.check` on the saved notebook."""
    return _tagged(CHECK_SOURCE, CHECK_TAG)


def is_course_cell(cell) -> bool:
    """A cell a bundle added (setup or check): the grader does not run it."""
    return any(tag in (SETUP_TAG, CHECK_TAG) for tag in cell.get("metadata", {}).get("tags", []))
