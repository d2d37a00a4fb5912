"""Loss values against their formulas, reductions, and the bad-input errors.
(Gradients of the losses are checked in tests/core/ops/test_loss.py.)"""

import numpy as np
import pytest

import tinytorch
from tinytorch.core import losses as L

LOGITS = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0], [1.0, 1.0, 1.0], [-2.0, 4.0, 0.0]], np.float32)
TARGET = np.array([0, 2, 1, 1])


def log_softmax(x):
    x = x.astype(np.float64)
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_formula(smoothing, reduction):
    lp = log_softmax(LOGITS)
    per_item = -(1 - smoothing) * lp[np.arange(4), TARGET] - smoothing / 3 * lp.sum(axis=1)
    expected = {"mean": per_item.mean(), "sum": per_item.sum(), "none": per_item}[reduction]
    criterion = L.CrossEntropyLoss(label_smoothing=smoothing, reduction=reduction)
    loss = criterion(tinytorch.Tensor(LOGITS), TARGET)
    assert loss.dtype == np.float32
    np.testing.assert_allclose(loss.numpy(), expected, rtol=1e-5)


def test_cross_entropy_is_stable_for_huge_logits():
    logits = tinytorch.Tensor([[1000.0, 0.0], [0.0, -1000.0]], requires_grad=True)
    loss = L.cross_entropy(logits, [1, 1])
    assert np.isfinite(loss.item()) and abs(loss.item() - 1000) < 1e-3
    loss.backward()
    assert np.isfinite(logits.grad.numpy()).all()


def test_nll_of_log_softmax_equals_cross_entropy():
    x = tinytorch.Tensor(LOGITS)
    np.testing.assert_allclose(L.nll_loss(x.log_softmax(), TARGET).item(),
                               L.cross_entropy(x, TARGET).item(), rtol=1e-6)


def test_mse_and_bce_values():
    p = np.array([0.9, 0.2, 0.6], np.float32)
    y = np.array([1.0, 0.0, 1.0], np.float32)
    assert L.MSELoss()(tinytorch.Tensor(p), y).item() == pytest.approx(((p - y) ** 2).mean(), rel=1e-6)
    bce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert L.BCELoss()(tinytorch.Tensor(p), y).item() == pytest.approx(bce.mean(), rel=1e-5)
    logits = np.log(p / (1 - p))
    assert L.BCEWithLogitsLoss(reduction="sum")(tinytorch.Tensor(logits), y).item() == pytest.approx(
        bce.sum(), rel=1e-5)


def test_bce_of_certain_wrong_prediction_is_large_but_finite():
    assert L.binary_cross_entropy(tinytorch.Tensor([0.0]), [1.0]).item() == pytest.approx(100)


def test_bce_with_logits_is_stable_for_huge_logits():
    loss = L.binary_cross_entropy_with_logits(tinytorch.Tensor([1000.0, -1000.0]), [0.0, 1.0],
                                              reduction="none")
    np.testing.assert_allclose(loss.numpy(), [1000, 1000])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: L.cross_entropy(tinytorch.Tensor(LOGITS), TARGET.astype(np.float32)), TypeError,
         "integer class indices.*float32"),
        (lambda: L.cross_entropy(tinytorch.Tensor(LOGITS), [0, 1, 2, 3]), IndexError,
         "target class 3 is out of range for 3 classes"),
        (lambda: L.cross_entropy(tinytorch.Tensor(LOGITS), [0, 1]), ValueError, r"shape \(4,\)"),
        (lambda: L.cross_entropy(tinytorch.Tensor(LOGITS[0]), [0]), ValueError, r"\(N, C\)"),
        (lambda: L.mse_loss(tinytorch.zeros(5, 1), tinytorch.zeros(5)), ValueError,
         r"\(5, 1\).*\(5,\)"),
        (lambda: L.binary_cross_entropy(tinytorch.Tensor([2.0]), [1.0]), ValueError, "probabilities"),
        (lambda: L.MSELoss(reduction="avg"), ValueError, "'avg'"),
        (lambda: L.cross_entropy(tinytorch.Tensor(LOGITS), TARGET, label_smoothing=1.5), ValueError,
         "label_smoothing"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_cross_entropy_of_integer_logits_is_a_float32_loss():
    loss = L.cross_entropy(tinytorch.tensor(LOGITS.astype(np.int64)), TARGET)
    assert loss.dtype == tinytorch.float32
    expected = -log_softmax(LOGITS.astype(np.int64))[np.arange(4), TARGET].mean()
    assert loss.item() == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("loss_fn", [L.binary_cross_entropy, L.binary_cross_entropy_with_logits])
def test_binary_cross_entropy_of_integer_inputs_is_float32(loss_fn):
    loss = loss_fn(tinytorch.tensor([0, 1, 1]), tinytorch.tensor([0.0, 1.0, 0.0]))
    assert loss.dtype == tinytorch.float32
