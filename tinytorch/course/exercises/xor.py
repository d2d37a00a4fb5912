"""Milestone 1969 exercise: solve XOR by hand with one hidden layer of ReLUs.

The learner returns the weights of y = W2 relu(W1 x + b1) + b2 (PyTorch's layout: W1 has
shape (hidden, 2), W2 shape (1, hidden)); the checks load them into a tinytorch network and
evaluate it on the four corners and on noisy points near them. The network says 1 where
y > 0.5.
"""

import numpy as np

import tinytorch
import tinytorch.nn as nn
from tinytorch.course.checks import Check, Exercise

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR = np.array([0, 1, 1, 0])


def xor_weights_solution():
    """Hidden unit 1 counts the inputs that are on, x1 + x2; unit 2 fires only when both are,
    relu(x1 + x2 - 1). Then y = h1 - 2 h2 is 0, 1, 1, 0."""
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([[1.0, -2.0]])
    b2 = np.array([0.0])
    return W1, b1, W2, b2


def xor_points(per_corner: int = 25, noise: float = 0.15, seed: int = 0):
    """`per_corner` points around each corner of the unit square (Gaussian noise of std
    `noise`), labelled with the XOR of the corner: float32 points (4 n, 2), int64 labels."""
    rng = np.random.default_rng(seed)
    points = np.repeat(CORNERS, per_corner, axis=0)
    points = points + rng.normal(0, noise, points.shape).astype(np.float32) if noise else points
    return points.astype(np.float32), np.repeat(XOR, per_corner).astype(np.int64)


def hand_network(W1, b1, W2, b2) -> nn.Sequential:
    """A tinytorch 2-H-1 ReLU network holding the given weights (ValueError if they do not fit)."""
    W1, b1, W2, b2 = (np.asarray(a.data if hasattr(a, "data") else a, dtype=np.float32)
                      for a in (W1, b1, W2, b2))
    hidden = W1.shape[0] if W1.ndim == 2 else -1
    expected = {"W1": ((hidden, 2), W1), "b1": ((hidden,), b1), "W2": ((1, hidden), W2), "b2": ((1,), b2)}
    for name, (shape, array) in expected.items():
        if hidden < 1 or array.shape != shape:
            raise ValueError(f"{name} has shape {array.shape}; with W1 of shape {W1.shape} it should "
                             f"be {shape if hidden >= 1 else '(hidden, 2)'}")
    model = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 1))
    for layer, weight, bias in ((model[0], W1, b1), (model[2], W2, b2)):
        layer.weight, layer.bias = nn.Parameter(weight), nn.Parameter(bias)
    return model


def network_says(model, points) -> np.ndarray:
    """0/1 per point: 1 where the network's output is above 0.5."""
    with tinytorch.no_grad():
        return (model(tinytorch.tensor(np.asarray(points, dtype=np.float32))).numpy()[:, 0] > 0.5).astype(int)


def _network(candidate):
    weights = candidate()
    if not isinstance(weights, tuple | list) or len(weights) != 4:
        raise AssertionError(f"xor_weights() returned {type(weights).__name__}: return W1, b1, W2, b2")
    try:
        return hand_network(*weights)
    except ValueError as error:
        raise AssertionError(str(error)) from None


def _shapes(candidate):
    _network(candidate)


def _corner(i):
    def test(candidate):
        got = int(network_says(_network(candidate), CORNERS[i:i + 1])[0])
        with tinytorch.no_grad():
            y = float(_network(candidate)(tinytorch.tensor(CORNERS[i:i + 1])).numpy()[0, 0])
        if got != XOR[i]:
            raise AssertionError(f"at {tuple(int(v) for v in CORNERS[i])} the network outputs y = {y:.3g}, "
                                 f"so it says {got}; XOR is {XOR[i]}")
    return test


def _noisy(candidate):
    rng = np.random.default_rng(0)
    points = np.repeat(CORNERS, 50, axis=0) + rng.uniform(-0.1, 0.1, (200, 2)).astype(np.float32)
    wrong = int((network_says(_network(candidate), points) != np.repeat(XOR, 50)).sum())
    if wrong:
        raise AssertionError(f"{wrong} of 200 points within 0.1 of a corner get the wrong answer")


XOR_WEIGHTS = Exercise(
    name="XOR_WEIGHTS",
    checks=(
        Check("the weights fit a 2-H-1 network", _shapes,
              "W1: (hidden, 2), b1: (hidden,), W2: (1, hidden), b2: (1,): one row per output."),
        *(Check(f"{tuple(int(v) for v in CORNERS[i])} → {XOR[i]}", _corner(i),
                "Work out h = relu(W1 x + b1), then y = W2 h + b2, by hand for this corner.")
          for i in range(4)),
        Check("noisy points near the corners", _noisy,
              "Leave a margin: make y well below 0.5 for class 0 and well above for class 1."),
    ),
    solution=xor_weights_solution,
)
