import math

import numpy as np
import pytest

import tinytorch
from tinytorch.core.layers import Dropout, Flatten, Identity, Linear, Sequential, dropout


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


@pytest.mark.parametrize("p", [-0.1, 1.0])
def test_dropout_rejects_bad_probability(p):
    with pytest.raises(ValueError, match="dropout probability"):
        Dropout(p)


def test_flatten_identity_and_sequential_indexing():
    model = Sequential(Flatten(), Identity(), Linear(12, 2))
    assert model(tinytorch.randn(5, 3, 4)).shape == (5, 2)
    assert isinstance(model[2], Linear) and len(model) == 3
    assert Flatten(0)(tinytorch.randn(2, 3)).shape == (6,)


def test_gradient_flows_through_sequential():
    model = Sequential(Linear(3, 4), Linear(4, 1))
    model(tinytorch.randn(2, 3)).sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())
