"""PyTorch's spellings on tensors: `dim=` / `keepdim=` wherever `axis=` / `keepdims=` is taken
(one mechanism, `accepts_dim`), and the methods PyTorch code calls (matmul, view_as, eq, ...)."""

import numpy as np
import pytest

import tinytorch
from tinytorch import gradcheck
from tinytorch.core import activations
from tinytorch.core.tensor import accepts_dim

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7


def t():
    return tinytorch.tensor(X)


# (call with NumPy's spelling, call with PyTorch's, expected result)
SPELLINGS = [
    ("sum", lambda x: x.sum(axis=1, keepdims=True), lambda x: x.sum(dim=1, keepdim=True),
     X.sum(axis=1, keepdims=True)),
    ("sum of a list of axes", lambda x: x.sum(axis=[0, 2]), lambda x: x.sum(dim=[0, 2]), X.sum(axis=(0, 2))),
    ("sum of a positional list", lambda x: x.sum([0, 2]), lambda x: x.sum(dim=(0, 2)), X.sum(axis=(0, 2))),
    ("mean", lambda x: x.mean(axis=-1), lambda x: x.mean(dim=-1), X.mean(axis=-1)),
    ("max", lambda x: x.max(axis=0, keepdims=True).values, lambda x: x.max(dim=0, keepdim=True).values,
     X.max(axis=0, keepdims=True)),
    ("min", lambda x: x.min(axis=2).values, lambda x: x.min(dim=2).values, X.min(axis=2)),
    ("amax", lambda x: x.amax(axis=(0, 2)), lambda x: x.amax(dim=[0, 2]), X.max(axis=(0, 2))),
    ("amin", lambda x: x.amin(axis=1, keepdims=True), lambda x: x.amin(dim=1, keepdim=True),
     X.min(axis=1, keepdims=True)),
    ("topk", lambda x: x.topk(2, axis=1).values, lambda x: x.topk(2, dim=1).values,
     -np.sort(-X, axis=1)[:, :2]),
    ("var", lambda x: x.var(axis=1), lambda x: x.var(dim=1), X.var(axis=1, ddof=1)),
    ("std", lambda x: x.std(axis=1, keepdims=True, correction=0),
     lambda x: x.std(dim=1, keepdim=True, correction=0), X.std(axis=1, keepdims=True)),
    ("argmax", lambda x: x.argmax(axis=1, keepdims=True), lambda x: x.argmax(dim=1, keepdim=True),
     X.argmax(axis=1, keepdims=True)),
    ("argmin", lambda x: x.argmin(axis=2), lambda x: x.argmin(dim=2), X.argmin(axis=2)),
    ("softmax", lambda x: x.softmax(axis=1), lambda x: x.softmax(dim=1),
     np.exp(X) / np.exp(X).sum(axis=1, keepdims=True)),
    ("log_softmax", lambda x: x.log_softmax(axis=0), lambda x: x.log_softmax(dim=0),
     X - np.log(np.exp(X).sum(axis=0, keepdims=True))),
    ("F.softmax", lambda x: activations.softmax(x, axis=0), lambda x: activations.softmax(x, dim=0),
     np.exp(X) / np.exp(X).sum(axis=0, keepdims=True)),
    ("F.log_softmax", lambda x: activations.log_softmax(x, axis=1),
     lambda x: activations.log_softmax(x, dim=1), X - np.log(np.exp(X).sum(axis=1, keepdims=True))),
    ("nn.Softmax", lambda x: activations.Softmax(axis=2)(x), lambda x: activations.Softmax(dim=2)(x),
     np.exp(X) / np.exp(X).sum(axis=2, keepdims=True)),
    ("nn.LogSoftmax", lambda x: activations.LogSoftmax(axis=2)(x),
     lambda x: activations.LogSoftmax(dim=2)(x), X - np.log(np.exp(X).sum(axis=2, keepdims=True))),
    ("unsqueeze", lambda x: x.unsqueeze(axis=1), lambda x: x.unsqueeze(dim=1), X[:, None]),
    ("squeeze", lambda x: x[:1].squeeze(axis=0), lambda x: x[:1].squeeze(dim=0), X[0]),
    ("cat", lambda x: tinytorch.cat([x, x], axis=2), lambda x: tinytorch.cat([x, x], dim=2),
     np.concatenate([X, X], axis=2)),
    ("stack", lambda x: tinytorch.stack([x, x], axis=1), lambda x: tinytorch.stack([x, x], dim=1),
     np.stack([X, X], axis=1)),
    ("split", lambda x: x.split(2, axis=2)[1], lambda x: x.split(2, dim=2)[1], X[:, :, 2:]),
]


