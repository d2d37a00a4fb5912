"""Module 14 exercise: count the FLOPs of a convolution layer by hand, and check the count
against the profiler.

The learner's `conv2d_flops(x_shape, out_channels, kernel_size, stride, padding, bias)` returns
the FLOPs of one forward pass of `Conv2d(C, out_channels, kernel_size, stride, padding, bias)`
on an input of shape (N, C, H, W). Every check compares it with what the profiler counts when
it runs that very layer (`tinytorch.perf.profiling.count_flops`), so the learner's formula and
the profiler's rule (`tinytorch.perf.flops`) must agree exactly: a multiply-add is 2 FLOPs,
the bias one add per output value. Why a convolution: its count needs the output size (padding
and stride), the taps of every output and the batch, all the things a FLOP count forgets.
"""

import numpy as np

from tinytorch.core import spatial
from tinytorch.core.tensor import Tensor
from tinytorch.course.checks import Check, Exercise, expect_equal, expect_raises
from tinytorch.perf.profiling import count_flops


def conv2d_flops_solution(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    """2 FLOPs (multiply, add) per tap of every output value, plus its bias add."""
    n, c, h, w = x_shape
    oh, ow = (h + 2 * padding - kernel_size) // stride + 1, (w + 2 * padding - kernel_size) // stride + 1
    if oh < 1 or ow < 1:
        raise ValueError(f"a {kernel_size}x{kernel_size} kernel does not fit a {h}x{w} image "
                         f"padded by {padding}")
    outputs = n * out_channels * oh * ow  # every value the layer writes
    taps = c * kernel_size * kernel_size  # multiply-adds per output value
    return 2 * outputs * taps + (outputs if bias else 0)


def profiled_conv2d_flops(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True) -> int:
    """What the profiler counts for one forward pass of that layer, run for real."""
    layer = spatial.Conv2d(x_shape[1], out_channels, kernel_size, stride=stride, padding=padding, bias=bias)
    return count_flops(layer, Tensor(np.zeros(x_shape, np.float32)))


def _against_the_profiler(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    def test(candidate):
        mine = candidate(x_shape, out_channels, kernel_size, stride=stride, padding=padding, bias=bias)
        want = profiled_conv2d_flops(x_shape, out_channels, kernel_size, stride, padding, bias)
        expect_equal(mine, want, f"the FLOPs of Conv2d({x_shape[1]}, {out_channels}, {kernel_size}, "
                                 f"stride={stride}, padding={padding}, bias={bias}) on {x_shape} "
                                 "(the profiler's count)")
    return test


def _too_small(candidate):
    expect_raises(ValueError, candidate, (1, 1, 4, 4), 2, 5,
                  what="the FLOPs of a 5x5 kernel on a 4x4 image without padding")


CONV2D_FLOPS = Exercise(
    name="CONV2D_FLOPS",
    checks=(
        Check("LeNet's first layer, one digit", _against_the_profiler((1, 1, 28, 28), 6, 5),
              "Output 24x24 per filter (28 - 5 + 1); each output value is 5*5 multiply-adds = 2*25 FLOPs, "
              "plus one add for the bias."),
        Check("without a bias", _against_the_profiler((1, 1, 28, 28), 6, 5, bias=False),
              "bias=False: only the multiply-adds, 2 FLOPs per tap."),
        Check("several input channels", _against_the_profiler((1, 6, 12, 12), 16, 5),
              "Each output value sums over every input channel: C * k * k taps, not k * k."),
        Check("a batch of 64 digits", _against_the_profiler((64, 1, 28, 28), 6, 5),
              "Every image of the batch costs the same again: multiply by N."),
        Check("padding 1", _against_the_profiler((2, 3, 16, 16), 8, 3, padding=1),
              "Padding adds rows and columns: OH = (H + 2*padding - k) // stride + 1."),
        Check("stride 2 and padding 1", _against_the_profiler((2, 3, 15, 15), 4, 3, stride=2, padding=1),
              "A stride of 2 skips every other position: divide (H + 2*padding - k) by the stride "
              "(rounding down), then add 1."),
        Check("a kernel larger than the image raises ValueError", _too_small,
              "When OH or OW is below 1 there is no output: raise ValueError saying so."),
    ),
    solution=conv2d_flops_solution,
)
