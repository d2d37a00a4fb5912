"""Module 09's drawing helpers: hand-set kernels, feature maps and the im2col layout agree with
the definition of a cross-correlation, and bad input is refused with a message."""

import numpy as np
import pytest

from tinytorch.course import convolution


def test_feature_maps_match_a_direct_cross_correlation():
    rng = np.random.default_rng(0)
    image = rng.random((7, 6)).astype(np.float32)
    weight = convolution.kernel_stack()
    maps = convolution.feature_maps(image, weight)
    padded = np.pad(image, 1)
    expected = np.array([[[np.sum(padded[i:i + 3, j:j + 3] * w[0]) for j in range(6)] for i in range(7)]
                         for w in weight])
    assert maps.shape == (len(convolution.KERNELS), 7, 6)
    np.testing.assert_allclose(maps, expected, rtol=1e-5, atol=1e-6)


def test_edge_kernels_ignore_flat_regions_and_blur_keeps_brightness():
    flat = np.full((5, 5), 0.7, np.float32)
    maps = convolution.feature_maps(flat, convolution.kernel_stack(), padding=0)
    names = list(convolution.KERNELS)
    for name in ("vertical edges (Sobel x)", "horizontal edges (Sobel y)", "outline (Laplacian)"):
        np.testing.assert_allclose(maps[names.index(name)], 0, atol=1e-6)
    np.testing.assert_allclose(maps[names.index("blur (3x3 box)")], 0.7, rtol=1e-5)
    np.testing.assert_allclose(maps[names.index("sharpen")], 0.7, rtol=1e-5)


def test_a_vertical_edge_lights_the_vertical_edge_kernel_only():
    image = np.zeros((6, 6), np.float32)
    image[:, 3:] = 1
    kernels = convolution.kernel_stack(["vertical edges (Sobel x)", "horizontal edges (Sobel y)"])
    vertical, horizontal = convolution.feature_maps(image, kernels, padding=0)
    assert vertical.max() == 4 and np.abs(horizontal).max() == 0


def test_im2col_indices_number_the_pixels_of_each_receptive_field():
    cols = convolution.im2col_indices(4, 4, 3)
    assert cols.shape == (9, 4)
    assert cols[:, 0].tolist() == [0, 1, 2, 4, 5, 6, 8, 9, 10]  # top-left field
    assert cols[:, 3].tolist() == [5, 6, 7, 9, 10, 11, 13, 14, 15]  # bottom-right field


def test_im2col_indices_mark_padding_and_follow_the_stride():
    cols = convolution.im2col_indices(3, 3, 2, stride=2, padding=1)
    assert cols.shape == (4, 4)  # (3 + 2 - 2) // 2 + 1 = 2 positions per axis
    assert cols[:, 0].tolist() == [-1, -1, -1, 0]
    assert cols[:, 3].tolist() == [4, 5, 7, 8]


def test_im2col_indices_times_a_kernel_is_the_convolution():
    rng = np.random.default_rng(1)
    image, kernel = rng.random((5, 5)).astype(np.float32), rng.random((3, 3)).astype(np.float32)
    cols = convolution.im2col_indices(5, 5, 3, padding=1)
    pixels = np.where(cols >= 0, np.append(image.ravel(), 0)[cols], 0)
    np.testing.assert_allclose((kernel.ravel() @ pixels).reshape(5, 5),
                               convolution.feature_maps(image, kernel[None, None])[0], rtol=1e-5)


@pytest.mark.parametrize("args, message", [
    ((4, 4, 0), "kernel must be a positive integer"),
    ((4, 4, 3, 0), "stride must be a positive integer"),
    ((4, 4, 3, 1, -1), "padding must be a non-negative"),
    ((2, 4, 3), "does not fit"),
])
def test_im2col_indices_refuse_bad_sizes(args, message):
    with pytest.raises(ValueError, match=message):
        convolution.im2col_indices(*args)


def test_bad_images_and_kernels_are_refused_by_name():
    with pytest.raises(ValueError, match="one grayscale image"):
        convolution.feature_maps(np.zeros((1, 5, 5)), convolution.kernel_stack())
    with pytest.raises(ValueError, match=r"\(K, 1, kh, kw\)"):
        convolution.feature_maps(np.zeros((5, 5)), np.zeros((2, 3, 3)))
    with pytest.raises(KeyError, match="no hand-set kernel 'emboss'"):
        convolution.kernel_stack(["emboss"])