@pytest.mark.parametrize("numpy_spelling, torch_spelling, expected",
                         [s[1:] for s in SPELLINGS], ids=[s[0] for s in SPELLINGS])
def test_dim_and_keepdim_mean_axis_and_keepdims(numpy_spelling, torch_spelling, expected):
    ours, theirs = numpy_spelling(t()).numpy(), torch_spelling(t()).numpy()
    assert ours.shape == theirs.shape == expected.shape
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_allclose(ours, expected, rtol=1e-5)


@pytest.mark.parametrize("call", [
    lambda x: x.sum(axis=0, dim=1),
    lambda x: x.mean(0, keepdims=True, keepdim=True),
    lambda x: x.argmax(1, dim=1),
    lambda x: x.softmax(-1, dim=0),
    lambda x: tinytorch.cat([x, x], 0, dim=1),
    lambda x: activations.softmax(x, axis=0, dim=0),
    lambda x: activations.Softmax(axis=0, dim=1),
])
def test_both_spellings_at_once_is_an_error(call):
    with pytest.raises(TypeError, match="axis|keepdims"):
        call(t())


def test_accepts_dim_is_one_wrapper_that_keeps_the_name_and_docstring():
    @accepts_dim
    def total(x, axis=None, keepdims=False):
        """Docstring."""
        return x, axis, keepdims

    assert total.__name__ == "total" and total.__doc__ == "Docstring."
    assert total(1, dim=[1, 2], keepdim=True) == (1, (1, 2), True)
    assert total(1, [0]) == (1, (0,), False)
    assert tinytorch.Tensor.sum.__wrapped__.__name__ == "sum"


def test_the_methods_pytorch_code_uses():
    x = tinytorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(x.matmul(x).numpy(), x.numpy() @ x.numpy())
    assert x.view(4).shape == (4,) and x.view(-1, 1).shape == (4, 1)
    target = tinytorch.tensor([1, 0])
    pred = x.argmax(dim=1, keepdim=True)
    assert pred.shape == (2, 1) and target.view_as(pred).shape == (2, 1)
    assert pred.eq(target.view_as(pred)).sum().item() == 1
    assert x.eq(x).dtype == np.bool_ and x.ne(x).sum().item() == 0
    assert x.gt(2).tolist() == [[False, False], [True, True]] and x.le(2).sum().item() == 2
    assert x.lt(x + 1).sum().item() == 4 and x.ge(4).sum().item() == 1
    assert isinstance(x.item() if x.numel() == 1 else x[0, 0].item(), float)


def test_allclose_as_a_method_and_a_function():
    x = tinytorch.tensor([1.0, 2.0])
    assert x.allclose(x + 1e-7) and tinytorch.allclose(x, x + 1e-7)
    assert not x.allclose(x + 1e-3) and x.allclose(x + 1e-3, atol=1e-2)
    assert tinytorch.allclose(x, tinytorch.tensor([1.0]), atol=1.5)  # broadcasts
    nan = tinytorch.tensor([float("nan")])
    assert not nan.allclose(nan) and nan.allclose(nan, equal_nan=True)
    with pytest.raises(ValueError, match="do not broadcast"):
        x.allclose(tinytorch.zeros(3))


def test_flatten_function():
    assert tinytorch.flatten(tinytorch.zeros(2, 3, 4)).shape == (24,)
    assert tinytorch.flatten(tinytorch.zeros(2, 3, 4), 1).shape == (2, 12)


def test_pytorch_names_match_torch_where_importable():
    torch = pytest.importorskip("torch")
    ours, theirs = t(), torch.tensor(X)
    for ours_result, torch_result in [
        (ours.sum(dim=1, keepdim=True), theirs.sum(dim=1, keepdim=True)),
        (ours.argmax(dim=2, keepdim=True), theirs.argmax(dim=2, keepdim=True)),
        (ours.var(dim=[0, 2]), theirs.var(dim=[0, 2])),
        (ours.log_softmax(dim=1), theirs.log_softmax(dim=1)),
        (ours.view(-1, 6), theirs.view(-1, 6)),
    ]:
        np.testing.assert_allclose(ours_result.numpy(), torch_result.numpy(), rtol=1e-5, atol=1e-6)


