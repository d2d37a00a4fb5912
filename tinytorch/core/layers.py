"""Module 03, Layers: Linear, Sequential, ModuleList, Dropout, Flatten, Identity.

`Module` and `Parameter` live in `tinytorch.core.module` and are re-exported here, because the
course introduces them together with the first layer.
"""

import math
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from tinytorch.core import ops
from tinytorch.core.arguments import check_counts
from tinytorch.core.module import Module, Parameter
from tinytorch.core.random import default_generator
from tinytorch.core.tensor import Tensor, apply


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias, as one graph node (see `ops.LinearFunction`)."""
    if x.shape[-1] != weight.shape[1]:
        raise ValueError(f"linear: input has {x.shape[-1]} features (shape {x.shape}) but the "
                         f"weight expects {weight.shape[1]} (weight shape {weight.shape})")
    x = x.to(weight.dtype)
    inputs = (x, weight) if bias is None else (x, weight, bias)
    return apply(ops.LinearFunction, *inputs)


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


class _LayerList(Module):
    """What Sequential and ModuleList share: children kept in order, named '0', '1', ... (or by
    the caller), checked as they are added, and reached by position, slice and iteration."""

    def _add(self, name: str, layer) -> None:
        """Register `layer` as child `name`, refusing what would build another model than the
        one written down: a non-Module, or a name that is a path separator or an attribute
        (a child called 'forward' would replace the method)."""
        owner = type(self).__name__
        if not isinstance(layer, Module):
            hint = " (did you pass the class instead of an instance?)" if isinstance(layer, type) else ""
            raise TypeError(f"{owner}: layer {name} is not a Module but a {type(layer).__name__} "
                            f"({layer!r:.60}){hint}")
        if not name or "." in name:
            raise KeyError(f"{owner}: layer name {name!r} must be non-empty and without '.', "
                           "which separates the parts of a parameter's path")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"{owner}: layer name {name!r} is already an attribute of {owner}")
        setattr(self, name, layer)

    def append(self, layer: Module):
        """Add `layer` at the end, named by its position."""
        self._add(str(len(self)), layer)
        return self

    def __getitem__(self, i: int | slice) -> Module:
        """One layer by position, or a slice of them as a new container of the same kind that
        shares the layers (so `model[:-1]` is the network without its classifier)."""
        if isinstance(i, slice):
            return self._of(list(self._modules.items())[i])
        return list(self._modules.values())[i]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())


class Sequential(_LayerList):
    """Apply layers in order.

    The layers may be given as arguments, `Sequential(a, b)`, as one list, `Sequential([a, b])`
    (the form the course text uses), or as a mapping of names to layers,
    `Sequential(OrderedDict(conv=a, act=b))`, whose keys become the children's names; otherwise
    the children are named '0', '1', ... as in PyTorch. Anything that is not a Module is a
    TypeError naming its position: silently skipping it would build a shorter model than the one
    written down, and that trains without complaint.
    """

    def __init__(self, *layers):
        super().__init__()
        if len(layers) == 1 and isinstance(layers[0], Mapping):
            named = [(str(name), layer) for name, layer in layers[0].items()]
        else:
            if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
                layers = layers[0]
            named = [(str(i), layer) for i, layer in enumerate(layers)]
        for name, layer in named:
            self._add(name, layer)

    @staticmethod
    def _of(named_layers: list) -> "Sequential":
        return Sequential(OrderedDict(named_layers))  # a slice keeps the layers' names

    def forward(self, x):
        for layer in self._modules.values():
            x = layer(x)
        return x


class ModuleList(_LayerList):
    """Layers held in a list, as `torch.nn.ModuleList`: registered as children, so that
    `parameters()`, `state_dict()`, `train()` and `to()` reach them. A plain Python list of
    layers would hide them: the optimizer would never update them, silently. It has no
    forward: the owner decides how to call its layers (e.g. a loop over transformer blocks)."""

    def __init__(self, modules=()):
        super().__init__()
        self.extend(modules)

    def extend(self, modules) -> "ModuleList":
        for layer in modules:
            self.append(layer)
        return self

    @staticmethod
    def _of(named_layers: list) -> "ModuleList":
        return ModuleList(layer for _, layer in named_layers)  # renumbered from 0, as PyTorch


def check_dropout_probability(p) -> None:
    """p must be a number in [0, 1], as in PyTorch: p = 1 drops everything (a valid, if
    extreme, ablation), while p > 1 or < 0 has no meaning as a probability."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) or not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p!r}")


def drop(x: Tensor, p: float, training: bool, mask_shape: tuple) -> Tensor:
    """Zero entries of a random keep-mask of `mask_shape` (broadcast over x) with probability p
    and scale the kept ones by 1/(1-p), the "inverted" dropout shared by `dropout` and
    `dropout2d`. p = 1 multiplies by 0 (there is nothing to rescale, and 1/(1-p) would divide
    by zero), as PyTorch does, so the output is zeros and so is the gradient."""
    check_dropout_probability(p)
    if not training or p == 0:
        return x
    if p == 1:
        return x * 0
    keep = default_generator().random(mask_shape, dtype=np.float32) >= p
    return x * Tensor(keep.astype(x.dtype) / (1 - p))


def dropout(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) ("inverted" dropout),
    so the expected value is unchanged and evaluation needs no rescaling."""
    return drop(x, p, training, x.shape)


class Dropout(Module):
    def __init__(self, p: float = 0.5):
        super().__init__()
        check_dropout_probability(p)
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


# The MLSysBook textbook's name for the base class of layers; PyTorch's is Module. Same class.
Layer = Module


__all__ = ["Dropout", "Flatten", "Identity", "Layer", "Linear", "Module", "ModuleList", "Parameter",
           "Sequential", "check_dropout_probability", "drop", "dropout", "linear"]
