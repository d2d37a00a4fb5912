"""Module 16 exercise: the mask of magnitude pruning.

The learner's `magnitude_prune_mask(w, sparsity)` returns a boolean mask of w's shape, True
where a weight is kept, that removes exactly round(sparsity * w.size) weights, the smallest in
magnitude. The checks compare it with the mask `tinytorch.perf.compression.magnitude_prune`
puts on a layer holding the same weights.
"""

import numpy as np

from tinytorch.core.layers import Linear, Sequential
from tinytorch.core.module import Parameter
from tinytorch.course.checks import Check, Exercise, expect_equal, expect_raises
from tinytorch.perf.compression import magnitude_prune


def magnitude_prune_mask_solution(w, sparsity):
    """Keep all but the round(sparsity * size) weights of smallest |w| (True = kept)."""
    if not 0 <= sparsity < 1:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity}")
    w = np.asarray(w)
    count = round(sparsity * w.size)
    keep = np.ones(w.size, bool)
    if count:  # argpartition: the `count` smallest, in any order, without sorting everything
        keep[np.argpartition(np.abs(w).reshape(-1), count - 1)[:count]] = False
    return keep.reshape(w.shape)


def library_mask(w: np.ndarray, sparsity: float) -> np.ndarray:
    """The mask magnitude_prune gives a Linear layer whose weight is `w` (rows, columns)."""
    layer = Linear(w.shape[1], w.shape[0])
    layer.weight = Parameter(np.array(w, np.float32))
    return magnitude_prune(Sequential(layer), sparsity)[0].weight_mask.data.astype(bool)


def _mask(candidate, w, sparsity):
    mask = candidate(np.array(w, np.float32), sparsity)
    if mask is None:
        raise AssertionError("got None: did the function forget to `return` the mask?")
    mask = np.asarray(mask)
    expect_equal(mask.dtype, np.dtype(bool), "the mask's dtype (True = kept)")
    expect_equal(mask.shape, np.shape(w), "the mask's shape")
    return mask


def _keeps(w, sparsity, want):
    def test(candidate):
        expect_equal(_mask(candidate, w, sparsity).tolist(), want, f"the mask at sparsity {sparsity}")
    return test


def _matches_the_library(shape, sparsity, seed):
    def test(candidate):
        w = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
        mask = _mask(candidate, w, sparsity)
        want = library_mask(w, sparsity)
        if not np.array_equal(mask, want):
            raise AssertionError(f"{int((mask != want).sum())} of {w.size} weights are kept or removed "
                                 f"differently from magnitude_prune at sparsity {sparsity}")
    return test


def _exact_count_with_ties(candidate):
    mask = _mask(candidate, np.full((4, 5), 0.5, np.float32), 0.3)
    expect_equal(int((~mask).sum()), 6, "the number of weights removed from 20 equal weights at 0.3")


def _conv_weight(candidate):
    w = np.random.default_rng(4).standard_normal((8, 3, 3, 3)).astype(np.float32)
    mask = _mask(candidate, w, 0.75)
    expect_equal(int((~mask).sum()), 162, "the number removed from 216 weights at 0.75")
    if np.abs(w[mask]).min() < np.abs(w[~mask]).max():
        raise AssertionError("a removed weight is larger in magnitude than a kept one")


def _refuses(sparsity):
    def test(candidate):
        expect_raises(ValueError, candidate, np.ones((2, 2), np.float32), sparsity,
                      what=f"magnitude_prune_mask(w, {sparsity})")
    return test


MAGNITUDE_PRUNE = Exercise(
    name="MAGNITUDE_PRUNE",
    checks=(
        Check("half of 6 weights: the three smallest |w| go",
              _keeps([0.5, -0.1, 0.3, -0.9, 0.05, 0.2], 0.5, [True, False, True, True, False, False]),
              "Rank by magnitude, np.abs(w): -0.9 is the largest weight here, not the smallest."),
        Check("sparsity 0 keeps every weight", _keeps([[1.0, -2.0], [0.0, 3.0]], 0.0, [[True, True]] * 2),
              "round(0 * size) = 0 weights to remove: an all-True mask."),
        Check("exactly round(sparsity x size) removed, equal weights too", _exact_count_with_ties,
              "A threshold (|w| <= t) removes every tied weight; pick exactly `count` indices, e.g. with "
              "np.argpartition(np.abs(w).reshape(-1), count - 1)[:count]."),
        Check("matches magnitude_prune on a 32 x 64 layer at 90%", _matches_the_library((32, 64), 0.9, 1),
              "count = round(sparsity * w.size) (round, not int()), smallest |w| first."),
        Check("matches magnitude_prune at 0.35 of 7 x 13", _matches_the_library((7, 13), 0.35, 2),
              "round(0.35 * 91) = 32 weights removed (int() would give 31)."),
        Check("a 4-D convolution weight keeps its shape", _conv_weight,
              "Work on np.abs(w).reshape(-1), then reshape the mask back to w.shape."),
        Check("sparsity 1 is refused", _refuses(1.0),
              "Pruning every weight leaves no network: raise ValueError unless 0 <= sparsity < 1."),
        Check("a negative sparsity is refused", _refuses(-0.1),
              "raise ValueError unless 0 <= sparsity < 1."),
    ),
    solution=magnitude_prune_mask_solution,
)
