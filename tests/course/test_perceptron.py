"""Rosenblatt's rule with its history (tinytorch.course.perceptron): it converges on separable
data with every point on its side, its history replays to the final weights, it never
converges on XOR, and bad input is named."""

import numpy as np
import pytest

from tinytorch.course import perceptron
from tinytorch.course.exercises.perceptron import separable_points


def test_it_converges_on_separable_data_and_separates_every_point():
    points, labels, _ = separable_points(60, 3, 0.2)
    run = perceptron.train(points, labels, lr=1.0, max_epochs=500)
    assert run["converged"] and run["mistakes"][-1]["mistakes"] == 0
    assert np.all(labels * (points @ run["w"] + run["b"]) > 0)


def test_the_history_replays_to_the_final_weights():
    points, labels, _ = separable_points(40, 1, 0.1)
    run = perceptron.train(points, labels, lr=0.5, max_epochs=500)
    w, b = np.zeros(2), 0.0
    for u in run["updates"]:
        np.testing.assert_allclose(u["w"], w)
        assert u["y"] * u["score"] <= 0  # only mistakes update
        w, b = w + 0.5 * u["y"] * points[u["index"]], b + 0.5 * u["y"]
        np.testing.assert_allclose(u["new_w"], w)
    np.testing.assert_allclose(run["w"], w)
    assert run["b"] == pytest.approx(b)
    assert sum(m["mistakes"] for m in run["mistakes"]) == len(run["updates"])


def test_it_never_converges_on_xor():
    points = np.array([[0, 0], [1, 1], [0, 1], [1, 0]], dtype=float)
    run = perceptron.train(points, np.array([-1, -1, 1, 1]), lr=1.0, max_epochs=30)
    assert not run["converged"] and len(run["mistakes"]) == 30


@pytest.mark.parametrize("points, labels, lr, message", [
    (np.zeros((3, 2)), np.array([1, -1]), 1.0, "one label each"),
    (np.zeros((2, 2)), np.array([0, 1]), 1.0, "labels must be"),
    (np.zeros((2, 2)), np.array([1, -1]), 0.0, "lr must be"),
])
def test_bad_input_is_named(points, labels, lr, message):
    with pytest.raises(ValueError, match=message):
        perceptron.train(points, labels, lr)
