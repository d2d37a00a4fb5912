"""The Tensor API (tinytorch/core/tensor.py): dtype rules, creation, conversion, display."""

import numpy as np
import pytest

import tinytorch
from tinytorch import float32, float64, int64

# ----- dtypes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        (1.5, float32),
        ([1.0, 2.0], float32),
        (3, int64),
        ([[1, 2], [3, 4]], int64),
        (True, tinytorch.bool_),
        (np.array([1.0, 2.0]), float64),
        (np.array([1.0], dtype=np.float16), float32),
        (np.array([1, 2], dtype=np.int32), int64),
        (np.array([1, 2], dtype=np.int16), int64),
        (np.array([1, 2], dtype=np.uint8), tinytorch.uint8),
        (np.array([1, 2], dtype=np.int8), tinytorch.int8),
        (np.float64(1.5), float32),
    ],
)
def test_dtype_of_a_new_tensor(data, dtype):
    assert tinytorch.tensor(data).dtype == dtype
    assert tinytorch.Tensor(data).dtype == dtype


@pytest.mark.parametrize(
    ("compute", "dtype"),
    [
        (lambda: tinytorch.tensor([1, 2]) + 1.5, float32),
        (lambda: 1.5 * tinytorch.tensor([1, 2]), float32),
        (lambda: tinytorch.tensor([1, 2]) + tinytorch.tensor([0.5, 1.0]), float32),
        (lambda: tinytorch.tensor([1, 2]) / tinytorch.tensor([2, 4]), float32),
        (lambda: tinytorch.tensor([1, 2]) / 2, float32),
        (lambda: 2 / tinytorch.tensor([1, 2]), float32),
        (lambda: tinytorch.tensor([1, 2]) + 1, int64),
        (lambda: tinytorch.tensor([1, 2]) * tinytorch.tensor([3, 4]), int64),
        (lambda: tinytorch.tensor([1.0, 2.0]) + np.array([1.0, 2.0]), float32),
        (lambda: tinytorch.tensor([1.0, 2.0], dtype=float64) * 2.5, float64),
        (lambda: tinytorch.tensor([1, 2]) + tinytorch.tensor([0.5, 1.0], dtype=float64), float64),
        (lambda: tinytorch.tensor([1, 2]).mean(), float32),
    ],
)
def test_dtype_of_arithmetic(compute, dtype):
    assert compute().dtype == dtype


@pytest.mark.parametrize("method", ["exp", "log", "sqrt", "tanh", "sigmoid"])
def test_float_math_on_an_integer_tensor_gives_float32(method):
    """Not NumPy's float64: float32 is the default float, as for int / int."""
    out = getattr(tinytorch.tensor([1, 2]), method)()
    assert out.dtype == float32


@pytest.mark.parametrize(
    ("values", "dtype"),
    [([0, 2, 200], np.uint8), ([-128, 5, 127], np.int8), ([3, -1, 2], np.int64), ([True, False], np.bool_)],
)
def test_min_max_and_sum_of_integers_and_bools_are_exact(values, dtype):
    """No wrap-around (min is not -max(-x) here) and no overflow: integers sum as int64."""
    array = np.array(values, dtype=dtype)
    x = tinytorch.tensor(array)
    assert x.min().item() == array.min() and x.max().item() == array.max()
    assert x.sum().item() == array.astype(np.int64).sum() and x.sum().dtype == int64


def test_division_of_integers_is_true_division():
    np.testing.assert_array_equal((tinytorch.tensor([1, 3]) / 2).numpy(), [0.5, 1.5])


def test_unsupported_dtypes_are_rejected():
    with pytest.raises(TypeError, match="unsupported dtype"):
        tinytorch.tensor([1, 2], dtype=np.int16)
    with pytest.raises(TypeError, match="cannot make a tensor"):
        tinytorch.tensor(["a"])


def test_to_float_double_long():
    x = tinytorch.tensor([1.7, -2.2])
    assert x.double().dtype == float64 and x.long().dtype == int64 and x.long().float().dtype == float32
    np.testing.assert_array_equal(x.long().numpy(), [1, -2])
    assert x.to(float32) is x


