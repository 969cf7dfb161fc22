"""hw3_netvis's grader-side judges (`source/hw3_netvis/judges.py`) on values built here:
each passes what a correct hand-in hands out and says why it fails the rest, with the
sample network, and the full-mode path (SqueezeNet 1.1 read from torch's cache, colour
pictures) on a SqueezeNet whose weights are random (the real ones are not here)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import torch

from grading import ROOT


@pytest.fixture(scope="module")
def judges():
    spec = importlib.util.spec_from_file_location("hw3_netvis_judges", ROOT / "source" / "hw3_netvis" / "judges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.network.cache_clear()
    yield module
    module.network.cache_clear()


@pytest.fixture(scope="module")
def digits(judges):
    """The example digits, preprocessed, and the sample network's prediction for each."""
    from helpers.netvis import load_images

    images, _, _ = load_images()
    x = judges.network().preprocess(images).numpy()
    return images, x, judges._scores(x).argmax(axis=1)


def _pick(predicted, digit: int) -> int:
    return int(np.flatnonzero(predicted == digit)[0])


def test_fooling_judge(judges, digits):
    _, x, predicted = digits
    zero, four = x[_pick(predicted, 0)][None], x[_pick(predicted, 4)][None]
    want = {"fooling image": four, "image afterwards": zero}
    judge = judges.fools_the_network
    assert judge(want, want, target=4) == ""
    assert "classifies it as class 0 ('zero'), not as class 4 ('four')" in judge(
        {"fooling image": zero, "image afterwards": zero}, want, target=4)
    assert "changed the image it was given" in judge({"fooling image": four, "image afterwards": four}, want, target=4)
    close_by = {"fooling image": zero + 0.01, "image afterwards": zero}
    assert "was enough: stop as soon as" in judge(want, close_by, target=4)
    assert "NaN" in judge({"fooling image": four * np.nan, "image afterwards": zero}, want, target=4)
    assert "has shape" in judge({"fooling image": four[0], "image afterwards": zero}, want, target=4)
    assert "could not collect" in judge(0.0, want, target=4)


def test_rising_score_judges(judges, digits):
    images, x, predicted = digits
    zero, three = _pick(predicted, 0), _pick(predicted, 3)
    runs = [{"start": x[zero][None], "after": x[three][None]}]
    assert judges.raises_the_score(runs, runs, targets=[3]) == ""
    back = [{"start": x[three][None], "after": x[zero][None]}]
    assert "it should rise" in judges.raises_the_score(back, back, targets=[3])
    assert "could not collect" in judges.raises_the_score(runs[0], runs, targets=[3])

    run = {"steps recorded": 30, "first picture": images[zero], "last picture": images[three]}
    assert judges.visualization_raises_score(run, run, target=3) == ""
    swapped = {**run, "first picture": images[three], "last picture": images[zero]}
    assert "it should rise" in judges.visualization_raises_score(swapped, run, target=3)
    assert "29 pictures for 30 steps" in judges.visualization_raises_score({**run, "steps recorded": 29}, run, target=3)
    floats = {**run, "last picture": images[three] / 255.0}
    assert "not a picture like the loop makes" in judges.visualization_raises_score(floats, run, target=3)


def test_saliency_judge(judges):
    maps = np.random.default_rng(0).random((2, 5, 5))
    images = np.zeros((2, 1, 5, 5))
    want = {"maps": maps, "maps of a second call": maps, "images afterwards": images}
    as_float32 = {k: v.astype(np.float32) for k, v in want.items()}
    judge = judges.saliency_in_own_precision
    nearly = (1.01 * maps).astype(np.float32)
    assert judge({**as_float32, "maps": nearly, "maps of a second call": nearly}, want) == ""
    assert "differ from the expected ones by 0.2" in judge({**as_float32, "maps": 1.2 * maps}, want)
    assert "a second call" in judge({**as_float32, "maps of a second call": 2 * maps}, want)
    assert "changed the images" in judge({**as_float32, "images afterwards": images + 1}, want)


def test_judges_load_squeezenet_in_full_mode(judges, tmp_path, monkeypatch):
    from torchvision.models import squeezenet1_1

    from helpers.netvis.models import squeezenet_cache_path

    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    torch.manual_seed(0)
    path = squeezenet_cache_path()
    path.parent.mkdir(parents=True)
    torch.save(squeezenet1_1(weights=None).state_dict(), path)
    judges.network.cache_clear()
    try:
        net = judges.network()
        assert len(net.class_names) == 1000 and next(net.parameters()).device.type == "cpu"
        pictures = np.random.default_rng(1).integers(0, 256, (2, 224, 224, 3), dtype=np.uint8)
        scores = judges._picture_scores(list(pictures))
        target = int(np.argmax(scores[1] - scores[0]))  # the class the second picture raises most
        run = {"steps recorded": 2, "first picture": pictures[0], "last picture": pictures[1]}
        assert judges.visualization_raises_score(run, run, target=target) == ""
        swapped = {**run, "first picture": pictures[1], "last picture": pictures[0]}
        assert "it should rise" in judges.visualization_raises_score(swapped, run, target=target)
        x = net.preprocess(pictures).numpy()
        top = int(judges._scores(x[:1]).argmax())
        want = {"fooling image": x[:1], "image afterwards": x[1:]}
        assert judges.fools_the_network(want, want, target=top, extra=1e9) == ""
    finally:
        judges.network.cache_clear()
