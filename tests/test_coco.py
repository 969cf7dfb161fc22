"""The captioning data: the sample set's format and honesty, the loader, minibatches, decoding."""

import shutil

import numpy as np
import pytest

from helpers.captioning import coco
from helpers.captioning.sample import DIGITS, build_sample_captioning
from helpers.data.samples import sample_mnist
from helpers.data.download import DownloadError


@pytest.fixture(scope="module")
def data():
    return coco.load_coco_data()


def test_sample_set_has_the_real_archive_layout(data):
    for split in ("train", "val"):
        captions, idxes = data[f"{split}_captions"], data[f"{split}_image_idxes"]
        assert captions.dtype == np.int32 and captions.shape[1] == 17
        assert idxes.dtype == np.int32 and idxes.shape == captions.shape[:1]
        features = data[f"{split}_features"]
        assert features.dtype == np.float32 and features.shape == (len(data[f"{split}_urls"]), 512)
        assert idxes.max() == len(features) - 1
    assert data["idx_to_word"][:4] == ["<NULL>", "<START>", "<END>", "<UNK>"]
    assert all(data["word_to_idx"][w] == i for i, w in enumerate(data["idx_to_word"]))


def test_captions_start_end_pad_and_use_unk(data):
    w2i = data["word_to_idx"]
    caps = data["train_captions"]
    assert (caps[:, 0] == w2i["<START>"]).all()
    ends = (caps == w2i["<END>"]).argmax(axis=1)
    assert (caps[np.arange(len(caps)), ends] == w2i["<END>"]).all()
    after_end = np.arange(17)[None, :] > ends[:, None]
    assert (caps[after_end] == w2i["<NULL>"]).all() and (caps[~after_end] != w2i["<NULL>"]).all()
    assert (caps == w2i["<UNK>"]).any(), "rare words should become <UNK>, as in the real vocabulary"


def test_captions_describe_their_images(data):
    """Each caption names the digit its image shows (checked against MNIST's labels)."""
    images, labels = sample_mnist()
    lookup = {img.tobytes(): label for img, label in zip(images, labels)}
    texts = coco.decode_captions(data["val_captions"][:200], data["idx_to_word"])
    for text, idx in zip(texts, data["val_image_idxes"][:200]):
        image = coco.image_from_url(data["val_urls"][idx])[:, :, 0]
        assert DIGITS[lookup[image.tobytes()]] in text.split(), (text, lookup[image.tobytes()])


def test_max_train_keeps_distinct_captions_and_all_features():
    np.random.seed(0)
    small = coco.load_coco_data(max_train=50)
    assert small["train_captions"].shape == (50, 17)
    assert len({row.tobytes() + bytes(i) for row, i in zip(small["train_captions"], small["train_image_idxes"])}) > 1
    assert small["train_features"].shape[0] == len(small["train_urls"])


def test_minibatch_pairs_captions_with_their_features(data):
    np.random.seed(1)
    captions, features, urls = coco.sample_coco_minibatch(data, batch_size=7, split="val")
    assert captions.shape == (7, 17) and features.shape == (7, 512) and urls.shape == (7,)
    for cap, feat in zip(captions, features):
        rows = np.flatnonzero((data["val_captions"] == cap).all(axis=1))
        assert any(np.array_equal(data["val_features"][data["val_image_idxes"][r]], feat) for r in rows)


def test_decode_drops_padding_and_stops_at_end():
    words = ["<NULL>", "<START>", "<END>", "<UNK>", "a", "cat"]
    assert coco.decode_captions(np.array([1, 4, 5, 2, 4, 0]), words) == "<START> a cat <END>"
    assert coco.decode_captions(np.array([[4, 0, 5], [5, 5, 5]]), words) == ["a cat", "cat cat cat"]


def test_image_from_url_gives_none_for_a_missing_image(tmp_path, capsys):
    assert coco.image_from_url((tmp_path / "gone.png").as_uri()) is None
    assert "could not read image" in capsys.readouterr().out


def test_the_loader_reads_a_folder_in_the_full_archive_layout(tmp_path):
    """Full mode reads the real file names (VGG-16 feature files); the sample folder renamed
    to them stands in for the archive here."""
    sample = build_sample_captioning()
    full = tmp_path / "coco_captioning"
    shutil.copytree(sample, full, ignore=shutil.ignore_patterns("images", "SAMPLE", "*_pixels_pca.h5"))
    for split in ("train", "val"):
        for name in coco.FULL_FEATURES.values():
            shutil.copy(sample / coco.SAMPLE_FEATURES.format(split=split), full / name.format(split=split))
    data = coco.load_coco_data(full, pca_features=False)
    assert data["train_features"].shape[1] == 512 and len(data["idx_to_word"]) > 4


def test_full_mode_without_the_archive_says_how_to_fetch_it(monkeypatch):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    with pytest.raises(DownloadError, match="coco_captioning.*not cached.*python -m helpers.data fetch coco_captioning"):
        coco.load_coco_data()
