"""Gradients of the elementwise ops (tinytorch/core/ops/elementwise.py) and the activations,
checked against finite differences; broadcasting operands included."""

import operator

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


def positive(*shape):
    """Values in [0.5, 1.5): inside the domain of log, sqrt, division and a power's base."""
    return tinytorch.rand(*shape, dtype=tinytorch.float64) + 0.5


def away_from_zero(*shape):
    """Values at least 0.1 from 0, the kink of relu, leaky_relu and abs."""
    x = randn(*shape).numpy()
    return tinytorch.tensor(np.where(x >= 0, x + 0.1, x - 0.1))


def around_clip_bounds(*shape):
    """Values on both sides of -0.45 and 0.55, none within 0.05 of either bound."""
    return tinytorch.tensor(np.array([-2.0, -0.6, -0.3, 0.1, 0.5, 0.9]).reshape(shape))


UNARY = {
    "neg": (lambda x: -x, randn),
    "exp": (lambda x: x.exp(), randn),
    "log": (lambda x: x.log(), positive),
    "sqrt": (lambda x: x.sqrt(), positive),
    "abs": (lambda x: x.abs(), away_from_zero),
    "square_of_negatives": (lambda x: x**2, randn),
    "pow_scalar_exponent": (lambda x: x**1.5, positive),
    "rpow_scalar_base": (lambda x: 2.0**x, randn),
    "radd": (lambda x: 3.0 + x, randn),
    "rsub": (lambda x: 3.0 - x, randn),
    "rmul": (lambda x: 3.0 * x, randn),
    "rtruediv": (lambda x: 3.0 / x, positive),
    "clip_both": (lambda x: x.clip(-0.45, 0.55), around_clip_bounds),
    "clip_min_only": (lambda x: x.clamp(min=0.2), positive),
    "clip_max_only": (lambda x: x.clamp(max=1.0), positive),
    "tanh": (A.tanh, randn),
    "tanh_method": (lambda x: x.tanh(), randn),
    "sigmoid": (A.sigmoid, randn),
    "sigmoid_method": (lambda x: x.sigmoid(), randn),
    "relu": (A.relu, away_from_zero),
    "relu_method": (lambda x: x.relu(), away_from_zero),
    "leaky_relu": (lambda x: A.leaky_relu(x, 0.1), away_from_zero),
    "gelu_exact": (A.gelu, randn),
    "gelu_tanh": (lambda x: A.gelu(x, approximate="tanh"), randn),
    "silu": (A.silu, randn),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_op_gradient(name):
    fn, make = UNARY[name]
    assert gradcheck(fn, make(2, 3))


def test_clip_passes_no_gradient_where_it_clamps():
    x = tinytorch.tensor([-2.0, 0.0, 2.0], requires_grad=True)
    x.clip(-1, 1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 1, 0])


BINARY = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow_tensor_exponent": operator.pow,
    "maximum": tinytorch.maximum,
    "minimum": tinytorch.minimum,
}
BROADCAST_SHAPES = [((2, 3), (2, 3)), ((3, 1), (2, 3, 4)), ((), (2, 3)), ((2, 3), ()), ((4,), (3, 1))]


@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
@pytest.mark.parametrize("name", BINARY)
def test_binary_op_gradient_with_broadcasting(name, shapes):
    a, b = (positive(*shape) for shape in shapes)
    assert gradcheck(BINARY[name], a, b)


@pytest.mark.parametrize(("fn", "grad_a"), [(tinytorch.maximum, [1, 0.5, 0]),
                                            (tinytorch.minimum, [0, 0.5, 1])])
def test_maximum_and_minimum_share_the_gradient_at_a_tie(fn, grad_a):
    a = tinytorch.tensor([3.0, 2.0, 1.0], requires_grad=True)
    b = tinytorch.tensor([2.0, 2.0, 2.0], requires_grad=True)
    fn(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), grad_a)
    np.testing.assert_array_equal(b.grad.numpy(), 1 - np.array(grad_a))


def test_where_gradient_with_a_broadcast_condition():
    condition = tinytorch.tensor([[True, False, True], [False, False, True]])
    assert gradcheck(lambda a, b: tinytorch.where(condition, a, b), randn(3), randn(2, 1))


def test_where_routes_the_gradient_by_the_condition():
    a, b = tinytorch.ones(3, requires_grad=True), tinytorch.ones(3, requires_grad=True)
    tinytorch.where(tinytorch.tensor([True, False, True]), a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [1, 0, 1])
    np.testing.assert_array_equal(b.grad.numpy(), [0, 1, 0])


