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
