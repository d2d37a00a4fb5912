"""The autograd engine (tinytorch/core/autograd.py): graph walking, accumulation, grad modes,
freeing the graph, anomaly detection, gradcheck itself, and an end-to-end XOR fit."""

import asyncio
import sys
import threading

import numpy as np
import pytest

import tinytorch
from tinytorch import nn
from tinytorch.core import autograd
from tinytorch.core.autograd import Function, unbroadcast
from tinytorch.core.tensor import apply

# ----- the graph walk ---------------------------------------------------------------------


def test_a_chain_of_ten_thousand_ops_backpropagates_without_recursion():
    x = tinytorch.tensor([1.0], dtype=tinytorch.float64, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0001**10_000])


def test_gradients_accumulate_across_backward_calls():
    x = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3 + 2, 3 + 4])


def test_a_tensor_used_twice_gets_the_sum_of_both_gradients():
    x = tinytorch.tensor([2.0], requires_grad=True)
    y = x * 3
    (y * y + y).sum().backward()  # d/dx (9x^2 + 3x) = 18x + 3
    np.testing.assert_allclose(x.grad.numpy(), [39.0])


def test_diamond_graph_visits_each_node_once():
    x = tinytorch.tensor([1.0], requires_grad=True)
    a = x * 2
    b, c = a + 1, a * a
    (b * c).sum().backward()  # (2x + 1) 4x^2 = 8x^3 + 4x^2 -> 24x^2 + 8x
    np.testing.assert_allclose(x.grad.numpy(), [32.0])


def test_only_tensors_that_require_grad_get_a_gradient():
    x, w = tinytorch.ones(2), tinytorch.ones(2, requires_grad=True)
    (x * w).sum().backward()
    assert x.grad is None and w.grad is not None


def test_intermediate_gradients_are_kept_only_with_retain_grad():
    x = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    hidden, kept = x * 2, (x * 3).retain_grad()
    (hidden * kept).sum().backward()
    assert hidden.grad is None
    np.testing.assert_allclose(kept.grad.numpy(), hidden.numpy())
    assert not kept.is_leaf and x.is_leaf


def test_backward_with_an_explicit_gradient_for_a_non_scalar():
    x = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    (x * x).backward(tinytorch.tensor([1.0, 10.0]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 40.0])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda x: (x * 2).backward(), RuntimeError, r"shape \(2, 3\) needs an explicit gradient"),
        (lambda x: (x * 2).backward(np.ones(3)), ValueError, r"\(3,\).*\(2, 3\)"),
        (lambda x: x.detach().sum().backward(), RuntimeError, "does not require grad"),
    ],
)
def test_backward_misuse_is_explained(call, error, message):
    with pytest.raises(error, match=message):
        call(tinytorch.ones(2, 3, requires_grad=True))


@pytest.mark.parametrize("dtype", [tinytorch.int64, tinytorch.bool_, tinytorch.uint8])
def test_integer_and_bool_tensors_cannot_require_grad(dtype):
    with pytest.raises(TypeError, match="floating-point"):
        tinytorch.zeros(2, dtype=dtype, requires_grad=True)
    with pytest.raises(TypeError, match=str(dtype)):
        tinytorch.zeros(2, dtype=dtype).requires_grad_()


# ----- freeing the graph ------------------------------------------------------------------

def test_a_second_backward_says_the_graph_was_freed_and_how_to_keep_it():
    x = tinytorch.ones(2, requires_grad=True)
    loss = (x.exp() * 2).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="freed the graph.*retain_graph=True"):
        loss.backward()


def test_retain_graph_allows_a_second_backward():
    x = tinytorch.ones(2, requires_grad=True)
    loss = (x.exp() * 2).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), 4 * np.e * np.ones(2), rtol=1e-6)


