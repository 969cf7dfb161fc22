"""Download files into a cache, verified by SHA-256, resumable, with a progress bar."""

from __future__ import annotations

import hashlib
import http.client
import shutil
import tarfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from helpers.data.cache import cache_dir
from helpers.progress import pbar

CHUNK = 1 << 20


class DownloadError(RuntimeError):
    """A file could not be fetched; the message says from where, to where, and what to do."""


class ChecksumError(DownloadError):
    """A file's SHA-256 is not the one expected."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def download(url: str, dest: Path | None = None, sha256: str | None = None,
             progress: bool = True, timeout: float = 60, label: str | None = None) -> Path:
    """Fetch `url` to `dest` (default: the cache, under the URL's file name) and return it.

    An existing file whose checksum matches is reused. A partial download left by an
    interruption (`dest` + ".part") is resumed with an HTTP Range request. With `sha256`
    the result is verified; a mismatch deletes the file and raises ChecksumError. The
    progress bar is named `label`, else after the file.
    """
    dest = Path(dest) if dest else cache_dir() / url.rstrip("/").rsplit("/", 1)[-1]
    if dest.exists():
        if sha256 is None or sha256_of(dest) == sha256:
            return dest
        dest.unlink()  # stale or corrupt: fetch again
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            resumed = have and response.status == 206
            if not resumed:
                have = 0
            length = response.headers.get("Content-Length")
            total = have + int(length) if length else None
            with open(part, "ab" if resumed else "wb") as out:
                bar = pbar(None, desc=label or dest.name, total=total, initial=have, unit="B",
                           unit_scale=True, disable=not progress)
                for block in iter(lambda: response.read(CHUNK), b""):
                    out.write(block)
                    bar.update(len(block))
                bar.close()
            if total is not None and part.stat().st_size < total:
                raise DownloadError(f"download of {url} stopped at {part.stat().st_size} of {total} bytes; "
                                    f"run it again to resume ({part})")
    except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
        if isinstance(err, DownloadError):
            raise
        raise DownloadError(
            f"could not download {url} to {dest}: {err}. Without network access, fetch the file "
            f"on another machine and copy it to {dest}, or turn on sample mode (COURSE_SAMPLE_MODE=1)."
        ) from err
    if sha256 is not None:
        got = sha256_of(part)
        if got != sha256:
            part.unlink()
            raise ChecksumError(f"{url}: SHA-256 is {got}, expected {sha256}; the corrupt file was deleted")
    part.replace(dest)
    return dest


def extract(archive: Path, into: Path | None = None) -> Path:
    """Unpack a .zip or .tar(.gz/.bz2/.xz) archive next to it (or `into`); return the folder.

    The folder is complete or absent: archives unpack into a temporary name first."""
    archive = Path(archive)
    into = Path(into) if into else archive.with_name(archive.name.split(".")[0])
    if into.is_dir():
        return into
    tmp = into.with_name(into.name + ".extracting")
    shutil.rmtree(tmp, ignore_errors=True)
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp)
    elif tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tf:
            tf.extractall(tmp, filter="data")
    else:
        raise DownloadError(f"{archive} is neither a zip nor a tar archive")
    tmp.replace(into)
    return into