# ----- max and min: PyTorch's three forms ----------------------------------------------------

def test_max_with_a_dim_is_a_named_tuple_of_values_and_indices():
    """Returning only the values made `values, indices = x.max(dim=1)` unpack the two rows of
    a 2-row result, and `x.max(1)[0]` the first row: both silently wrong."""
    x = tinytorch.tensor([[1.0, 7.0, 3.0], [9.0, 2.0, 4.0]])
    values, indices = x.max(dim=1)
    assert values.tolist() == [7.0, 9.0] and indices.tolist() == [1, 0]
    assert x.max(1)[0].tolist() == [7.0, 9.0] and x.max(1)[1].tolist() == [1, 0]
    assert x.min(dim=0).values.tolist() == [1.0, 2.0, 3.0] and x.min(0).indices.tolist() == [0, 1, 0]
    assert isinstance(x.max(1), tinytorch.return_types.max)
    assert isinstance(x.min(1), tinytorch.return_types.min)
    assert x.max(1, keepdim=True).indices.shape == (2, 1) and x.max(1).indices.dtype == tinytorch.int64
    assert x.max(1)._fields == ("values", "indices")


def test_max_without_a_dim_is_a_0d_tensor_and_with_a_tensor_elementwise():
    x, y = tinytorch.tensor([[1.0, 7.0], [9.0, 2.0]]), tinytorch.tensor([5.0, 5.0])
    assert x.max().shape == () and x.max().item() == 9.0 and x.min().item() == 1.0
    assert x.max(y).tolist() == [[5.0, 7.0], [9.0, 5.0]] and x.min(y).tolist() == [[1.0, 5.0], [5.0, 2.0]]
    assert tinytorch.max(x, y).tolist() == tinytorch.maximum(x, y).tolist()


def test_max_and_min_of_integers_and_of_a_0d_tensor():
    x = tinytorch.tensor(np.array([[3, -128, 127]], dtype=np.int8))
    assert x.max(dim=1).values.tolist() == [127] and x.min(dim=1).indices.tolist() == [1]
    assert x.max(dim=1).values.dtype == np.int8
    values, indices = tinytorch.tensor(3.0).max(0)
    assert values.shape == indices.shape == () and values.item() == 3.0 and indices.item() == 0


@pytest.mark.parametrize("call, error, message", [
    (lambda x: x.max(dim=(0, 1)), TypeError, "takes one dim.*amax"),
    (lambda x: x.min(dim=2), IndexError, "Dimension out of range"),
    (lambda x: tinytorch.zeros(2, 0).max(dim=1), IndexError, "reduction dim 1 to have non-zero size"),
    (lambda x: x.max(x, keepdim=True), TypeError, "elementwise"),
    (lambda x: tinytorch.max([1.0, 2.0]), TypeError, "must be a Tensor"),
])
def test_max_refuses_what_pytorch_refuses(call, error, message):
    with pytest.raises(error, match=message):
        call(tinytorch.zeros(2, 3))


def test_function_spellings_are_the_methods():
    x = tinytorch.tensor([[1.0, 7.0, 3.0], [9.0, 2.0, 4.0]])
    _, predicted = tinytorch.max(x, 1)  # PyTorch tutorials' accuracy idiom
    assert predicted.tolist() == [1, 0]
    assert tinytorch.sum(x, dim=0).tolist() == [10.0, 9.0, 7.0]
    assert tinytorch.argmax(x, dim=1).tolist() == [1, 0]
    assert tinytorch.exp(x).allclose(x.exp()) and tinytorch.clamp(x, max=3).max().item() == 3.0
    assert tinytorch.topk(x, 1).indices.tolist() == [[1], [0]] and tinytorch.amax(x).item() == 9.0
    assert tinytorch.max.__name__ == "max" and tinytorch.max.__doc__ == tinytorch.Tensor.max.__doc__


# ----- var and std with too few elements --------------------------------------------------------

