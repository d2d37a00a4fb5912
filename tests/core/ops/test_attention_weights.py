"""Fused attention weights (tinytorch/core/ops/attention_weights.py): softmax(q k^T * scale)
with a boolean mask, one node."""

import numpy as np

import tinytorch
from tinytorch import gradcheck
from tinytorch.core.attention import causal_mask
from tinytorch.core.ops.attention_weights import AttentionWeights
from tinytorch.core.tensor import apply


def randn(*shape):
    return tinytorch.randn(*shape, dtype=tinytorch.float64)


def weights(q, k, mask=None):
    return apply(AttentionWeights, q, k, mask=mask, scale=0.5)


def test_attention_weights_gradient_unmasked_and_causal():
    q, k = randn(2, 3, 4, 2), randn(2, 3, 5, 2)
    assert gradcheck(weights, q, k)
    assert gradcheck(lambda q, k: weights(q, k, causal_mask(4, 5)), q, k)


def test_attention_weights_are_the_softmax_of_scaled_scores():
    q, k = randn(3, 2), randn(4, 2)
    scores = q.numpy() @ k.numpy().T * 0.5
    expected = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(weights(q, k).numpy(), expected, rtol=1e-12)


def test_masked_keys_get_zero_weight_and_zero_gradient():
    q, k = randn(3, 2).requires_grad_(), randn(3, 2).requires_grad_()
    mask = np.array([[True, False, True]] * 3)
    w = weights(q, k, mask)
    np.testing.assert_array_equal(w.numpy()[:, 1], 0)
    w.backward(np.ones((3, 3)))  # rows sum to 1 whatever q and k are: gradient 0
    np.testing.assert_allclose(k.grad.numpy(), 0, atol=1e-12)
