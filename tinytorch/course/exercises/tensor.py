"""Module 01 exercises: the broadcasting rule and the memory layout of a tensor."""

import numpy as np

from tinytorch.course.checks import Check, Exercise, expect_equal, expect_raises


def broadcast_shape_solution(a: tuple, b: tuple) -> tuple:
    """Align the shapes at the right; each pair of sizes must match or one must be 1."""
    ndim = max(len(a), len(b))
    a, b = (1,) * (ndim - len(a)) + tuple(a), (1,) * (ndim - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b, strict=True):
        if x != y and 1 not in (x, y):
            raise ValueError(f"shapes do not broadcast: sizes {x} and {y} differ and neither is 1")
        out.append(max(x, y))
    return tuple(out)


def _shape_case(a, b):
    def test(candidate):
        expect_equal(tuple(candidate(a, b)), np.broadcast_shapes(a, b), f"broadcast_shape({a}, {b})")
    return test


def _raises_case(a, b):
    def test(candidate):
        expect_raises(ValueError, candidate, a, b, what=f"broadcast_shape({a}, {b})")
    return test


BROADCAST = Exercise(
    name="BROADCAST",
    checks=(
        Check("equal shapes", _shape_case((2, 3), (2, 3)), "Equal sizes give that size."),
        Check("a column meets a row", _shape_case((3, 1), (1, 4)),
              "A size of 1 stretches to match the other size."),
        Check("fewer dimensions", _shape_case((5, 3), (3,)),
              "Line the shapes up at the RIGHT, then pad the shorter one with 1s on the left."),
        Check("a scalar", _shape_case((), (2, 2)), "A scalar has shape (): it broadcasts to anything."),
        Check("three dimensions", _shape_case((2, 1, 4), (3, 1)), "Pad (3, 1) to (1, 3, 1) first."),
        Check("incompatible shapes raise ValueError", _raises_case((2, 3), (4, 3)),
              "Sizes 2 and 4 differ and neither is 1: raise ValueError, do not guess."),
    ),
    solution=broadcast_shape_solution,
)


def strides_solution(shape: tuple, itemsize: int) -> tuple:
    """Bytes to step in each dimension of a C-contiguous (row-major) array."""
    strides, step = [], itemsize
    for size in reversed(shape):
        strides.append(step)
        step *= size
    return tuple(reversed(strides))


def _strides_case(shape, dtype):
    def test(candidate):
        expected = np.empty(shape, dtype=dtype).strides
        expect_equal(tuple(candidate(shape, np.dtype(dtype).itemsize)), expected,
                     f"strides({shape}, itemsize={np.dtype(dtype).itemsize})")
    return test


STRIDES = Exercise(
    name="STRIDES",
    checks=(
        Check("a vector of float32", _strides_case((5,), np.float32), "One step is one element: 4 bytes."),
        Check("a float32 matrix", _strides_case((3, 4), np.float32),
              "Moving one row skips a whole row of 4 elements of 4 bytes."),
        Check("a float64 3-d tensor", _strides_case((2, 3, 4), np.float64),
              "Work from the last dimension leftwards, multiplying by each size."),
        Check("int8 images", _strides_case((10, 28, 28), np.int8), "An int8 is 1 byte."),
    ),
    solution=strides_solution,
)