@pytest.mark.parametrize("name", ["var", "std"])
def test_var_and_std_of_one_element_are_nan_with_a_warning(name):
    """Was 0: the n - 1 divisor was clamped to 1, a made-up certainty from one sample."""
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        assert np.isnan(getattr(tinytorch.tensor([3.0]), name)().item())
    with pytest.warns(UserWarning, match="degrees of freedom"):
        assert np.isinf(tinytorch.tensor([1.0, 2.0]).var(correction=3).item())
    assert getattr(tinytorch.tensor([3.0]), name)(correction=0).item() == 0.0


# ----- Tensor(t) aliases t -----------------------------------------------------------------------

def test_tensor_of_a_tensor_shares_memory_and_the_version_counter():
    """As `torch.Tensor(t)`, an alias: an in-place change through either must invalidate the
    other's saved values, or backward would use the new values silently."""
    w = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    x = tinytorch.tensor([3.0, 4.0])
    alias = tinytorch.Tensor(x)
    assert np.shares_memory(alias.numpy(), x.numpy())
    y = (w * x).sum()
    alias[0] = 10.0
    assert x._version == 1 and x.tolist() == [10.0, 4.0]
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()
    converted = tinytorch.Tensor(x, dtype=tinytorch.float64)  # a copy, with its own counter
    converted[0] = 0.0
    assert x._version == 1 and x.tolist() == [10.0, 4.0]
    copy = tinytorch.tensor(x)  # torch.tensor(t) copies
    copy[1] = 0.0
    assert x._version == 1 and x.tolist() == [10.0, 4.0]


# ----- methods PyTorch code calls ----------------------------------------------------------------

def test_dim_size_t_and_type_as():
    x = tinytorch.zeros(2, 3, 4)
    assert x.dim() == x.ndim == 3 and x.size(-1) == 4 and x.size() == (2, 3, 4)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.size(3)
    m = tinytorch.tensor([[1.0, 2.0, 3.0]])
    assert m.t().shape == (3, 1) and tinytorch.tensor([1.0, 2.0]).t().shape == (2,)
    with pytest.raises(ValueError, match="<= 2 dimensions"):
        x.t()
    mask = tinytorch.tensor([True, False])
    assert mask.type_as(m).dtype == tinytorch.float32 and mask.type_as(m).tolist() == [1.0, 0.0]


def test_masked_fill_fills_where_true_and_passes_the_gradient_elsewhere():
    x = tinytorch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = x.masked_fill(tinytorch.tensor([False, True]), float("-inf"))
    assert out.tolist() == [[1.0, float("-inf")], [3.0, float("-inf")]]
    out.masked_fill(out == float("-inf"), 0.0).sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0], [1.0, 0.0]]
    assert tinytorch.masked_fill(x, x > 2, 0.0).tolist() == [[1.0, 2.0], [0.0, 0.0]]
    with pytest.raises(TypeError, match="only supports boolean masks"):
        x.masked_fill(tinytorch.tensor([0.0, 1.0]), 0.0)


def test_max_topk_var_and_masked_fill_match_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = t(), torch.tensor(X)
    ours[0, 0, :2] = 5.0  # a tie: both pick the first
    theirs[0, 0, :2] = 5.0
    for dim in (0, 1, -1):
        for name in ("max", "min"):
            mine, torchs = getattr(ours, name)(dim, keepdim=True), getattr(theirs, name)(dim, keepdim=True)
            np.testing.assert_array_equal(mine.values.numpy(), torchs.values.numpy())
            np.testing.assert_array_equal(mine.indices.numpy(), torchs.indices.numpy())
    grads = []
    for tensor in (tinytorch.tensor(ours.numpy(), requires_grad=True),
                   torch.tensor(ours.numpy(), requires_grad=True)):
        (tensor.max(dim=2).values.sum() + tensor.topk(2, dim=1).values.sum()).backward()
        grads.append(tensor.grad.numpy())
    np.testing.assert_array_equal(*grads)
    mask = X > 1
    np.testing.assert_array_equal(ours.masked_fill(tinytorch.tensor(mask), -1.0).numpy(),
                                  theirs.masked_fill(torch.tensor(mask), -1.0).numpy())
    with pytest.warns(UserWarning):
        assert np.isnan(tinytorch.tensor([2.0]).var().item()) and torch.tensor([2.0]).var().isnan()


