"""Fairness the contract's hand-ins cannot show, checked in this process without a kernel:
the k-NN judge takes any tie-break, and the module census accepts a shared layer counted
once or each time it appears (the sample pipeline shares none)."""

import importlib.util

import nbformat
import numpy as np
import pytest
import torch

from autograder.judging import Judge, expectations
from autograder.markers import split_test
from autograder.sandbox import observe
from autograder.testing import grade_id
from grading import ROOT

SOURCE = ROOT / "source" / "hw1_foundations"


def _judges():
    spec = importlib.util.spec_from_file_location("hw1_judges", SOURCE / "judges.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_knn_judge_accepts_either_of_two_tied_neighbours_and_rejects_the_farthest():
    data = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 3.0]], dtype=np.float32)  # 0 and 1 tie for the origin
    case = [{"data": data, "queries": np.zeros((1, 2), dtype=np.float32), "k": 2, "device": "cpu"}]

    def answer(distances, indices):
        return [{"result": (np.array([distances], dtype=np.float32), np.array([indices])),
                 "devices": ["cpu", "cpu"]}]

    judge = _judges().knn_neighbours
    assert judge(answer([1.0, 1.0], [0, 1]), case) == ""
    assert judge(answer([1.0, 1.0], [1, 0]), case) == ""
    assert "not the k nearest" in judge(answer([1.0, 1.0], [0, 2]), case)
    assert "repeats" in judge(answer([1.0, 1.0], [0, 0]), case)


class _Pipe:
    """A pipeline whose network uses one layer twice, beside a component that is no module."""

    def __init__(self):
        layer = torch.nn.Linear(3, 3)
        self.components = {"net": torch.nn.Sequential(layer, torch.nn.ReLU(), layer), "tokenizer": object()}


def _census(pipe, every_appearance: bool):
    """A student's census: once, as modules() and parameters() yield them, or each time."""
    rows = {}
    for name, component in pipe.components.items():
        if isinstance(component, torch.nn.Module):
            if every_appearance:
                modules = list(component.named_modules(remove_duplicate=False))
                params = [p for _, p in component.named_parameters(remove_duplicate=False)]
            else:
                modules, params = list(component.modules()), list(component.parameters())
            rows[name] = {"type": type(component).__name__, "modules": len(modules), "tensors": len(params),
                          "scalars": sum(p.numel() for p in params)}
    return rows


def _observed(monkeypatch, census, recording: bool) -> list[dict]:
    """What the census test's hidden block reports about `census`, run here."""
    cell = next(c for c in nbformat.read(SOURCE / "hw1_foundations.ipynb", as_version=4).cells
                if grade_id(c) == "test_module_census")
    published = []
    monkeypatch.setattr(observe, "_publish", published.append)
    monkeypatch.setattr(observe, "_state", {"recording": recording})
    pipe = _Pipe()
    for hidden, code in split_test(cell.source):
        if hidden:
            exec(code, {"pipe": pipe, "module_census": census})
    assert torch.nn.Module.modules.__name__ == "modules", "the test left Module patched"
    return published


@pytest.mark.parametrize("every_appearance", [False, True])
def test_a_shared_layer_may_be_counted_once_or_each_time(monkeypatch, every_appearance):
    reference = _observed(monkeypatch, lambda p: _census(p, False), recording=True)  # the solution's way
    student = _observed(monkeypatch, lambda p: _census(p, every_appearance), recording=False)
    expected = expectations({"test_module_census": reference}, {"test_module_census": 2.0})
    verdict = Judge().cell(expected["test_module_census"], student, 2.0)
    assert (verdict.points, verdict.lines) == (2.0, [])
    assert _census(_Pipe(), True)["net"] != _census(_Pipe(), False)["net"]  # the two ways differ here


def test_a_census_off_by_one_still_loses_its_half_point(monkeypatch):
    def short_by_one(pipe):
        rows = _census(pipe, False)
        rows["net"]["modules"] -= 1
        return rows

    reference = _observed(monkeypatch, lambda p: _census(p, False), recording=True)
    student = _observed(monkeypatch, short_by_one, recording=False)
    expected = expectations({"test_module_census": reference}, {"test_module_census": 2.0})
    verdict = Judge().cell(expected["test_module_census"], student, 2.0)
    assert verdict.points == 1.5 and 'the "modules" count of each component' in verdict.lines[0]


def test_withheld_answers_name_what_is_wrong_but_not_the_right_answer():
    withheld = _judges().withheld
    facts = withheld({"dims": ("batch", "height"), "numel": 8}, {"dims": ("batch", "channel"), "numel": 8},
                     name="the facts of x")
    assert facts == "the facts of x: dims is not right"
    assert withheld(14, 12, name="count", hint="an int") == "count is not right (an int)"
    assert withheld(12, 12) == "" and withheld(12.0, 12) != ""
    assert withheld(["A XNOR B", "A XOR B"], ["A XOR B", "A XNOR B"], compare="same_set") == ""
