"""Movement ops: change which elements sit where, never their values. Their backward moves
the gradient back to where each element came from.
"""

import numpy as np

from tinytorch.core.autograd import Function


class Reshape(Function):
    def forward(self, x, shape):
        self.shape = x.shape
        return x.reshape(shape)

    def backward(self, grad):
        return grad.reshape(self.shape)


class Permute(Function):
    def forward(self, x, axes):
        # The inverse permutation is worked out in backward, which most calls (inference) never
        # reach: an argsort here would cost more than the transpose itself.
        self.axes = axes
        return x.transpose(axes)

    def backward(self, grad):
        # argsort of (-1, 0) is not the inverse of transposing by (1, 0): make axes positive first.
        return grad.transpose(np.argsort([a % grad.ndim for a in self.axes]))


class Expand(Function):
    """Broadcast to a bigger shape without copying; the engine sums the gradient back."""

    def forward(self, x, shape):
        return np.broadcast_to(x, shape)

    def backward(self, grad):
        return grad


def _is_basic(key) -> bool:
    """True for ints, slices, None and Ellipsis: indexing that never repeats an element."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(isinstance(k, (int, np.integer, slice)) or k is None or k is Ellipsis for k in parts)


class Index(Function):
    """x[key] for any NumPy key: ints, slices, integer arrays, boolean masks.

    Integer-array keys may pick an element more than once, so their backward scatters with
    `np.add.at`, which adds repeated positions instead of overwriting them.
    """

    def forward(self, x, key):
        self.shape, self.dtype, self.key = x.shape, x.dtype, key
        return x[key]

    def backward(self, grad):
        out = np.zeros(self.shape, dtype=self.dtype)
        if _is_basic(self.key):
            out[self.key] = grad
        else:
            np.add.at(out, self.key, grad)
        return out


class Cat(Function):
    def forward(self, *xs, axis=0):
        self.axis = axis
        self.bounds = np.cumsum([x.shape[axis] for x in xs])[:-1]
        return np.concatenate(xs, axis=axis)

    def backward(self, grad):
        return tuple(np.split(grad, self.bounds, axis=self.axis))


class Stack(Function):
    def forward(self, *xs, axis=0):
        self.axis = axis
        return np.stack(xs, axis=axis)

    def backward(self, grad):
        return tuple(np.moveaxis(grad, self.axis, 0))
