"""Full-mode loaders for the data sets torchvision reads and checks (MD5s in torchvision).

The files are downloaded by the course's downloader (progress bar, resume, the course
mirror when one is set), then checked against the MD5 that torchvision publishes for
each, and laid out where torchvision looks for them.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tarfile
from pathlib import Path

import numpy as np

from helpers.data.cache import cache_dir
from helpers.data.download import ChecksumError, DownloadError
from helpers.data.mirror import data_mirror, source_url, standin_mirror


def torchvision_root() -> Path:
    """Where torchvision's data sets are cached: `<cache>/torchvision`."""
    return cache_dir() / "torchvision"


def open_torchvision(dataset_class, name: str, folder: str, source: str, entry: str, **kwargs):
    """`dataset_class(<cache>/torchvision, **kwargs)`, or a DownloadError that names the
    source, the cache folder and the fetch command when the files are not there."""
    try:
        return dataset_class(str(torchvision_root()), **kwargs)
    except RuntimeError as err:  # "Dataset not found ... You can use download=True to download it"
        raise DownloadError(
            f"{name} is not cached in {torchvision_root() / folder} (torchvision downloads it from {source}). "
            f"Fetch it with `python -m helpers.data fetch {entry}` on a machine with network and copy that "
            "folder here (or set COURSE_DATA_DIR), or turn on sample mode (COURSE_SAMPLE_MODE=1). "
            f"Cause: {err}") from err


def md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_checked(entry: str, url: str, dest: Path, md5: str, progress: bool = True) -> Path:
    """Download `url` (or its copy on the course mirror) to `dest` and check torchvision's MD5;
    a file that does not match is deleted, so the next try downloads it again."""
    from helpers.data.registry import download_entry_file, lookup

    path = download_entry_file(entry, url, dest, progress=progress)
    if standin_mirror():
        print(f"[stand-in mirror] {path.name}: checked against the mirror's index.json, not torchvision's MD5")
        return path
    got = md5_of(path)
    if got != md5:
        path.unlink()
        raise ChecksumError(
            f"{lookup(entry).kind} {entry!r}: {path.name} from {source_url(url)} is corrupt or truncated (MD5 {got}, "
            f"torchvision expects {md5}); it was deleted, so the next try downloads it again "
            f"(`python -m helpers.data fetch {entry}`)")
    return path


def mnist_files() -> list[tuple[str, Path]]:
    """MNIST's four .gz files and where they are cached (`<cache>/torchvision/MNIST/raw/`)."""
    from torchvision.datasets import MNIST

    return [(name, torchvision_root() / "MNIST" / "raw" / name) for name, _ in MNIST.resources]


def fetch_mnist(progress: bool = True) -> Path:
    """Download MNIST's four files (each checked) and unzip them where torchvision reads them."""
    from torchvision.datasets import MNIST

    for (name, md5), (_, gz) in zip(MNIST.resources, mnist_files()):
        raw = gz.with_suffix("")  # what torchvision reads: the file without .gz
        if raw.exists():
            continue
        fetch_checked("mnist", MNIST.mirrors[0] + name, gz, md5, progress)
        tmp = raw.with_name(raw.name + ".unzipping")
        with gzip.open(gz, "rb") as src, open(tmp, "wb") as out:
            shutil.copyfileobj(src, out)
        tmp.replace(raw)
    return gz.parent


def cifar10_files() -> list[tuple[str, Path]]:
    """CIFAR-10's archive and where it is cached (`<cache>/torchvision/cifar-10-python.tar.gz`)."""
    from torchvision.datasets import CIFAR10

    return [(CIFAR10.filename, torchvision_root() / CIFAR10.filename)]


def fetch_cifar10(progress: bool = True) -> Path:
    """Download CIFAR-10's archive (checked) and unpack it where torchvision reads it."""
    from torchvision.datasets import CIFAR10

    folder = torchvision_root() / CIFAR10.base_folder
    if all((folder / f).exists() for f, _ in CIFAR10.train_list + CIFAR10.test_list):
        return folder
    ((_, archive),) = cifar10_files()
    fetch_checked("cifar10", CIFAR10.url, archive, CIFAR10.tgz_md5, progress)
    tmp = torchvision_root() / "cifar10.unpacking"
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(archive) as tf:
        tf.extractall(tmp, filter="data")
    shutil.rmtree(folder, ignore_errors=True)
    (tmp / CIFAR10.base_folder).replace(folder)
    shutil.rmtree(tmp, ignore_errors=True)
    return folder


def read_cifar10(folder: Path, train: bool) -> tuple[np.ndarray, np.ndarray]:
    """The (N, 32, 32, 3) uint8 photos and (N,) int64 labels of CIFAR-10's python batches in
    `folder` (`cifar-10-batches-py`): the training batches or `test_batch`. The archive they
    came from was checked when it was downloaded (torchvision's CIFAR10 would check every
    batch's MD5 again on each load)."""
    import pickle

    from torchvision.datasets import CIFAR10

    if not folder.is_dir():
        raise DownloadError(
            f"CIFAR-10 is not cached in {folder} (it comes from {CIFAR10.url}). Fetch it with "
            "`python -m helpers.data fetch cifar10` on a machine with network and copy that folder here (or set "
            "COURSE_DATA_DIR, or a course mirror with COURSE_DATA_MIRROR), or turn on sample mode "
            "(COURSE_SAMPLE_MODE=1).")
    images, labels = [], []
    for name, _ in CIFAR10.train_list if train else CIFAR10.test_list:
        try:
            with open(folder / name, "rb") as fh:
                batch = pickle.load(fh, encoding="latin1")  # python 2 pickles
            images.append(np.asarray(batch["data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
            labels.append(np.asarray(batch.get("labels", batch.get("fine_labels")), dtype=np.int64))
        except (OSError, pickle.UnpicklingError, EOFError, KeyError, ValueError, TypeError, AttributeError) as err:
            raise DownloadError(
                f"CIFAR-10's {name} is missing or unreadable in {folder} ({err}). Delete that folder and fetch it "
                "again with `python -m helpers.data fetch cifar10`, or turn on sample mode (COURSE_SAMPLE_MODE=1)."
            ) from err
    return np.concatenate(images), np.concatenate(labels)


def mnist(train: bool = True, download: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """torchvision's MNIST (the 60,000 training or 10,000 test digits) as uint8 images and labels.

    Downloaded when `download` is true or a course mirror is set; otherwise read from the cache."""
    from torchvision.datasets import MNIST

    if download or data_mirror():
        fetch_mnist()
    data = open_torchvision(MNIST, "MNIST", "MNIST", MNIST.mirrors[0], "mnist", train=train)
    return data.data.numpy(), data.targets.numpy()
