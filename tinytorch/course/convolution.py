"""What module 09's app draws: hand-set kernels, the feature maps they make, and im2col's
layout of a small image, all computed by tinytorch's own convolution.

Why in the package: the app shows these live as the learner changes the image or the kernel,
and the same functions are tested here against the definition of a cross-correlation.
"""

from __future__ import annotations

import numpy as np

from tinytorch.core import spatial
from tinytorch.core.ops.conv import Window
from tinytorch.core.tensor import Tensor

# 3x3 kernels a person can design by hand: what the first layer of a trained network often
# rediscovers. Edge detectors sum to zero (flat regions give 0); the blur sums to one (it
# averages, so brightness is kept).
KERNELS = {
    "vertical edges (Sobel x)": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "horizontal edges (Sobel y)": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "blur (3x3 box)": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "outline (Laplacian)": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}


def kernel_stack(names=None) -> np.ndarray:
    """The named hand-set kernels (all of them by default) as conv2d weights (K, 1, 3, 3)."""
    names = list(KERNELS) if names is None else list(names)
    unknown = [n for n in names if n not in KERNELS]
    if unknown:
        raise KeyError(f"no hand-set kernel {unknown[0]!r}; the kernels are {list(KERNELS)}")
    return np.array([KERNELS[n] for n in names], dtype=np.float32)[:, None]


def feature_maps(image, weight, padding: int = 1) -> np.ndarray:
    """Every kernel of `weight` (K, 1, kh, kw) slid over one grayscale `image` (H, W):
    returns (K, H', W'), the maps a conv layer with these kernels outputs for it."""
    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 2:
        raise ValueError(f"feature_maps takes one grayscale image (H, W), got shape {image.shape}")
    weight = np.asarray(weight, dtype=np.float32)
    if weight.ndim != 4 or weight.shape[1] != 1:
        raise ValueError(f"weight must be (K, 1, kh, kw) for a grayscale image, got {weight.shape}")
    out = spatial.conv2d(Tensor(image[None, None]), Tensor(weight), padding=padding)
    return out.numpy()[0]


def im2col_indices(height: int, width: int, kernel: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Which pixel of a (height, width) image fills each entry of the im2col matrix.

    Pixels are numbered row by row from 0; a padded zero is -1. Row r of the result is
    kernel tap r (row-major over the kh x kw window), column c is output position c: the
    matrix a convolution multiplies its (O, kh*kw) weights with. Built by running
    tinytorch's own sliding-window view over an image of pixel numbers, so the picture is
    exactly what the convolution does.
    """
    for name, value in (("height", height), ("width", width), ("kernel", kernel), ("stride", stride)):
        if not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not isinstance(padding, int | np.integer) or padding < 0:
        raise ValueError(f"padding must be a non-negative integer, got {padding!r}")
    if min(height, width) + 2 * padding < kernel:
        raise ValueError(f"a {kernel}x{kernel} kernel does not fit a {height}x{width} image "
                         f"with padding {padding}")
    window = Window((kernel, kernel), (stride, stride), (padding, padding))
    numbers = np.arange(height * width, dtype=np.int64).reshape(1, 1, height, width)
    fields = window.sliding_windows(window.pad(numbers, value=-1))  # (1, 1, OH, OW, k, k)
    return fields.reshape(-1, kernel * kernel).T.copy()


__all__ = ["KERNELS", "feature_maps", "im2col_indices", "kernel_stack"]
