"""Hugging Face repositories through the course mirror.

`python -m helpers.data mirror DIR` copies each registry model that lives on the Hub
(Stable Diffusion v1.4) from a local snapshot of it into `DIR/hf/<owner>/<repo>/`, file by
file, listed in `index.json` with sizes and SHA-256 like every other file: only what
`from_pretrained` reads (configs, tokenizer files, the default `*.safetensors` weights), not
the `.bin`, fp16, EMA or Flax copies a full `hf download` also brings. A student whose
course mirror is set downloads that folder once (a progress bar per file, each checked
against the index) into `<cache>/hf-snapshots/<owner>/<repo>/`, which diffusers then reads
offline.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Callable

from helpers.data.cache import STAMP, cache_dir
from helpers.data.download import DownloadError
from helpers.data.mirror import data_mirror, hf_snapshots, mirror_checksums, mirror_setting

PREFIX = "hf"
LOADED_SUFFIXES = (".json", ".txt")  # configs, tokenizer vocabularies and merges


def mirror_name(repo_id: str, relative: str) -> str:
    """The name of one file of `repo_id` on a mirror: `hf/<owner>/<repo>/<path in the repo>`."""
    return f"{PREFIX}/{repo_id}/{relative}"


def _loaded(path: Path) -> bool:
    """Whether `from_pretrained` (default variant, safetensors) reads this file of a snapshot."""
    if path.suffix in LOADED_SUFFIXES:
        return True
    if path.suffix == ".safetensors":
        return path.name.count(".") == 1  # model.safetensors, not model.fp16.safetensors
    if path.suffix == ".bin":  # only where no safetensors weights sit beside it
        return path.name.count(".") == 1 and not any(path.parent.glob("*.safetensors"))
    return False


def snapshot_files(repo_id: str, folder: Path | None, looked_at: Path) -> list[tuple[str, Path]]:
    """(name on a mirror, local path) of the files of a snapshot folder of `repo_id` that
    loading it needs; without a snapshot, one entry at `looked_at` (listed as missing)."""
    if folder is None or not (folder / "model_index.json").is_file():
        return [(mirror_name(repo_id, "model_index.json"), looked_at)]
    return [(mirror_name(repo_id, p.relative_to(folder).as_posix()), p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith(".") and _loaded(p)]


def course_snapshot(repo_id: str) -> Path:
    """Where a snapshot downloaded from the course mirror lives: `<cache>/hf-snapshots/<owner>/<repo>`."""
    return cache_dir() / "hf-snapshots" / repo_id


def local_snapshot(repo_id: str) -> Path | None:
    """A snapshot folder of `repo_id` the course provides on this machine: the shared
    snapshot folder (COURSE_HF_SNAPSHOTS / hf_snapshots), else a complete one fetched from
    the course mirror earlier; None when neither has it (huggingface_hub's cache aside)."""
    shared = hf_snapshots()
    if shared is not None and (shared / repo_id / "model_index.json").is_file():
        return shared / repo_id
    fetched = course_snapshot(repo_id)
    return fetched if (fetched / STAMP).is_file() else None


def mirror_has(repo_id: str) -> bool:
    """Whether the course mirror lists files of `repo_id` (False without a mirror, or when it is down)."""
    prefix = mirror_name(repo_id, "")
    return bool(data_mirror()) and any(f.startswith(prefix) for f in mirror_checksums())


def _inside(folder: Path, relative: str) -> Path:
    """`folder / relative`, refusing names that would leave `folder` (absolute, `..`)."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise DownloadError(f"the course mirror's index lists a file outside its repository folder: {relative!r}")
    return folder.joinpath(*parts)


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
            f"index.json) and it is not cached here; fetch it with `hf download {repo_id}`, or ask for the "
            "mirror to be written again (`python -m helpers.data mirror DIR` on a machine that has it).")
    folder = course_snapshot(repo_id)
    targets = {fname: _inside(folder, fname[len(prefix):]) for fname in files}
    for fname, sha in sorted(files.items()):
        download_entry_file(name, fname, targets[fname], sha, progress, mirror_path=fname,
                            label=fname[len(prefix):])
    (folder / STAMP).write_text("complete")
    return folder
