"""Gradients of the fused losses (tinytorch/core/ops/loss.py) and of the losses built from ops.
(Their values and error messages are tested in tests/core/test_losses.py.)"""

import numpy as np
import pytest

import tinytorch
from tinytorch import gradcheck
from tinytorch.core import losses as L

TARGET = tinytorch.tensor([0, 2, 1, 1])
REDUCTIONS = ["mean", "sum", "none"]


def randn(*shape):
    return tinytorch.randn(*shape, dtype=tinytorch.float64)


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_gradient(reduction, smoothing):
    assert gradcheck(lambda x: L.cross_entropy(x, TARGET, label_smoothing=smoothing, reduction=reduction),
                     randn(4, 3) * 3)


def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n():
    logits = randn(4, 3).requires_grad_()
    L.cross_entropy(logits, TARGET).backward()
    expected = (logits.softmax(axis=1).numpy() - np.eye(3)[TARGET.numpy()]) / 4
    np.testing.assert_allclose(logits.grad.numpy(), expected, rtol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_logits_gradient(reduction):
    target = tinytorch.tensor([[0.0, 1.0, 1.0], [0.3, 0.0, 1.0]])
    assert gradcheck(lambda x: L.binary_cross_entropy_with_logits(x, target, reduction=reduction),
                     randn(2, 3) * 3)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_losses_built_from_ops_gradient(reduction):
    probs = tinytorch.rand(2, 3, dtype=tinytorch.float64) * 0.8 + 0.1
    target = tinytorch.tensor([[0.0, 1.0, 1.0], [0.3, 0.0, 1.0]])
    assert gradcheck(lambda x: L.mse_loss(x, target, reduction=reduction), randn(2, 3))
    assert gradcheck(lambda p: L.binary_cross_entropy(p, target, reduction=reduction), probs)
    assert gradcheck(lambda x: L.nll_loss(x.log_softmax(axis=1), TARGET, reduction=reduction), randn(4, 3))


@pytest.mark.parametrize("loss", [L.cross_entropy, L.binary_cross_entropy_with_logits])
def test_fused_losses_keep_float32(loss):
    logits = tinytorch.randn(4, 3, requires_grad=True)
    target = TARGET if loss is L.cross_entropy else tinytorch.rand(4, 3)
    out = loss(logits, target)
    out.backward()
    assert out.dtype == logits.grad.dtype == tinytorch.float32


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: L.cross_entropy(tinytorch.zeros(2, 3), tinytorch.tensor([0.0, 1.0])), TypeError, "integer"),
        (lambda: L.cross_entropy(tinytorch.zeros(2, 3), [0, -1]), IndexError, "class -1 is out of range"),
        (lambda: L.mse_loss(tinytorch.zeros(4, 1), tinytorch.zeros(4)), ValueError, r"\(4, 1\).*\(4,\)"),
    ],
)
def test_loss_bad_targets_say_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call()
