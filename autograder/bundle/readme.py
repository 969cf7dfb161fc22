"""The short README.md in every bundle: how a student opens, runs and hands in the assignment."""

from __future__ import annotations

TEMPLATE = """\
# {assignment}

Notebooks: {notebooks}. Everything they import is the course's kit, `dlcourse-kit`
{version} (its wheel is in this folder), with the assignment's extra `[{extra}]`.

## On your own machine (JupyterLab)

Python 3.10 or newer. In this folder:

```bash
python -m venv .venv && . .venv/bin/activate      # Windows: .venv\\Scripts\\activate
python -m pip install -r requirements.txt          # the kit, pinned versions, JupyterLab
COURSE_SAMPLE_MODE=1 jupyter lab                   # or without it, for full mode (below)
```

`requirements.txt` pins the versions the course was tested with (PyTorch {torch}); PyTorch
alone is a large download. Widget plots are saved with the notebook, so a notebook you
reopen later shows them as they were.

## On Google Colab

Upload the notebook (File, Upload notebook), then upload `{assignment}.zip` itself
into Colab's file panel (the folder icon on the left), next to the notebook. Run the
notebook's first cell: it unpacks the files the notebook needs from the zip, installs
the kit (about a minute, once per session) and turns on Colab's widget support. Colab's
own PyTorch is kept. Download the notebook (File, Download .ipynb) to hand it in.

## Sample mode and full mode

*Sample mode* (`COURSE_SAMPLE_MODE=1`, or `from helpers import set_sample_mode;
set_sample_mode(True)` at the top) runs everything on your CPU in seconds to minutes,
with small real data that the installed packages ship and tiny models; every loader
prints a `[sample mode]` line saying what stands in for what. *Full mode* (the default)
uses the real data sets and pretrained models: fetch them once, on a machine with
network, with

```bash
python -m helpers.data list            # what there is, and where it comes from
python -m helpers.data fetch NAME      # download NAME into ~/.cache/dl-course (COURSE_DATA_DIR)
```

(a model from the Hugging Face hub says which `hf download ...` command fetches it). The
hidden tests accept both modes; your instructor says which one is graded.

## Before you hand in

Save the notebook, then run its last cell, or in a terminal:

```bash
python -m helpers.check {first}
```

It runs the notebook's public tests in a fresh kernel, as the grader does, and tells you
in a few lines what the grader will see: answers still missing, cells that fail,
read-only or test cells you changed or deleted, cell ids that no longer match, and a run
time close to the grader's limit ({notebook_s:g} s per notebook, {cell_s:g} s per cell).
Leave the first and the last cell as they are (the grader skips both).

Hand in the notebook file{plural} ({notebooks}) as your instructor asks (for example, upload
{them} to the course's LMS assignment), with the file names unchanged.
"""


def student_readme(assignment: str, notebooks: list[str], version: str, extra: str, torch: str,
                   limits: dict) -> str:
    return TEMPLATE.format(assignment=assignment, notebooks=", ".join(f"`{n}`" for n in notebooks),
                           version=version, extra=extra, torch=torch, first=notebooks[0],
                           notebook_s=limits["notebook_s"], cell_s=limits["cell_s"],
                           plural="s" if len(notebooks) > 1 else "", them="them" if len(notebooks) > 1 else "it")
