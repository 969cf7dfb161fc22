"""The course's file cache, and folders the helpers build once and then reuse.

Downloads live in `$COURSE_DATA_DIR` (default `~/.cache/dl-course`). In a grading
sandbox that folder is read-only, so what the helpers generate themselves (sample data
sets, tokenizer files) goes to a temporary copy instead; `built_once` is the one place
that decides which copy to read and builds it when neither is complete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

CACHE_ENV = "COURSE_DATA_DIR"
STAMP = ".built"  # written last: a folder without it is incomplete


def cache_dir() -> Path:
    """Where downloads live: $COURSE_DATA_DIR, else ~/.cache/dl-course."""
    root = os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "dl-course"
    path = Path(root).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def writable_cache_dir() -> Path:
    """The cache, or a temporary folder when the cache is read-only (in a grading sandbox)."""
    root = cache_dir()
    if os.access(root, os.W_OK):
        return root
    path = Path(tempfile.gettempdir()) / "dl-course-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def built_once(name: str, build: Callable[[Path], None], version: str = "1") -> Path:
    """The folder `name` of the cache (or of its writable copy) built by `build(folder)`.

    A folder counts as built when its stamp holds `version`; otherwise `build` fills a
    fresh temporary folder beside it that is then renamed to `name`, so readers never see half a
    build and two processes building at once both end with a complete folder.
    """
    for base in dict.fromkeys((cache_dir(), writable_cache_dir())):
        stamp = base / name / STAMP
        if stamp.exists() and stamp.read_text() == version:
            return base / name
    target = writable_cache_dir() / name
    tmp = target.with_name(f"{name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    build(tmp)
    (tmp / STAMP).write_text(version)
    shutil.rmtree(target, ignore_errors=True)  # an older version or an interrupted build
    try:
        tmp.rename(target)
    except OSError:  # another process put its complete copy there first
        shutil.rmtree(tmp, ignore_errors=True)
    return target
