import numpy as np
import pytest

from tinytorch.course import toy


@pytest.mark.parametrize("kind", toy.KINDS)
def test_datasets_are_seeded_balanced_and_small(kind):
    points, labels = toy.make_2d(kind, 101, noise=0.1, seed=3)
    assert points.shape == (101, 2) and points.dtype == np.float32
    assert labels.dtype == np.int64 and set(labels.tolist()) == {0, 1}
    assert abs(int(labels.sum()) - 50) <= 1
    assert np.abs(points).max() < 3.5
    again = toy.make_2d(kind, 101, noise=0.1, seed=3)
    assert np.array_equal(points, again[0]) and np.array_equal(labels, again[1])
    assert not np.array_equal(points, toy.make_2d(kind, 101, noise=0.1, seed=4)[0])


def test_noise_moves_points_and_unknown_kinds_fail():
    clean, _ = toy.make_2d("circles", 50, noise=0.0)
    assert np.allclose(np.sort(np.unique(np.round(np.hypot(*clean.T), 4))), [0.6, 1.5])
    with pytest.raises(ValueError, match="unknown dataset"):
        toy.make_2d("blobs", 10)


def test_split_keeps_at_least_two_points_each_side():
    points, labels = toy.make_2d("moons", 20)
    (xt, yt), (xv, yv) = toy.split(points, labels, 0.01)
    assert len(xt) == 2 and len(xv) == 18 and len(yt) == 2
    (xt, _), (xv, _) = toy.split(points, labels, 0.5)
    assert len(xt) == 10 and np.array_equal(np.concatenate([xt, xv]), points)
