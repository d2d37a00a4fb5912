import numpy as np
import pytest

import tinytorch
from tinytorch.core.layers import Linear, Module, Parameter, Sequential
from tinytorch.core.tensor import Tensor


class Block(Module):
    def __init__(self):
        super().__init__()
        self.fc = Linear(3, 4)
        self.scale = Parameter(np.ones(4, dtype=np.float32))
        self.register_buffer("running", Tensor(np.zeros(4, dtype=np.float32)))

    def forward(self, x):
        return self.fc(x) * self.scale


def test_parameters_are_registered_by_path():
    model = Sequential(Block(), Linear(4, 2))
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.scale", "0.fc.weight", "0.fc.bias", "1.weight", "1.bias"]
    assert model.num_parameters() == 4 + 12 + 4 + 8 + 2


def test_shared_parameter_is_listed_once():
    layer = Linear(2, 2)
    model = Sequential(layer, layer)
    assert len(list(model.parameters())) == 2


def test_reassigning_an_attribute_unregisters_it():
    block = Block()
    block.scale = None
    assert "scale" not in dict(block.named_parameters())


def test_setting_attributes_before_super_init_is_explained():
    class Broken(Module):
        def __init__(self):
            self.fc = Linear(1, 1)

    with pytest.raises(AttributeError, match="super\\(\\).__init__"):
        Broken()


def test_train_and_eval_reach_every_child():
    model = Sequential(Block(), Sequential(Linear(1, 1)))
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_zero_grad_clears_gradients():
    model = Linear(3, 2)
    model(tinytorch.randn(5, 3)).sum().backward()
    assert model.weight.grad is not None
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_zero_grad_set_to_none_false_keeps_zero_gradients_in_new_arrays():
    """PyTorch's `zero_grad(set_to_none=False)`: zeros of the right shape; the old gradient
    array (which may be shared) is not written into."""
    model = Linear(3, 2)
    model(tinytorch.randn(5, 3)).sum().backward()
    old = model.weight.grad.numpy()
    old_values = old.copy()
    model.zero_grad(set_to_none=False)
    assert all(p.grad.shape == p.shape and not p.grad.numpy().any() for p in model.parameters())
    np.testing.assert_array_equal(old, old_values)


def test_state_dict_round_trip_includes_buffers_and_copies():
    a, b = Block(), Block()
    a.running.data[:] = 7
    state = a.state_dict()
    assert set(state) == {"scale", "fc.weight", "fc.bias", "running"}
    b.load_state_dict(state)
    for (name, p), (_, q) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)
    np.testing.assert_array_equal(b.running.data, 7)
    state["fc.weight"][:] = 0  # a copy: changing it does not change the model
    assert np.abs(a.fc.weight.data).sum() > 0


def test_load_state_dict_names_parameter_and_both_shapes():
    with pytest.raises(ValueError, match=r"'weight'.*\(4, 3\).*\(2, 3\)"):
        Linear(3, 2).load_state_dict(Linear(3, 4).state_dict())


def test_load_state_dict_strict_lists_missing_and_unexpected():
    with pytest.raises(KeyError, match="missing \\['bias'\\]"):
        Linear(3, 2).load_state_dict({"weight": np.zeros((2, 3))})


def test_repr_is_a_tree():
    text = repr(Sequential(Linear(2, 3), Sequential(Linear(3, 1))))
    assert "(0): Linear(in_features=2, out_features=3, bias=True)" in text
    assert "(1): Sequential(\n    (0): Linear(in_features=3, out_features=1, bias=True)" in text


@pytest.mark.parametrize(("name", "value", "message"), [
    ("scale", Tensor(np.ones(4, np.float32)), "cannot assign 'Tensor' as parameter 'scale' "
                                              r"\(Parameter or None expected\)"),
    ("fc", Linear(3, 4).weight, None),  # a Parameter may replace a child: it is registered
    ("fc", 3, "cannot assign 'int' as child module 'fc'"),
    ("running", np.zeros(4), "cannot assign 'ndarray' as buffer 'running'"),
])
def test_assigning_the_wrong_kind_to_a_registered_name_is_refused(name, value, message):
    block = Block()
    if message is None:
        setattr(block, name, value)
        assert dict(block.named_parameters())[name] is value
        return
    with pytest.raises(TypeError, match=message):
        setattr(block, name, value)
    assert name in {**block._parameters, **block._modules, **block._buffers}


def test_a_new_tensor_for_a_buffer_stays_a_buffer():
    block = Block()
    block.running = Tensor(np.full(4, 2.0, np.float32))
    np.testing.assert_array_equal(block.state_dict()["running"], 2.0)


def _snapshot(model):
    return {name: value.tobytes() for name, value in model.state_dict().items()}


@pytest.mark.parametrize(("change", "error"), [
    (lambda s: s.__setitem__("1.weight", np.zeros((3, 4))), ValueError),  # the last one is wrong
    (lambda s: s.__setitem__("1.bias", np.array(["a", "b"])), TypeError),
    (lambda s: s.pop("1.bias"), KeyError),
])
def test_a_failed_load_state_dict_leaves_every_value_byte_identical(change, error):
    source, target = Sequential(Block(), Linear(4, 2)), Sequential(Block(), Linear(4, 2))
    state = source.state_dict()
    change(state)
    before = _snapshot(target)
    with pytest.raises(error):
        target.load_state_dict(state)
    assert _snapshot(target) == before


def test_double_and_float_convert_parameters_buffers_and_grads_in_place():
    from tinytorch.core.optimizers import SGD

    block = Block()
    block.register_buffer("steps", Tensor(np.zeros(1, np.int64)))
    params = list(block.parameters())
    optimizer = SGD(params, lr=0.1)
    block(tinytorch.randn(2, 3)).sum().backward()
    assert block.double() is block
    assert list(block.parameters()) == params  # the same objects: the optimizer still has them
    assert all(p.dtype == tinytorch.float64 and p.grad.dtype == tinytorch.float64 for p in params)
    assert block.running.dtype == tinytorch.float64 and block.steps.dtype == tinytorch.int64
    before = block.fc.weight.numpy().copy()
    optimizer.step()
    assert not np.array_equal(block.fc.weight.numpy(), before)
    assert block(tinytorch.randn(2, 3)).dtype == tinytorch.float64
    assert block.float().fc.weight.dtype == tinytorch.float32 and block.running.dtype == tinytorch.float32
    assert block.to("float64").scale.dtype == tinytorch.float64
    with pytest.raises(TypeError, match="not a float dtype"):
        block.to(tinytorch.int64)


def test_to_a_device_accepts_the_cpu_and_names_any_other():
    """`model.to(device)` is in most PyTorch code; tinytorch runs on the CPU only."""
    block = Block()
    weight = block.fc.weight.numpy()
    assert block.to("cpu") is block and block.fc.weight.numpy() is weight
    assert block.to("cpu", dtype=tinytorch.float64).fc.weight.dtype == tinytorch.float64
    with pytest.raises(RuntimeError, match="CPU .* only; device 'cuda'"):
        block.to("cuda")
