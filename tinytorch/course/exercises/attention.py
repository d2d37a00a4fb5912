"""Module 12 exercise: scaled dot-product attention, from tensor operations.

The learner's `attention(q, k, v, causal)` gets tinytorch tensors q (..., Tq, d), k (..., Tk, d),
v (..., Tk, dv) and returns (output, weights), like `tinytorch.core.attention.
scaled_dot_product_attention`, which the checks compare against. The last check backpropagates
through the learner's output, so an answer computed in NumPy (no gradients) does not pass.
"""

import math

import numpy as np

from tinytorch.core.attention import scaled_dot_product_attention
from tinytorch.core.tensor import Tensor
from tinytorch.course.checks import Check, Exercise, _as_array, expect_close


def attention_solution(q, k, v, causal=False):
    """softmax(q k^T / sqrt(d)) v, hiding later keys when `causal`; returns (output, weights)."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (..., Tq, Tk): every query . every key
    if causal:  # query i may see keys 0..i: hide the ones above the diagonal
        later = ~np.tri(scores.shape[-2], scores.shape[-1], dtype=bool)
        scores = scores.masked_fill(later, -np.inf)
    weights = scores.softmax(axis=-1)  # over the keys: each query's weights sum to 1
    return weights @ v, weights


def _tensors(shapes, seed):
    rng = np.random.default_rng(seed)
    return [Tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True) for s in shapes]


def _pair(result, what):
    if not isinstance(result, tuple) or len(result) != 2:
        raise AssertionError(f"{what}: return two things, (output, weights), got {type(result).__name__}")
    return result


def _matches(shapes, causal=False, seed=0, part="both"):
    def test(candidate):
        q, k, v = _tensors(shapes, seed)
        output, weights = _pair(candidate(q, k, v, causal), "the result")
        want_output, want_weights = scaled_dot_product_attention(q, k, v, causal=causal)
        if part in ("both", "weights"):
            expect_close(weights, want_weights, "the weights", rtol=1e-4, atol=1e-5)
        if part in ("both", "output"):
            expect_close(output, want_output, "the output", rtol=1e-4, atol=1e-5)
    return test


def _rows_sum_to_one(candidate):
    q, k, v = _tensors([(3, 4), (5, 4), (5, 2)], seed=3)
    _, weights = _pair(candidate(q, k, v, False), "the result")
    sums = _as_array(weights).sum(axis=-1)
    expect_close(sums, np.ones(3, np.float32), "each query's weights summed over the 5 keys", rtol=1e-4)


def _causal_hides_the_future(candidate):
    q, k, v = _tensors([(5, 4)] * 3, seed=4)
    _, weights = _pair(candidate(q, k, v, True), "the result")
    above = np.triu(_as_array(weights), 1)
    if np.abs(above).max() > 1e-6:
        i, j = np.unravel_index(np.abs(above).argmax(), above.shape)
        raise AssertionError(f"with causal=True, query {i} gives weight {above[i, j]:.3f} to the later "
                             f"key {j}")


def _gradients_reach_the_inputs(candidate):
    mine, ref = _tensors([(2, 4, 3)] * 3, seed=5), _tensors([(2, 4, 3)] * 3, seed=5)
    output, _ = _pair(candidate(*mine, True), "the result")
    if not isinstance(output, Tensor) or not output.requires_grad:
        raise AssertionError("the output carries no gradient: build it from tensor operations "
                             "(@, .transpose, .softmax, .masked_fill), not from NumPy arrays")
    (output * output).sum().backward()
    want, _ = scaled_dot_product_attention(*ref, causal=True)
    (want * want).sum().backward()
    for name, a, b in zip("qkv", mine, ref, strict=True):
        if a.grad is None:
            raise AssertionError(f"no gradient reached {name}")
        expect_close(a.grad, b.grad, f"the gradient of {name}", rtol=1e-3, atol=1e-5)


ATTENTION = Exercise(
    name="ATTENTION",
    checks=(
        Check("weights of 3 queries over 3 keys", _matches([(3, 4)] * 3, part="weights"),
              "scores = q @ k.transpose(-2, -1), divided by sqrt(d) where d = q.shape[-1]; "
              "then softmax over the last axis."),
        Check("wide vectors are scaled by 1/sqrt(d)", _matches([(4, 64)] * 3, seed=1, part="weights"),
              "Divide the scores by math.sqrt(d), not by d and not by the number of tokens."),
        Check("each query's weights sum to 1 (3 queries, 5 keys)", _rows_sum_to_one,
              "softmax over the keys: the LAST axis (axis=-1) of the (queries, keys) scores."),
        Check("the output is the weighted sum of the values", _matches([(3, 4), (5, 4), (5, 2)], seed=2),
              "output = weights @ v: shape (queries, dv)."),
        Check("causal: no query sees a later key", _causal_hides_the_future,
              "Fill the scores ABOVE the diagonal (key j > query i) with -inf before the softmax: "
              "~np.tri(T, T, dtype=bool) marks them."),
        Check("causal, batch of heads (2, 3, 6, 8)", _matches([(2, 3, 6, 8)] * 3, causal=True, seed=6),
              "Work on the last two axes only (transpose(-2, -1), softmax(axis=-1)), so leading "
              "batch and head axes come along for free."),
        Check("gradients reach q, k and v", _gradients_reach_the_inputs,
              "Use tensor operations throughout, so backward() can run through your attention."),
    ),
    solution=attention_solution,
)
