"""Functional forms of the layers, activations and losses: `import tinytorch.nn.functional as F`."""

import numpy as np

from tinytorch.core import attention
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
from tinytorch.core.embeddings import embedding
from tinytorch.core.layers import dropout, linear
from tinytorch.core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    mse_loss,
    nll_loss,
)
from tinytorch.core.spatial import (
    adaptive_avg_pool2d,
    avg_pool2d,
    batch_norm,
    conv2d,
    dropout2d,
    max_pool2d,
)
from tinytorch.core.tensor import Tensor, flatten
from tinytorch.core.transformer import layer_norm


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask=None,
                                 dropout_p: float = 0.0, is_causal: bool = False,
                                 scale: float | None = None) -> Tensor:
    """PyTorch's signature and result, the attended values (..., L, Ev) only.

    A boolean `attn_mask` is True where a query may attend; a float one is added to the scores;
    `is_causal` hides later keys (and may be combined with a mask, where PyTorch refuses).
    The course's `tinytorch.core.attention.scaled_dot_product_attention` is the same computation
    and also returns the attention weights, which its apps plot.
    """
    output, _ = attention.scaled_dot_product_attention(query, key, value, attn_mask, is_causal,
                                                       dropout_p, scale=scale)
    return output

def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (...,) as int64 rows (..., num_classes) with a 1 at each index.

    `num_classes=-1` takes the largest index + 1, as PyTorch. A negative index or one beyond
    `num_classes` is an error: NumPy's fancy indexing would wrap -1 around to the last class.
    """
    labels = tensor.data if isinstance(tensor, Tensor) else np.asarray(tensor)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"one_hot is only applicable to integer (index) tensors, got {labels.dtype}")
    if labels.size and labels.min() < 0:
        raise ValueError(f"one_hot: class values must be non-negative, got {labels.min()}")
    if num_classes == -1:
        if not labels.size:
            raise ValueError("one_hot: cannot infer the number of classes from an empty tensor")
        num_classes = int(labels.max()) + 1
    elif labels.size and labels.max() >= num_classes:
        raise ValueError(f"one_hot: class values must be smaller than num_classes ({num_classes}), "
                         f"got {labels.max()}")
    return Tensor((labels[..., None] == np.arange(num_classes)).astype(np.int64))


__all__ = [
    "adaptive_avg_pool2d", "avg_pool2d", "batch_norm", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "conv2d", "cross_entropy", "dropout", "dropout2d", "embedding",
    "flatten", "gelu", "layer_norm", "leaky_relu", "linear", "log_softmax", "max_pool2d", "mse_loss",
    "nll_loss", "one_hot", "relu", "scaled_dot_product_attention", "sigmoid", "silu", "softmax", "tanh",
]
