"""Module 16, Compression: fewer weights, found by pruning, distillation and factorisation.

Pruning removes weights that matter least. *Magnitude* pruning zeroes the smallest |w|,
either the same fraction in every layer or one threshold for the whole network (*global*,
which lets big layers lose more than small ones). The zeros only save anything when stored
sparsely (`tinytorch.perf.sparse`), and the network loses accuracy until it is fine-tuned
with the mask held in place: a pruned layer multiplies its weight by its mask in every
forward pass, so a pruned weight gets no gradient and stays pruned whatever the optimizer.

*Structured* pruning removes whole neurons or channels (those whose incoming weights are
smallest) together with the next layer's weights that read them: the result is a smaller
dense network, faster with ordinary dense kernels, no sparse format needed.

Knowledge distillation (`tinytorch.perf.distillation`) trains a small network to match a big
one's softened predictions; low-rank factorisation (`tinytorch.perf.low_rank`) replaces a
weight matrix by a product of two thin ones. Both are re-exported here, the course's
import path for module 16.
"""

from __future__ import annotations

import numpy as np

from tinytorch.core import spatial
from tinytorch.core.activations import GELU, LeakyReLU, ReLU, Sigmoid, SiLU, Tanh
from tinytorch.core.layers import Dropout, Flatten, Identity, Linear, Sequential, linear
from tinytorch.core.module import Module, Parameter
from tinytorch.core.tensor import Tensor
from tinytorch.perf.distillation import distillation_loss
from tinytorch.perf.low_rank import factorize_linear, low_rank_linear
from tinytorch.perf.sparse import CSRMatrix
from tinytorch.perf.surgery import replace_layers

PRUNABLE = (Linear, spatial.Conv2d)


def _check_sparsity(sparsity: float) -> None:
    if not 0 <= sparsity < 1:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity}")


def _pruned_class(layer: Module) -> type:
    return PrunedConv2d if isinstance(layer, spatial.Conv2d) else PrunedLinear


class _Pruned:
    """A Linear or Conv2d whose forward uses weight * weight_mask (a float 0/1 buffer)."""

    @classmethod
    def from_layer(cls, layer: Module, mask: np.ndarray) -> Module:
        """The same layer (same weight and bias objects, same settings) with a mask."""
        pruned = object.__new__(cls)
        pruned.__dict__.update(layer.__dict__)
        for registry in ("_parameters", "_modules", "_buffers"):
            pruned.__dict__[registry] = dict(layer.__dict__[registry])
        pruned.weight.data *= mask  # pruned weights are 0 from the start, not just masked
        pruned.register_buffer("weight_mask", Tensor(mask.astype(pruned.weight.dtype)))
        return pruned

    def masked_weight(self) -> Tensor:
        return self.weight * self.weight_mask


class PrunedLinear(_Pruned, Linear):
    def forward(self, x: Tensor) -> Tensor:
        return linear(x, self.masked_weight(), self.bias)


class PrunedConv2d(_Pruned, spatial.Conv2d):
    def forward(self, x: Tensor) -> Tensor:
        return spatial.conv2d(x, self.masked_weight(), self.bias, self.stride, self.padding,
                              self.dilation, self.groups)


def _effective_weight(layer: Module) -> np.ndarray:
    mask = getattr(layer, "weight_mask", None)
    return layer.weight.data if mask is None else layer.weight.data * mask.data


def _smallest(magnitudes: np.ndarray, count: int) -> np.ndarray:
    """Boolean mask of exactly `count` smallest entries (ties broken by position)."""
    chosen = np.zeros(magnitudes.size, bool)
    if count:
        chosen[np.argpartition(magnitudes.reshape(-1), count - 1)[:count]] = True
    return chosen.reshape(magnitudes.shape)


def magnitude_prune(model: Module, sparsity: float, scope: str = "layer") -> Module:
    """A copy of `model` whose Linear and Conv2d weights have `sparsity` of their entries
    zeroed, smallest |w| first, and held at zero through fine-tuning.

    scope="layer": that fraction of every layer; scope="global": that fraction of all the
    weights together, one threshold for the whole network. Biases are kept (there are few).
    Pruning an already pruned model keeps its zeros and prunes further.
    """
    _check_sparsity(sparsity)
    if scope not in ("layer", "global"):
        raise ValueError(f"scope must be 'layer' or 'global', got {scope!r}")
    layers = {name: m for name, m in model.named_modules() if isinstance(m, PRUNABLE)}
    if not layers:
        raise ValueError("magnitude_prune: the model has no Linear or Conv2d layer")
    magnitudes = {name: np.abs(_effective_weight(m)) for name, m in layers.items()}
    if scope == "layer":
        masks = {name: ~_smallest(a, round(sparsity * a.size)) for name, a in magnitudes.items()}
    else:
        flat = np.concatenate([a.reshape(-1) for a in magnitudes.values()])
        keep = ~_smallest(flat, round(sparsity * flat.size))
        ends = np.cumsum([a.size for a in magnitudes.values()])
        masks = {name: part.reshape(a.shape) for (name, a), part in
                 zip(magnitudes.items(), np.split(keep, ends[:-1]), strict=True)}
    return replace_layers(model, lambda name, layer: _pruned_class(layer).from_layer(
        layer, masks[name]) if name in masks else None)


