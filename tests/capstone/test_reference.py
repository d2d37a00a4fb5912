"""Reference submissions train deterministically into the cache, and each optimisation keeps
the trained model's answers (the fused forward exactly, int8 within its rounding)."""

import importlib.util

import numpy as np
import pytest

import tinytorch.nn as nn
from tinytorch.capstone.reference import BASELINES, OPTIMIZED, REFERENCES_DIR, materialize, references
from tinytorch.capstone.rules import check_source, load_weights
from tinytorch.core.tensor import Tensor


def submission_module(folder):
    spec = importlib.util.spec_from_file_location("submission_under_test", folder / "submission.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_event_has_a_baseline_and_an_optimized_reference_that_follow_the_rules():
    assert set(BASELINES) == set(OPTIMIZED)
    for name in set(BASELINES.values()) | set(OPTIMIZED.values()):
        assert name in references()
        check_source(REFERENCES_DIR / name)
    with pytest.raises(ValueError, match="no reference 'nope'"):
        materialize("nope")


def test_materialize_trains_once_and_reproduces(tmp_path, mnist_test):
    first = materialize("mnist_mlp_fast", limit=500, cache=tmp_path / "a")
    stamp = (first / "weights.npz").stat().st_mtime_ns
    assert materialize("mnist_mlp_fast", limit=500, cache=tmp_path / "a") == first
    assert (first / "weights.npz").stat().st_mtime_ns == stamp, "the cached weights are reused"
    again = materialize("mnist_mlp_fast", limit=500, cache=tmp_path / "b")
    assert (again / "weights.npz").read_bytes() == (first / "weights.npz").read_bytes(), "seeded"
    assert "limit500" in first.name
    assert materialize("mnist_mlp_fast", limit=600, cache=tmp_path / "a") != first


def test_the_fused_forward_is_the_trained_model(tmp_path, mnist_test):
    folder = materialize("mnist_mlp_fast", limit=500, cache=tmp_path)
    weights = load_weights(folder)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    model.load_state_dict(weights)
    x = (mnist_test[0][:64, None] / np.float32(255)).astype(np.float32)
    fused = submission_module(folder).build_model(weights)(x)
    assert fused.dtype == np.float32
    np.testing.assert_allclose(fused, model(Tensor(x)).data, rtol=1e-5, atol=1e-5)


def test_the_int8_reference_is_pruned_quantized_and_close_to_float(tmp_path, mnist_test):
    folder = materialize("mnist_mlp_int8", limit=500, cache=tmp_path)
    weights = load_weights(folder)
    assert weights["q1"].dtype == weights["q2"].dtype == np.int8
    assert len(weights["pixels"]) < 784, "blank border pixels are pruned"
    model = submission_module(folder).build_model(weights)
    first = model[1].weight.data
    dropped = np.setdiff1d(np.arange(784), weights["pixels"])
    assert (first[:, dropped] == 0).all()
    # int8 rounding: every weight within half a step of the value it encodes
    step = weights["s1"][:, None]
    assert np.abs(first[:, weights["pixels"]] - weights["q1"] * step).max() <= 1e-6
    assert (folder / "weights.npz").stat().st_size < first.size  # below one byte per weight
