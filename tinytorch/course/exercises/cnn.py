"""Milestone 1998 exercises: the output size of a convolution or pooling layer (where LeNet's
16 x 4 x 4 comes from), and weight sharing counted: a convolution's parameters against those
of a Linear layer that maps the same image to the same maps.

The output size is checked against what tinytorch's `Conv2d` and `MaxPool2d` really produce,
so the formula is the framework's, not a copy of it.
"""

import numpy as np

import tinytorch
from tinytorch.core import spatial
from tinytorch.course.checks import Check, Exercise, expect_equal, expect_raises


def conv_output_size_solution(size, kernel_size, stride=1, padding=0):
    """Positions a kernel of `kernel_size` takes, `stride` apart, along an axis of `size`
    pixels with `padding` zeros on each side."""
    padded = size + 2 * padding
    if kernel_size > padded:
        raise ValueError(f"a kernel of {kernel_size} does not fit in {padded} (padded) pixels")
    return (padded - kernel_size) // stride + 1


def _framework_size(size, kernel_size, stride, padding, pool):
    """What tinytorch's layers produce for a (1, 1, size, size) input."""
    layer = (spatial.MaxPool2d(kernel_size, stride, padding) if pool
             else spatial.Conv2d(1, 1, kernel_size, stride=stride, padding=padding))
    with tinytorch.no_grad():
        return layer(tinytorch.tensor(np.zeros((1, 1, size, size), np.float32))).shape[-1]


def _size_case(size, kernel_size, stride, padding, pool=False):
    def test(candidate):
        want = _framework_size(size, kernel_size, stride, padding, pool)
        got = candidate(size, kernel_size, stride, padding)
        expect_equal(got, want, f"the output size for size={size}, kernel_size={kernel_size}, "
                                f"stride={stride}, padding={padding}")
    return test


def _lenet_sizes(candidate):
    """The chain of the app's LeNet: 28 -> conv 5 -> 24 -> pool -> 12 -> conv 5 -> 8 -> pool -> 4."""
    size = 28
    for kernel, stride in ((5, 1), (2, 2), (5, 1), (2, 2)):
        size = candidate(size, kernel, stride, 0)
    expect_equal(size, 4, "the size after LeNet's conv, pool, conv, pool on a 28-pixel digit")


def _too_large(candidate):
    expect_raises(ValueError, candidate, 4, 5, 1, 0, what="a 5-pixel kernel on 4 pixels")


OUTPUT_SIZE = Exercise(
    name="OUTPUT_SIZE",
    checks=(
        Check("a 5x5 kernel on 28 pixels", _size_case(28, 5, 1, 0),
              "Without padding or stride, a kernel of k fits at size - k + 1 positions."),
        Check("padding keeps the size", _size_case(28, 5, 1, 2),
              "Padding adds `padding` zeros on each side: the axis is size + 2 * padding long."),
        Check("pooling halves", _size_case(24, 2, 2, 0, pool=True),
              "A 2x2 pool with stride 2 moves 2 pixels per step: (padded - k) // stride + 1."),
        Check("stride rounds down", _size_case(7, 3, 2, 0),
              "A last position that does not fit a whole stride is dropped: use integer division //."),
        Check("LeNet's 28 -> 4", _lenet_sizes,
              "Apply the formula layer by layer: conv 5, pool 2, conv 5, pool 2."),
        Check("a kernel larger than the input is an error", _too_large,
              "If kernel_size > size + 2 * padding there is no position at all: raise ValueError."),
    ),
    solution=conv_output_size_solution,
)


def conv_vs_linear_parameters_solution(in_channels, out_channels, kernel_size, height, width):
    """(parameters of Conv2d(in, out, k), parameters of the Linear layer with the same input
    image and output maps). The convolution has one k x k kernel per (input, output) channel
    pair and a bias per output channel, whatever the image size; the Linear layer has a weight
    for every (input value, output value) pair and a bias per output value."""
    conv = out_channels * in_channels * kernel_size * kernel_size + out_channels
    outputs = out_channels * (height - kernel_size + 1) * (width - kernel_size + 1)
    linear = in_channels * height * width * outputs + outputs
    return conv, linear


def _framework_parameters(in_channels, out_channels, kernel_size, height, width):
    conv = spatial.Conv2d(in_channels, out_channels, kernel_size).num_parameters()
    outputs = out_channels * (height - kernel_size + 1) * (width - kernel_size + 1)
    return conv, in_channels * height * width * outputs + outputs


def _parameters_case(in_channels, out_channels, kernel_size, height, width, what):
    def test(candidate):
        got = candidate(in_channels, out_channels, kernel_size, height, width)
        if got is None:
            raise AssertionError("got None: did the function forget to `return` the pair?")
        if not (isinstance(got, tuple) and len(got) == 2):
            raise AssertionError(f"returned {got!r}; return a pair (conv_parameters, linear_parameters)")
        want = _framework_parameters(in_channels, out_channels, kernel_size, height, width)
        expect_equal(int(got[0]), want[0], f"the convolution's parameters for {what}")
        expect_equal(int(got[1]), want[1], f"the Linear layer's parameters for {what}")
    return test


SHARED_WEIGHTS = Exercise(
    name="SHARED_WEIGHTS",
    checks=(
        Check("LeNet's first layer", _parameters_case(1, 6, 5, 28, 28, "Conv2d(1, 6, 5) on 28x28"),
              "Conv: out * in * k * k weights plus out biases. Linear: (in * H * W) inputs times "
              "(out * (H - k + 1) * (W - k + 1)) outputs, plus one bias per output."),
        Check("several input channels", _parameters_case(6, 16, 5, 12, 12, "Conv2d(6, 16, 5) on 12x12"),
              "Every output channel has a k x k kernel for every input channel."),
        Check("a colour image", _parameters_case(3, 8, 3, 32, 32, "Conv2d(3, 8, 3) on 32x32"),
              "The convolution's count does not depend on the image size; the Linear layer's does."),
        Check("a wide image", _parameters_case(2, 4, 3, 10, 20, "Conv2d(2, 4, 3) on 10x20"),
              "Height and width may differ: the output is (H - k + 1) x (W - k + 1)."),
    ),
    solution=conv_vs_linear_parameters_solution,
)
