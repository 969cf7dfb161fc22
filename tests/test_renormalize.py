"""Image <-> tensor conversions in every normalization, and their errors."""

import pytest
import torch
from PIL import Image

from helpers import as_image, as_tensor, renormalize
from helpers.renormalize import NORMALIZATIONS


@pytest.fixture
def photo():
    return Image.frombytes("RGB", (4, 2), bytes(range(0, 240, 10)))


@pytest.mark.parametrize("norm", NORMALIZATIONS)
def test_round_trip_through_every_normalization(photo, norm):
    t = as_tensor(photo, target=norm)
    assert t.shape == (3, 2, 4) and t.dtype == torch.float32
    assert as_image(t, source=norm).tobytes() == photo.tobytes()


def test_known_values(photo):
    assert as_tensor(photo, "zc").min() == -1.0
    assert as_tensor(photo, "byte").max() == 230.0
    clip = as_tensor(Image.new("RGB", (1, 1), (123, 117, 104)), "clip")
    assert clip.abs().max() < 0.01  # CLIP's mean colour maps to about zero


def test_batches_give_lists_and_renormalize_converts():
    batch = torch.rand(5, 3, 6, 6) * 2 - 1
    images = as_image(batch, source="zc")
    assert isinstance(images, list) and len(images) == 5 and images[0].size == (6, 6)
    back = renormalize(renormalize(batch, "zc", "imagenet"), "imagenet", "zc")
    assert torch.allclose(back, batch, atol=1e-5)


def test_grayscale():
    gray = Image.new("L", (3, 3), 128)
    t = as_tensor(gray, "pt")
    assert t.shape == (1, 3, 3)
    assert as_image(t, "pt").mode == "L"


@pytest.mark.parametrize("norm", NORMALIZATIONS)
def test_rgba_round_trips_with_alpha_kept_in_every_normalization(norm):
    rgba = torch.rand(2, 4, 3, 3)
    rgba[:, 3] = torch.tensor([0.0, 1.0, 0.5])
    back = renormalize(renormalize(rgba, "pt", norm), norm, "pt")
    assert torch.allclose(back, rgba, atol=0.5 / 255 + 1e-6 if norm == "byte" else 1e-5)  # bytes round
    images = as_image(rgba, source="pt")
    assert images[0].mode == "RGBA" and images[0].getpixel((2, 0))[3] == 128
    if norm in ("imagenet", "clip"):  # no published alpha statistics: alpha stays in [0, 1]
        assert torch.equal(renormalize(rgba, "pt", norm)[:, 3], rgba[:, 3])


def test_rgba_photos_become_rgb_tensors():
    assert as_tensor(Image.new("RGBA", (2, 2)), "pt").shape == (3, 2, 2)


def test_wrong_shape_unknown_normalization_and_wrong_type():
    with pytest.raises(ValueError, match=r"got shape \(8, 8\)"):
        as_image(torch.zeros(8, 8))
    with pytest.raises(ValueError, match=r"1, 3 or 4 channels, got shape \(2, 8, 8\)"):
        as_image(torch.zeros(2, 8, 8))
    with pytest.raises(ValueError, match="unknown normalization 'sRGB'; use one of pt, zc"):
        renormalize(torch.zeros(3, 2, 2), "sRGB", "pt")
    with pytest.raises(TypeError, match="PIL image"):
        as_tensor(torch.zeros(3, 2, 2))
    with pytest.raises(TypeError, match="torch.Tensor"):
        as_image(Image.new("RGB", (2, 2)))
