"""Functional forms of the layers, activations and losses: `import tinytorch.nn.functional as F`."""

from tinytorch.core.activations import (
    gelu,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    silu,
    softmax,
    tanh,
)
from tinytorch.core.layers import dropout, linear
from tinytorch.core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    mse_loss,
    nll_loss,
)

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "dropout",
    "gelu", "leaky_relu", "linear", "log_softmax", "mse_loss", "nll_loss", "relu", "sigmoid",
    "silu", "softmax", "tanh",
]
