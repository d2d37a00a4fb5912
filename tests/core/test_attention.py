"""Module 12, Attention: scaled dot-product attention and multi-head self-attention."""

import math

import numpy as np
import pytest

import tinytorch
from tinytorch import gradcheck
from tinytorch.core.attention import (
    MultiHeadAttention,
    causal_mask,
    scaled_dot_product_attention,
)


def randn(*shape):
    return tinytorch.randn(*shape, dtype=tinytorch.float64)


def test_attention_by_hand():
    """Two keys; the query matches the first, so its value dominates by e^1 : e^0."""
    q = tinytorch.tensor([[[math.sqrt(2), 0.0]]])
    k = tinytorch.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    v = tinytorch.tensor([[[10.0], [20.0]]])
    out, weights = scaled_dot_product_attention(q, k, v)
    w0 = math.e / (math.e + 1)
    np.testing.assert_allclose(weights.numpy(), [[[w0, 1 - w0]]], rtol=1e-6)
    np.testing.assert_allclose(out.numpy(), [[[10 * w0 + 20 * (1 - w0)]]], rtol=1e-6)


def test_weights_rows_sum_to_one_and_causal_mask_zeroes_the_future():
    q, k, v = randn(2, 3, 5, 4), randn(2, 3, 5, 4), randn(2, 3, 5, 4)
    out, weights = scaled_dot_product_attention(q, k, v, causal=True)
    np.testing.assert_allclose(weights.numpy().sum(axis=-1), 1, rtol=1e-12)
    future = ~causal_mask(5)
    assert np.all(weights.numpy()[..., future] == 0)
    # The first position can only see itself: its output is its own value.
    np.testing.assert_allclose(out.numpy()[..., 0, :], v.numpy()[..., 0, :])


def test_changing_the_future_does_not_change_the_past():
    q, k, v = randn(1, 6, 4), randn(1, 6, 4), randn(1, 6, 4)
    before, _ = scaled_dot_product_attention(q, k, v, causal=True)
    k2, v2 = k.numpy().copy(), v.numpy().copy()
    k2[:, 4:], v2[:, 4:] = 100, -100
    after, _ = scaled_dot_product_attention(q, tinytorch.tensor(k2), tinytorch.tensor(v2),
                                            causal=True)
    np.testing.assert_allclose(after.numpy()[:, :4], before.numpy()[:, :4])


def test_a_boolean_mask_combines_with_causal():
    q, k, v = randn(4, 2), randn(4, 2), randn(4, 2)
    mask = np.array([True, False, True, True])  # key 1 is padding
    _, weights = scaled_dot_product_attention(q, k, v, mask=mask, causal=True)
    assert np.all(weights.numpy()[:, 1] == 0)
    assert np.all(weights.numpy()[np.triu_indices(4, 1)] == 0)


def test_attention_gradients():
    q, k, v = randn(2, 3, 2), randn(2, 4, 2), randn(2, 4, 3)
    assert gradcheck(lambda q, k, v: scaled_dot_product_attention(q, k, v)[0], q, k, v)
    q = randn(2, 4, 2)
    assert gradcheck(lambda q, k, v: scaled_dot_product_attention(q, k, v, causal=True)[0],
                     q, k, v)


def test_attention_errors():
    q = randn(3, 2)
    with pytest.raises(ValueError, match=r"q \(3, 2\), k \(3, 4\)"):
        scaled_dot_product_attention(q, randn(3, 4), randn(3, 4))
    with pytest.raises(TypeError, match="boolean .* or float"):
        scaled_dot_product_attention(q, q, q, mask=np.ones((3, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="hides every key"):
        scaled_dot_product_attention(q, q, q, mask=np.array([False, False, True]), causal=True)


def test_multi_head_attention_equals_a_loop_over_heads():
    mha = MultiHeadAttention(embed_dim=6, num_heads=3)
    x = tinytorch.randn(2, 4, 6)
    out, weights = mha(x, causal=True)
    assert out.shape == (2, 4, 6) and weights.shape == (2, 3, 4, 4)
    qkv = x.numpy() @ mha.qkv.weight.numpy().T + mha.qkv.bias.numpy()
    q, k, v = np.split(qkv, 3, axis=-1)
    heads = []
    for h in range(3):
        cols = slice(2 * h, 2 * h + 2)
        scores = q[..., cols] @ k[..., cols].transpose(0, 2, 1) / math.sqrt(2)
        scores = np.where(causal_mask(4), scores, -np.inf)
        w = np.exp(scores - scores.max(-1, keepdims=True))
        heads.append((w / w.sum(-1, keepdims=True)) @ v[..., cols])
    expected = np.concatenate(heads, axis=-1) @ mha.proj.weight.numpy().T + mha.proj.bias.numpy()
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-4, atol=1e-5)


def test_multi_head_attention_gradient_and_errors():
    mha = MultiHeadAttention(4, 2)
    for p in mha.parameters():
        p.data = p.data.astype(np.float64)
    assert gradcheck(lambda x: mha(x, causal=True)[0], randn(1, 3, 4))
    with pytest.raises(ValueError, match="divisible by num_heads"):
        MultiHeadAttention(6, 4)
    with pytest.raises(ValueError, match=r"\(B, T, 4\), got \(3, 5\)"):
        mha(randn(3, 5))


def test_attention_dropout_only_in_training():
    mha = MultiHeadAttention(4, 2, dropout=0.5)
    x = tinytorch.randn(2, 5, 4)
    mha.eval()
    a, _ = mha(x)
    b, _ = mha(x)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    mha.train()
    c, _ = mha(x)
    assert not np.allclose(c.numpy(), a.numpy())