def test_contiguous_is_floating_point_pow_and_abs():
    x = tinytorch.tensor([[-1.0, 2.0], [3.0, -4.0]], requires_grad=True)
    assert x.transpose(0, 1).contiguous().view(4).tolist() == [-1.0, 3.0, 2.0, -4.0]
    assert x.is_floating_point() and not tinytorch.arange(3).is_floating_point()
    assert x.pow(2).tolist() == [[1.0, 4.0], [9.0, 16.0]] and tinytorch.pow(x, 2).allclose(x * x)
    assert abs(x).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert gradcheck(lambda t: t.pow(3), x.double())


def test_masks_combine_with_and_or_xor_not():
    x = tinytorch.arange(6)
    inside = (x > 1) & (x < 4)
    assert inside.tolist() == [False, False, True, True, False, False] and inside.dtype == np.bool_
    assert ((x < 1) | (x > 4)).tolist() == [True, False, False, False, False, True]
    assert (~inside).sum().item() == 4
    assert (inside ^ (x > 2)).tolist() == [False, False, True, False, True, True]
    assert (True & inside).tolist() == inside.tolist() and (x & 1).tolist() == [0, 1, 0, 1, 0, 1]
    with pytest.raises(TypeError, match="bool or integer tensors, got float32 and float32"):
        tinytorch.ones(3) & tinytorch.ones(3)
    with pytest.raises(TypeError, match="bool or integer tensors, got float32"):
        ~tinytorch.ones(3)


@pytest.mark.parametrize("diagonal", [-1, 0, 2])
@pytest.mark.parametrize("name", ["tril", "triu"])
def test_tril_and_triu_keep_a_triangle_of_the_last_two_dims(name, diagonal):
    x = tinytorch.randn(2, 3, 4, dtype=tinytorch.float64)
    expected = getattr(np, name)(x.numpy(), k=diagonal)
    np.testing.assert_array_equal(getattr(x, name)(diagonal).numpy(), expected)
    np.testing.assert_array_equal(getattr(tinytorch, name)(x, diagonal=diagonal).numpy(), expected)
    assert gradcheck(lambda t: getattr(t, name)(diagonal), x)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        getattr(tinytorch.ones(3), name)()


def test_a_causal_mask_from_tril_and_masked_fill():
    scores = tinytorch.zeros(3, 3)
    causal = tinytorch.ones(3, 3).tril() == 0
    weights = scores.masked_fill(causal, float("-inf")).softmax(dim=-1)
    expected = [[1, 0, 0], [1 / 2, 1 / 2, 0], [1 / 3, 1 / 3, 1 / 3]]
    np.testing.assert_allclose(weights.numpy(), expected, rtol=1e-6)


def test_randint_takes_high_or_low_and_high_and_repeats_with_the_seed():
    tinytorch.manual_seed(0)
    a = tinytorch.randint(10, (1000,))
    assert a.dtype == tinytorch.int64 and a.shape == (1000,) and a.min().item() == 0 and a.max().item() == 9
    b = tinytorch.randint(-2, 3, size=(4, 5))
    assert b.shape == (4, 5) and -2 <= b.min().item() and b.max().item() < 3
    tinytorch.manual_seed(0)
    assert tinytorch.randint(10, (1000,)).tolist() == a.tolist()
    with pytest.raises(ValueError, match="low < high"):
        tinytorch.randint(5, 5, (2,))


def test_tril_bitwise_and_pow_match_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = t(), torch.tensor(X)
    for mine, torchs in [(ours.tril(1), theirs.tril(1)), (ours.triu(-1), theirs.triu(-1)),
                         (ours.pow(3), theirs.pow(3)), (abs(ours - 1), abs(theirs - 1)),
                         ((ours > 1) & (ours < 2), (theirs > 1) & (theirs < 2)),
                         (~(ours > 1), ~(theirs > 1))]:
        np.testing.assert_allclose(mine.numpy(), torchs.numpy(), rtol=1e-6)


