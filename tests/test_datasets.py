"""The dataset registry in full mode (no network here) and the sample-mode stand-ins."""

import numpy as np
import pytest

from helpers import datasets
from helpers.download import DownloadError


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(KeyError, match="unknown dataset 'cifar100'; known datasets: coco_captioning"):
        datasets.fetch("cifar100")


def test_registry_keeps_the_real_urls():
    assert datasets.REGISTRY["coco_captioning"].url == "http://cs231n.stanford.edu/coco_captioning.zip"
    assert datasets.REGISTRY["coco_humans"].url.endswith("/coco_humans.zip")
    assert set(datasets.PINNED) == set(datasets.REGISTRY)


def test_sample_mode_refuses_full_data():
    with pytest.raises(RuntimeError, match="sample mode is on"):
        datasets.fetch("imagenet_val_25")


def test_full_mode_without_network_says_where_from_and_where_to(monkeypatch):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    with pytest.raises(DownloadError) as err:
        datasets.fetch("imagenet_val_25", progress=False)
    message = str(err.value)
    assert "http://cs231n.stanford.edu/imagenet_val_25.npz" in message
    assert "is not cached at" in message and "imagenet_val_25.npz" in message
    assert "python -m helpers.datasets fetch imagenet_val_25" in message


def test_people_folder_full_mode_is_the_real_dataset_and_fails_clearly(monkeypatch):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    with pytest.raises(DownloadError, match="coco_humans.*not cached.*cs7150.baulab.info/2022-Fall/data/coco_humans.zip"):
        datasets.people_image_folder()


def test_people_folder_sample_mode_is_an_image_folder(capsys):
    from torchvision.datasets import ImageFolder

    images = ImageFolder(str(datasets.people_image_folder()))
    assert len(images) == 20 and images[0][0].size == (224, 224)
    assert "stand in for the course's 1,000-image coco_humans" in capsys.readouterr().out


def test_datasets_command_line_lists_the_registry(capsys):
    assert datasets.main(["list"]) == 0
    assert "coco_captioning" in capsys.readouterr().out


def test_first_download_pins_the_checksum_then_verify_catches_tampering(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    (tmp_path / "imagenet_val_25.npz").write_bytes(b"pretend this came from the server")
    path = datasets.fetch("imagenet_val_25")
    assert path == tmp_path / "imagenet_val_25.npz"
    assert "imagenet_val_25" in (tmp_path / "checksums.json").read_text()
    datasets.verify("imagenet_val_25")
    path.write_bytes(b"tampered")
    with pytest.raises(datasets.ChecksumError, match="does not match the pinned SHA-256"):
        datasets.verify("imagenet_val_25")


def test_sample_mnist_is_real_digits(capsys):
    images, labels = datasets.sample_mnist()
    assert images.shape == (5000, 28, 28) and images.dtype == np.uint8
    assert set(np.unique(labels)) == set(range(10))
    assert 0.05 < (images > 0).mean() < 0.4  # ink on a dark background, like MNIST
    assert "[sample mode]" in capsys.readouterr().out


def test_sample_photos_are_rgb_uint8():
    photos = datasets.sample_photos()
    assert {"astronaut", "grace_hopper", "chelsea"} <= set(photos)
    for name, img in photos.items():
        assert img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.uint8, name