def strip_pruning(model: Module) -> Module:
    """A copy with every pruned layer turned back into a plain Linear/Conv2d whose weight has
    the zeros baked in (before quantizing, saving or measuring sparsity)."""

    def plain(name, layer):
        if not isinstance(layer, _Pruned):
            return None
        base = spatial.Conv2d if isinstance(layer, spatial.Conv2d) else Linear
        stripped = object.__new__(base)
        stripped.__dict__.update(layer.__dict__)
        stripped.__dict__["_buffers"] = {k: v for k, v in layer._buffers.items()
                                         if k != "weight_mask"}
        del stripped.__dict__["weight_mask"]
        stripped.weight = Parameter(_effective_weight(layer))
        return stripped

    return replace_layers(model, plain)


def sparsity(model: Module) -> float:
    """Fraction of the Linear and Conv2d weights that are zero (masks applied)."""
    weights = [_effective_weight(m) for m in model.modules() if isinstance(m, PRUNABLE)]
    total = sum(w.size for w in weights)
    return sum(w.size - np.count_nonzero(w) for w in weights) / max(total, 1)


# ----- structured pruning -----------------------------------------------------------------

# Layers that act on each neuron/channel separately: a removed unit simply is not there.
PER_UNIT = (ReLU, LeakyReLU, GELU, Sigmoid, SiLU, Tanh, Dropout, Identity, Flatten,
            spatial.MaxPool2d, spatial.AvgPool2d, spatial.Dropout2d)


def _unit_norms(layer: Module) -> np.ndarray:
    """L2 norm of each output unit's incoming weights (rows of W, filters of a conv)."""
    weight = _effective_weight(layer)
    return np.sqrt((weight.reshape(weight.shape[0], -1) ** 2).sum(axis=1))


def prune_structured(model: Sequential, amount: float) -> Sequential:
    """A copy of a Sequential model with `amount` of the neurons (Linear) or channels
    (Conv2d) of every hidden layer removed, smallest incoming-weight norm first, together
    with the next layer's inputs that read them: smaller dense layers, same outputs for the
    units kept. The last Linear/Conv2d (the model's outputs) is never pruned.
    BatchNorm layers in between are cut to the same channels.
    """
    _check_sparsity(amount)
    if not isinstance(model, Sequential):
        raise TypeError(f"prune_structured works on a Sequential model, got "
                        f"{type(model).__name__}")
    model = strip_pruning(model)
    layers = list(model)
    prunable = [i for i, m in enumerate(layers) if isinstance(m, PRUNABLE)]
    for i, m in enumerate(layers):
        if not isinstance(m, (*PRUNABLE, *PER_UNIT, spatial._BatchNorm)):
            raise TypeError(f"prune_structured: layer {i} ({type(m).__name__}) is neither "
                            f"prunable nor per-unit; cannot tell which of its inputs to keep")
    for i, m in enumerate(layers):
        if isinstance(m, PRUNABLE) and getattr(m, "groups", 1) != 1:
            raise ValueError(f"prune_structured: layer {i} is a grouped convolution")
    for first, second in zip(prunable, prunable[1:], strict=False):
        layer = layers[first]
        units = layer.weight.shape[0]
        kept = max(1, units - round(amount * units))
        keep = np.sort(np.argsort(-_unit_norms(layer), kind="stable")[:kept])
        _keep_outputs(layer, keep)
        for between in layers[first + 1:second]:
            if isinstance(between, spatial._BatchNorm):
                _keep_batchnorm(between, keep)
        _keep_inputs(layers[second], keep, units)
    return model


def _keep_outputs(layer: Module, keep: np.ndarray) -> None:
    layer.weight = Parameter(layer.weight.data[keep])
    if layer.bias is not None:
        layer.bias = Parameter(layer.bias.data[keep])
    if isinstance(layer, spatial.Conv2d):
        layer.out_channels = len(keep)
    else:
        layer.out_features = len(keep)


def _keep_batchnorm(norm: Module, keep: np.ndarray) -> None:
    for name in ("weight", "bias"):
        if getattr(norm, name) is not None:
            setattr(norm, name, Parameter(getattr(norm, name).data[keep]))
    for name in ("running_mean", "running_var"):
        norm.register_buffer(name, Tensor(getattr(norm, name).data[keep]))
    norm.num_features = len(keep)


def _keep_inputs(layer: Module, keep: np.ndarray, units: int) -> None:
    """Keep the inputs of `layer` that read the kept units. A Linear after a Flatten reads
    each channel as a block of height x width inputs."""
    weight = layer.weight.data
    if isinstance(layer, spatial.Conv2d):
        layer.weight = Parameter(weight[:, keep])
        layer.in_channels = len(keep)
        return
    if weight.shape[1] % units:
        raise ValueError(f"prune_structured: a Linear with {weight.shape[1]} inputs cannot read "
                         f"{units} channels of equal size")
    block = weight.shape[1] // units
    columns = (keep[:, None] * block + np.arange(block)).reshape(-1)
    layer.weight = Parameter(weight[:, columns])
    layer.in_features = len(columns)


__all__ = ["CSRMatrix", "PrunedConv2d", "PrunedLinear", "distillation_loss", "factorize_linear",
           "low_rank_linear", "magnitude_prune", "prune_structured", "sparsity", "strip_pruning"]
