"""Build sample mode's captioning set: real MNIST digits with captions that describe them.

The set has the real archive's layout (see `helpers.captioning.layout`): captions (N, 17) int32 that
start with <START>, end with <END> and are padded with <NULL>; rare words replaced by
<UNK>; several captions per image linked by `*_image_idxes`; (images, 512) float32
features; one URL per image (here a local PNG file). Every caption is computed from the
digit it belongs to (its label, how much ink it has, which way it leans), so a model
can really learn to caption these images.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from helpers.captioning.layout import (CAPTIONS_FILE, END, NULL, SAMPLE_FEATURES, SAMPLE_MARKER, START, UNK,
                                      VOCAB_FILE)
from helpers.data.cache import built_once
from helpers.data.samples import sample_mnist

NAME = "coco_captioning_sample"
VERSION = "2"
CAPTION_LENGTH = 17
FEATURE_DIM = 512
VAL_IMAGES = 1000
MIN_WORD_COUNT = 100  # rarer words become <UNK>, as in the real vocabulary
DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _describe(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per image: stroke weight (0 thin, 1 thick) and lean (0 left, 1 upright, 2 right)."""
    ink = (images > 127).reshape(len(images), -1).mean(axis=1)
    thick = np.zeros(len(images), dtype=int)
    for d in range(10):  # thick or thin compared with other examples of the same digit
        sel = labels == d
        thick[sel] = ink[sel] > np.median(ink[sel])
    rows, cols = np.mgrid[0:28, 0:28]
    w = images.astype(np.float64)
    mass = w.sum(axis=(1, 2))
    r_mean = (w * rows).sum(axis=(1, 2)) / mass
    c_mean = (w * cols).sum(axis=(1, 2)) / mass
    dr, dc = rows[None] - r_mean[:, None, None], cols[None] - c_mean[:, None, None]
    # Columns move left as rows go down when the digit leans right (image rows grow downwards).
    slope = -(w * dr * dc).sum(axis=(1, 2)) / (w * dr * dr).sum(axis=(1, 2))
    lean = np.digitize(slope, [-0.1, 0.1])
    return thick, lean


def _captions_for(digit: str, thick: int, lean: int, rng: np.random.Generator) -> list[list[str]]:
    weight = ("thin", "thick")[thick]
    leaning = ("leaning left", "standing upright", "leaning right")[lean]
    verb = "scribbled" if rng.random() < 0.02 else "written"  # rare: becomes <UNK>
    return [
        f"a {weight} handwritten {digit} {leaning}".split(),
        f"the digit {digit} {verb} with a {weight} stroke".split(),
    ]


def _encode(words: list[str], word_to_idx: dict[str, int]) -> list[int]:
    ids = [word_to_idx[START]] + [word_to_idx.get(w, word_to_idx[UNK]) for w in words] + [word_to_idx[END]]
    return ids + [word_to_idx[NULL]] * (CAPTION_LENGTH - len(ids))


def _pca(train: np.ndarray, val: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Project pixels (scaled to [0, 1]) onto the training set's top `dim` principal axes."""
    mean = train.mean(axis=0)
    _, _, vt = np.linalg.svd(train - mean, full_matrices=False)
    axes = vt[:dim]
    return ((train - mean) @ axes.T).astype(np.float32), ((val - mean) @ axes.T).astype(np.float32)


def build_sample_captioning() -> Path:
    """The sample captioning folder, built once (about five seconds) and then reused."""
    return built_once(NAME, _build, VERSION)


def _build(root: Path) -> None:
    import h5py
    from PIL import Image

    (root / "images").mkdir()
    final = root.parent / NAME  # where built_once moves this folder: the URLs point there
    images, labels = sample_mnist()
    rng = np.random.default_rng(0)
    thick, lean = _describe(images, labels)
    order = rng.permutation(len(images))
    splits = {"val": order[:VAL_IMAGES], "train": order[VAL_IMAGES:]}

    texts = {s: [(i, words) for i, idx in enumerate(ix)
                 for words in _captions_for(DIGITS[labels[idx]], thick[idx], lean[idx], rng)]
             for s, ix in splits.items()}
    counts = Counter(w for _, words in texts["train"] for w in words)
    idx_to_word = [NULL, START, END, UNK] + sorted(w for w, c in counts.items() if c >= MIN_WORD_COUNT)
    word_to_idx = {w: i for i, w in enumerate(idx_to_word)}
    (root / VOCAB_FILE).write_text(json.dumps({"idx_to_word": idx_to_word, "word_to_idx": word_to_idx}))

    pixels = images.reshape(len(images), -1).astype(np.float64) / 255.0
    features = dict(zip(("train", "val"), _pca(pixels[splits["train"]], pixels[splits["val"]], FEATURE_DIM)))
    with h5py.File(root / CAPTIONS_FILE, "w") as fh:
        for split, pairs in texts.items():
            fh[f"{split}_captions"] = np.asarray([_encode(w, word_to_idx) for _, w in pairs], dtype=np.int32)
            fh[f"{split}_image_idxes"] = np.asarray([i for i, _ in pairs], dtype=np.int32)
    for split, ix in splits.items():
        with h5py.File(root / SAMPLE_FEATURES.format(split=split), "w") as fh:
            fh["features"] = features[split]
        urls = []
        for n, idx in enumerate(ix):
            path = root / "images" / f"{split}_{n:05d}.png"
            Image.fromarray(images[idx]).save(path)
            urls.append((final / "images" / path.name).resolve().as_uri())
        (root / f"{split}2014_urls.txt").write_text("\n".join(urls) + "\n")
    (root / SAMPLE_MARKER).write_text(VERSION)