def test_backward_frees_what_the_ops_saved():
    x = tinytorch.ones(2, requires_grad=True)
    y = x.exp()
    assert y.grad_fn.released is False
    y.sum().backward()
    assert not hasattr(y.grad_fn, "out")
    # `released` is a slot of the node, not a stray entry among the saved values.
    assert y.grad_fn.released is True and y.grad_fn.__dict__ == {}
    assert "released" in tinytorch.core.autograd.Function.__slots__


# ----- in-place changes of saved tensors ---------------------------------------------------

_MODIFIED = "modified by an inplace operation"


def _square_then_change_w():
    w = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    with tinytorch.no_grad():
        w[0] = 5.0
    return loss


def _linear_then_change_the_batch():
    """The batch x needs no gradient, but the weight's gradient is computed from it."""
    x = tinytorch.ones(4, 3)
    loss = nn.Linear(3, 2)(x).sum()
    x[0] = 7.0
    return loss


@pytest.mark.parametrize(("change", "message"), [
    (_square_then_change_w, r"input 0 of Mul \(a float32 tensor of shape \(2,\)\)"),
    (_linear_then_change_the_batch, r"input 0 of Linear \(a float32 tensor of shape \(4, 3\)\)"),
])
def test_changing_a_saved_input_in_place_fails_at_backward_naming_the_op_and_versions(change, message):
    loss = change()
    with pytest.raises(RuntimeError, match=f"{_MODIFIED}: {message} is at version 1; expected version 0"):
        loss.backward()


def test_an_optimizer_step_between_forward_and_backward_fails_at_backward():
    layer = nn.Linear(3, 2)
    optimizer = tinytorch.optim.SGD(layer.parameters(), lr=0.1)
    layer(tinytorch.ones(4, 3)).sum().backward()
    loss = (layer(tinytorch.ones(4, 3)) ** 2).sum()
    optimizer.step()
    with pytest.raises(RuntimeError, match=_MODIFIED + r": input 1 of Linear"):
        loss.backward()


def test_changing_an_output_that_the_op_saved_fails_at_backward():
    y = tinytorch.tensor([1.0, 2.0], requires_grad=True).exp()  # Exp's backward uses y itself
    with tinytorch.no_grad():
        y[0] = 0.0
    with pytest.raises(RuntimeError, match=_MODIFIED + ": the output of Exp"):
        y.sum().backward()


@pytest.mark.parametrize("writer", [lambda w: w.detach(), lambda w: w.detach().reshape(-1),
                                    lambda w: w.detach()[0]], ids=["detach", "view", "slice"])
def test_writes_through_a_tensor_sharing_memory_are_seen_too(writer):
    w = tinytorch.tensor([[1.0, 2.0]], requires_grad=True)
    loss = (w * 3 * w).sum()
    alias = writer(w)
    alias[0] = 7.0
    with pytest.raises(RuntimeError, match=_MODIFIED):
        loss.backward()


def test_a_numpy_write_into_data_is_caught_under_detect_anomaly():
    """`.data` is the raw array: writing into it bypasses the version counter (as in PyTorch),
    so the always-on check cannot see it; detect_anomaly() hashes each input and does."""
    w = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    with autograd.detect_anomaly():
        loss = (w * 3 * w).sum()
        w.data[0] = 5.0
        with pytest.raises(RuntimeError, match=r"input \d of Mul \(shape \(2,\)\) was changed in place"):
            loss.backward()


def test_detect_anomaly_ignores_a_rebound_data_array_and_inputs_the_op_did_not_keep():
    w = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    with autograd.detect_anomaly():
        loss = (w + 1).sum() + (w * 2).sum()  # Add keeps nothing; Mul by a constant keeps w
        w.data = np.array([9.0, 9.0], np.float32)  # a new array: the saved one is unchanged
        loss.backward()
    np.testing.assert_array_equal(w.grad.numpy(), [3.0, 3.0])


def test_changing_an_input_the_op_did_not_keep_is_harmless():
    x = tinytorch.tensor([1.0, 2.0], requires_grad=True)
    loss = (x + 1).sum()  # Add's backward does not read x
    with tinytorch.no_grad():
        x[0] = 3.0
    loss.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


