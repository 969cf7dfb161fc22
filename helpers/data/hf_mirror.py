"""Hugging Face repositories through the course mirror.

`python -m helpers.data mirror DIR` copies each registry model that lives on the Hub
(Stable Diffusion v1.4) from a cache that holds it into `DIR/hf/<owner>/<repo>/`, file by
file, listed in `index.json` with sizes and SHA-256 like every other file. A student whose
course mirror is set downloads that folder once (progress bar, each file checked against
the index) into `<cache>/hf-snapshots/<owner>/<repo>/`, which diffusers then reads offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from helpers.data.cache import STAMP, cache_dir
from helpers.data.download import DownloadError
from helpers.data.mirror import data_mirror, mirror_checksums, mirror_setting

PREFIX = "hf"


def mirror_name(repo_id: str, relative: str) -> str:
    """The name of one file of `repo_id` on a mirror: `hf/<owner>/<repo>/<path in the repo>`."""
    return f"{PREFIX}/{repo_id}/{relative}"


def snapshot_files(repo_id: str, folder: Path | None) -> list[tuple[str, Path]]:
    """(name on a mirror, local path) of every file of a snapshot folder of `repo_id`; when
    there is none, one entry whose path does not exist (so the mirror lists it as missing)."""
    if folder is None or not (folder / "model_index.json").is_file():
        return [(mirror_name(repo_id, "model_index.json"), Path(folder or ".") / "model_index.json")]
    return [(mirror_name(repo_id, p.relative_to(folder).as_posix()), p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith(".")]


def course_snapshot(repo_id: str) -> Path:
    """Where a snapshot downloaded from the course mirror lives: `<cache>/hf-snapshots/<owner>/<repo>`."""
    return cache_dir() / "hf-snapshots" / repo_id


def downloaded_snapshot(repo_id: str) -> Path | None:
    """The complete snapshot of `repo_id` fetched from the mirror earlier, or None."""
    folder = course_snapshot(repo_id)
    return folder if (folder / STAMP).is_file() else None


def fetch_snapshot(name: str, repo_id: str, download_entry_file: Callable[..., Path], progress: bool = True) -> Path:
    """Download every file of `repo_id` that the course mirror lists into `course_snapshot(repo_id)`,
    each with `download_entry_file` (registry's: one-line errors, checked against the index)."""
    mirror = data_mirror()
    index = mirror_checksums()
    if not index:
        raise DownloadError(
            f"model {name!r} ({repo_id}) could not be downloaded: the course mirror's index {mirror}/index.json "
            f"could not be read (mirror set by {mirror_setting()}); check that the mirror is up and the setting "
            "is right, or turn on sample mode (COURSE_SAMPLE_MODE=1).")
    prefix = mirror_name(repo_id, "")
    files = {f: sha for f, sha in index.items() if f.startswith(prefix)}
    if not files:
        raise DownloadError(
            f"model {name!r}: the course mirror {mirror} holds no copy of {repo_id} (no {prefix} files in its "
            "index.json); the instructor's `python -m helpers.data mirror DIR` copies it from a cache that has it.")
    folder = course_snapshot(repo_id)
    for fname, sha in sorted(files.items()):
        download_entry_file(name, fname, folder / fname[len(prefix):], sha, progress, mirror_path=fname)
    (folder / STAMP).write_text("complete")
    return folder
