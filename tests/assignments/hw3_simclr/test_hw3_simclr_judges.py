"""hw3_simclr's grader-side judges (`source/hw3_simclr/judges.py`) on values made here, for
the paths the contract's grading run cannot reach: full mode's probe predictions, a
diverged or mis-shaped encoder, views handed back in the other order, a `train` that never
steps. The contract covers the rest through the real grader."""

import importlib.util

import numpy as np
import pytest
import torch

from grading import ROOT
from helpers.simclr import evaluate_encoder, probe_predictions, random_simclr
from helpers.simclr.data import sample_cifar10
from helpers.simclr.model import sample_simclr

SOURCE = ROOT / "source" / "hw3_simclr"


@pytest.fixture(scope="module")
def judges():
    spec = importlib.util.spec_from_file_location("hw3_simclr_judges", SOURCE / "judges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _weights(model) -> dict[str, np.ndarray]:
    """What the hidden test hands over: the encoder f's state, as the grader decodes it."""
    return {key: value.detach().cpu().numpy().copy() for key, value in model.f.state_dict().items()}


@pytest.fixture(scope="module")
def shipped():
    return {"weights": _weights(sample_simclr(SOURCE / "simclr_small_encoder.pt", device="cpu"))}


def test_the_shipped_encoder_passes_and_a_random_one_fails(judges, shipped):
    assert judges.probe_accuracy(shipped, shipped, "probe", at_least=90.0) == ""
    assert judges.probe_lead(shipped, shipped, "lead", margin=35.0) == ""
    untrained = {"weights": _weights(random_simclr(seed=3, device="cpu"))}
    message = judges.probe_accuracy(untrained, shipped, "probe", at_least=90.0)
    assert message.startswith("probe: a linear probe on your trained encoder's features reaches") and "below 90 %" in message
    assert "fewer than 35" in judges.probe_lead(untrained, shipped, "lead", margin=35.0)


def test_diverged_or_misshapen_weights_are_named(judges, shipped):
    diverged = {"weights": {k: v.copy() for k, v in shipped["weights"].items()}}
    diverged["weights"]["0.weight"][0, 0, 0, 0] = np.nan
    assert "NaN or infinite" in judges.probe_accuracy(diverged, shipped, "probe", at_least=90.0)
    fewer = {"weights": {k: v for k, v in shipped["weights"].items() if k != "0.weight"}}
    assert "do not fit the notebook's architecture" in judges.probe_lead(fewer, shipped, "lead", margin=35.0)
    assert "could not be read" in judges.probe_accuracy(0.0, shipped, "probe", at_least=90.0)


def test_full_mode_predictions_are_scored_against_the_graders_labels(judges):
    """Full mode hands over per-epoch test predictions; the judges score them with labels the
    grader loads itself (here the sample set's), the random encoder's from the reference run."""
    labels = sample_cifar10().test_labels
    rng = np.random.default_rng(0)
    random_guesses = rng.integers(0, 10, (10, len(labels)))
    want = {"predictions": np.stack([labels] * 10), "random predictions": random_guesses}
    good = {"predictions": np.stack([labels] * 9 + [(labels + 1) % 10]), "random predictions": labels[None] * 0}
    assert judges.probe_accuracy(good, want, "probe", at_least=70.0) == ""
    assert judges.probe_lead(good, want, "lead", margin=30.0) == ""  # against the reference's random predictions
    half = np.where(np.arange(len(labels)) % 2 == 0, labels, (labels + 1) % 10)
    weak = {"predictions": np.stack([half] * 10), "random predictions": want["predictions"]}
    assert "reaches 50.0 %, below 70 %" in judges.probe_accuracy(weak, want, "probe", at_least=70.0)
    assert "could not be read" in judges.probe_accuracy({"predictions": labels, "random predictions": labels}, want,
                                                        "probe", at_least=70.0)


def test_probe_predictions_are_the_linear_evaluation_without_its_labels():
    data = sample_cifar10()
    torch.set_num_threads(1)
    model = random_simclr(seed=1, device="cpu")
    predictions = probe_predictions(model, data, epochs=3, seed=0).numpy()
    scored = [100.0 * float(np.mean(row == data.test_labels)) for row in predictions]
    assert predictions.shape == (3, len(data.test_labels))
    assert scored == pytest.approx(evaluate_encoder(model, data, epochs=3, seed=0).test_acc)


def test_two_views_in_either_order_pass_and_identical_ones_are_named(judges):
    a, b = np.zeros((3, 4, 4), np.float32), np.ones((3, 4, 4), np.float32)
    want = [[a, b], [b, a]]
    assert judges.either_order([[b, a], [b, a]], want, "views") == ""
    assert "identical: call self.transform twice" in judges.either_order([[a, a], [b, a]], want, "views")
    assert "not two separate draws" in judges.either_order([[a, b + 1], [b, a]], want, "views")


def test_parameters_that_never_moved_are_named(judges):
    before = {"w": np.zeros(3)}
    want = {"before": before, "after": {"w": np.full(3, 0.5)}}
    assert judges.trained_parameters({"before": before, "after": {"w": np.full(3, 0.5)}}, want, "step") == ""
    assert "did not change" in judges.trained_parameters({"before": before, "after": before}, want, "step")
    assert "differs from the expected values" in judges.trained_parameters(
        {"before": before, "after": {"w": np.full(3, 0.4)}}, want, "step")