def test_in_place_changes_after_backward_are_the_normal_training_loop():
    layer = nn.Linear(3, 2)
    optimizer = tinytorch.optim.Adam(layer.parameters())
    for _ in range(3):
        loss = (layer(tinytorch.ones(4, 3)) ** 2).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert layer.weight._version == 3


# ----- grad modes -------------------------------------------------------------------------

def test_no_grad_records_nothing_and_restores_the_mode():
    x = tinytorch.ones(2, requires_grad=True)
    with tinytorch.no_grad():
        y = x * 2
        with tinytorch.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad
    assert autograd.is_grad_enabled()


def test_no_grad_works_as_a_decorator_even_when_the_function_recurses():
    @tinytorch.no_grad()
    def halve(t, times):
        return t if times == 0 else halve(t * 0.5, times - 1)

    x = tinytorch.ones(2, requires_grad=True)
    assert not halve(x, 3).requires_grad
    assert autograd.is_grad_enabled()


def test_no_grad_restores_the_mode_after_an_exception():
    with pytest.raises(KeyError), tinytorch.no_grad():
        raise KeyError("inside no_grad")
    assert autograd.is_grad_enabled()


@pytest.mark.skipif(sys.platform == "emscripten", reason="Pyodide (the browser) cannot start threads")
def test_grad_mode_is_per_thread():
    seen = []
    with tinytorch.no_grad():
        thread = threading.Thread(target=lambda: seen.append(autograd.is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


@pytest.mark.skipif(sys.platform == "emscripten", reason="Pyodide's event loop cannot be run to completion")
def test_grad_mode_is_per_asyncio_task():
    # marimo runs cells as tasks in the browser: a no_grad() in one must not switch off another's
    async def in_no_grad(entered, release):
        with tinytorch.no_grad():
            entered.set()
            await release.wait()

    async def main():
        entered, release = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(in_no_grad(entered, release))
        await entered.wait()
        seen = autograd.is_grad_enabled()
        release.set()
        await task
        return seen

    assert asyncio.run(main())
    assert autograd.is_grad_enabled()


# ----- anomaly detection ------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:invalid value encountered")
def test_detect_anomaly_names_the_op_that_made_a_nan_in_forward():
    x = tinytorch.tensor([-1.0, 1.0], requires_grad=True)
    with pytest.raises(FloatingPointError, match=r"Log produced a non-finite value in its forward"), \
            tinytorch.detect_anomaly():
        x.log()
    assert not autograd.is_anomaly_enabled()
    assert np.isnan(x.log().numpy()[0])  # off again: no check


@pytest.mark.filterwarnings("ignore:divide by zero")
def test_detect_anomaly_names_the_op_that_made_an_inf_in_backward():
    x = tinytorch.tensor([0.0, 4.0], requires_grad=True)
    with tinytorch.detect_anomaly():
        y = x.sqrt().sum()
        with pytest.raises(FloatingPointError, match=r"Sqrt produced a non-finite value in its backward"):
            y.backward()


# ----- the engine's contract with ops -----------------------------------------------------

@pytest.mark.parametrize(
    ("grad_shape", "shape", "expected"),
    [((2, 3, 4), (3, 1), 8), ((2, 3), (), 6), ((2, 3), (1, 3), 2), ((4,), (4,), 1)],
)
def test_unbroadcast_sums_added_and_stretched_dims(grad_shape, shape, expected):
    out = unbroadcast(np.ones(grad_shape), shape)
    assert out.shape == shape
    np.testing.assert_array_equal(out, np.full(shape, expected))


@pytest.mark.parametrize(("grad_shape", "shape"), [((3, 2), (2, 3)), ((3,), (2, 3)), ((2, 4), (2, 3))])
def test_unbroadcast_refuses_a_gradient_of_the_wrong_shape(grad_shape, shape):
    """A wrong shape is an op's bug: reshaping it silently would give wrong gradients."""
    with pytest.raises(ValueError, match="does not broadcast"):
        unbroadcast(np.ones(grad_shape), shape)


class _Double(Function):
    """2x, with a deliberately wrong backward (3x) for gradcheck to catch."""

    def forward(self, x):
        return 2 * x

    def backward(self, grad):
        return 3 * grad


def test_gradcheck_catches_a_wrong_backward_and_names_the_input():
    x = tinytorch.randn(2, 2, dtype=tinytorch.float64)
    with pytest.raises(AssertionError, match=r"input 1 \(shape \(2, 2\)\).*autograd gives"):
        tinytorch.gradcheck(lambda a, b: a * apply(_Double, b), x, x)


def test_gradcheck_skips_integer_inputs_and_leaves_the_inputs_alone():
    x, index = tinytorch.randn(4), tinytorch.tensor([3, 0, 0])
    before = x.numpy().copy()
    assert tinytorch.gradcheck(lambda t, i: t[i] * 2, x, index)
    np.testing.assert_array_equal(x.numpy(), before)
    assert x.grad is None


def _small_models():
    from tinytorch.core.spatial import BatchNorm2d, Conv2d, MaxPool2d
    from tinytorch.core.transformer import TransformerBlock

    tinytorch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Dropout(0.3), nn.Linear(5, 2))
    conv = nn.Sequential(Conv2d(2, 3, 3, padding=1), BatchNorm2d(3), nn.ReLU(), MaxPool2d(2),
                         nn.Flatten(), nn.Linear(12, 2))
    return [(mlp, tinytorch.randn(4, 3)), (conv, tinytorch.randn(2, 2, 4, 4)),
            (TransformerBlock(4, 2, dropout=0.1), tinytorch.randn(2, 3, 4))]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["mlp", "conv_net", "transformer_block"])
