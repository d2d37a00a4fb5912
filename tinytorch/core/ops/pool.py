"""Pooling: summarise each window of an image by its maximum or its mean.

Both ops walk the kernel's taps (`Window.taps` in `ops.conv`): the output starts as what tap
(0, 0) sees at every position and is combined with each further tap, a whole image at a time.
For a 2x2 pool that is four vectorised operations, measured 10x faster than reducing a
(..., kh, kw) window view, whose innermost loops are only 2 long.

Adaptive average pooling is linear and separable, so it is two small matrix products:
`rows @ x @ cols.T`, each row of `rows` averaging one band of input rows.
"""

import math

import numpy as np

from tinytorch.core.autograd import Function
from tinytorch.core.kernels import matmul


class MaxPool2dFunction(Function):
    """Largest value in each window; padding counts as -infinity, so it is never chosen.

    The gradient goes to one element per window, the first maximum in row-major order, as in
    PyTorch: after a ReLU whole windows are tied at 0, and routing to one element keeps the
    gradient's total equal to the output's.
    """

    def forward(self, x, *, window):
        xp = window.pad(x, -np.inf)
        self.out_hw = window.output_hw(*x.shape[2:])
        taps = window.taps(self.out_hw)
        out = xp[next(taps)[2]].copy()
        for _, _, where in taps:
            np.maximum(out, xp[where], out=out)
        self.xp, self.out, self.window = xp, out, window
        return out

    def backward(self, grad):
        winner = self._first_winner()
        kw = self.window.kernel[1]
        d_xp = self.window.fold(lambda i, j: grad * (winner == i * kw + j), self.xp.shape,
                                self.out_hw, grad.dtype)
        return self.window.crop(d_xp)

    def _first_winner(self) -> np.ndarray:
        """Index (i * kw + j) of the first tap that holds the window's maximum.

        Taps are visited last to first, each overwriting where it ties the maximum, so the
        earliest tap is written last and wins.
        """
        winner = np.zeros(self.out.shape, dtype=np.int16)
        kw = self.window.kernel[1]
        for i, j, where in reversed(list(self.window.taps(self.out_hw))):
            np.copyto(winner, i * kw + j, where=self.xp[where] == self.out)
        return winner


class AvgPool2dFunction(Function):
    """Mean of each window. Padding counts as zeros in the mean (PyTorch's default,
    count_include_pad=True), so every window divides by kh * kw."""

    def forward(self, x, *, window):
        xp = window.pad(x)
        self.out_hw = window.output_hw(*x.shape[2:])
        taps = window.taps(self.out_hw)
        total = xp[next(taps)[2]].copy()
        for _, _, where in taps:
            total += xp[where]
        self.padded_shape, self.window = xp.shape, window
        # A Python int: NumPy 2 makes float32 / np.int64 (what np.prod returns) float64.
        return total / math.prod(window.kernel)

    def backward(self, grad):
        share = grad / math.prod(self.window.kernel)
        d_xp = self.window.fold(lambda i, j: share, self.padded_shape, self.out_hw, grad.dtype)
        return self.window.crop(d_xp)


def adaptive_pool_matrix(size: int, out_size: int, dtype) -> np.ndarray:
    """(out_size, size) matrix whose row i averages input bins floor(i*size/out) up to
    ceil((i+1)*size/out), PyTorch's bins: they cover the input and overlap when uneven."""
    i = np.arange(out_size)
    starts = (i * size) // out_size
    ends = -((-(i + 1) * size) // out_size)
    positions = np.arange(size)
    inside = (positions >= starts[:, None]) & (positions < ends[:, None])
    return (inside / (ends - starts)[:, None]).astype(dtype)


class AdaptiveAvgPool2dFunction(Function):
    """Average (N, C, H, W) down to (N, C, *output_size), whatever H and W are."""

    def forward(self, x, *, output_size):
        (h, w), (oh, ow) = x.shape[2:], output_size
        self.rows = adaptive_pool_matrix(h, oh, x.dtype)
        self.cols = adaptive_pool_matrix(w, ow, x.dtype)
        return matmul(matmul(self.rows, x), self.cols.T)

    def backward(self, grad):
        return matmul(matmul(self.rows.T, grad), self.cols)
