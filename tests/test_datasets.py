"""The registry of data sets and models in full mode (no network here) and the sample-mode stand-ins."""

import numpy as np
import pytest

from helpers import data
from helpers.data import registry, samples
from helpers.data.download import ChecksumError, DownloadError


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(KeyError, match="unknown dataset or model 'cifar100'; known: cifar10, clip_tokenizer"):
        data.fetch("cifar100")


def test_registry_keeps_the_real_sources():
    assert data.REGISTRY["coco_captioning"].real.url == "http://cs231n.stanford.edu/coco_captioning.zip"
    assert data.REGISTRY["coco_humans"].real.url.endswith("/coco_humans.zip")
    assert data.REGISTRY["stable_diffusion"].real.repo_id == "CompVis/stable-diffusion-v1-4"
    for entry in data.REGISTRY.values():  # each has a real source, and a stand-in unless it ships offline
        assert entry.real.url or entry.real.repo_id or entry.real.offline, entry.name
        assert entry.fetch_command, entry.name


def test_every_sample_builder_and_loader_exists():
    for entry in data.REGISTRY.values():
        for path in filter(None, [entry.real.loader, entry.sample and entry.sample.builder]):
            assert callable(registry._function(path)), path


def test_sample_mode_without_a_stand_in_says_what_to_do(monkeypatch):
    entry = registry.Entry("new_dataset", "dataset", "a data set with no stand-in yet",
                           registry.Real(url="https://example.org/new_dataset.npz"))
    monkeypatch.setitem(registry.REGISTRY, "new_dataset", entry)
    with pytest.raises(RuntimeError, match="'new_dataset' has no sample stand-in.*COURSE_SAMPLE_MODE=0"):
        data.load("new_dataset")


def test_sample_mode_refuses_full_data():
    with pytest.raises(RuntimeError, match="sample mode is on"):
        data.fetch("imagenet_val_25")


def test_full_mode_without_network_says_where_from_and_where_to(monkeypatch):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    with pytest.raises(DownloadError) as err:
        data.fetch("imagenet_val_25", progress=False)
    message = str(err.value)
    assert "http://cs231n.stanford.edu/imagenet_val_25.npz" in message
    assert "is not cached at" in message and "imagenet_val_25.npz" in message
    assert "python -m helpers.data fetch imagenet_val_25" in message


def test_people_folder_full_mode_is_the_real_dataset_and_fails_clearly(monkeypatch):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    with pytest.raises(DownloadError, match="coco_humans.*not cached.*cs7150.baulab.info/2023-Fall/data/coco_humans.zip"):
        data.people_image_folder()


def test_people_folder_sample_mode_is_an_image_folder(capsys):
    from torchvision.datasets import ImageFolder

    images = ImageFolder(str(data.people_image_folder()))
    assert len(images) == 20 and images[0][0].size == (224, 224)
    assert "stand in for the course's 1,000-image coco_humans" in capsys.readouterr().out


def test_data_command_line_lists_the_registry(capsys):
    assert registry.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "coco_captioning" in out and "CompVis/stable-diffusion-v1-4" in out


def test_first_download_pins_the_checksum_then_verify_catches_tampering(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    (tmp_path / "imagenet_val_25.npz").write_bytes(b"pretend this came from the server")
    path = data.fetch("imagenet_val_25")
    assert path == tmp_path / "imagenet_val_25.npz"
    assert "imagenet_val_25" in (tmp_path / "checksums.json").read_text()
    data.verify("imagenet_val_25")
    path.write_bytes(b"tampered")
    with pytest.raises(ChecksumError, match="does not match the pinned SHA-256"):
        data.verify("imagenet_val_25")


def test_sample_mnist_is_real_digits(capsys):
    images, labels = data.mnist()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert set(np.unique(labels)) == set(range(10))
    assert 0.05 < (images > 0).mean() < 0.4  # ink on a dark background, like MNIST
    assert "[sample mode]" in capsys.readouterr().out


def test_sample_photos_are_rgb_uint8():
    photos = samples.sample_photos()
    assert {"astronaut", "grace_hopper", "chelsea"} <= set(photos)
    for name, img in photos.items():
        assert img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.uint8, name


def test_full_mode_mnist_without_the_files_names_the_source_and_the_cache(monkeypatch):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    with pytest.raises(DownloadError, match="MNIST is not cached in .*torchvision.*python -m helpers.data fetch mnist"):
        data.mnist()


def test_built_once_builds_one_complete_folder_and_then_reuses_it(monkeypatch, tmp_path):
    from helpers.data.cache import built_once

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    calls = []

    def build(folder):
        calls.append(folder)
        (folder / "file.txt").write_text("made")

    first = built_once("thing", build)
    assert first == tmp_path / "thing" and (first / "file.txt").read_text() == "made"
    assert built_once("thing", build) == first and len(calls) == 1
    assert built_once("thing", build, version="2") == first and len(calls) == 2  # a new version rebuilds
    assert not list(tmp_path.glob("thing.building-*"))


def test_warming_builds_the_locally_built_entries_once_into_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    built = registry.warm_cache()
    assert set(built) == set(registry.BUILT_LOCALLY)
    assert (tmp_path / "clip_tokenizer" / ".built").exists()
    assert (tmp_path / "mnist_classifier_sample" / ".built").exists()
