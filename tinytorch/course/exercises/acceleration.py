"""Module 18 exercise: vectorise the weight gradient of a convolution, then time the speed-up.

Why this kernel and not the forward pass: module 09 already has the learner vectorise the
forward convolution (`CONV2D_LOOPS` -> `CONV2D_VECTORISED`). Training runs the backward pass
too, and the weight gradient is a different contraction: every weight sums, over all images
and output pixels, the input pixel it touched times the gradient arriving there,

    dW[o, c, i, j] = sum over n, y, x of  xpad[n, c, y*stride + i, x*stride + j] * grad[n, o, y, x].

`conv2d_weight_grad_loops` computes it one weight at a time (O*C*kh*kw NumPy reductions, each a
Python round trip); the learner writes `conv2d_weight_grad`, the same numbers from one
contraction per kernel tap (kh*kw calls). The checks compare it with tinytorch's autograd
(`Conv2d`'s backward) and count the Python lines it runs, as module 09's vectorised check
does; the app then times both.
"""

import numpy as np

from tinytorch.core import spatial
from tinytorch.core.tensor import Tensor
from tinytorch.course.checks import Check, Exercise, expect_close, expect_raises
from tinytorch.course.exercises.convolutions import python_lines


def _padded_and_size(x, grad_out, kernel_size, stride, padding):
    """x padded, and the checked output size: a gradient of the wrong shape is an error."""
    if x.ndim != 4 or grad_out.ndim != 4 or x.shape[0] != grad_out.shape[0]:
        raise ValueError(f"need x (N, C, H, W) and grad_out (N, O, OH, OW) with the same N, got "
                         f"{x.shape} and {grad_out.shape}")
    oh = (x.shape[2] + 2 * padding - kernel_size) // stride + 1
    ow = (x.shape[3] + 2 * padding - kernel_size) // stride + 1
    if grad_out.shape[2:] != (oh, ow):
        raise ValueError(f"a {kernel_size}x{kernel_size} convolution with stride {stride} and padding "
                         f"{padding} of x {x.shape} outputs {oh}x{ow}, but grad_out is {grad_out.shape}")
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))), (oh, ow)


def conv2d_weight_grad_loops(x, grad_out, kernel_size, stride=1, padding=0):
    """The definition, one weight at a time: for each (o, c, i, j), the pixels that weight
    touched in every image, times the gradient at the outputs they fed, summed."""
    xp, (oh, ow) = _padded_and_size(x, grad_out, kernel_size, stride, padding)
    out_channels, channels = grad_out.shape[1], x.shape[1]
    grad_w = np.zeros((out_channels, channels, kernel_size, kernel_size), np.float32)
    for o in range(out_channels):
        for c in range(channels):
            for i in range(kernel_size):
                for j in range(kernel_size):
                    touched = xp[:, c, i:i + stride * oh:stride, j:j + stride * ow:stride]
                    grad_w[o, c, i, j] = np.sum(touched * grad_out[:, o])
    return grad_w


def conv2d_weight_grad_solution(x, grad_out, kernel_size, stride=1, padding=0):
    """One contraction per kernel tap: for tap (i, j), the pixels it touched in every image and
    channel against the gradient of every filter, summed over images and output pixels at once.
    kh*kw NumPy calls instead of O*C*kh*kw."""
    xp, (oh, ow) = _padded_and_size(x, grad_out, kernel_size, stride, padding)
    grad_w = np.zeros((grad_out.shape[1], x.shape[1], kernel_size, kernel_size), np.float32)
    for i in range(kernel_size):
        for j in range(kernel_size):
            touched = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]  # (N, C, OH, OW)
            grad_w[:, :, i, j] = np.einsum("ncyx,noyx->oc", touched, grad_out)
    return grad_w


def reference(x, grad_out, kernel_size, stride=1, padding=0) -> np.ndarray:
    """tinytorch's own weight gradient: conv2d forward, then backward with `grad_out`."""
    weight = Tensor(np.zeros((grad_out.shape[1], x.shape[1], kernel_size, kernel_size), np.float32),
                    requires_grad=True)
    spatial.conv2d(Tensor(x), weight, stride=stride, padding=padding).backward(grad_out)
    return weight.grad.numpy()


