"""Milestone 1957 exercises: the perceptron's prediction and Rosenblatt's learning rule.

The learner's functions get tinytorch tensors (`w` of shape (2,), points of shape (n, 2) or
(2,)) and may answer with tensors, arrays or numbers: the checks compare values.
"""

import numpy as np

import tinytorch
from tinytorch.course.checks import Check, Exercise, _as_array, expect_close


def predict_solution(w, b, x):
    """+1 for points on the positive side of the line w·x + b = 0, -1 elsewhere (on it too)."""
    return tinytorch.where(x @ w + b > 0, 1, -1)


def update_solution(w, b, x, y, lr):
    """Rosenblatt's rule for one point: on a mistake, y·(w·x + b) <= 0, move the line toward
    the point (w += lr·y·x, b += lr·y); on a correct point change nothing."""
    if y * (w @ x + b).item() <= 0:
        return w + lr * y * x, b + lr * y
    return w, b


def _t(values) -> tinytorch.Tensor:
    return tinytorch.tensor(np.asarray(values, dtype=np.float64))


def _predict_case(w, b, points):
    def test(candidate):
        w_t, x_t = _t(w), _t(points)
        got = candidate(w_t, b, x_t)
        what = f"predict(w={w}, b={b}, x={np.asarray(points).tolist()})"
        if got is None:
            raise AssertionError(f"{what} is None: did the function forget to `return`?")
        expect_close(_as_array(got).astype(np.float64), _as_array(predict_solution(w_t, b, x_t)),
                     what)
    return test


def _only_signs(candidate):
    rng = np.random.default_rng(1)
    got = _as_array(candidate(_t(rng.normal(size=2)), 0.3, _t(rng.normal(size=(50, 2)))))
    values = sorted({float(v) for v in np.ravel(got)})
    if not set(values) <= {-1.0, 1.0}:
        raise AssertionError(f"predictions take the values {values[:6]}, expected only -1 and +1")


def _random_points(seed, n=40):
    rng = np.random.default_rng(seed)
    return rng.normal(size=2).tolist(), float(rng.normal()), rng.normal(size=(n, 2))


PREDICT = Exercise(
    name="PREDICT",
    checks=(
        Check("one point on each side", _predict_case([1.0, 0.0], 0.0, [[2.0, 0.0], [-3.0, 1.0]]),
              "Compute the score w·x + b of every row of x (`x @ w + b`), then take its sign."),
        Check("only +1 and -1 come out", _only_signs,
              "The perceptron answers a class, +1 or -1: not the raw score, not 0/1."),
        Check("the bias shifts the line", _predict_case([1.0, 1.0], -3.0, [[1.0, 1.0], [2.0, 2.0]]),
              "Add b to every score: the line is w·x + b = 0, not w·x = 0."),
        Check("a point on the line is -1", _predict_case([1.0, -1.0], 0.0, [[2.0, 2.0], [0.0, 0.0]]),
              "Score exactly 0 is not positive: predict -1 there (use > 0, not >= 0)."),
        Check("forty random points", _predict_case(*_random_points(0)),
              "Every row of x gets its own prediction: the result has shape (n,)."),
    ),
    solution=predict_solution,
)


def _update_case(w, b, x, y, lr, label):
    def test(candidate):
        expected_w, expected_b = update_solution(_t(w), b, _t(x), y, lr)
        result = candidate(_t(w), b, _t(x), y, lr)
        what = f"update(w={w}, b={b}, x={x}, y={y:+d}, lr={lr})"
        if not isinstance(result, tuple) or len(result) != 2:
            raise AssertionError(f"{what} returned {result!r}: it must return the pair (w, b)")
        expect_close(result[0], expected_w, f"w after {label}")
        expect_close(np.float64(_as_array(result[1])), np.float64(expected_b), f"b after {label}")
    return test


def _keeps_input(candidate):
    w = _t([-1.0, 0.5])
    before = w.numpy().copy()
    candidate(w, 0.0, _t([2.0, 1.0]), 1, 0.5)
    if not np.array_equal(w.numpy(), before):
        raise AssertionError(f"the caller's w changed from {before.tolist()} to {w.numpy().tolist()}")


def separable_points(n: int = 60, seed: int = 0, margin: float = 0.1):
    """n points in [-1, 1]^2 at least `margin` away from a random line, labelled +1/-1 by side.

    Returns (points (n, 2), labels (n,), (normal, offset)): the line is normal·x + offset = 0,
    with a unit normal."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    normal, offset = np.array([np.cos(angle), np.sin(angle)]), rng.uniform(-0.3, 0.3)
    points = np.empty((0, 2))
    while len(points) < n:
        draw = rng.uniform(-1, 1, size=(4 * n, 2))
        points = np.concatenate([points, draw[np.abs(draw @ normal + offset) >= margin]])
    points = points[:n]
    return points, np.where(points @ normal + offset > 0, 1, -1), (normal, offset)


def _converges(candidate):
    points, labels, _ = separable_points(seed=3)
    x = _t(points)
    w, b = _t([0.0, 0.0]), 0.0
    for _ in range(100):
        for i in range(len(points)):
            w, b = candidate(w, b, x[i], int(labels[i]), 0.1)
        w_t = _t(_as_array(w))
        mistakes = int((_as_array(predict_solution(w_t, float(_as_array(b)), x)) != labels).sum())
        if mistakes == 0:
            return
    raise AssertionError(f"after 100 epochs {mistakes} of {len(points)} points are still misclassified")


UPDATE = Exercise(
    name="UPDATE",
    checks=(
        Check("a correct point changes nothing",
              _update_case([1.0, 1.0], 0.5, [1.0, 2.0], 1, 0.5, "a correct point"),
              "Update only on a mistake: when y·(w·x + b) <= 0."),
        Check("a missed +1 point pulls the line toward it",
              _update_case([-1.0, 0.0], 0.0, [2.0, 1.0], 1, 0.5, "a missed +1 point"),
              "w ← w + lr·y·x and b ← b + lr·y, with y = +1."),
        Check("a missed -1 point pushes the line away",
              _update_case([1.0, 0.0], 0.0, [2.0, 1.0], -1, 0.5, "a missed -1 point"),
              "With y = -1 the update subtracts lr·x from w and lr from b: multiply by y."),
        Check("a point on the line is a mistake",
              _update_case([0.0, 0.0], 0.0, [0.5, -1.0], -1, 0.25, "a point on the line"),
              "Test y·(w·x + b) <= 0, not < 0: otherwise w = 0 never starts learning."),
        Check("the learning rate scales the step",
              _update_case([0.0, -1.0], 0.2, [1.0, 1.0], 1, 0.01, "a small step"),
              "Multiply the step by lr, the bias step too."),
        Check("the caller's w is left untouched", _keeps_input,
              "Return a new w (w = w + ...); do not write into w.data."),
        Check("training converges on separable data", _converges,
              "Sweep the points again and again with your update: on separable data the "
              "mistakes must reach 0."),
    ),
    solution=update_solution,
)
