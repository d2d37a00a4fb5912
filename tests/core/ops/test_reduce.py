"""Reductions (tinytorch/core/ops/reduce.py): sum, mean, amax/amin and max/min(dim) with ties,
var/std, softmax."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinytorch
from tinytorch import gradcheck
from tinytorch.core import activations as A


def randn(*shape):
    return tinytorch.randn(*shape, dtype=tinytorch.float64)


AXES = [None, 0, -1, 1, (0, 2), (-1, 0), (0, 1, 2)]
REDUCTIONS = {
    "sum": lambda x, **kw: x.sum(**kw),
    "mean": lambda x, **kw: x.mean(**kw),
    "amax": lambda x, **kw: x.amax(**kw),
    "amin": lambda x, **kw: x.amin(**kw),
    "var": lambda x, **kw: x.var(**kw),
    "var_biased": lambda x, **kw: x.var(correction=0, **kw),
    "std": lambda x, **kw: x.std(**kw),
}
NUMPY = {"sum": np.sum, "mean": np.mean, "amax": np.max, "amin": np.min,
         "var": lambda x, **kw: np.var(x, ddof=1, **kw), "var_biased": np.var,
         "std": lambda x, **kw: np.std(x, ddof=1, **kw)}


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_gradient_and_value(name, axis, keepdims):
    x = randn(2, 3, 4)
    out = REDUCTIONS[name](x, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.numpy(), NUMPY[name](x.numpy(), axis=axis, keepdims=keepdims))
    assert gradcheck(lambda t: REDUCTIONS[name](t, axis=axis, keepdims=keepdims), x)


def test_dim_is_a_synonym_for_axis_and_lists_are_accepted():
    x = randn(2, 3, 4)
    np.testing.assert_array_equal(x.sum(dim=[0, 2]).numpy(), x.sum(axis=(0, 2)).numpy())
    with pytest.raises(TypeError, match="both axis= and dim="):
        x.sum(axis=0, dim=0)


@pytest.mark.parametrize(
    ("reduce", "grad"),
    [
        (lambda x: x.amax(axis=1), [[0, 1 / 2, 1 / 2], [1 / 2, 1 / 2, 0], [0, 1, 0]]),
        (lambda x: x.max(), [[0, 1 / 3, 1 / 3], [0, 0, 0], [0, 1 / 3, 0]]),
        (lambda x: x.amin(axis=0), [[1 / 2, 0, 0], [0, 1, 1 / 2], [1 / 2, 0, 1 / 2]]),
        (lambda x: x.amin(axis=1, keepdims=True), [[1, 0, 0], [0, 0, 1], [0, 0, 1]]),
    ],
    ids=["amax_axis1", "max_all", "amin_axis0", "amin_axis1_keepdims"],
)
def test_amax_amin_and_full_max_share_the_gradient_among_ties(reduce, grad):
    """As PyTorch's amax/amin and max() without a dim: every tied element gets an equal share."""
    x = tinytorch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [1.0, 3.0, 0.0]], requires_grad=True)
    reduce(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), grad, rtol=1e-6)


def test_amax_with_a_tied_pair_passes_gradcheck():
    """Central differences at a two-way tie also give 1/2 to each, so the check is exact here."""
    assert gradcheck(lambda x: x.amax(axis=-1), tinytorch.tensor([[1.0, 4.0, 4.0], [0.5, -1.0, 2.0]]))


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_and_min_along_a_dim_give_values_and_indices(name, dim, keepdim):
    x = randn(2, 3, 4)
    values, indices = getattr(x, name)(dim=dim, keepdim=keepdim)
    np.testing.assert_array_equal(values.numpy(), getattr(np, name)(x.numpy(), axis=dim, keepdims=keepdim))
    expected = getattr(np, "arg" + name)(x.numpy(), axis=dim, keepdims=keepdim)
    np.testing.assert_array_equal(indices.numpy(), expected)
    assert indices.dtype == tinytorch.int64 and not indices.requires_grad
    assert gradcheck(lambda t: getattr(t, name)(dim=dim, keepdim=keepdim).values, x)


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_along_a_dim_sends_the_gradient_to_the_returned_index_only(name):
    """As PyTorch's max(dim): among ties, the first one is returned and gets the whole gradient
    (amax shares it), so values and indices agree."""
    x = tinytorch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    values, indices = getattr(x if name == "max" else -x, name)(dim=1)
    values.sum().backward()
    np.testing.assert_array_equal(indices.numpy(), [1, 0])
    sign = 1 if name == "max" else -1
    np.testing.assert_array_equal(x.grad.numpy(), sign * np.array([[0, 1, 0], [1, 0, 0]]))