def test_to_takes_pytorchs_forms_and_cpu_is_the_device():
    x = tinytorch.tensor([1.5, 2.5])
    assert x.to("cpu") is x and x.cpu() is x and x.to(device="cpu") is x
    assert x.to("cpu", tinytorch.float64).dtype == tinytorch.float64
    assert x.to(dtype=tinytorch.int64).tolist() == [1, 2] and x.to("float64").dtype == tinytorch.float64
    assert x.to(tinytorch.arange(2)).dtype == tinytorch.int64  # to(other): other's dtype
    with pytest.raises(RuntimeError, match="CPU .* only; device 'cuda:0'"):
        x.to("cuda:0")
    with pytest.raises(TypeError, match="two dtypes"):
        x.to(tinytorch.float64, tinytorch.int64)
    with pytest.raises(TypeError, match="unsupported dtype"):
        x.to(np.float16)


def test_any_all_and_chunk():
    x = tinytorch.tensor([[0, 1, 2], [3, 4, 5]])
    assert x.any().item() and not x.all().item() and x.all(dim=1).tolist() == [False, True]
    assert (x > 0).any(dim=0, keepdim=True).tolist() == [[True, True, True]]
    assert [c.shape for c in tinytorch.arange(7).chunk(3)] == [(3,), (3,), (1,)]
    assert [c.shape for c in x.chunk(3, dim=1)] == [(2, 1)] * 3
    assert [c.shape for c in tinytorch.arange(4).chunk(3)] == [(2,), (2,)]  # fewer, as torch
    with pytest.raises(ValueError, match="positive integer"):
        x.chunk(0)


def test_chunk_matches_torch():
    torch = pytest.importorskip("torch")
    for n, chunks in [(7, 3), (4, 3), (6, 4), (5, 5), (2, 4)]:
        ours, theirs = tinytorch.arange(n).chunk(chunks), torch.arange(n).chunk(chunks)
        assert [c.tolist() for c in ours] == [c.tolist() for c in theirs]


def test_pytorchs_dtype_names():
    assert tinytorch.long == tinytorch.int64 and tinytorch.double == tinytorch.float64
    assert tinytorch.float == tinytorch.float32 and tinytorch.bool == tinytorch.bool_
    assert tinytorch.zeros(2, dtype=tinytorch.long).dtype == np.int64
    namespace = {}
    exec("from tinytorch import *", namespace)  # noqa: S102 - the star import is what is tested
    assert not {"float", "bool", "abs", "max", "min", "pow", "sum"} & set(namespace)  # builtins stay
    assert namespace["long"] is tinytorch.long and namespace["amax"] is tinytorch.amax


def test_multinomial_draws_in_proportion_to_the_weights():
    tinytorch.manual_seed(0)
    drawn = tinytorch.multinomial(tinytorch.tensor([1.0, 0.0, 3.0]), 20000, replacement=True)
    assert drawn.dtype == tinytorch.int64 and drawn.shape == (20000,)
    np.testing.assert_allclose(np.bincount(drawn.numpy(), minlength=3) / 20000, [0.25, 0, 0.75], atol=0.015)
    rows = tinytorch.multinomial(tinytorch.tensor([[0.0, 2.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0]]), 2)
    assert rows.shape == (2, 2) and sorted(rows[0].tolist()) == [1, 2]  # without replacement
    assert len(set(rows[1].tolist())) == 2
    tinytorch.manual_seed(1)
    a = tinytorch.multinomial(tinytorch.ones(10), 5).tolist()
    tinytorch.manual_seed(1)
    assert tinytorch.multinomial(tinytorch.ones(10), 5).tolist() == a


@pytest.mark.parametrize("weights, num_samples, message", [
    ([1.0, -0.5], 1, "element < 0"),
    ([1.0, float("nan")], 1, "inf, nan"),
    ([0.0, 0.0], 1, "sums to 0"),
    ([1.0, 0.0, 1.0], 3, "without replacement from a row with 2 nonzero"),
    ([1.0], 0, "positive integer"),
    ([[[1.0]]], 1, "1-d or 2-d"),
])
def test_multinomial_refuses_what_is_no_distribution(weights, num_samples, message):
    with pytest.raises(ValueError, match=message):
        tinytorch.multinomial(tinytorch.tensor(weights), num_samples)


def test_squeeze_keeps_a_named_dim_whose_size_is_not_1_as_pytorch():
    x = tinytorch.zeros(2, 1, 3, 1)
    assert x.squeeze(0).shape == (2, 1, 3, 1) and x.squeeze(-1).shape == (2, 1, 3)
    assert x.squeeze((0, 1, 3)).shape == (2, 3) and x.squeeze().shape == (2, 3)
    assert tinytorch.tensor(5.0).squeeze(0).shape == ()
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.squeeze(4)
    torch = pytest.importorskip("torch")
    for dims in [0, 1, -1, (0, 1, 3), (1, 2)]:
        assert x.squeeze(dims).shape == tuple(torch.zeros(2, 1, 3, 1).squeeze(dims).shape)


