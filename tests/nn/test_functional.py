"""tinytorch.nn.functional under PyTorch's names and semantics: each function against
torch.nn.functional where torch is importable, and scaled_dot_product_attention's masks
(boolean True = attend, float = added, is_causal) against their definitions everywhere."""

import math

import numpy as np
import pytest

import tinytorch
import tinytorch.nn.functional as F
from tinytorch import gradcheck


def randn(*shape, dtype=tinytorch.float32):
    return tinytorch.randn(*shape, dtype=dtype)


def reference_attention(q, k, v, bias):
    scores = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1]) + bias
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ v


def test_sdpa_boolean_mask_true_means_attend():
    q, k, v = randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 6)
    mask = np.array([[True, False, True, True, False]] * 3)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    expected = reference_attention(q.numpy(), k.numpy(), v.numpy(), np.where(mask, 0.0, -np.inf))
    assert isinstance(out, tinytorch.Tensor) and out.shape == (2, 3, 6)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_sdpa_float_mask_is_added_to_the_scores():
    q, k, v = randn(3, 4), randn(5, 4), randn(5, 2)
    bias = np.linspace(-2, 1, 15, dtype=np.float32).reshape(3, 5)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=tinytorch.tensor(bias))
    np.testing.assert_allclose(out.numpy(), reference_attention(q.numpy(), k.numpy(), v.numpy(), bias),
                               rtol=1e-5, atol=1e-6)


def test_sdpa_is_causal_and_scale():
    q, k, v = randn(4, 3), randn(4, 3), randn(4, 2)
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.3)
    scores = q.numpy() @ k.numpy().T * 0.3 + np.triu(np.full((4, 4), -np.inf), 1)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    np.testing.assert_allclose(out.numpy(), (weights / weights.sum(-1, keepdims=True)) @ v.numpy(),
                               rtol=1e-5, atol=1e-6)


def test_sdpa_float_mask_gets_a_gradient():
    q, k, v = (randn(2, 3, 2, dtype=tinytorch.float64) for _ in range(3))
    bias = randn(3, 3, dtype=tinytorch.float64)
    assert gradcheck(lambda q, k, v, b: F.scaled_dot_product_attention(q, k, v, attn_mask=b),
                     q, k, v, bias)


@pytest.mark.parametrize("mask, error, message", [
    (np.ones((3, 3), dtype=np.int64), TypeError, "boolean .* or float"),
    (np.array([[-np.inf, -np.inf, -np.inf]] * 3), ValueError, "hides every key"),
    (np.array([[True, False, False]] * 3) & ~np.eye(3, dtype=bool), ValueError, "hides every key"),
])
def test_sdpa_bad_masks_are_named(mask, error, message):
    q = randn(3, 2)
    with pytest.raises(error, match=message):
        F.scaled_dot_product_attention(q, q, q, attn_mask=mask)


@pytest.fixture
def torch():
    return pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch==2.13.0)")


def both(torch, *arrays):
    return [tinytorch.tensor(a) for a in arrays], [torch.tensor(a) for a in arrays]


FUNCTIONS = [
    ("conv2d", lambda F, x, w, b: F.conv2d(x, w, b, stride=2, padding=1), [(2, 3, 9, 9), (4, 3, 3, 3), (4,)]),
    ("max_pool2d", lambda F, x: F.max_pool2d(x, 2), [(2, 3, 8, 8)]),
    ("max_pool2d stride padding", lambda F, x: F.max_pool2d(x, 3, stride=2, padding=1), [(1, 2, 7, 7)]),
    ("avg_pool2d", lambda F, x: F.avg_pool2d(x, 2, stride=1), [(2, 3, 5, 5)]),
    ("adaptive_avg_pool2d", lambda F, x: F.adaptive_avg_pool2d(x, 1), [(2, 3, 5, 5)]),
    ("layer_norm", lambda F, x, w, b: F.layer_norm(x, (6,), w, b), [(2, 4, 6), (6,), (6,)]),
    ("softmax dim", lambda F, x: F.softmax(x, dim=1), [(3, 4, 2)]),
    ("log_softmax dim", lambda F, x: F.log_softmax(x, dim=0), [(3, 4)]),
    ("sdpa bool mask", lambda F, q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m > -0.5),
     [(2, 3, 4), (2, 5, 4), (2, 5, 3), (3, 5)]),
    ("sdpa float mask", lambda F, q, k, v, m: F.scaled_dot_product_attention(q, k, v, attn_mask=m),
     [(2, 3, 4), (2, 5, 4), (2, 5, 3), (3, 5)]),
    ("sdpa causal", lambda F, q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
     [(2, 4, 4), (2, 4, 4), (2, 4, 3)]),
]


@pytest.mark.parametrize("call, shapes", [f[1:] for f in FUNCTIONS], ids=[f[0] for f in FUNCTIONS])
def test_functional_matches_torch(torch, call, shapes):
    arrays = [np.random.default_rng(i).standard_normal(s).astype(np.float32) for i, s in enumerate(shapes)]
    ours, theirs = both(torch, *arrays)
    expected = call(torch.nn.functional, *theirs).numpy()
    np.testing.assert_allclose(call(F, *ours).numpy(), expected, rtol=1e-4, atol=1e-5)


def test_embedding_matches_torch(torch):
    weight = np.random.default_rng(0).standard_normal((7, 3)).astype(np.float32)
    ids = np.array([[0, 6, 2], [2, 2, 1]])
    theirs = torch.nn.functional.embedding(torch.tensor(ids), torch.tensor(weight))
    np.testing.assert_array_equal(F.embedding(tinytorch.tensor(ids), tinytorch.tensor(weight)).numpy(),
                                  theirs.numpy())


def test_flatten_is_torch_flatten(torch):
    x = np.arange(24).reshape(2, 3, 4)
    for args in [(), (1,), (0, 1), (1, -1)]:
        expected = tuple(torch.flatten(torch.tensor(x), *args).shape)
        assert F.flatten(tinytorch.tensor(x), *args).shape == expected


def test_one_hot_gives_int64_rows():
    labels = tinytorch.tensor([[0, 2], [1, 2]])
    encoded = F.one_hot(labels)
    assert encoded.dtype == tinytorch.int64 and encoded.shape == (2, 2, 3)
    np.testing.assert_array_equal(encoded.numpy(), np.eye(3, dtype=np.int64)[labels.numpy()])
    assert F.one_hot(tinytorch.tensor([1]), num_classes=4).tolist() == [[0, 1, 0, 0]]
    assert F.one_hot(tinytorch.tensor(np.zeros(0, np.int64)), 3).shape == (0, 3)


@pytest.mark.parametrize("labels, num_classes, error, message", [
    ([0, -1], 3, ValueError, "non-negative"),  # NumPy indexing would make -1 the last class
    ([0, 3], 3, ValueError, "smaller than num_classes"),
    ([0.0, 1.0], 3, TypeError, "integer"),
    (np.zeros(0, np.int64), -1, ValueError, "empty"),
])
def test_one_hot_refuses_what_is_not_a_class_index(labels, num_classes, error, message):
    with pytest.raises(error, match=message):
        F.one_hot(tinytorch.tensor(labels), num_classes)


def test_one_hot_matches_torch(torch):
    labels = np.array([[3, 0], [1, 1]])
    np.testing.assert_array_equal(F.one_hot(tinytorch.tensor(labels), 5).numpy(),
                                  torch.nn.functional.one_hot(torch.tensor(labels), 5).numpy())