@pytest.mark.parametrize("k", [0, 1, 3])
@pytest.mark.parametrize("largest", [True, False])
def test_topk_values_indices_and_gradient(k, largest):
    x = randn(3, 4)
    values, indices = x.topk(k, dim=1, largest=largest)
    order = np.argsort(-x.numpy() if largest else x.numpy(), axis=1)[:, :k]
    np.testing.assert_array_equal(indices.numpy(), order)
    np.testing.assert_array_equal(values.numpy(), np.take_along_axis(x.numpy(), order, axis=1))
    if k:
        assert gradcheck(lambda t: t.topk(k, dim=0, largest=largest).values, x)


def test_topk_of_integers_does_not_wrap_around():
    x = tinytorch.tensor(np.array([-128, 5, 127], dtype=np.int8))
    assert x.topk(2).indices.tolist() == [2, 1] and x.topk(1, largest=False).values.tolist() == [-128]


@pytest.mark.parametrize("k", [-1, 5, 1.5, True])
def test_topk_refuses_a_k_that_does_not_fit(k):
    with pytest.raises(ValueError, match="k must be an integer in \\[0, 4\\]"):
        randn(3, 4).topk(k)


def test_mean_of_integers_is_float32():
    assert tinytorch.arange(4).mean().dtype == tinytorch.float32


def test_argmax_and_argmin_give_int64_indices():
    x = tinytorch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    np.testing.assert_array_equal(x.argmax(axis=1).numpy(), [1, 0])
    np.testing.assert_array_equal(x.argmin(dim=1).numpy(), [0, 1])
    assert x.argmax().item() == 3 and x.argmax().dtype == tinytorch.int64


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_gradient(name, axis):
    assert gradcheck(lambda x: getattr(A, name)(x, axis=axis), randn(3, 4, 2))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_methods_take_dim(name):
    x = randn(3, 4)
    np.testing.assert_array_equal(getattr(x, name)(dim=0).numpy(), getattr(A, name)(x, axis=0).numpy())


def test_log_softmax_is_the_log_of_softmax_and_softmax_sums_to_one():
    x = randn(4, 5) * 10
    np.testing.assert_allclose(x.softmax(axis=1).sum(axis=1).numpy(), np.ones(4))
    np.testing.assert_allclose(x.log_softmax(axis=1).numpy(), np.log(x.softmax(axis=1).numpy()))


# ----- property: sum and mean over random axes agree with NumPy ---------------------------

@st.composite
def array_and_axes(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, max_side=4))
    axes = draw(st.lists(st.integers(-len(shape), len(shape) - 1), max_size=len(shape),
                         unique_by=lambda a: a % len(shape)))
    values = np.random.default_rng(draw(st.integers(0, 2**16))).standard_normal(shape)
    return values, (None if not axes else tuple(axes)), draw(st.booleans())


@settings(max_examples=25, deadline=None)
@given(case=array_and_axes(), name=st.sampled_from(["sum", "mean"]))
def test_sum_and_mean_over_random_axes_agree_with_numpy(case, name):
    values, axis, keepdims = case
    x = tinytorch.tensor(values, requires_grad=True)
    out = getattr(x, name)(axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.numpy(), getattr(np, name)(values, axis=axis, keepdims=keepdims))
    out.sum().backward()
    reduced = values.size // max(out.numpy().size, 1)
    np.testing.assert_allclose(x.grad.numpy(), np.full(values.shape, 1 / reduced if name == "mean" else 1))