def test_cast_sends_the_gradient_back_in_the_input_dtype():
    x = tinytorch.ones(3, requires_grad=True)
    y = x.double()
    assert y.dtype == tinytorch.float64
    (y * 2).sum().backward()
    assert x.grad.dtype == tinytorch.float32
    np.testing.assert_array_equal(x.grad.numpy(), [2, 2, 2])


@pytest.mark.parametrize("fn", [A.relu, A.sigmoid], ids=["relu", "sigmoid"])
def test_saturating_activations_of_minus_infinity_are_zero(fn):
    assert fn(tinytorch.tensor([-np.inf])).item() == 0


def test_relu_gradient_at_zero_is_zero():
    """The subgradient PyTorch picks: relu'(0) = 0."""
    x = tinytorch.tensor([0.0], requires_grad=True)
    A.relu(x).sum().backward()
    assert x.grad.item() == 0


@pytest.mark.parametrize("name", ["gelu", "gelu_tanh", "silu", "leaky_relu", "sigmoid", "tanh"])
def test_activation_values_and_gradients_match_pytorch(name):
    """The exact GELU's gradient especially: gradcheck only compares it with our own erf."""
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    ours, theirs = {
        "gelu": (A.gelu, F.gelu),
        "gelu_tanh": (lambda x: A.gelu(x, "tanh"), lambda x: F.gelu(x, approximate="tanh")),
        "silu": (A.silu, F.silu),
        "leaky_relu": (A.leaky_relu, F.leaky_relu),
        "sigmoid": (A.sigmoid, torch.sigmoid),
        "tanh": (A.tanh, torch.tanh),
    }[name]
    values = np.linspace(-6, 6, 49)
    x, tx = tinytorch.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    ours(x).sum().backward()
    theirs(tx).sum().backward()
    np.testing.assert_allclose(ours(x).numpy(), theirs(tx).detach().numpy(), atol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), atol=1e-6)

FLOAT32_OPS = [*(fn for fn, _ in UNARY.values()), lambda x: x.softmax(), lambda x: x.var(axis=0),
               lambda x: tinytorch.where(x > 0, x, 0.0), lambda x: x @ x.T]


@pytest.mark.parametrize("fn", FLOAT32_OPS)
def test_ops_on_float32_give_float32_and_backpropagate(fn):
    """No op may promote to float64 behind the user's back (NumPy does for some mixes)."""
    x = tinytorch.rand(2, 2, requires_grad=True)
    out = fn(x + 0.5)
    assert out.dtype == tinytorch.float32
    out.sum().backward()
    assert x.grad.shape == (2, 2) and np.isfinite(x.grad.numpy()).all()


# ----- property: gradients of broadcast operands come back in the operands' shapes ----------

LOCAL_DERIVATIVES = {  # (d out / d a, d out / d b) on the broadcast operands
    "add": lambda a, b: (np.ones_like(a), np.ones_like(b)),
    "sub": lambda a, b: (np.ones_like(a), -np.ones_like(b)),
    "mul": lambda a, b: (b, a),
    "div": lambda a, b: (1 / b, -a / b**2),
}


def sum_back(values: np.ndarray, shape: tuple) -> np.ndarray:
    """Add each element of `values` into the element of a `shape` array it was broadcast from."""
    size = int(np.prod(shape))
    source = np.broadcast_to(np.arange(size).reshape(shape), values.shape)
    return np.bincount(source.ravel(), weights=values.ravel(), minlength=size).reshape(shape)


@settings(max_examples=25, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4),
       name=st.sampled_from(sorted(LOCAL_DERIVATIVES)), seed=st.integers(0, 2**16))
def test_broadcast_gradients_sum_back_to_the_input_shapes(shapes, name, seed):
    rng = np.random.default_rng(seed)
    a_np, b_np = (rng.uniform(0.5, 1.5, shape) for shape in shapes.input_shapes)
    a, b = tinytorch.tensor(a_np, requires_grad=True), tinytorch.tensor(b_np, requires_grad=True)
    out = BINARY[name](a, b)
    assert out.shape == shapes.result_shape
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    a_full, b_full = np.broadcast_arrays(a_np, b_np)
    da, db = LOCAL_DERIVATIVES[name](a_full, b_full)
    np.testing.assert_allclose(a.grad.numpy(), sum_back(upstream * da, a.shape), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), sum_back(upstream * db, b.shape), rtol=1e-10, atol=1e-12)
