"""The course's own data mirror: where downloads come from, and how an instructor writes one.

A course can serve every downloaded file of the registry from its own web server (or a
shared folder) instead of the original hosts. The mirror is a flat folder of files with
the original file names plus `index.json` (entry name, file name, size, SHA-256 of each),
as `python -m helpers.data mirror DIR` writes it from a filled cache.

Settings, first found wins:

* the environment: `COURSE_DATA_MIRROR=https://data.example.edu/dl-course` (and
  `COURSE_HF_SNAPSHOTS=DIR` for Hugging Face snapshot folders);
* a course config file (TOML): the file `$COURSE_CONFIG` names, else `./course.toml`,
  else `~/.config/dlcourse/config.toml`, with the keys `data_mirror` and `hf_snapshots`.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

MIRROR_ENV = "COURSE_DATA_MIRROR"
SNAPSHOTS_ENV = "COURSE_HF_SNAPSHOTS"
CONFIG_ENV = "COURSE_CONFIG"
STANDIN_ENV = "COURSE_STANDIN_MIRROR"
INDEX = "index.json"


def config_file() -> Path | None:
    """The course config file in use: $COURSE_CONFIG, ./course.toml or ~/.config/dlcourse/config.toml."""
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser()
    for path in (Path.cwd() / "course.toml", Path.home() / ".config" / "dlcourse" / "config.toml"):
        if path.is_file():
            return path
    return None


def config() -> dict:
    """The settings of the course config file ({} when there is none)."""
    import tomllib

    path = config_file()
    if path is None or not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"the course config file {path} is not valid TOML: {err}") from err


def _setting(env: str, key: str) -> tuple[str | None, str]:
    """A setting's value and where it came from (for error messages)."""
    if os.environ.get(env, "").strip():
        return os.environ[env].strip(), env
    value = config().get(key)
    return (str(value).strip() or None, f"{key} in {config_file()}") if value else (None, "")


def data_mirror() -> str | None:
    """The mirror's base URL (no trailing slash), or None to use the original hosts.

    A plain folder path is accepted too and read as a file:// URL."""
    value, _ = _setting(MIRROR_ENV, "data_mirror")
    if not value:
        return None
    if "://" not in value:
        value = Path(value).expanduser().resolve().as_uri()
    return value.rstrip("/")


def mirror_setting() -> str:
    """Which setting chose the mirror: 'COURSE_DATA_MIRROR' or 'data_mirror in <file>'."""
    return _setting(MIRROR_ENV, "data_mirror")[1]


def hf_snapshots() -> Path | None:
    """The folder holding Hugging Face snapshots as `<folder>/<owner>/<repo>/`, if set."""
    value, _ = _setting(SNAPSHOTS_ENV, "hf_snapshots")
    return Path(value).expanduser() if value else None


def standin_mirror() -> bool:
    """True when the mirror serves the full-mode rehearsal's real-format stand-ins
    (COURSE_STANDIN_MIRROR=1, set only by the test suite, and honoured only for a mirror on
    this machine: 127.0.0.1, localhost or a folder). Those cannot carry torchvision's public
    MD5s or the hash prefix in a weight file's name, so downloads are checked against the
    mirror's index.json instead, and every such check says so."""
    from urllib.parse import urlparse

    mirror = data_mirror()
    if not mirror or os.environ.get(STANDIN_ENV, "").strip().lower() not in ("1", "true", "yes", "on"):
        return False
    url = urlparse(mirror)
    return url.scheme == "file" or url.hostname in ("127.0.0.1", "localhost", "::1")


def file_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def source_url(url: str) -> str:
    """Where to download `url` from: `<mirror>/<its file name>` when a mirror is set, else `url`."""
    mirror = data_mirror()
    return f"{mirror}/{file_name(url)}" if mirror else url


_index_cache: dict[str, dict[str, str]] = {}


def mirror_checksums(timeout: float = 30) -> dict[str, str]:
    """{file name: SHA-256} from the mirror's index.json ({} without a mirror or an index).

    A mirror that is down gives {} here; the download itself then fails with the URL."""
    mirror = data_mirror()
    if not mirror:
        return {}
    if mirror not in _index_cache:
        try:
            with urllib.request.urlopen(f"{mirror}/{INDEX}", timeout=timeout) as response:
                index = json.loads(response.read())
            _index_cache[mirror] = {f["file"]: f["sha256"] for f in index.get("files", [])}
        except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError):
            return {}
    return _index_cache[mirror]


def write_mirror(folder: Path, entries: dict[str, list[tuple[str, Path]]], progress: bool = True) -> dict:
    """Copy every entry's cached files into `folder` and write `folder/index.json`.

    `entries` maps each registry name to its files, (file name on the mirror, path in the
    cache) (see `registry.cached_files`). Files not cached are listed under "missing";
    the others are copied all the same. Returns the index."""
    from helpers.data.download import sha256_of

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files, missing = [], []
    for name, cached in entries.items():
        for fname, path in cached:
            if not path.is_file():
                missing.append({"name": name, "file": fname, "expected_at": str(path)})
                continue
            target = folder / fname
            target.parent.mkdir(parents=True, exist_ok=True)  # Hugging Face files keep their folders
            if not (target.is_file() and target.stat().st_size == path.stat().st_size
                    and sha256_of(target) == sha256_of(path)):
                tmp = target.with_name(target.name + ".copying")
                shutil.copyfile(path, tmp)
                tmp.replace(target)
            files.append({"name": name, "file": fname, "size": target.stat().st_size,
                          "sha256": sha256_of(target)})
            if progress:
                print(f"{name}: {fname} ({target.stat().st_size:,} bytes)")
    index = {"files": files, "missing": missing}
    (folder / INDEX).write_text(json.dumps(index, indent=2) + "\n")
    for m in missing if progress else ():
        print(f"{m['name']}: {m['file']} is not cached (looked at {m['expected_at']}); not in the mirror")
    return index
