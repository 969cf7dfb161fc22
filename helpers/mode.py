"""The sample-mode switch: real small data and tiny models instead of the full downloads.

Sample mode is on when the environment variable COURSE_SAMPLE_MODE is 1/true/yes/on
(the test suite and CI set it), or after `set_sample_mode(True)`. Everything that
substitutes something says so when it does.
"""

from __future__ import annotations

import os

ENV_VAR = "COURSE_SAMPLE_MODE"
SCALE_VAR = "COURSE_TRAINING_SCALE"


def sample_mode() -> bool:
    """True when loaders should return sample data and tiny models."""
    return os.environ.get(ENV_VAR, "").strip().lower() in ("1", "true", "yes", "on")


def set_sample_mode(on: bool = True) -> None:
    """Switch sample mode for this process and the processes it starts."""
    os.environ[ENV_VAR] = "1" if on else "0"


def announce(what: str) -> None:
    """Tell the reader that a stand-in is in use (on stdout: stderr fails graded cells)."""
    print(f"[sample mode] {what}")


def training_budget(full: int, least: int = 1) -> int:
    """A full-mode training budget (iterations, images, a batch size) times COURSE_TRAINING_SCALE
    (default 1), and never below `least`.

    The one knob that cuts full-mode training for a rehearsal on a CPU (the test suite's
    full-mode run sets 0.02); thresholds that judge training quality assume the whole budget."""
    try:
        scale = float(os.environ.get(SCALE_VAR, "") or 1)
    except ValueError:
        raise ValueError(f"{SCALE_VAR} must be a number, not {os.environ[SCALE_VAR]!r}") from None
    if scale >= 1:
        return full
    cut = max(least, round(full * scale))
    print(f"[training cut] {cut:,} instead of {full:,} ({SCALE_VAR}={os.environ[SCALE_VAR]}, a rehearsal setting)")
    return cut
