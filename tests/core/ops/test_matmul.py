"""Matrix multiplication (tinytorch/core/ops/matmul.py): `@` for 1-d, 2-d and batched operands,
and the fused Linear op."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinytorch
from tinytorch import gradcheck
from tinytorch.core.layers import linear


def randn(*shape):
    return tinytorch.randn(*shape, dtype=tinytorch.float64)


MATMUL_SHAPES = [
    ((3,), (3,)),
    ((3,), (3, 2)),
    ((2, 3), (3,)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (5, 3, 4)),
    ((5, 2, 3), (3, 4)),
    ((3,), (5, 3, 4)),
    ((5, 2, 3), (3,)),
    ((2, 1, 2, 3), (5, 3, 4)),
]


@pytest.mark.parametrize(("a_shape", "b_shape"), MATMUL_SHAPES, ids=str)
def test_matmul_value_and_gradient(a_shape, b_shape):
    a, b = randn(*a_shape), randn(*b_shape)
    np.testing.assert_allclose((a @ b).numpy(), a.numpy() @ b.numpy(), rtol=1e-12)
    assert gradcheck(tinytorch.matmul, a, b)


def test_matmul_with_a_numpy_array_on_either_side():
    a = randn(2, 3)
    w = np.ones((3, 2))
    np.testing.assert_allclose((a @ w).numpy(), a.numpy() @ w)
    np.testing.assert_allclose((w.T @ a.T).numpy(), w.T @ a.numpy().T)


def test_matmul_of_an_int_tensor_and_a_float_tensor_is_float32():
    out = tinytorch.arange(6).reshape(2, 3) @ tinytorch.ones(3, 2)
    assert out.dtype == tinytorch.float32
    np.testing.assert_array_equal(out.numpy(), [[3, 3], [12, 12]])


@pytest.mark.parametrize(
    ("a_shape", "b_shape", "message"),
    [
        ((2, 3), (4, 5), r"\(2, 3\) @ \(4, 5\)"),
        ((3,), (4,), r"\(3,\) @ \(4,\)"),
        ((2, 2, 3), (3, 3, 4), r"batch dims do not broadcast: \(2, 2, 3\) @ \(3, 3, 4\)"),
        ((), (3,), "at least one dimension"),
    ],
)
def test_matmul_shape_errors_name_both_shapes(a_shape, b_shape, message):
    with pytest.raises(ValueError, match=message):
        tinytorch.zeros(a_shape) @ tinytorch.zeros(b_shape)


@pytest.mark.parametrize("x_shape", [(4, 3), (2, 4, 3), (3,)], ids=str)
@pytest.mark.parametrize("bias", [True, False])
def test_linear_value_and_gradient(x_shape, bias):
    x, w = randn(*x_shape), randn(5, 3)
    b = randn(5) if bias else None
    expected = x.numpy() @ w.numpy().T + (b.numpy() if bias else 0)
    np.testing.assert_allclose(linear(x, w, b).numpy(), expected, rtol=1e-12)
    assert gradcheck(lambda *args: linear(*args), *([x, w, b] if bias else [x, w]))


def test_linear_is_one_graph_node():
    x, w, b = (t.requires_grad_() for t in (randn(2, 3), randn(4, 3), randn(4)))
    out = linear(x, w, b)
    assert out.grad_fn.name == "Linear" and out.grad_fn.inputs == (x, w, b)


# ----- property: matmul agrees with NumPy -------------------------------------------------

@st.composite
def matmul_operands(draw):
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    a_batch = tuple(draw(st.sampled_from([d, 1])) for d in batch)
    b_batch = tuple(draw(st.sampled_from([d, 1])) for d in batch)[draw(st.integers(0, len(batch))):]
    a_shape = draw(st.sampled_from([a_batch + (n, k), (k,)] if not a_batch else [a_batch + (n, k)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    return rng.standard_normal(a_shape), rng.standard_normal(b_batch + (k, m))


@settings(max_examples=25, deadline=None)
@given(operands=matmul_operands())
def test_matmul_agrees_with_numpy(operands):
    a, b = operands
    ta, tb = tinytorch.tensor(a, requires_grad=True), tinytorch.tensor(b, requires_grad=True)
    out = ta @ tb
    np.testing.assert_allclose(out.numpy(), a @ b, rtol=1e-10, atol=1e-12)
    loss = out.sum()
    loss.backward()
    assert ta.grad.shape == a.shape and tb.grad.shape == b.shape
    # sum(a @ b) is linear in a (and in b), so sum(a * dL/da) gives the loss back (Euler).
    np.testing.assert_allclose((ta.grad.numpy() * a).sum(), loss.item(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose((tb.grad.numpy() * b).sum(), loss.item(), rtol=1e-9, atol=1e-9)
