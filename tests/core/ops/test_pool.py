"""Pooling ops (tinytorch/core/ops/pool.py): max, average and adaptive average pooling."""

import numpy as np
import pytest

import tinytorch
from tinytorch import gradcheck
from tinytorch.core.ops.pool import adaptive_pool_matrix
from tinytorch.core.random import default_generator
from tinytorch.core.spatial import adaptive_avg_pool2d, avg_pool2d, max_pool2d


def distinct(*shape):
    """Values far apart, so finite differences never swap which element is the max."""
    values = default_generator().permutation(int(np.prod(shape))).reshape(shape)
    return tinytorch.tensor(values.astype(np.float64))


@pytest.mark.parametrize(("kernel", "stride", "padding"),
                         [(2, None, 0), (3, 2, 1), ((2, 3), (1, 2), (1, 1)), (3, 1, 0)], ids=str)
def test_pool_gradients_match_finite_differences(kernel, stride, padding):
    x = distinct(2, 2, 6, 7)
    assert gradcheck(lambda x: max_pool2d(x, kernel, stride, padding), x)
    assert gradcheck(lambda x: avg_pool2d(x, kernel, stride, padding), x)


@pytest.mark.parametrize("output_size", [1, (2, 3), (4, 4), (7, 5)], ids=str)
def test_adaptive_avg_pool_gradient(output_size):
    x = tinytorch.randn(2, 3, 7, 5, dtype=tinytorch.float64)
    assert gradcheck(lambda x: adaptive_avg_pool2d(x, output_size), x)


def test_adaptive_pool_bins_cover_the_input_and_overlap_when_uneven():
    # 5 inputs into 3 bins: PyTorch's bins are [0, 2), [1, 4), [3, 5).
    expected = [[1 / 2, 1 / 2, 0, 0, 0], [0, 1 / 3, 1 / 3, 1 / 3, 0], [0, 0, 0, 1 / 2, 1 / 2]]
    np.testing.assert_allclose(adaptive_pool_matrix(5, 3, np.float64), expected)