# ----- in-place ops ------------------------------------------------------------------------------

def test_a_hand_written_training_loop_updates_the_parameters_in_place():
    """`p -= lr * p.grad` must change the parameter itself: rebinding `p` to a new tensor (what
    Python does without __isub__) would leave the model untrained, silently."""
    tinytorch.manual_seed(0)
    model = tinytorch.nn.Linear(3, 1)
    x, y = tinytorch.randn(16, 3), tinytorch.randn(16, 1)
    weight = model.weight
    losses = []
    for _ in range(20):
        loss = ((model(x) - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with tinytorch.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
                p.grad.zero_()
    assert model.weight is weight and weight.requires_grad and weight._version == 20
    assert losses[-1] < 0.8 * losses[0]
    assert not model.bias.grad.numpy().any()


def test_in_place_ops_and_their_refusals():
    x = tinytorch.tensor([1.0, 2.0])
    alias = x[:]
    x.add_(tinytorch.ones(2), alpha=2).mul_(2).sub_(1.0).div_(2)
    assert x.tolist() == [2.5, 3.5] and alias.tolist() == [2.5, 3.5] and x._version == alias._version == 4
    x += 1.5
    x *= 2
    x /= 4
    x -= tinytorch.tensor([1.0, 0.5], dtype=tinytorch.float64)  # float64 fits a float32, as torch
    assert x.tolist() == [1.0, 2.0] and x.dtype == tinytorch.float32
    assert x.copy_([5, 6]).tolist() == [5.0, 6.0] and x.copy_(tinytorch.tensor(7.0)).tolist() == [7.0, 7.0]
    assert x.fill_(3).tolist() == [3.0, 3.0] and x.zero_().tolist() == [0.0, 0.0]
    labels = tinytorch.arange(3)
    labels += 1
    assert labels.tolist() == [1, 2, 3]
    with pytest.raises(TypeError, match="result type float32 can't be cast to the desired output type int64"):
        labels += 0.5  # would truncate
    with pytest.raises(ValueError, match=r"shape \(2,\) doesn't match the broadcast shape \(3, 2\)"):
        x += tinytorch.ones(3, 2)
    w = tinytorch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad"):
        w += 1  # outside no_grad: the graph would be corrupted
    with pytest.raises(RuntimeError, match="would drop its gradient"):
        x.add_(w)
    with pytest.raises(RuntimeError, match="would drop its gradient"):
        x.copy_(w)


def test_augmented_assignment_inside_the_graph_keeps_the_gradient():
    """ResNet's `out += identity` on a computed tensor, and `total += loss` on a plain one:
    PyTorch records them in the graph; here the name is bound to the result, same values and
    same gradients."""
    w = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    out = w * 3
    out += w
    total = tinytorch.zeros(())
    total += (out * out).sum()
    total.backward()
    assert out.tolist() == [4.0, 8.0] and total.item() == 80.0
    assert w.grad.tolist() == [32.0, 64.0]  # d/dw sum((4w)^2) = 32 w
    half = tinytorch.tensor([1.0], dtype=tinytorch.float64, requires_grad=True)
    single = tinytorch.ones(1, requires_grad=True) * 2
    single += half
    assert single.dtype == tinytorch.float32  # keeps its dtype, as in place would


def test_an_in_place_change_of_a_saved_input_is_caught_by_backward():
    w = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    x = tinytorch.tensor([3.0, 4.0])
    y = (w * x).sum()
    x += 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_in_place_training_step_matches_torch():
    torch = pytest.importorskip("torch")
    start = np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32)
    results = []
    for lib in (tinytorch, torch):
        w = lib.tensor(start.copy(), requires_grad=True)
        for _ in range(3):
            (w * w).sum().backward()
            with lib.no_grad():
                w.sub_(w.grad, alpha=0.1)
                w *= 0.9
                w.grad.zero_()
        results.append(w.detach().numpy())
    np.testing.assert_allclose(*results, rtol=1e-6)