def test_gradcheck_of_whole_models_in_float64_checks_inputs_and_every_parameter(index):
    model, x = _small_models()[index]
    with pytest.raises(TypeError, match=r"call \.double\(\)"):  # float32: a false failure before
        tinytorch.gradcheck(model, x)
    buffers = {name: b.numpy().copy() for name, b in model.named_buffers()}
    assert tinytorch.gradcheck(model.double(), x)
    assert all(p.grad is None for p in model.parameters())
    for name, b in model.named_buffers():  # batch norm's running statistics are put back
        np.testing.assert_array_equal(b.numpy(), buffers[name], err_msg=name)


class _WronglyScaled(nn.Module):
    """x * 2w with a wrong backward for w (see `_Double`)."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(np.array([0.5, -1.0, 2.0]))

    def forward(self, x):
        return x * apply(_Double, self.w)


def test_gradcheck_of_a_model_catches_a_wrong_parameter_gradient_and_names_it():
    model = nn.Sequential(nn.Linear(3, 3), _WronglyScaled()).double()
    with pytest.raises(AssertionError, match=r"parameter '1.w' \(shape \(3,\)\)"):
        tinytorch.gradcheck(model, tinytorch.randn(2, 3))


def test_gradcheck_of_a_function_that_casts_to_float32_says_so():
    layer = nn.Linear(3, 2)
    with pytest.raises(TypeError, match="returned float32 from float64 inputs"):
        tinytorch.gradcheck(lambda x: layer(x), tinytorch.randn(2, 3))
    assert tinytorch.gradcheck(lambda x: layer.double()(x), tinytorch.randn(2, 3))


# ----- end to end -------------------------------------------------------------------------

@pytest.mark.parametrize("activation", [nn.Tanh, nn.ReLU])
def test_a_small_mlp_learns_xor(activation):
    x = tinytorch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = tinytorch.tensor([0, 1, 1, 0])
    model = nn.Sequential(nn.Linear(2, 16), activation(), nn.Linear(16, 2))
    optimizer = tinytorch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(200):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    assert (model(x).argmax(axis=1).numpy() == y.numpy()).all()
    assert loss.item() < 0.05