# ----- creation ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("make", "shape", "dtype", "values"),
    [
        (lambda: tinytorch.zeros(2, 3), (2, 3), float32, 0),
        (lambda: tinytorch.zeros((2, 3), dtype=int64), (2, 3), int64, 0),
        (lambda: tinytorch.ones(4), (4,), float32, 1),
        (lambda: tinytorch.ones([2, 2], dtype=float64), (2, 2), float64, 1),
        (lambda: tinytorch.full((2, 1), 7.0), (2, 1), float32, 7),
        (lambda: tinytorch.full(3, 2, dtype=int64), (3,), int64, 2),
        (lambda: tinytorch.zeros_like(tinytorch.ones(2, dtype=int64)), (2,), int64, 0),
        (lambda: tinytorch.ones_like(tinytorch.zeros(3), dtype=float64), (3,), float64, 1),
        (lambda: tinytorch.full_like(tinytorch.zeros(2, 2), 5), (2, 2), float32, 5),
        (lambda: tinytorch.eye(3), (3, 3), float32, np.eye(3)),
        (lambda: tinytorch.eye(2, 3, dtype=int64), (2, 3), int64, np.eye(2, 3)),
        (lambda: tinytorch.arange(4), (4,), int64, [0, 1, 2, 3]),
        (lambda: tinytorch.arange(1, 7, 2), (3,), int64, [1, 3, 5]),
        (lambda: tinytorch.arange(5, step=2), (3,), int64, [0, 2, 4]),
        (lambda: tinytorch.arange(0, 1, 0.25), (4,), float32, [0, 0.25, 0.5, 0.75]),
        (lambda: tinytorch.arange(3.0), (3,), float32, [0, 1, 2]),
        (lambda: tinytorch.arange(3, dtype=float64), (3,), float64, [0, 1, 2]),
    ],
)
def test_creation_functions(make, shape, dtype, values):
    t = make()
    assert t.shape == shape and t.dtype == dtype
    np.testing.assert_array_equal(t.numpy(), np.broadcast_to(values, shape))


@pytest.mark.parametrize("name", ["rand", "randn"])
def test_random_creation_shapes_dtypes_and_seed(name):
    make = getattr(tinytorch, name)
    t = make(2, 3)
    assert t.shape == (2, 3) and t.dtype == float32
    assert make((4,), dtype=float64).dtype == float64
    assert getattr(tinytorch, f"{name}_like")(t).shape == (2, 3)
    tinytorch.manual_seed(7)
    first = make(5).numpy()
    tinytorch.manual_seed(7)
    np.testing.assert_array_equal(make(5).numpy(), first)
    assert not np.array_equal(make(5).numpy(), first)


def test_rand_is_in_the_unit_interval():
    x = tinytorch.rand(1000).numpy()
    assert x.min() >= 0 and x.max() < 1


def test_creation_with_requires_grad():
    assert tinytorch.zeros(2, requires_grad=True).requires_grad
    assert tinytorch.randn(2, requires_grad=True).is_leaf


def test_tensor_copies_but_Tensor_shares_memory():
    a = np.zeros(3, dtype=np.float32)
    shared, copied = tinytorch.Tensor(a), tinytorch.tensor(a)
    a[0] = 1
    assert shared.numpy()[0] == 1 and copied.numpy()[0] == 0


# ----- conversion and inspection ----------------------------------------------------------

def test_size_queries():
    x = tinytorch.zeros(2, 3, 4)
    assert (x.shape, x.ndim, x.numel(), len(x), x.size(), x.size(1)) == ((2, 3, 4), 3, 24, 2, (2, 3, 4), 3)


@pytest.mark.parametrize(("dtype", "size"), [(float32, 4), (float64, 8), (int64, 8), (tinytorch.uint8, 1),
                                             (tinytorch.bool_, 1)])
def test_nbytes_and_element_size(dtype, size):
    x = tinytorch.zeros(3, 5, dtype=dtype)
    assert x.element_size() == size and x.nbytes == 15 * size


def test_item_needs_exactly_one_element():
    assert tinytorch.tensor([[2.5]]).item() == 2.5
    assert isinstance(tinytorch.tensor(3).item(), int)
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        tinytorch.tensor([1.0, 2.0]).item()


def test_numpy_and_tolist():
    x = tinytorch.tensor([[1, 2], [3, 4]])
    assert isinstance(x.numpy(), np.ndarray) and x.tolist() == [[1, 2], [3, 4]]
    np.testing.assert_array_equal(np.asarray(x, dtype=np.float64), [[1, 2], [3, 4]])


def test_results_of_ops_on_zero_d_tensors_are_arrays():
    """NumPy turns 0-d arithmetic into scalars; a tensor must still hold a (writable) array."""
    x = tinytorch.tensor(2.0, requires_grad=True)
    y = (x * 3 + 1).exp()
    assert type(y.numpy()) is np.ndarray and y.shape == ()
    y.backward()
    assert type(x.grad.numpy()) is np.ndarray


def test_detach_shares_values_but_leaves_the_graph():
    x = tinytorch.ones(3, requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad and d.grad_fn is None
    assert x.detach().numpy() is x.numpy()


def test_clone_copies_and_keeps_the_gradient_path():
    x = tinytorch.ones(3, requires_grad=True)
    c = x.clone()
    assert c.numpy() is not x.numpy() and c.requires_grad
    (c * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3, 3, 3])
    plain = tinytorch.ones(2)
    assert plain.clone().numpy() is not plain.numpy()


