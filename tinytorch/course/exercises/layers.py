"""Module 03 exercises: a Linear layer's forward pass with PyTorch's weight layout, and how many
parameters a stack of Linear layers holds."""

import numpy as np

import tinytorch
import tinytorch.nn as nn
import tinytorch.nn.functional as F
from tinytorch.course.checks import Check, Exercise, expect_close, expect_equal


# ----- Linear forward ----------------------------------------------------------------------
def linear_solution(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
    """y = x W^T + b. The weight is (out_features, in_features): row i holds output i's weights,
    so x (..., in) meets W^T (in, out). The bias (out,) broadcasts over every leading dim."""
    y = x @ weight.T
    if bias is not None:
        y = y + bias
    return y


def _linear_case(x_shape, out_features, bias=True, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape).astype(np.float32)
    weight = rng.normal(size=(out_features, x_shape[-1])).astype(np.float32)
    b = rng.normal(size=out_features).astype(np.float32) if bias else None

    def test(candidate):
        expected = F.linear(tinytorch.tensor(x), tinytorch.tensor(weight),
                            None if b is None else tinytorch.tensor(b))
        what = f"linear(x {x_shape}, W {weight.shape}, b {None if b is None else b.shape})"
        expect_close(candidate(x, weight, b), expected, what, rtol=1e-4, atol=1e-5)
    return test


def _linear_dtype(candidate):
    x, weight, b = np.ones((2, 3), np.float32), np.ones((4, 3), np.float32), np.zeros(4, np.float32)
    expect_equal(np.asarray(candidate(x, weight, b)).dtype, np.dtype(np.float32), "the dtype of y")


_LAYOUT = "The weight is (out_features, in_features), as in PyTorch: multiply by its transpose, x @ W.T."

LINEAR = Exercise(
    name="LINEAR",
    checks=(
        Check("one sample, square weight", _linear_case((1, 3), 3),
              "y = x @ W.T + b. With a square W, x @ W runs but gives the wrong numbers."),
        Check("a batch, more outputs than inputs", _linear_case((5, 3), 4, seed=1), _LAYOUT),
        Check("fewer outputs than inputs", _linear_case((2, 6), 2, seed=2), _LAYOUT),
        Check("no bias (bias=None)", _linear_case((4, 3), 2, bias=False, seed=3),
              "A layer built with bias=False passes None: add the bias only when there is one."),
        Check("a batch of sequences (3-d input)", _linear_case((2, 3, 4), 5, seed=4),
              "Only the last dimension is features: `@` treats the leading ones as batch dims."),
        Check("float32 in, float32 out", _linear_dtype, "Keep the input's dtype: no float64 constants."),
    ),
    solution=linear_solution,
)


# ----- counting parameters -----------------------------------------------------------------
def count_parameters_solution(sizes: list, bias: bool = True) -> int:
    """An MLP with these layer sizes, e.g. [784, 128, 10], has one Linear per consecutive pair:
    in * out weights, plus out biases."""
    pairs = zip(sizes[:-1], sizes[1:], strict=True)
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in pairs)


def _count_case(sizes, bias=True):
    def test(candidate):
        pairs = zip(sizes[:-1], sizes[1:], strict=True)
        model = nn.Sequential(*(nn.Linear(a, b, bias=bias) for a, b in pairs))
        expect_equal(candidate(list(sizes), bias), model.num_parameters(),
                     f"count_parameters({list(sizes)}, bias={bias})")
    return test


COUNT = Exercise(
    name="COUNT",
    checks=(
        Check("one layer, 2 -> 3", _count_case([2, 3]), "W is 3 x 2 = 6 numbers, b has 3: 9 in all."),
        Check("an MNIST MLP, 784 -> 128 -> 10", _count_case([784, 128, 10]),
              "One Linear per consecutive pair of sizes: 784 -> 128, then 128 -> 10."),
        Check("deep and narrow", _count_case([8, 8, 8, 8, 8]), "Four layers of 8 -> 8."),
        Check("without bias", _count_case([784, 128, 10], bias=False), "With bias=False, only in * out."),
        Check("a single size is no layer", _count_case([5]), "[5] has no pair of sizes: 0 parameters."),
    ),
    solution=count_parameters_solution,
)
