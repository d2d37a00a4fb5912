"""Module 03, Layers: Linear, Sequential, Dropout, Flatten, Identity.

`Module` and `Parameter` live in `tinytorch.core.module` and are re-exported here, because the
course introduces them together with the first layer.
"""

import math

import numpy as np

from tinytorch.core import ops
from tinytorch.core.arguments import check_counts
from tinytorch.core.module import Module, Parameter
from tinytorch.core.random import default_generator
from tinytorch.core.tensor import Tensor, apply


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias, as one graph node (see `ops.Linear`)."""
    if x.shape[-1] != weight.shape[1]:
        raise ValueError(f"linear: input has {x.shape[-1]} features (shape {x.shape}) but the "
                         f"weight expects {weight.shape[1]} (weight shape {weight.shape})")
    x = x.to(weight.dtype)
    return apply(ops.Linear, x, weight) if bias is None else apply(ops.Linear, x, weight, bias)


class Linear(Module):
    """y = x W^T + b.

    Weight layout: (out_features, in_features), as in PyTorch, so row i holds the weights of
    output i. Initialisation: W and b uniform in +-1/sqrt(in_features) (PyTorch's default,
    kaiming_uniform with a=sqrt(5)), which keeps the first forward pass's outputs at a sensible
    scale whatever the layer width.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True):
        super().__init__()
        check_counts("Linear", in_features=in_features, out_features=out_features)
        self.in_features, self.out_features = in_features, out_features
        bound = 1 / math.sqrt(in_features)
        rng = default_generator()
        self.weight = Parameter(rng.uniform(-bound, bound, (out_features, in_features))
                                .astype(np.float32))
        self.bias = (Parameter(rng.uniform(-bound, bound, out_features).astype(np.float32))
                     if bias else None)

    def forward(self, x: Tensor) -> Tensor:
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, " \
               f"bias={self.bias is not None}"


class Sequential(Module):
    """Apply layers in order. Children are named '0', '1', ... as in PyTorch."""

    def __init__(self, *layers: Module):
        super().__init__()
        for i, layer in enumerate(layers):
            setattr(self, str(i), layer)

    def forward(self, x):
        for layer in self._modules.values():
            x = layer(x)
        return x

    def __getitem__(self, i: int) -> Module:
        return list(self._modules.values())[i]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())


def dropout(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) ("inverted" dropout),
    so the expected value is unchanged and evaluation needs no rescaling."""
    if not 0 <= p < 1:
        raise ValueError(f"dropout probability must be in [0, 1), got {p}")
    if not training or p == 0:
        return x
    keep = default_generator().random(x.shape, dtype=np.float32) >= p
    return x * Tensor(keep.astype(x.dtype) / (1 - p))


class Dropout(Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        return dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Flatten(Module):
    """Flatten all dims from `start_dim` on: (N, C, H, W) -> (N, C*H*W) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Tensor) -> Tensor:
        return x.flatten(self.start_dim, self.end_dim)


class Identity(Module):
    def forward(self, x):
        return x


__all__ = ["Dropout", "Flatten", "Identity", "Linear", "Module", "Parameter", "Sequential",
           "dropout", "linear"]
