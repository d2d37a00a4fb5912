"""Normalisation layers as fused ops: BatchNorm and LayerNorm share one core.

Both compute x_hat = (x - mean) / sqrt(var + eps) over some axes, then scale and shift with
learned parameters. Built from elementary ops that would be about ten graph nodes, each
saving its inputs; fused, it is one node that saves x_hat and 1/std, and its backward is the
closed form every normalisation paper derives:

    dx = (1/std) * (g - mean(g) - x_hat * mean(g * x_hat)),   g = dL/dx_hat,

the means taken over the normalised axes. The two terms subtracted are the gradient flowing
through the mean and through the variance: shifting all inputs together or scaling them
about their mean changes nothing after normalisation, so those directions get no gradient.
"""

import math

import numpy as np

from tinytorch.core.autograd import Function


def normalize(x: np.ndarray, axes: tuple, eps: float) -> tuple:
    """(x_hat, 1/std, mean, biased variance) of x over `axes` (kept as size-1 dims).

    The means are sums divided by the count, exactly what `ndarray.mean` computes for float
    arrays, without its Python-level wrapper: for one token's features (a Transformer
    generating text) that wrapper cost three times the sum itself.
    """
    count = math.prod(x.shape[axis] for axis in axes)
    mean = x.sum(axis=axes, keepdims=True) / count
    centred = x - mean
    var = (centred * centred).sum(axis=axes, keepdims=True) / count
    inv_std = 1 / np.sqrt(var + eps)
    return centred * inv_std, inv_std, mean, var


def normalize_backward(d_x_hat, x_hat, inv_std, axes: tuple) -> np.ndarray:
    """dL/dx given dL/dx_hat, for x_hat normalised by its own statistics over `axes`."""
    mean_g = d_x_hat.mean(axis=axes, keepdims=True)
    mean_gx = (d_x_hat * x_hat).mean(axis=axes, keepdims=True)
    return inv_std * (d_x_hat - mean_g - x_hat * mean_gx)


class BatchNormFunction(Function):
    """Normalise each channel (axis 1) over the batch and any spatial axes; scale and shift.

    x: (N, C) or (N, C, L) or (N, C, H, W); weight, bias: (C,) or absent (affine=False).
    In training the batch statistics are used, and the running estimates are updated in
    place with `momentum` (the unbiased variance, as PyTorch does). In evaluation the running
    estimates are used, so the layer is a fixed per-channel affine map.
    """

    def forward(self, x, weight=None, bias=None, *, running_mean, running_var, training,
                momentum, eps):
        axes = (0, *range(2, x.ndim))
        channel_shape = (1, -1) + (1,) * (x.ndim - 2)
        if training:
            x_hat, inv_std, mean, var = normalize(x, axes, eps)
            count = x.size // x.shape[1]
            running_mean += momentum * (mean.reshape(-1) - running_mean)
            running_var += momentum * (var.reshape(-1) * count / max(count - 1, 1) - running_var)
        else:
            mean = running_mean.reshape(channel_shape)
            inv_std = 1 / np.sqrt(running_var.reshape(channel_shape) + eps)
            x_hat = (x - mean) * inv_std
        self.x_hat, self.inv_std, self.axes, self.training = x_hat, inv_std, axes, training
        self.scale = None if weight is None else weight.reshape(channel_shape)
        if weight is None:
            return x_hat
        return x_hat * self.scale + bias.reshape(channel_shape)

    def backward(self, grad):
        need_x, *need_params = self.needs_input_grad
        d_x_hat = grad if self.scale is None else grad * self.scale
        grad_x = None
        if need_x and self.training:
            grad_x = normalize_backward(d_x_hat, self.x_hat, self.inv_std, self.axes)
        elif need_x:
            grad_x = d_x_hat * self.inv_std
        if not need_params:
            return grad_x
        grad_w = (grad * self.x_hat).sum(axis=self.axes) if need_params[0] else None
        grad_b = grad.sum(axis=self.axes) if need_params[1] else None
        return grad_x, grad_w, grad_b


class LayerNormFunction(Function):
    """Normalise over the last `normalized_ndim` axes of each sample, then scale and shift by
    weight and bias of those axes' shape (or neither). Same in training and evaluation:
    each sample's statistics are its own, so there is no running estimate.
    """

    def forward(self, x, weight=None, bias=None, *, normalized_ndim, eps):
        self.axes = tuple(range(x.ndim - normalized_ndim, x.ndim))
        x_hat, self.inv_std, _, _ = normalize(x, self.axes, eps)
        self.x_hat, self.weight = x_hat, weight
        return x_hat if weight is None else x_hat * weight + bias

    def backward(self, grad):
        need_x, *need_params = self.needs_input_grad
        d_x_hat = grad if self.weight is None else grad * self.weight
        grad_x = None
        if need_x:
            grad_x = normalize_backward(d_x_hat, self.x_hat, self.inv_std, self.axes)
        if not need_params:
            return grad_x
        # Parameter gradients in x's shape: the engine sums the leading (batch) axes away.
        grad_w = grad * self.x_hat if need_params[0] else None
        return grad_x, grad_w, (grad if need_params[1] else None)
