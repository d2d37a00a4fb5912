"""Normalisation ops (tinytorch/core/ops/norm.py): BatchNorm and LayerNorm, fused."""

import numpy as np
import pytest

import tinytorch
from tinytorch import gradcheck
from tinytorch.core.spatial import batch_norm
from tinytorch.core.transformer import layer_norm


def randn(*shape):
    return tinytorch.randn(*shape, dtype=tinytorch.float64)


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (3, 3, 2, 4)], ids=str)
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradients(shape, training):
    running_mean = tinytorch.tensor(np.linspace(-1, 1, 3))
    running_var = tinytorch.tensor(np.linspace(0.5, 2, 3))
    x, weight, bias = randn(*shape) * 2 + 1, randn(3), randn(3)
    assert gradcheck(lambda x, w, b: batch_norm(x, running_mean, running_var, w, b, training),
                     x, weight, bias)
    assert gradcheck(lambda x: batch_norm(x, running_mean, running_var, training=training), x)


@pytest.mark.parametrize("normalized_shape", [5, (3, 5)], ids=str)
def test_layer_norm_gradients(normalized_shape):
    x = randn(2, 3, 5) * 3 + 2
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
    weight, bias = randn(*shape), randn(*shape)
    assert gradcheck(lambda x, w, b: layer_norm(x, normalized_shape, w, b), x, weight, bias)
    assert gradcheck(lambda x: layer_norm(x, normalized_shape), x)
