import math
from collections import OrderedDict

import numpy as np
import pytest

import tinytorch
from tinytorch.core.activations import ReLU
from tinytorch.core.layers import Dropout, Flatten, Identity, Linear, ModuleList, Sequential, dropout


def test_linear_weight_layout_and_output():
    layer = Linear(3, 2)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)
    x = tinytorch.randn(4, 3)
    expected = x.numpy() @ layer.weight.numpy().T + layer.bias.numpy()
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6)


def test_linear_init_is_bounded_by_one_over_sqrt_fan_in():
    layer = Linear(400, 50)
    bound = 1 / math.sqrt(400)
    assert np.abs(layer.weight.numpy()).max() <= bound
    assert np.abs(layer.weight.numpy()).max() > 0.9 * bound


def test_linear_without_bias_and_with_leading_dims():
    layer = Linear(3, 5, bias=False)
    assert layer.bias is None and len(list(layer.parameters())) == 1
    assert layer(tinytorch.randn(2, 7, 3)).shape == (2, 7, 5)


def test_linear_wrong_feature_count_names_both():
    with pytest.raises(ValueError, match=r"4 features.*expects 3"):
        Linear(3, 2)(tinytorch.randn(5, 4))


def test_manual_seed_makes_initialisation_repeatable():
    tinytorch.manual_seed(42)
    a = Linear(5, 5).weight.numpy().copy()
    tinytorch.manual_seed(42)
    np.testing.assert_array_equal(a, Linear(5, 5).weight.numpy())


def test_dropout_is_inverted_and_off_in_eval():
    x = tinytorch.ones(200, 500)
    layer = Dropout(0.3)
    out = layer(x).numpy()
    assert set(np.unique(out)) == {0.0, np.float32(1 / 0.7)}
    assert abs((out == 0).mean() - 0.3) < 0.01
    assert abs(out.mean() - 1) < 0.01  # expectation preserved
    layer.eval()
    assert layer(x) is x


def test_dropout_mask_repeats_with_the_seed():
    tinytorch.manual_seed(3)
    a = dropout(tinytorch.ones(10, 10), 0.5).numpy()
    tinytorch.manual_seed(3)
    np.testing.assert_array_equal(a, dropout(tinytorch.ones(10, 10), 0.5).numpy())


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan"), "0.5", True])
def test_dropout_rejects_bad_probability(p):
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        Dropout(p)
    with pytest.raises(ValueError, match="dropout probability"):
        dropout(tinytorch.ones(2), p)


@pytest.mark.parametrize("p", [1, 1.0])
def test_dropout_of_one_drops_everything_without_dividing_by_zero(p):
    """As PyTorch: p = 1 is allowed; the output (and the gradient) is zeros, with no nan or
    inf from the 1/(1-p) rescaling; evaluation still passes the input through."""
    x = tinytorch.randn(4, 5, requires_grad=True)
    layer = Dropout(p)
    with np.errstate(all="raise"):
        out = layer(x)
    assert out.tolist() == np.zeros((4, 5)).tolist()
    out.sum().backward()
    assert x.grad.tolist() == np.zeros((4, 5)).tolist()
    assert layer.eval()(x) is x


def test_flatten_identity_and_sequential_indexing():
    model = Sequential(Flatten(), Identity(), Linear(12, 2))
    assert model(tinytorch.randn(5, 3, 4)).shape == (5, 2)
    assert isinstance(model[2], Linear) and len(model) == 3
    assert Flatten(0)(tinytorch.randn(2, 3)).shape == (6,)


def test_gradient_flows_through_sequential():
    model = Sequential(Linear(3, 4), Linear(4, 1))
    model(tinytorch.randn(2, 3)).sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())


def test_sequential_takes_arguments_a_list_or_an_ordered_mapping():
    layers = [Linear(3, 4), ReLU(), Linear(4, 2)]
    x = tinytorch.randn(5, 3)
    expected = layers[2](layers[1](layers[0](x))).numpy()
    for model in (Sequential(*layers), Sequential(layers), Sequential(tuple(layers))):
        assert list(model) == layers and [n for n, _ in model.named_children()] == ["0", "1", "2"]
        np.testing.assert_array_equal(model(x).numpy(), expected)
    named = Sequential(OrderedDict(hidden=layers[0], act=layers[1], out=layers[2]))
    assert [n for n, _ in named.named_children()] == ["hidden", "act", "out"]
    assert named.hidden is layers[0] and list(named.state_dict()) == [
        "hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    np.testing.assert_array_equal(named(x).numpy(), expected)


@pytest.mark.parametrize("build, position", [
    (lambda: Sequential([Linear(2, 2), "relu"]), "layer 1 is not a Module but a str"),
    (lambda: Sequential(Linear(2, 2), Linear(2, 2), ReLU), "layer 2 .*class instead of an instance"),
    (lambda: Sequential(OrderedDict(fc=Linear(2, 2), act=None)), "layer act is not a Module but a NoneType"),
    (lambda: Sequential([[Linear(2, 2)]]), "layer 0 is not a Module but a list"),
    (lambda: Sequential(Linear(2, 2)).append(3), "layer 1 is not a Module but a int"),
])
def test_sequential_names_the_position_of_a_non_module(build, position):
    with pytest.raises(TypeError, match=position):
        build()


@pytest.mark.parametrize("name, message", [
    ("forward", "'forward' is already an attribute"),
    ("training", "'training' is already an attribute"),
    ("fc.1", "without '.'"),
    ("", "non-empty"),
])
def test_sequential_refuses_names_that_would_change_the_model(name, message):
    with pytest.raises(KeyError, match=message):
        Sequential(OrderedDict([(name, Linear(2, 2))]))


def test_sequential_append_and_slices_share_layers():
    model = Sequential(Linear(3, 4)).append(ReLU()).append(Linear(4, 2))
    head = model[:-1]
    assert isinstance(head, Sequential) and len(head) == 2 and head[0] is model[0]
    assert head(tinytorch.randn(1, 3)).shape == (1, 4)


def test_module_list_registers_its_layers_so_the_optimizer_sees_them():
    """A plain list attribute would hide the layers' parameters: they would never train."""

    class Tower(tinytorch.nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = ModuleList([Linear(3, 3) for _ in range(2)])
            self.blocks.append(Linear(3, 1))

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return x

    tower = Tower()
    assert len(list(tower.parameters())) == 6 and len(tower.blocks) == 3
    assert list(tower.state_dict())[:2] == ["blocks.0.weight", "blocks.0.bias"]
    assert tower(tinytorch.randn(4, 3)).shape == (4, 1)
    assert isinstance(tower.blocks[1:], ModuleList) and [*tower.blocks[1:]] == [*tower.blocks][1:]
    assert [name for name, _ in tower.blocks[1:].named_children()] == ["0", "1"]  # renumbered
    assert tower.blocks[-1].out_features == 1 and tinytorch.nn.ModuleList is ModuleList
    with pytest.raises(TypeError, match="ModuleList: layer 3 is not a Module"):
        tower.blocks.extend([lambda x: x])
    with pytest.raises(NotImplementedError):
        tower.blocks(tinytorch.randn(4, 3))
