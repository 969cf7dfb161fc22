"""Where a course's files live: `nbgrader_config.py`, `source/<assignment>/`, `release/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Course:
    """A course folder laid out the way nbgrader expects it."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    def assignments(self) -> list[str]:
        """Every assignment, i.e. every folder under `source/`, in name order."""
        return sorted(p.name for p in self.source.iterdir() if p.is_dir() and not p.name.startswith("."))

    def notebooks(self, assignment: str) -> list[str]:
        """The notebook file names of one assignment, e.g. ['hw1_foundations.ipynb']."""
        folder = self.source / assignment
        if not folder.is_dir():
            known = ", ".join(self.assignments()) or "none"
            raise ValueError(f"no assignment {assignment!r} in {self.source} (known: {known})")
        return sorted(p.name for p in folder.glob("*.ipynb"))

    def check(self) -> "Course":
        """Fail early, with what to do, when this folder is not a course."""
        for needed in (self.config, self.source):
            if not needed.exists():
                raise ValueError(f"{self.root} is not a course folder: {needed.name} is missing "
                                 "(run the command from the repository root or pass --course)")
        return self
