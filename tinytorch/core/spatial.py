"""Module 09, Spatial: layers for images, which share weights across positions.

A Linear layer on a 32x32x3 image needs 3072 weights per output and learns "a cat at the top
left" separately from "a cat at the bottom right". A convolution slides one small kernel over
every position instead: few weights, and what it learns anywhere applies everywhere. Pooling
then shrinks the image so later layers see more of it at once, and batch normalisation keeps
every channel's activations at a trainable scale however deep the stack.

Layout is PyTorch's NCHW: (batch, channels, height, width); conv weights are
(out_channels, in_channels / groups, kh, kw). Each layer is a function (`conv2d`) and a Module
(`Conv2d`); the maths, forward and backward, is in `tinytorch.core.ops.conv`, `.pool`, `.norm`.
"""

import math

import numpy as np

from tinytorch.core import init
from tinytorch.core.arguments import check_counts
from tinytorch.core.layers import Dropout, drop
from tinytorch.core.module import Module, Parameter
from tinytorch.core.ops import conv, norm, pool
from tinytorch.core.tensor import Tensor, apply


def _int_pair(value, name: str) -> tuple:
    """3 -> (3, 3); (3, 5) stays. Every size argument may be one int or an (h, w) pair."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) for v in pair):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    return tuple(int(v) for v in pair)


def _window(kernel_size, stride, padding, dilation=1) -> conv.Window:
    kernel, padding = _int_pair(kernel_size, "kernel_size"), _int_pair(padding, "padding")
    stride, dilation = _int_pair(stride, "stride"), _int_pair(dilation, "dilation")
    if min(kernel + stride + dilation) < 1 or min(padding) < 0:
        raise ValueError(f"kernel_size {kernel}, stride {stride} and dilation {dilation} must "
                         f"be positive and padding {padding} not negative")
    return conv.Window(kernel, stride, padding, dilation)


def _check_image(name: str, x: Tensor, window: conv.Window, channels: int | None = None) -> None:
    """A 4-D input with `channels` channels (if given) whose padded size fits the kernel."""
    if x.ndim != 4:
        hint = " (add a batch axis with x.unsqueeze(0))" if x.ndim == 3 else ""
        raise ValueError(f"{name} expects input of shape (N, C, H, W), got {x.shape}{hint}")
    if channels is not None and x.shape[1] != channels:
        hint = ""
        if x.shape[3] == channels:
            hint = "; it looks channels-last (N, H, W, C): convert with x.permute(0, 3, 1, 2)"
        raise ValueError(f"{name} expects input of shape (N, {channels}, H, W) (NCHW), got "
                         f"{x.shape}{hint}")
    if min(window.output_hw(*x.shape[2:])) < 1:
        raise ValueError(f"{name}: input of height x width {x.shape[2:]} with padding "
                         f"{window.padding} is smaller than the (dilated) kernel {window.kernel}")


# ----- convolution ------------------------------------------------------------------------

def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0,
           dilation=1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of x (N, C, H, W) with weight (O, C/groups, kh, kw)."""
    window = _window(weight.shape[2:], stride, padding, dilation)
    _check_image("conv2d", x, window, channels=weight.shape[1] * groups)
    x = x.to(weight.dtype)
    inputs = (x, weight) if bias is None else (x, weight, bias)
    return apply(conv.Conv2dFunction, *inputs, window=window, groups=groups)


