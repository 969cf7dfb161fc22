"""Hand-ins of hw1_foundations that cannot be graded at all (checked in test_grade_cli.py)."""

import shutil
from pathlib import Path


def write(folder: Path) -> None:
    (folder / "broken_json").mkdir()
    (folder / "broken_json" / "hw1_foundations.ipynb").write_text('{"cells": [')
    (folder / "wrong_name").mkdir()
    shutil.copy(folder / "reference" / "hw1_foundations.ipynb", folder / "wrong_name" / "homework1.ipynb")
    (folder / "empty").mkdir()
