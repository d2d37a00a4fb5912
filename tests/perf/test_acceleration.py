"""Acceleration (tinytorch/perf/acceleration.py): every fast/slow pair gives the same result.
Speed is measured in bench/bench_acceleration.py, never here."""

import numpy as np
import pytest

import tinytorch
from tinytorch.core.activations import gelu
from tinytorch.core.losses import cross_entropy
from tinytorch.core.transformer import layer_norm
from tinytorch.perf.acceleration import (
    DenseBuffers,
    block_products,
    conv2d_direct,
    conv2d_im2col,
    conv2d_loops,
    cross_entropy_unfused,
    dense_allocating,
    gelu_unfused,
    graph_nodes,
    layer_norm_unfused,
    matmul_blocked,
    matmul_loops,
    temporary_bytes,
)


def integers(rng, *shape):
    """Integer-valued floats: every summation order gives exactly the same result."""
    return rng.integers(-4, 5, shape).astype(np.float64)


def test_loop_matmul_equals_numpy_exactly_on_integers_and_to_rounding_on_floats():
    rng = np.random.default_rng(0)
    a, b = integers(rng, 5, 7), integers(rng, 7, 3)
    np.testing.assert_array_equal(matmul_loops(a, b), a @ b)
    a, b = rng.standard_normal((6, 9)).astype(np.float32), rng.standard_normal((9, 4)).astype(np.float32)
    out = matmul_loops(a, b)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, a @ b, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match=r"\(n, k\) @ \(k, m\)"):
        matmul_loops(a, a)


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (1, 1), (2, 1), (2, 0)])
def test_three_convolutions_agree(stride, padding):
    rng = np.random.default_rng(1)
    x, w = integers(rng, 2, 3, 7, 6), integers(rng, 4, 3, 3, 3)
    reference = conv2d_im2col(x, w, stride, padding)
    np.testing.assert_array_equal(conv2d_loops(x, w, stride, padding), reference)
    np.testing.assert_array_equal(conv2d_direct(x, w, stride, padding), reference)
    # and the im2col path is tinytorch's conv2d
    from tinytorch.core.spatial import conv2d
    np.testing.assert_array_equal(conv2d(tinytorch.tensor(x), tinytorch.tensor(w), stride=stride,
                                         padding=padding).numpy(), reference)
    with pytest.raises(ValueError, match="same C"):
        conv2d_direct(x, w[:, :2])


def test_tile_size_changes_the_work_order_not_the_result():
    rng = np.random.default_rng(2)
    a, b = integers(rng, 10, 12), integers(rng, 12, 9)
    for tile in (1, 3, 4, 5, 16):
        order = []
        np.testing.assert_array_equal(matmul_blocked(a, b, tile, order), a @ b)
        assert len(order) == block_products(10, 12, 9, tile)
        assert order[:2] == ([(0, 0, 0), (0, 0, 1)] if tile < 9 else [(0, 0, 0)])
    # on floats, a different order of partial sums rounds differently: the order really changed
    a = rng.standard_normal((64, 256)).astype(np.float32)
    b = rng.standard_normal((256, 64)).astype(np.float32)
    by_8, by_64 = matmul_blocked(a, b, 8), matmul_blocked(a, b, 64)
    assert not np.array_equal(by_8, by_64)
    np.testing.assert_allclose(by_8, by_64, rtol=1e-4, atol=1e-4)
    from tinytorch.core.kernels import matmul_einsum
    np.testing.assert_allclose(matmul_blocked(a, b, 16, kernel=matmul_einsum), a @ b, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="tile"):
        matmul_blocked(a, b, 0)


def test_unfused_functions_match_the_fused_ops_forward_and_backward():
    rng = np.random.default_rng(3)

    def run(fn, *arrays):
        tensors = [tinytorch.tensor(a, requires_grad=True) for a in arrays]
        out = fn(*tensors)
        out.backward(np.ones(out.shape, np.float64))
        return out.numpy(), [t.grad.numpy() for t in tensors]

    x = rng.standard_normal((4, 6))
    for fused, unfused in [(lambda t: gelu(t, approximate="tanh"), gelu_unfused)]:
        (a, ga), (b, gb) = run(fused, x), run(unfused, x)
        np.testing.assert_allclose(a, b, atol=1e-12)
        np.testing.assert_allclose(ga[0], gb[0], atol=1e-12)
    weight, bias = rng.standard_normal(6), rng.standard_normal(6)
    fused_ln = run(lambda t, w, b: layer_norm(t, (6,), w, b), x, weight, bias)
    unfused_ln = run(layer_norm_unfused, x, weight, bias)
    np.testing.assert_allclose(fused_ln[0], unfused_ln[0], atol=1e-10)
    for g1, g2 in zip(fused_ln[1], unfused_ln[1], strict=True):
        np.testing.assert_allclose(g1, g2, atol=1e-10)
    target = np.array([0, 5, 2, 3])
    fused_ce = run(lambda t: cross_entropy(t, target), x)
    unfused_ce = run(lambda t: cross_entropy_unfused(t, target), x)
    np.testing.assert_allclose(fused_ce[0], unfused_ce[0], atol=1e-12)
    np.testing.assert_allclose(fused_ce[1][0], unfused_ce[1][0], atol=1e-12)


def test_fusion_removes_graph_nodes_and_temporaries():
    x = tinytorch.randn(64, 256, requires_grad=True)
    assert graph_nodes(lambda t: gelu(t, approximate="tanh"), x) == 1
    assert graph_nodes(gelu_unfused, x) == 9
    w, b = tinytorch.ones(256, requires_grad=True), tinytorch.zeros(256, requires_grad=True)
    assert graph_nodes(lambda t: layer_norm(t, (256,), w, b), x) == 1
    assert graph_nodes(layer_norm_unfused, x, w, b) >= 9
    fused_bytes = temporary_bytes(lambda: gelu(x, approximate="tanh").sum().backward())
    unfused_bytes = temporary_bytes(lambda: gelu_unfused(x).sum().backward())
    assert 0 < fused_bytes < unfused_bytes


def test_dense_buffers_match_the_allocating_layer_and_allocate_nothing():
    rng = np.random.default_rng(4)
    x, w, b = (rng.standard_normal(s).astype(np.float32) for s in ((1024, 64), (64, 128), (128,)))
    layer = DenseBuffers(1024, w, b)
    np.testing.assert_array_equal(layer(x), dense_allocating(x, w, b))
    output = 1024 * 128 * 4
    # at most NumPy's fixed ufunc buffer (8192 elements) to broadcast the bias, whatever the batch
    assert temporary_bytes(lambda: layer(x)) <= 8192 * 4 + 4096 < output
    assert temporary_bytes(lambda: dense_allocating(x, w, b)) >= 2 * output
    with pytest.raises(ValueError, match="batch of 1024"):
        layer(x[:8])


def test_temporary_bytes_sees_an_allocation_and_leaves_tracing_as_it_was():
    import tracemalloc

    assert temporary_bytes(lambda: np.ones(1_000_000, np.uint8)) >= 1_000_000
    assert not tracemalloc.is_tracing()
