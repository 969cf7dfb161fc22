"""A student who handed in only the two required notebooks, one of them broken."""

import shutil
from pathlib import Path


def write(folder: Path) -> None:
    partial = folder / "no_extra_credit"
    partial.mkdir()
    shutil.copy(folder / "reference" / "rnn_captioning.ipynb", partial)
    (partial / "transformer_captioning.ipynb").write_text('{"cells": [')
