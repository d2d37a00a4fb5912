"""Module 09 exercises: a convolution's forward pass, first with loops, then vectorised.

Both take x (N, C, H, W) and weight (O, C, kh, kw) as NumPy arrays, with an integer stride
and zero padding, and return the (N, O, OH, OW) cross-correlation (what every deep-learning
library calls convolution). The checks compare them with tinytorch's `conv2d`. The vectorised
one must also *be* vectorised: a check counts the Python lines it runs (deterministic, unlike
a timing), which a loop over output pixels multiplies by the thousand.
"""

import sys

import numpy as np

from tinytorch.core import spatial
from tinytorch.core.tensor import Tensor
from tinytorch.course.checks import Check, Exercise, expect_close, expect_raises


def conv2d_loops_solution(x, weight, stride=1, padding=0):
    """One dot product per output pixel: loop over images, filters and output positions."""
    n, c, h, w = x.shape
    o, c_w, kh, kw = weight.shape
    if c != c_w:
        raise ValueError(f"x has {c} channels but weight expects {c_w}")
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh, ow = (h + 2 * padding - kh) // stride + 1, (w + 2 * padding - kw) // stride + 1
    out = np.zeros((n, o, oh, ow), dtype=np.float32)
    for b in range(n):
        for f in range(o):
            for i in range(oh):
                for j in range(ow):
                    field = xp[b, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[b, f, i, j] = np.sum(field * weight[f])
    return out


def conv2d_vectorised_solution(x, weight, stride=1, padding=0):
    """Every receptive field as a strided view, then one tensor contraction (no Python loop)."""
    n, c, h, w = x.shape
    o, c_w, kh, kw = weight.shape
    if c != c_w:
        raise ValueError(f"x has {c} channels but weight expects {c_w}")
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    fields = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
    fields = fields[:, :, ::stride, ::stride]  # (N, C, OH, OW, kh, kw)
    return np.einsum("ncijkl,ockl->noij", fields, weight, optimize=True).astype(np.float32)


def reference(x, weight, stride=1, padding=0) -> np.ndarray:
    """tinytorch's conv2d (im2col and one matrix product), without a bias."""
    return spatial.conv2d(Tensor(x), Tensor(weight), stride=stride, padding=padding).numpy()


def _inputs(shape_x, shape_w, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape_x).astype(np.float32),
            rng.standard_normal(shape_w).astype(np.float32))


def _case(shape_x, shape_w, stride=1, padding=0, seed=0):
    def test(candidate):
        x, weight = _inputs(shape_x, shape_w, seed)
        expect_close(candidate(x, weight, stride=stride, padding=padding),
                     reference(x, weight, stride, padding),
                     f"conv2d of x {shape_x} with weight {shape_w}, stride {stride}, padding {padding}",
                     rtol=1e-4, atol=1e-4)
    return test


def _known_answer(candidate):
    """A 3x3 image of 1..9 and a kernel that picks the top-left pixel minus the bottom-right."""
    x = np.arange(1, 10, dtype=np.float32).reshape(1, 1, 3, 3)
    weight = np.array([[[[1, 0], [0, -1]]]], dtype=np.float32)
    expect_close(candidate(x, weight), np.full((1, 1, 2, 2), -4, np.float32),
                 "the 2x2 difference kernel on the image [[1, 2, 3], [4, 5, 6], [7, 8, 9]]")


def _channel_mismatch(candidate):
    x, weight = _inputs((1, 3, 5, 5), (2, 2, 3, 3), 0)
    expect_raises(ValueError, candidate, x, weight, what="conv2d of 3 channels with a 2-channel kernel")


def python_lines(fn, *args, **kwargs) -> tuple[object, int]:
    """Call fn and count the lines of Python it runs in its own file (its cell, in an app):
    a loop body run 1,000 times counts 1,000 times. Returns (result, lines)."""
    filename, lines = fn.__code__.co_filename, 0

    def in_fn_file(frame, event, arg):
        nonlocal lines
        if event == "line":
            lines += 1
        return in_fn_file

    def on_call(frame, event, arg):
        return in_fn_file if frame.f_code.co_filename == filename else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return result, lines


MAX_VECTORISED_LINES = 200  # a loop over the kh*kw taps fits; a loop over output pixels does not


def _vectorised(candidate):
    x, weight = _inputs((2, 3, 20, 20), (4, 3, 3, 3), 1)
    result, lines = python_lines(candidate, x, weight)
    expect_close(result, reference(x, weight), "conv2d of x (2, 3, 20, 20)", rtol=1e-4, atol=1e-4)
    if lines > MAX_VECTORISED_LINES:
        raise AssertionError(f"it ran {lines:,} lines of Python for a 2 x 4 x 18 x 18 output, more than "
                             f"{MAX_VECTORISED_LINES}: it still loops over images, filters or pixels")


def _checks(extra=()):
    return (
        Check("a known answer", _known_answer,
              "Cross-correlation: out[i, j] = sum over the kernel of x[i + di, j + dj] * w[di, dj] "
              "(no kernel flip)."),
        Check("one channel, one filter", _case((1, 1, 6, 6), (1, 1, 3, 3)),
              "The output is (H - kh + 1) x (W - kw + 1) without padding."),
        Check("several images, channels and filters", _case((2, 3, 7, 6), (4, 3, 3, 2), seed=1),
              "Each filter sums over all input channels: its weight is (C, kh, kw)."),
        Check("stride 2", _case((1, 2, 9, 9), (3, 2, 3, 3), stride=2, seed=2),
              "Output position i reads rows i*stride .. i*stride + kh - 1; "
              "OH = (H + 2*padding - kh) // stride + 1."),
        Check("zero padding 1", _case((2, 1, 5, 5), (2, 1, 3, 3), padding=1, seed=3),
              "Pad H and W (not N or C) with `padding` zeros on both sides before sliding."),
        Check("stride and padding together", _case((1, 3, 8, 7), (2, 3, 4, 3), stride=3, padding=2, seed=4),
              "Pad first, then step by the stride over the padded image."),
        Check("mismatched channels raise ValueError", _channel_mismatch,
              "Compare x.shape[1] with weight.shape[1] and raise ValueError naming both."),
        *extra,
    )


CONV2D_LOOPS = Exercise(checks=_checks(), solution=conv2d_loops_solution, name="CONV2D_LOOPS")

CONV2D_VECTORISED = Exercise(
    name="CONV2D_VECTORISED",
    checks=_checks((Check("vectorised: no loop over images, filters or pixels", _vectorised,
                          "Build every receptive field at once "
                          "(np.lib.stride_tricks.sliding_window_view), then contract it with the "
                          "weights (np.einsum or np.tensordot); a loop over the kh*kw taps is fine."),)),
    solution=conv2d_vectorised_solution,
)
