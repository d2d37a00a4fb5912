"""PyTorch's spellings on tensors: `dim=` / `keepdim=` wherever `axis=` / `keepdims=` is taken
(one mechanism, `accepts_dim`), and the methods PyTorch code calls (matmul, view_as, eq, ...)."""

import numpy as np
import pytest

import tinytorch
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
    ("max", lambda x: x.max(axis=0, keepdims=True), lambda x: x.max(dim=0, keepdim=True),
     X.max(axis=0, keepdims=True)),
    ("min", lambda x: x.min(axis=2), lambda x: x.min(dim=2), X.min(axis=2)),
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
