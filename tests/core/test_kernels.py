"""The matrix-multiply kernels (tinytorch/core/kernels.py): both agree, and switching works."""

import sys

import numpy as np
import pytest

import tinytorch
from tinytorch import nn
from tinytorch.core import kernels
from tinytorch.core.layers import linear


@pytest.fixture
def restore_kernel():
    """Put back the kernel that was active, whatever the test switched to."""
    active = kernels.active_matmul_kernel()
    yield
    kernels.use_matmul_kernel(active)


def operands(a_shape, b_shape, transpose_b=False):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(a_shape, dtype=np.float32)
    b = rng.standard_normal(b_shape, dtype=np.float32)
    return a, (np.swapaxes(b, -1, -2) if transpose_b else b)


@pytest.mark.parametrize(
    ("a_shape", "b_shape", "transpose_b"),
    [
        ((7, 5), (5, 3), False),
        ((64, 100), (100, 32), False),
        ((4, 7, 5), (4, 5, 3), False),
        ((2, 1, 7, 5), (3, 5, 3), False),
        ((4, 7, 5), (5, 3), False),
        ((7, 5), (3, 5), True),
        ((4, 7, 5), (4, 3, 5), True),
        ((5,), (5, 3), False),
        ((4, 7, 5), (5,), False),
        ((5,), (5,), False),
    ],
    ids=["2d", "2d_large", "batched", "broadcast_batch", "batch_times_matrix", "transposed_view",
         "batched_transposed_view", "vector_matrix", "batch_vector", "vector_vector"],
)
def test_blas_and_einsum_kernels_agree(a_shape, b_shape, transpose_b):
    a, b = operands(a_shape, b_shape, transpose_b)
    blas, einsum = kernels.matmul_blas(a, b), kernels.matmul_einsum(a, b)
    assert blas.shape == einsum.shape == np.matmul(a, b).shape
    assert blas.dtype == einsum.dtype == np.float32
    np.testing.assert_allclose(einsum, blas, rtol=1e-4, atol=1e-4)


def test_use_matmul_kernel_switches_the_kernel(restore_kernel):
    for name in ("einsum", "blas"):
        kernels.use_matmul_kernel(name)
        assert kernels.active_matmul_kernel() == name
        assert kernels.matmul(np.eye(2), np.ones((2, 2))).sum() == 4


def test_use_matmul_kernel_rejects_an_unknown_name(restore_kernel):
    before = kernels.active_matmul_kernel()
    with pytest.raises(ValueError, match=r"'cuda'.*\['blas', 'einsum'\]"):
        kernels.use_matmul_kernel("cuda")
    assert kernels.active_matmul_kernel() == before


def test_the_default_kernel_is_einsum_only_in_the_browser():
    assert kernels.DEFAULT_KERNEL == ("einsum" if sys.platform == "emscripten" else "blas")


def gradients_of_one_training_step(kernel: str) -> dict:
    kernels.use_matmul_kernel(kernel)
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
    x = tinytorch.randn(5, 6)
    batched = tinytorch.randn(5, 2, 6) @ tinytorch.randn(6, 6)  # a batched MatMul in the graph too
    loss = nn.functional.cross_entropy(model(x + batched.sum(axis=1)), [0, 2, 1, 1, 0])
    loss.backward()
    return {name: p.grad.numpy() for name, p in model.named_parameters()}


def test_a_training_step_gives_the_same_gradients_under_both_kernels(restore_kernel):
    blas, einsum = gradients_of_one_training_step("blas"), gradients_of_one_training_step("einsum")
    assert blas.keys() == einsum.keys() and len(blas) == 4
    for name in blas:
        np.testing.assert_allclose(einsum[name], blas[name], rtol=1e-4, atol=1e-5, err_msg=name)


@pytest.mark.parametrize("kernel", ["blas", "einsum"])
def test_linear_of_a_single_vector_under_each_kernel(kernel, restore_kernel):
    kernels.use_matmul_kernel(kernel)
    assert tinytorch.gradcheck(linear, tinytorch.randn(3), tinytorch.randn(2, 3), tinytorch.randn(2))
