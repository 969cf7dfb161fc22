"""A bundle's requirements.txt: the kit with the assignment's extra, every package that
brings in pinned to the course's versions (the repository's requirements.txt)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?")


def normalized(name: str) -> str:
    """A distribution or extra name as PEP 503/685 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def kit_project(root: Path) -> dict:
    return tomllib.loads((root / "kit" / "pyproject.toml").read_text())["project"]


def extra_of(assignment: str) -> str:
    """The kit's extra for an assignment: its name, as PEP 685 spells extras."""
    return normalized(assignment)


def kit_packages(root: Path, extra: str) -> list[str]:
    """Names of the distributions the kit with `extra` requires directly (extras that
    refer back to the kit, `dlcourse-kit[digits]`, followed through), in order."""
    project = kit_project(root)
    kit, extras = normalized(project["name"]), {normalized(k): v for k, v in
                                                 project.get("optional-dependencies", {}).items()}
    names: list[str] = []
    done: set[str] = set()

    def add(requirements: list[str]) -> None:
        for req in requirements:
            name, inner = _NAME.match(req).groups()
            if normalized(name) != kit:
                names.extend([name] if normalized(name) not in map(normalized, names) else [])
                continue
            for wanted in (normalized(e) for e in (inner or "").strip("[]").split(",") if e.strip()):
                if wanted not in extras:
                    raise ValueError(f"kit/pyproject.toml has no extra {wanted!r}; add one for the assignment "
                                     f"(its extras: {', '.join(sorted(extras))})")
                if wanted not in done:
                    done.add(wanted)
                    add(extras[wanted])

    add(project["dependencies"] + [f"{kit}[{extra}]"])
    return names


def pins(requirements_txt: Path) -> dict[str, str]:
    """The course's pins: normalized name -> the requirement line (`torch==2.14.1`)."""
    found = {}
    for line in requirements_txt.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            found[normalized(_NAME.match(line).group(1))] = line
    return found


def requirements_txt(root: Path, assignment: str, wheel_name: str) -> str:
    """The bundle's requirements.txt for `assignment`, installing the kit from `wheel_name`
    (next to the file) with the assignment's extra."""
    extra, course_pins = extra_of(assignment), pins(root / "requirements.txt")
    missing = [n for n in kit_packages(root, extra) if normalized(n) not in course_pins]
    if missing:
        raise ValueError(f"requirements.txt pins no version of {', '.join(missing)}, which the kit needs")
    lines = [f"# {assignment}: what its notebooks need, at the course's versions.",
             "# In this folder: python -m pip install -r requirements.txt",
             f"./{wheel_name}[{extra}]"]
    lines += [course_pins[normalized(n)] for n in kit_packages(root, extra)]
    lines += ["# the front end, to open the notebooks on your own machine (not needed on Colab)",
              course_pins["jupyterlab"]]
    return "\n".join(lines) + "\n"