def test_requires_grad_underscore_sets_the_flag_in_place_and_returns_the_tensor():
    x = tinytorch.zeros(2)
    assert x.requires_grad_() is x and x.requires_grad
    assert not x.requires_grad_(False).requires_grad


@pytest.mark.parametrize(
    ("op", "expected"),
    [("__eq__", [False, True, False]), ("__ne__", [True, False, True]), ("__lt__", [True, False, False]),
     ("__le__", [True, True, False]), ("__gt__", [False, False, True]), ("__ge__", [False, True, True])],
)
def test_comparisons_return_bool_tensors(op, expected):
    x = tinytorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for other in (2.0, tinytorch.tensor([2.0, 2.0, 2.0])):
        out = getattr(x, op)(other)
        assert out.dtype == tinytorch.bool_ and not out.requires_grad
        assert out.tolist() == expected


def test_truth_value_of_a_tensor_with_many_elements_is_ambiguous():
    assert tinytorch.tensor([1.0]) and not tinytorch.tensor(0)
    with pytest.raises(ValueError, match="ambiguous"):
        bool(tinytorch.tensor([1.0, 2.0]))


def test_tensors_stay_hashable_despite_elementwise_eq():
    a, b = tinytorch.zeros(1), tinytorch.zeros(1)
    assert len({a, b, a}) == 2


# ----- writing in place -------------------------------------------------------------------

def test_setitem_writes_values():
    x = tinytorch.zeros(2, 3)
    x[0, 1:] = 5.0
    x[tinytorch.tensor([False, True])] = tinytorch.tensor([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x.numpy(), [[0, 5, 5], [1, 2, 3]])


def test_setitem_refuses_a_tensor_that_requires_grad_unless_in_no_grad():
    w = tinytorch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        w[0] = 1.0
    with tinytorch.no_grad():
        w[0] = 1.0
    np.testing.assert_array_equal(w.numpy(), [1, 0, 0])


# ----- ops under no_grad (the inference fast path of `apply`) ----------------------------


def _small_network(x):
    from tinytorch.core.transformer import layer_norm

    w = tinytorch.Tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3), requires_grad=True)
    y = tinytorch.nn.functional.gelu(layer_norm(x @ w, 3)).permute(1, 0).reshape(-1)
    return y[2:] * 2 + y[:-2]


def test_ops_under_no_grad_compute_the_same_values_and_record_no_graph():
    x = tinytorch.Tensor(np.arange(8, dtype=np.float32).reshape(2, 4) / 7, requires_grad=True)
    recorded = _small_network(x)
    with tinytorch.no_grad():
        inferred = _small_network(x)
    np.testing.assert_array_equal(inferred.numpy(), recorded.detach().numpy())
    assert recorded.requires_grad and recorded._ctx is not None
    assert not inferred.requires_grad and inferred._ctx is None


def test_a_view_made_under_no_grad_still_shares_its_inputs_version_counter():
    base = tinytorch.zeros(2, 3)
    with tinytorch.no_grad():
        view = base.reshape(6)
    view[0] = 1.0
    assert base._version == view._version == 1 and base[0, 0].item() == 1.0


def test_the_profiler_still_sees_every_op_under_no_grad():
    from tinytorch.perf.profiling import profile

    x = tinytorch.ones(2, 4)
    with tinytorch.no_grad(), profile() as prof:
        _small_network(x)
    assert [e.name for e in prof.events][:3] == ["MatMul", "LayerNorm", "GELU"]


# ----- display ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("make", "text"),
    [
        (lambda: tinytorch.tensor([1.0, 2.5]), "tensor([1. , 2.5])"),
        (lambda: tinytorch.tensor([[1, 2], [3, 4]]), "tensor([[1, 2],\n        [3, 4]])"),
        (lambda: tinytorch.tensor([1.0], dtype=float64), "tensor([1.], dtype=float64)"),
        (lambda: tinytorch.tensor([1.0], requires_grad=True), "tensor([1.], requires_grad=True)"),
        (lambda: tinytorch.tensor([1.0], requires_grad=True) * 2, "tensor([2.], grad_fn=<MulBackward>)"),
        (lambda: tinytorch.tensor(0.123456), "tensor(0.1235)"),
        (lambda: tinytorch.tensor([True, False]), "tensor([ True, False])"),
    ],
)
def test_repr_is_readable(make, text):
    assert repr(make()) == text


def test_repr_of_a_large_tensor_is_summarised():
    text = repr(tinytorch.arange(10_000))
    assert "..." in text and len(text) < 200


