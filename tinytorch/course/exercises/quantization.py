"""Module 15 exercises: symmetric INT8 quantization of a weight matrix, and back.

The learner's `quantize_int8(w, per_channel)` returns (q, scale): int8 integers in [-127, 127]
and the float32 step of the grid, one for the whole tensor or one per row (output channel);
`dequantize_int8(q, scale)` turns them back into float32. The checks compare both with
`tinytorch.perf.quantization.QuantizedTensor`, which the app's quantized models use.
"""

import numpy as np

from tinytorch.course.checks import Check, Exercise, _as_array, expect_close, expect_equal
from tinytorch.perf.quantization import QuantizedTensor


def quantize_int8_solution(w, per_channel=False):
    """Symmetric INT8: scale = max|w| / 127 (per row if per_channel), q = round(w / scale)."""
    w = np.asarray(w, np.float32)
    largest = np.abs(w).max(axis=tuple(range(1, w.ndim)) if per_channel else None)
    scale = np.where(largest > 0, largest / 127, 1.0).astype(np.float32)  # all zeros: any step
    step = scale.reshape(-1, *[1] * (w.ndim - 1)) if per_channel else scale
    q = np.clip(np.rint(w / step), -127, 127).astype(np.int8)  # round to nearest, not down
    return q, scale


def dequantize_int8_solution(q, scale):
    """q * scale as float32; a per-row scale (one per row of q) multiplies its own row."""
    scale = np.asarray(scale, np.float32)
    if scale.ndim == 1:
        scale = scale.reshape(-1, *[1] * (np.ndim(q) - 1))
    return (np.asarray(q).astype(np.float32) * scale).astype(np.float32)


def _reference(w, per_channel):
    return QuantizedTensor.from_float(np.asarray(w, np.float32), 8, symmetric=True,
                                      axis=0 if per_channel else None)


def _pair(result, what="quantize_int8"):
    if not isinstance(result, tuple) or len(result) != 2:
        raise AssertionError(f"{what} must return two things, (q, scale), got {type(result).__name__}")
    return np.asarray(result[0]), np.asarray(result[1])


def _matches(w, per_channel=False):
    def test(candidate):
        q, scale = _pair(candidate(np.array(w, np.float32), per_channel))
        want = _reference(w, per_channel)
        expect_close(scale, want.scale, "the scale", rtol=1e-6, atol=0)
        expect_close(q, want.data, "q")
    return test


def _int8_and_float32(candidate):
    q, scale = _pair(candidate(np.array([[0.3, -0.2], [0.1, 0.05]], np.float32), False))
    expect_equal(q.dtype, np.dtype(np.int8), "q's dtype (one byte per weight)")
    expect_equal(scale.dtype, np.dtype(np.float32), "the scale's dtype")
    expect_equal(scale.shape, (), "the shape of a per-tensor scale (a single number)")


def _largest_maps_to_127(candidate):
    w = np.array([0.4, -2.54, 1.0, 0.0], np.float32)  # the largest |w| is negative
    q, scale = _pair(candidate(w, False))
    expect_close(scale, np.float32(2.54 / 127), "the scale: max |w| / 127", rtol=1e-6, atol=0)
    expect_equal(q.tolist(), [20, -127, 50, 0], "q")


def _all_zero(candidate):
    q, scale = _pair(candidate(np.zeros((2, 3), np.float32), True))
    if not (np.isfinite(scale).all() and (scale > 0).all()):
        raise AssertionError(f"rows of zeros gave scales {scale.tolist()}: a scale must be a positive "
                             "number, or dequantizing divides 0 by 0")
    expect_equal(q.tolist(), [[0, 0, 0]] * 2, "q of zeros")


def _round_trip(candidate):
    w = np.random.default_rng(0).standard_normal((16, 32)).astype(np.float32)
    q, scale = _pair(candidate(w, True))
    error = np.abs(q.astype(np.float32) * scale.reshape(-1, 1) - w)
    worst = (error / (scale.reshape(-1, 1) / 2)).max()
    if worst > 1 + 1e-4:
        raise AssertionError(f"a weight came back {worst:.2f} half-steps away from where it was: "
                             "rounding to the nearest level keeps every error within half a step")


QUANTIZE = Exercise(
    name="QUANTIZE",
    checks=(
        Check("per tensor: the largest |w| becomes -127 or 127", _largest_maps_to_127,
              "scale = max(|w|) / 127 (the absolute value: the largest weight may be negative)."),
        Check("q is int8, the scale one float32", _int8_and_float32,
              "np.clip(...).astype(np.int8); scale as np.float32 (a 0-d array or np.float32 number)."),
        Check("rounds to the nearest level", _matches([0.26, -0.74, 1.27, 0.015, -0.016]),
              "np.rint(w / scale): casting to int8 alone truncates towards zero."),
        Check("a matrix, one scale for all of it", _matches(
            np.random.default_rng(1).standard_normal((4, 6)) * [[0.01], [0.1], [1.0], [3.0]]),
              "Without per_channel, the max |w| of the whole matrix sets the one scale."),
        Check("per channel: one scale per row", _matches(
            np.random.default_rng(2).standard_normal((4, 6)) * [[0.01], [0.1], [1.0], [3.0]], True),
              "With per_channel, take max |w| over every axis but the first (axis=1 for a matrix), "
              "and divide each row by its own scale (reshape the scales to (rows, 1))."),
        Check("rows of zeros do not divide by zero", _all_zero,
              "Where max |w| is 0, use any positive scale (1.0): every q is 0 anyway."),
        Check("every weight comes back within half a step", _round_trip,
              "q * scale must land within scale / 2 of w: round to the nearest integer, and clip "
              "to [-127, 127]."),
    ),
    solution=quantize_int8_solution,
)


def _dequantized(q, scale):
    def test(candidate):
        q_, scale_ = np.array(q, np.int8), np.array(scale, np.float32)
        got = candidate(q_, scale_)
        if got is None:
            raise AssertionError("got None: did the function forget to `return`?")
        expect_close(got, dequantize_int8_solution(q_, scale_), "the floats", rtol=1e-6, atol=0)
    return test


def _float32(candidate):
    got = _as_array(candidate(np.array([[3, -127]], np.int8), np.float32(0.5)))
    expect_equal(got.dtype, np.dtype(np.float32), "the dtype of the result")


def _undoes_the_library(candidate):
    w = np.random.default_rng(3).standard_normal((5, 7)).astype(np.float32) * np.float32(0.2)
    quantized = _reference(w, True)
    expect_close(candidate(quantized.data, quantized.scale), quantized.dequantize(),
                 "the weights of a per-channel QuantizedTensor", rtol=1e-6, atol=0)


DEQUANTIZE = Exercise(
    name="DEQUANTIZE",
    checks=(
        Check("per tensor: q times the one scale", _dequantized([[3, -127], [0, 64]], 0.5),
              "Multiply the integers by the scale."),
        Check("the result is float32", _float32,
              "q is int8: q.astype(np.float32) * scale keeps float32 (int8 times float32 is float32)."),
        Check("per channel: row i times scale[i] (3 x 3)",
              _dequantized([[1, 2, 3], [1, 2, 3], [1, 2, 3]], [0.1, 1.0, 10.0]),
              "A scale of shape (rows,) broadcasts along the LAST axis: on a square matrix that "
              "silently scales columns. Reshape it to (rows, 1)."),
        Check("undoes QuantizedTensor's per-channel quantization", _undoes_the_library,
              "Per-channel scales come one per row: scale.reshape(-1, 1) for a matrix."),
    ),
    solution=dequantize_int8_solution,
)
