"""2-D convolution (tinytorch/core/ops/conv.py): im2col forward and fold backward, checked by
finite differences for every option (stride, padding, dilation, groups, bias)."""

import numpy as np
import pytest

import tinytorch
from tinytorch import gradcheck
from tinytorch.core.ops.conv import Window
from tinytorch.core.spatial import conv2d


def randn(*shape):
    return tinytorch.randn(*shape, dtype=tinytorch.float64)


CASES = [
    # (x shape, weight shape, stride, padding, dilation, groups)
    ((2, 1, 5, 5), (1, 1, 3, 3), 1, 0, 1, 1),
    ((2, 3, 6, 5), (4, 3, 3, 3), 1, 1, 1, 1),
    ((1, 2, 7, 7), (3, 2, 3, 2), 2, (1, 0), 1, 1),
    ((1, 2, 7, 8), (2, 2, 2, 3), (1, 2), 2, 2, 1),
    ((2, 4, 5, 5), (6, 2, 3, 3), 1, 1, 1, 2),
    ((1, 3, 4, 4), (3, 1, 3, 3), 1, 1, 1, 3),
]


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "padding", "dilation", "groups"),
                         CASES, ids=str)
def test_conv2d_gradients_match_finite_differences(x_shape, w_shape, stride, padding,
                                                    dilation, groups):
    x, w, b = randn(*x_shape), randn(*w_shape), randn(w_shape[0])
    assert gradcheck(lambda x, w, b: conv2d(x, w, b, stride, padding, dilation, groups), x, w, b)


def test_conv2d_without_bias_and_without_input_gradient():
    x, w = randn(1, 2, 4, 4), randn(3, 2, 3, 3)
    assert gradcheck(lambda w: conv2d(x, w, padding=1), w)
    assert gradcheck(lambda x: conv2d(x, w, stride=2), x)


def test_window_output_size_is_pytorchs_formula():
    window = Window(kernel=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(2, 1))
    # floor((H + 2p - d(k - 1) - 1) / s) + 1
    assert window.output_hw(9, 5) == ((9 + 2 - 4 - 1) // 2 + 1, 5 - 1)


def test_fold_adds_overlapping_windows():
    """Fold of all-ones patches counts how many windows cover each pixel."""
    window = Window(kernel=(2, 2), stride=(1, 1))
    counts = window.fold(lambda i, j: np.ones((1, 1, 2, 2)), (1, 1, 3, 3), (2, 2), np.float64)
    np.testing.assert_array_equal(counts[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
