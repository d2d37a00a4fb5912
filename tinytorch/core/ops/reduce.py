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
    """Largest element along `axis`; ties share the gradient equally (as PyTorch's amax)."""

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