class Conv2d(Module):
    """Learned 2-D convolution.

    Initialisation is PyTorch's: weight and bias uniform in +-1/sqrt(fan_in), fan_in being
    in_channels / groups * kh * kw, the number of inputs each output sums over.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True):
        super().__init__()
        check_counts("Conv2d", in_channels=in_channels, out_channels=out_channels, groups=groups)
        _window(kernel_size, stride, padding, dilation)  # checked here, not at the first call
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"in_channels ({in_channels}) and out_channels ({out_channels}) "
                             f"must both be divisible by groups ({groups})")
        kh, kw = _int_pair(kernel_size, "kernel_size")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride = (kh, kw), _int_pair(stride, "stride")
        self.padding, self.dilation = _int_pair(padding, "padding"), _int_pair(dilation, "dilation")
        bound = 1 / math.sqrt(in_channels // groups * kh * kw)
        self.weight = init.uniform_(
            Parameter(np.empty((out_channels, in_channels // groups, kh, kw), np.float32)),
            -bound, bound)
        self.bias = init.uniform_(Parameter(np.empty(out_channels, np.float32)),
                                  -bound, bound) if bias else None

    def forward(self, x: Tensor) -> Tensor:
        return conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                      self.groups)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, dilation={self.dilation}, "
                f"groups={self.groups}, bias={self.bias is not None}")


# ----- pooling ----------------------------------------------------------------------------

def _pool_window(name: str, kernel_size, stride, padding) -> conv.Window:
    """Shared checks of max and average pooling; stride defaults to the kernel size."""
    window = _window(kernel_size, kernel_size if stride is None else stride, padding)
    if any(2 * p > k for p, k in zip(window.padding, window.kernel, strict=True)):
        raise ValueError(f"{name}: padding {window.padding} must be at most half the kernel "
                         f"size {window.kernel}")
    return window


def _pool(name: str, op, x: Tensor, kernel_size, stride, padding) -> Tensor:
    window = _pool_window(name, kernel_size, stride, padding)
    _check_image(name, x, window)
    return apply(op, x._as_float(), window=window)


def max_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    return _pool("max_pool2d", pool.MaxPool2dFunction, x, kernel_size, stride, padding)


def avg_pool2d(x: Tensor, kernel_size, stride=None, padding=0) -> Tensor:
    return _pool("avg_pool2d", pool.AvgPool2dFunction, x, kernel_size, stride, padding)


def adaptive_avg_pool2d(x: Tensor, output_size) -> Tensor:
    """Average down to `output_size` (e.g. 1: global average pooling) whatever the input size."""
    if x.ndim != 4:
        raise ValueError(f"adaptive_avg_pool2d expects input of shape (N, C, H, W), got {x.shape}")
    return apply(pool.AdaptiveAvgPool2dFunction, x._as_float(), output_size=_output_size(output_size))


def _output_size(output_size) -> tuple:
    height, width = _int_pair(output_size, "output_size")
    check_counts("adaptive_avg_pool2d", output_height=height, output_width=width)
    return height, width


class _Pool2d(Module):
    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        _pool_window(type(self).__name__, kernel_size, stride, padding)
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = kernel_size if stride is None else stride

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """Keep the largest value of each window (stride defaults to the kernel size)."""

    def forward(self, x: Tensor) -> Tensor:
        return max_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool2d):
    """Average each window; padding counts as zeros in the average, as in PyTorch."""

    def forward(self, x: Tensor) -> Tensor:
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)


class AdaptiveAvgPool2d(Module):
    def __init__(self, output_size):
        super().__init__()
        _output_size(output_size)
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


# ----- batch normalisation ----------------------------------------------------------------

def batch_norm(x: Tensor, running_mean: Tensor, running_var: Tensor, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """Normalise each channel (axis 1) by batch statistics (training, which also updates the
    running estimates in place) or by the running estimates (evaluation)."""
    channels = running_mean.shape[0]
    if x.ndim < 2 or x.shape[1] != channels:
        raise ValueError(f"batch_norm over {channels} channels expects input of shape "
                         f"(N, {channels}, ...), got {x.shape}")
    if training and x.size(0) * int(np.prod(x.shape[2:])) < 2:
        raise ValueError(f"batch_norm in training needs more than one value per channel to "
                         f"estimate a variance, got input of shape {x.shape}")
    params = () if weight is None else (weight, bias)
    return apply(norm.BatchNormFunction, x.to(running_mean.dtype), *params,
                 running_mean=running_mean.data, running_var=running_var.data,
                 training=training, momentum=momentum, eps=eps)


class _BatchNorm(Module):
    """Shared by BatchNorm1d and BatchNorm2d, which differ only in the input shapes accepted.

    weight (gamma) starts at 1 and bias (beta) at 0, so the layer starts as pure
    normalisation. running_mean and running_var are buffers: saved in state_dict, not trained.
    """

    input_ndims: tuple = ()
    input_layout: str = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True):
        super().__init__()
        check_counts(type(self).__name__, num_features=num_features)
        if not 0 <= momentum <= 1 or not eps > 0:
            raise ValueError(f"{type(self).__name__}: momentum must be in [0, 1] and eps > 0, got "
                             f"momentum={momentum!r}, eps={eps!r}")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = Parameter(np.ones(num_features, np.float32)) if affine else None
        self.bias = Parameter(np.zeros(num_features, np.float32)) if affine else None
        self.register_buffer("running_mean", Tensor(np.zeros(num_features, np.float32)))
        self.register_buffer("running_var", Tensor(np.ones(num_features, np.float32)))

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim not in self.input_ndims:
            raise ValueError(f"{type(self).__name__} expects input of shape "
                             f"{self.input_layout}, got {x.shape}")
        return batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                          self.training, self.momentum, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.weight is not None}")


class BatchNorm1d(_BatchNorm):
    """Batch norm for (N, C) features or (N, C, L) sequences."""

    input_ndims, input_layout = (2, 3), "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch norm for (N, C, H, W) images: statistics over batch, height and width."""

    input_ndims, input_layout = (4,), "(N, C, H, W)"


# ----- dropout ----------------------------------------------------------------------------

def dropout2d(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero whole channels with probability p (scaling the rest by 1/(1-p)).

    Neighbouring pixels are strongly correlated, so dropping single pixels hardly regularises
    a conv net (the neighbours carry the same information); dropping a whole feature map does.
    """
    if x.ndim != 4:
        raise ValueError(f"dropout2d expects input of shape (N, C, H, W), got {x.shape}")
    return drop(x, p, training, (*x.shape[:2], 1, 1))


class Dropout2d(Dropout):
    """Dropout of whole channels (see `dropout2d`); same `p` and train/eval switch as Dropout."""

    def forward(self, x: Tensor) -> Tensor:
        return dropout2d(x, self.p, self.training)


__all__ = ["AdaptiveAvgPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv2d", "Dropout2d",
           "MaxPool2d", "adaptive_avg_pool2d", "avg_pool2d", "batch_norm", "conv2d", "dropout2d",
           "max_pool2d"]