@pytest.mark.parametrize(("grad", "error", "message"), [
    (np.zeros(3, np.float32), TypeError, r"must be a Tensor or None, got ndarray \(wrap"),
    (tinytorch.zeros(1), ValueError, r"grad has shape \(1,\), the tensor has shape \(3,\)"),
    (tinytorch.zeros(3, dtype=tinytorch.float64), TypeError, "grad has dtype float64, the tensor "
                                                              "has dtype float32"),
])
def test_assigning_a_wrong_grad_is_refused_at_once(grad, error, message):
    x = tinytorch.zeros(3, requires_grad=True)
    with pytest.raises(error, match=message):
        x.grad = grad
    assert x.grad is None
    x.grad = tinytorch.ones(3)
    x.grad = None


# ----- one promotion rule -------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("int64", "float32", float32), ("uint8", "float32", float32), ("bool", "float32", float32),
    ("float32", "float64", float64), ("int8", "uint8", int64), ("int8", "int8", tinytorch.int8),
    ("bool", "int64", int64), ("bool", "bool", tinytorch.bool_),
])
def test_promote_types_is_pytorchs_rule(a, b, expected):
    from tinytorch.core.tensor import promote_types

    assert promote_types(np.dtype(a), np.dtype(b)) == expected
    x, y = tinytorch.zeros(2, dtype=a), tinytorch.zeros(2, dtype=b)
    assert (x + y).dtype == expected  # NumPy gives int16 for int8 + uint8


@pytest.mark.parametrize("combine", [tinytorch.cat, tinytorch.stack])
def test_cat_and_stack_of_int_and_float_are_float32(combine):
    mixed = combine([tinytorch.tensor([1, 2]), tinytorch.tensor([0.5, 1.5])])
    assert mixed.dtype == float32
    np.testing.assert_array_equal(mixed.numpy().ravel(), [1, 2, 0.5, 1.5])


def test_cat_keeps_the_gradient_path_through_the_promotion():
    x = tinytorch.tensor([0.5], dtype=float64, requires_grad=True)
    tinytorch.cat([tinytorch.tensor([1.0]), x]).sum().backward()
    assert x.grad.dtype == float64 and x.grad.item() == 1.0


@pytest.mark.parametrize("method", ["softmax", "log_softmax"])
def test_softmax_of_integers_is_float32(method):
    out = getattr(tinytorch.tensor([[1, 2, 3]]), method)(-1)
    assert out.dtype == float32
    np.testing.assert_allclose(out.numpy(), getattr(tinytorch.tensor([[1.0, 2.0, 3.0]]), method)(-1)
                               .numpy())


# ----- bad sizes and dims -------------------------------------------------------------------


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: tinytorch.arange(0, 5, 0), ValueError, "arange: step must be nonzero"),
    (lambda: tinytorch.ones(4).split(0), ValueError, "split_size must be a positive integer, got 0"),
    (lambda: tinytorch.ones(4).split([5, -1]), ValueError, "must not be negative"),
    (lambda: tinytorch.ones(4).split(2, axis=1), IndexError, r"range of \[-1, 0\], but got 1"),
    (lambda: tinytorch.cat([tinytorch.ones(2)], axis=5), IndexError, r"range of \[-1, 0\], but got 5"),
    (lambda: tinytorch.stack([tinytorch.ones(2)], axis=-3), IndexError, r"range of \[-2, 1\], but got -3"),
    (lambda: tinytorch.ones(2, 3).transpose(0, 5), IndexError, r"range of \[-2, 1\], but got 5"),
    (lambda: tinytorch.ones(2, 3).flatten(3), IndexError, r"range of \[-2, 1\], but got 3"),
    (lambda: tinytorch.ones(2, 3, 4).flatten(2, 1), ValueError, "start_dim 2 comes after end_dim 1"),
])
def test_bad_sizes_and_dims_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_negative_dims_still_count_from_the_end():
    x = tinytorch.ones(2, 3, 4)
    assert x.transpose(0, -1).shape == (4, 3, 2)
    assert x.flatten(-2).shape == (2, 12)
    assert tinytorch.stack([x, x], axis=-1).shape == (2, 3, 4, 2)
    assert [t.shape for t in x.split(2, axis=-1)] == [(2, 3, 2), (2, 3, 2)]


@pytest.mark.parametrize("method", ["softmax", "log_softmax"])
def test_softmax_over_an_empty_axis_is_empty_as_in_pytorch(method):
    x = tinytorch.zeros(2, 0, requires_grad=True)
    out = getattr(x, method)(-1)
    assert out.shape == (2, 0)
    out.sum().backward()
    assert x.grad.shape == (2, 0)
