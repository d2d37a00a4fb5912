"""Module 02 exercises: an activation's forward and backward pair, and a softmax that never
overflows. Both are written on NumPy arrays, exactly as tinytorch's own ops are
(`tinytorch.core.ops.elementwise.SigmoidFunction`, `tinytorch.core.ops.reduce.SoftmaxFunction`)."""

import numpy as np

import tinytorch
import tinytorch.nn.functional as F
from tinytorch.course.checks import Check, Exercise, expect_close, expect_equal


def _strict(candidate, *args):
    """Call the learner's function with NumPy turning overflow and 0/0 into errors, so a formula
    that only works for small inputs fails loudly instead of returning inf or nan."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        return candidate(*args)


# ----- sigmoid: forward and backward -------------------------------------------------------
def sigmoid_solution(x: np.ndarray, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward: 1 / (1 + e^-x) without ever exponentiating a positive number.
    Backward: the chain rule, upstream gradient times the local derivative y (1 - y)."""
    e = np.exp(-np.abs(x))                      # in (0, 1]: cannot overflow
    y = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return y, grad * y * (1 - y)


def _sigmoid_reference(x, grad):
    t = tinytorch.tensor(x, requires_grad=True)
    y = F.sigmoid(t)
    y.backward(grad)
    return y.numpy(), t.grad.numpy()


def _sigmoid_case(x, grad, part):
    x, grad = np.asarray(x, np.float32), np.asarray(grad, np.float32)

    def test(candidate):
        result = _strict(candidate, x, grad)
        if not isinstance(result, tuple) or len(result) != 2:
            raise AssertionError(f"expected a pair (y, grad_x), got {type(result).__name__}")
        expected = _sigmoid_reference(x, grad)
        index = 0 if part == "forward" else 1
        expect_close(result[index], expected[index], "y" if index == 0 else "grad_x", rtol=1e-4)
    return test


def _sigmoid_dtype(candidate):
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    y, grad_x = _strict(candidate, x, np.ones_like(x))
    expect_equal(np.asarray(y).dtype, np.dtype(np.float32), "the dtype of y")
    expect_equal(np.asarray(grad_x).dtype, np.dtype(np.float32), "the dtype of grad_x")


_POINTS = [-4.0, -1.0, -0.25, 0.0, 0.25, 1.0, 4.0]
_LARGE = [-1000.0, -100.0, -20.0, 20.0, 100.0, 1000.0]

SIGMOID = Exercise(
    name="SIGMOID",
    checks=(
        Check("forward at a few points", _sigmoid_case(_POINTS, np.ones(7), "forward"),
              "y = 1 / (1 + e^-x): 0.5 at x = 0, near 0 far left, near 1 far right."),
        Check("backward with an upstream gradient of ones", _sigmoid_case(_POINTS, np.ones(7), "backward"),
              "The local derivative of the sigmoid is y * (1 - y), at most 0.25 (at x = 0)."),
        Check("backward multiplies by the upstream gradient (chain rule)",
              _sigmoid_case(_POINTS, [2.0, -1.0, 0.5, 3.0, 0.0, -2.0, 1.0], "backward"),
              "grad_x = grad * dy/dx: the gradient arriving from above scales the local derivative."),
        Check("a (3, 4) batch keeps its shape",
              _sigmoid_case(np.arange(-6, 6).reshape(3, 4) / 2, np.ones((3, 4)), "backward"),
              "Elementwise: every operation should work on arrays of any shape."),
        Check("large inputs: no overflow, no nan", _sigmoid_case(_LARGE, np.ones(6), "forward"),
              "np.exp(1000) overflows float32 (its limit is about e^88.7). Use e = np.exp(-|x|), which "
              "is at most 1, and pick 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0."),
        Check("large inputs: the gradient vanishes smoothly", _sigmoid_case(_LARGE, np.ones(6), "backward"),
              "Write the derivative through y (y * (1 - y)), not through e^-x, which overflows."),
        Check("float32 in, float32 out", _sigmoid_dtype,
              "Avoid np.float64 constants and dtype=float arguments: they double the memory of every "
              "activation."),
    ),
    solution=sigmoid_solution,
)


# ----- softmax that cannot overflow --------------------------------------------------------
def softmax_solution(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Subtract each slice's own max before exp: the largest exponent is 0, so nothing overflows,
    and the result is unchanged because the factor e^-max cancels between top and bottom."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_case(x, axis=-1):
    x = np.asarray(x, np.float32)

    def test(candidate):
        expected = F.softmax(tinytorch.tensor(x), axis=axis).numpy()
        expect_close(_strict(candidate, x, axis), expected, f"softmax(x, axis={axis})", rtol=1e-4)
    return test


def _softmax_dtype(candidate):
    out = _strict(candidate, np.array([[1.0, 2.0, 3.0]], np.float32), -1)
    expect_equal(np.asarray(out).dtype, np.dtype(np.float32), "the dtype of the result")


_MATRIX = np.random.default_rng(2).normal(0, 2, size=(4, 5))

SOFTMAX = Exercise(
    name="SOFTMAX",
    checks=(
        Check("a vector", _softmax_case([1.0, 2.0, 3.0]), "softmax(x)_i = e^x_i / sum_j e^x_j."),
        Check("each row of a matrix", _softmax_case(_MATRIX),
              "Sum along `axis` with keepdims=True, so the sums broadcast back against the rows."),
        Check("axis=0 normalises columns", _softmax_case(_MATRIX, axis=0),
              "Use the `axis` argument everywhere you reduce (max and sum)."),
        Check("large logits do not overflow", _softmax_case([1000.0, 999.0, 998.0]),
              "e^1000 is inf in float32. Subtract the max first: softmax(x) = softmax(x - max(x))."),
        Check("rows on very different scales", _softmax_case([[1000.0, 999.0], [-1000.0, -1001.0]]),
              "Subtract each row's OWN max (keepdims=True), not the max of the whole array: "
              "otherwise the second row underflows to 0 / 0."),
        Check("float32 in, float32 out", _softmax_dtype, "Do not convert to float64 on the way."),
    ),
    solution=softmax_solution,
)
