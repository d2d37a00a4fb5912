"""Reductions: ops that combine many elements into fewer (sum, mean, max) or that normalise
along an axis (softmax). Their backward spreads the output gradient back over the inputs.
"""

import numpy as np

from tinytorch.core.autograd import Function


def _kept_shape(shape: tuple, axis) -> tuple:
    """The output shape as if keepdims=True, so a gradient can be broadcast back."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Sum(Function):
    """Sum along `axis`. Integers and bools sum as int64: NumPy would sum uint8 as uint64, a
    dtype tinytorch does not have."""

    def forward(self, x, axis=None, keepdims=False):
        self.shape, self.kept = x.shape, _kept_shape(x.shape, axis)
        dtype = np.int64 if x.dtype.kind in "biu" else None
        return np.asarray(x.sum(axis=axis, keepdims=keepdims, dtype=dtype))

    def backward(self, grad):
        return np.broadcast_to(grad.reshape(self.kept), self.shape)


class Mean(Function):
    def forward(self, x, axis=None, keepdims=False):
        self.shape, self.kept = x.shape, _kept_shape(x.shape, axis)
        out = np.asarray(x.mean(axis=axis, keepdims=keepdims))
        self.count = x.size // max(out.size, 1)
        return out

    def backward(self, grad):
        return np.broadcast_to(grad.reshape(self.kept) / self.count, self.shape)


class Max(Function):
    """Largest element along `axis`; ties share the gradient equally (as PyTorch's amax and the
    full reduction `max()`)."""

    def forward(self, x, axis=None, keepdims=False):
        self.kept = _kept_shape(x.shape, axis)
        out = x.max(axis=axis, keepdims=True)
        winners = x == out
        self.share = winners / winners.sum(axis=axis, keepdims=True).astype(x.dtype)
        if keepdims:
            return out
        return out.reshape(()) if axis is None else np.squeeze(out, axis=axis)

    def backward(self, grad):
        return grad.reshape(self.kept) * self.share


class TakeAlongAxis(Function):
    """The elements at `indices` (one or k per slice along `axis`, as `np.take_along_axis`); the
    gradient goes to exactly those elements.

    This is `max(dim)` / `min(dim)` / `topk`: PyTorch's gradient for them goes to the returned
    index only, not shared among ties as `amax`'s, so that values and indices agree.
    `indices` keep the reduced axis (size 1 for max and min), `keepdims=False` drops it.
    """

    def forward(self, x, indices, axis, keepdims=True):
        self.shape, self.indices, self.axis = x.shape, indices, axis
        out = np.take_along_axis(x, indices, axis=axis)
        return out if keepdims else np.squeeze(out, axis=axis)

    def backward(self, grad):
        full = np.zeros(self.shape, dtype=grad.dtype)
        # Indices within a slice are distinct (argmax, topk), so put (not add.at) is exact.
        np.put_along_axis(full, self.indices, grad.reshape(self.indices.shape), axis=self.axis)
        return full


class SoftmaxFunction(Function):
    """exp(x) / sum exp(x) along `axis`, shifted by the max so exp never overflows."""

    def forward(self, x, axis=-1):
        # initial=-inf: the max of an empty axis (softmax over 0 classes) is empty, not an error.
        e = np.exp(x - x.max(axis=axis, keepdims=True, initial=-np.inf))
        self.out, self.axis = e / e.sum(axis=axis, keepdims=True), axis
        return self.out

    def backward(self, grad):
        y = self.out
        return y * (grad - (grad * y).sum(axis=self.axis, keepdims=True))


class LogSoftmaxFunction(Function):
    """x - logsumexp(x) along `axis`, computed stably; the log of a softmax without its underflow."""

    def forward(self, x, axis=-1):
        shifted = x - x.max(axis=axis, keepdims=True, initial=-np.inf)
        with np.errstate(divide="ignore"):  # log(0) only for an empty axis, whose output is empty
            self.out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        self.axis = axis
        return self.out

    def backward(self, grad):
        return grad - np.exp(self.out) * grad.sum(axis=self.axis, keepdims=True)
