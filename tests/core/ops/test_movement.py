"""Movement ops (tinytorch/core/ops/movement.py): shape changes, cat/stack/split and indexing."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinytorch
from tinytorch import gradcheck


def randn(*shape):
    return tinytorch.randn(*shape, dtype=tinytorch.float64)


SHAPE_OPS = {
    "reshape": (lambda x: x.reshape(4, 6), (2, 3, 4)),
    "reshape_tuple_with_minus_one": (lambda x: x.reshape((-1, 2)), (2, 3, 4)),
    "view": (lambda x: x.view(24), (2, 3, 4)),
    "permute": (lambda x: x.permute(2, 0, 1), (2, 3, 4)),
    "permute_negative_axes": (lambda x: x.permute(-1, 0, -2), (2, 3, 4)),
    "transpose_default_last_two": (lambda x: x.transpose(), (2, 3, 4)),
    "transpose_0_2": (lambda x: x.transpose(0, 2), (2, 3, 4)),
    "T": (lambda x: x.T, (2, 3)),
    "squeeze_all": (lambda x: x.squeeze(), (2, 1, 3, 1)),
    "squeeze_one": (lambda x: x.squeeze(dim=1), (2, 1, 3, 1)),
    "unsqueeze": (lambda x: x.unsqueeze(1), (2, 3)),
    "unsqueeze_negative": (lambda x: x.unsqueeze(-1), (2, 3)),
    "expand": (lambda x: x.expand(2, 3, 4), (3, 1)),
    "expand_minus_one": (lambda x: x.expand(5, -1, 4), (3, 1)),
    "flatten": (lambda x: x.flatten(), (2, 3, 4)),
    "flatten_from_1": (lambda x: x.flatten(1), (2, 3, 4)),
    "flatten_middle": (lambda x: x.flatten(1, 2), (2, 3, 4, 5)),
    "split_even": (lambda x: x.split(2, axis=1)[1], (3, 6)),
    "split_uneven_last": (lambda x: x.split(4, dim=-1)[1] * 2, (3, 6)),
    "split_sizes": (lambda x: x.split([1, 2])[1], (3, 2)),
}


@pytest.mark.parametrize("name", SHAPE_OPS)
def test_shape_op_gradient(name):
    fn, shape = SHAPE_OPS[name]
    assert gradcheck(fn, randn(*shape))


@pytest.mark.parametrize(
    ("fn", "numpy_fn"),
    [
        (lambda x: x.permute(-1, 0, -2), lambda a: a.transpose(2, 0, 1)),
        (lambda x: x.transpose(0, 2), lambda a: a.swapaxes(0, 2)),
        (lambda x: x.flatten(1), lambda a: a.reshape(2, 12)),
        (lambda x: x.expand(5, 2, 3, 4), lambda a: np.broadcast_to(a, (5, 2, 3, 4))),
        (lambda x: x.unsqueeze(0).squeeze(0), lambda a: a),
    ],
)
def test_shape_op_values_match_numpy(fn, numpy_fn):
    x = randn(2, 3, 4)
    np.testing.assert_array_equal(fn(x).numpy(), numpy_fn(x.numpy()))


def test_split_pieces_cover_the_tensor():
    x = randn(7, 2)
    pieces = x.split(3)
    assert [p.shape for p in pieces] == [(3, 2), (3, 2), (1, 2)]
    np.testing.assert_array_equal(tinytorch.cat(pieces).numpy(), x.numpy())


def test_all_split_pieces_send_gradient_back():
    assert gradcheck(lambda x: sum((i + 1) * p.sum() for i, p in enumerate(x.split(2, axis=-1))),
                     randn(3, 5))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cat_gradient(axis):
    a, b, c = randn(2, 3), randn(2, 3), randn(2, 3)
    assert gradcheck(lambda *xs: tinytorch.cat(xs, axis=axis), a, b, c)


def test_cat_of_different_lengths_gradient():
    assert gradcheck(lambda a, b: tinytorch.cat([a, b], dim=1), randn(2, 1), randn(2, 4))


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_stack_gradient_and_shape(axis):
    a, b = randn(2, 3), randn(2, 3)
    assert tinytorch.stack([a, b], axis=axis).shape == np.stack([a.numpy(), b.numpy()], axis=axis).shape
    assert gradcheck(lambda *xs: tinytorch.stack(xs, axis=axis), a, b)


INDEXING = {
    "int": lambda x: x[1],
    "negative_int": lambda x: x[-1, 2],
    "slices": lambda x: x[1:, ::2],
    "negative_step": lambda x: x[::-1, 1:3],
    "ellipsis_and_newaxis": lambda x: x[..., None, 1],
    "int_array_with_repeats": lambda x: x[[0, 2, 0, 0]],
    "int_tensor_with_repeats": lambda x: x[tinytorch.tensor([2, 2, 1])],
    "two_int_arrays_with_repeats": lambda x: x[[0, 0, 3], [1, 1, 2]],
    "int_array_and_slice": lambda x: x[1:, [3, 3, 0]],
    "bool_mask": lambda x: x[np.array([[True, False, True, False]] * 4)],
    "bool_mask_tensor_on_rows": lambda x: x[tinytorch.tensor([True, False, True, True])],
    "mask_from_values": lambda x: x[x.detach() > 0],
}


@pytest.mark.parametrize("name", INDEXING)
def test_indexing_gradient(name):
    assert gradcheck(INDEXING[name], randn(4, 4))


def test_repeated_indices_accumulate_their_gradients():
    x = tinytorch.zeros(3, requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3, 0, 1])


def test_iterating_a_tensor_yields_rows_that_carry_gradient():
    x = randn(3, 2).requires_grad_()
    rows = list(x)
    assert [r.shape for r in rows] == [(2,)] * 3
    (rows[0] * 2 + rows[2]).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[2, 2], [0, 0], [1, 1]])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tinytorch.zeros(2, 3).reshape(4, 2), r"\(2, 3\).*\(4, 2\)"),
        (lambda: tinytorch.zeros(2, 3).permute(0, 0), r"axes once, got \(0, 0\)"),
        (lambda: tinytorch.zeros(2, 3).permute(0, 1, 2), r"axes once, got \(0, 1, 2\)"),
        (lambda: tinytorch.zeros(2, 3).permute(0, 3), r"axes once, got \(0, 3\)"),
        (lambda: tinytorch.zeros(2, 3).permute(0, -3), r"axes once, got \(0, -3\)"),
        (lambda: tinytorch.zeros(3).expand(2, 4), r"cannot expand shape \(3,\) to \(2, 4\)"),
        (lambda: tinytorch.zeros(3, 1).expand(1, 4), r"cannot expand shape \(3, 1\) to \(1, 4\)"),
        (lambda: tinytorch.zeros(2, 3).expand(3), r"cannot expand shape \(2, 3\) to \(3,\)"),
        (lambda: tinytorch.zeros(3).expand(-1, 3), r"cannot expand shape \(3,\) to \(-1, 3\)"),
        (lambda: tinytorch.zeros(5).split([2, 2]), r"add up to 4, axis 0 has 5"),
        (lambda: tinytorch.stack([tinytorch.zeros(2), tinytorch.zeros(3)]), "one shape"),
    ],
)
def test_bad_shapes_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ----- property: reshape round-trips ------------------------------------------------------

@st.composite
def shape_and_reshape(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=4))
    size = int(np.prod(shape))
    factors = [d for d in range(1, size + 1) if size % d == 0]
    first = draw(st.sampled_from(factors))
    return shape, draw(st.sampled_from([(first, -1), (size,), (-1, first, 1), (1, size // first, first)]))


@settings(max_examples=25, deadline=None)
@given(case=shape_and_reshape(), seed=st.integers(0, 2**16))
def test_reshape_round_trips_values_and_gradient(case, seed):
    shape, new_shape = case
    values = np.random.default_rng(seed).standard_normal(shape)
    x = tinytorch.tensor(values, requires_grad=True)
    y = x.reshape(new_shape)
    assert y.numel() == x.numel()
    back = y.reshape(shape)
    np.testing.assert_array_equal(back.numpy(), values)
    back.backward(values)
    np.testing.assert_array_equal(x.grad.numpy(), values)
