"""Values and stability of the activations (their gradients are checked in tests/core/ops)."""

import math

import numpy as np
import pytest

import tinytorch
from tinytorch.core import activations as A

X = np.array([-1000.0, -20.0, -1.0, 0.0, 0.5, 20.0, 1000.0], dtype=np.float32)


def reference(name, x):
    x = x.astype(np.float64)
    erf = np.vectorize(math.erf)
    sig = 1 / (1 + np.exp(-np.clip(x, -500, 500)))
    return {
        "relu": np.maximum(x, 0),
        "leaky_relu": np.where(x > 0, x, 0.01 * x),
        "sigmoid": sig,
        "tanh": np.tanh(x),
        "gelu": 0.5 * x * (1 + erf(x / math.sqrt(2))),
        "silu": x * sig,
    }[name]


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "sigmoid", "tanh", "gelu", "silu"])
def test_activation_values_are_finite_and_correct_for_large_inputs(name):
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow, no NaN
        out = getattr(A, name)(tinytorch.Tensor(X)).numpy()
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, reference(name, X), rtol=1e-5, atol=1e-6)


def test_gelu_tanh_approximation_is_close_to_exact():
    x = tinytorch.Tensor(np.linspace(-5, 5, 101, dtype=np.float32))
    diff = A.gelu(x, "tanh").numpy() - A.gelu(x).numpy()
    assert np.abs(diff).max() < 1e-3


def test_softmax_of_huge_logits_is_finite_and_sums_to_one():
    logits = tinytorch.Tensor([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    probs = A.softmax(logits).numpy()
    assert np.isfinite(probs).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(np.exp(A.log_softmax(logits).numpy()), probs, rtol=1e-5, atol=1e-30)


@pytest.mark.parametrize(
    ("module", "fn"),
    [
        (A.ReLU(), A.relu),
        (A.Tanh(), A.tanh),
        (A.SiLU(), A.silu),
        (A.Sigmoid(), A.sigmoid),
        (A.GELU("tanh"), lambda t: A.gelu(t, "tanh")),
        (A.LeakyReLU(0.2), lambda t: A.leaky_relu(t, 0.2)),
        (A.Softmax(0), lambda t: A.softmax(t, 0)),
        (A.LogSoftmax(0), lambda t: A.log_softmax(t, 0)),
    ],
)
def test_modules_wrap_the_functions(module, fn):
    x = tinytorch.Tensor(X)
    np.testing.assert_array_equal(module(x).numpy(), fn(x).numpy())


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match="'fast'"):
        A.gelu(tinytorch.zeros(2), "fast")


def test_log_softmax_is_not_a_softmax():
    assert not issubclass(A.LogSoftmax, A.Softmax) and not isinstance(A.LogSoftmax(), A.Softmax)
    assert repr(A.LogSoftmax(dim=1)) == "LogSoftmax(axis=1)"