def inputs(x_shape, out_channels, kernel_size, stride=1, padding=0, seed=0):
    """A random input and a random output gradient of the matching shape."""
    rng = np.random.default_rng(seed)
    n, _, h, w = x_shape
    oh, ow = (h + 2 * padding - kernel_size) // stride + 1, (w + 2 * padding - kernel_size) // stride + 1
    return (rng.standard_normal(x_shape).astype(np.float32),
            rng.standard_normal((n, out_channels, oh, ow)).astype(np.float32))


def _case(x_shape, out_channels, kernel_size, stride=1, padding=0, seed=0):
    def test(candidate):
        x, grad_out = inputs(x_shape, out_channels, kernel_size, stride, padding, seed)
        expect_close(candidate(x, grad_out, kernel_size, stride=stride, padding=padding),
                     reference(x, grad_out, kernel_size, stride, padding),
                     f"the weight gradient for x {x_shape}, {out_channels} filters of {kernel_size}x"
                     f"{kernel_size}, stride {stride}, padding {padding}", rtol=1e-4, atol=1e-3)
    return test


def _known_answer(candidate):
    """The image 1..9, a 2x2 kernel and a gradient of ones: each weight's gradient is the sum
    of the four pixels it touched."""
    x = np.arange(1, 10, dtype=np.float32).reshape(1, 1, 3, 3)
    expect_close(candidate(x, np.ones((1, 1, 2, 2), np.float32), 2),
                 np.array([[[[12, 16], [24, 28]]]], np.float32),
                 "the gradient of a 2x2 kernel on [[1, 2, 3], [4, 5, 6], [7, 8, 9]] with a gradient of ones")


def _wrong_gradient_shape(candidate):
    x, grad_out = inputs((1, 2, 6, 6), 3, 3)
    expect_raises(ValueError, candidate, x, grad_out[:, :, :3], 3,
                  what="the weight gradient with grad_out (1, 3, 3, 4) for a 4x4 output")


MAX_VECTORISED_LINES = 100  # one contraction, or a loop over the kh*kw taps; not over the weights


def _vectorised(candidate):
    x, grad_out = inputs((2, 8, 10, 10), 16, 3, padding=1, seed=7)
    result, lines = python_lines(candidate, x, grad_out, 3, padding=1)
    expect_close(result, reference(x, grad_out, 3, 1, 1), "the weight gradient for x (2, 8, 10, 10)",
                 rtol=1e-4, atol=1e-3)
    if lines > MAX_VECTORISED_LINES:
        raise AssertionError(f"it ran {lines:,} lines of Python for 16 x 8 x 3 x 3 weights, more than "
                             f"{MAX_VECTORISED_LINES}: it still loops over filters, channels or pixels")


CONV2D_WEIGHT_GRAD = Exercise(
    name="CONV2D_WEIGHT_GRAD",
    checks=(
        Check("a known answer", _known_answer,
              "Weight (i, j) touched x[y + i, x + j] for every output (y, x): sum those pixels times "
              "the gradient at (y, x)."),
        Check("several images, channels and filters", _case((3, 2, 7, 6), 4, 3, seed=1),
              "Sum over the batch and the output pixels; keep the (out channel, in channel, i, j) axes."),
        Check("zero padding 1", _case((2, 3, 8, 8), 2, 3, padding=1, seed=2),
              "Pad x's H and W by `padding` zeros before taking the windows, as the forward pass did."),
        Check("stride 2 and padding 1", _case((2, 2, 9, 9), 3, 3, stride=2, padding=1, seed=3),
              "With stride s, output (y, x) read the window starting at (y*s, x*s): keep every s-th window."),
        Check("a gradient of the wrong shape raises ValueError", _wrong_gradient_shape,
              "Compute the output size from x, the kernel, stride and padding, and compare it with "
              "grad_out.shape[2:]."),
        Check("vectorised: no loop over filters, channels or pixels", _vectorised,
              "Keep the loop over the kh*kw taps; for each tap, one np.einsum(\"ncyx,noyx->oc\", ...) of "
              "the pixels it touched with grad_out gives that tap's weight for every filter and channel."),
    ),
    solution=conv2d_weight_grad_solution,
)
