"""Low-rank factorisation: a weight matrix replaced by the product of two thin ones.

A Linear layer's (out, in) weight W has a singular value decomposition W = U S V^T. Keeping
the k largest singular values gives W_k = U_k S_k V_k^T, the best rank-k approximation
(Eckart-Young: the error ||W - W_k|| is the root sum of squares of the dropped singular
values). As two layers, x -> (sqrt(S_k) V_k^T) x -> (U_k sqrt(S_k)) (.) + b, it needs
k (in + out) parameters instead of in x out: a saving whenever k < in out / (in + out).
Trained weights often have fast-decaying singular values, so a small k keeps most accuracy;
the parameters-versus-accuracy curve is in bench/bench_optimization.py.
"""

from __future__ import annotations

import numpy as np

from tinytorch.core.layers import Linear, Sequential
from tinytorch.core.module import Module, Parameter
from tinytorch.perf.surgery import replace_layers


def _linear_from(weight: np.ndarray, bias: np.ndarray | None) -> Linear:
    """A Linear holding these arrays (made without drawing a random initialisation, which
    would move the framework's random generator and change what a seeded run does next)."""
    layer = Linear.__new__(Linear)
    Module.__init__(layer)
    layer.out_features, layer.in_features = weight.shape
    layer.weight = Parameter(weight.astype(np.float32))
    layer.bias = None if bias is None else Parameter(bias.astype(np.float32))
    return layer


def low_rank_linear(layer: Linear, rank: int) -> Sequential:
    """Two Linear layers (in -> rank, no bias; rank -> out, with the bias) whose product is
    the best rank-`rank` approximation of `layer`'s weight."""
    out_features, in_features = layer.weight.shape
    if not isinstance(rank, (int, np.integer)) or not 1 <= rank <= min(out_features, in_features):
        raise ValueError(f"rank must be an integer in [1, {min(out_features, in_features)}] for a "
                         f"{in_features} -> {out_features} layer, got {rank!r}")
    u, s, vt = np.linalg.svd(layer.weight.data.astype(np.float64), full_matrices=False)
    root = np.sqrt(s[:rank])
    bias = None if layer.bias is None else layer.bias.data
    return Sequential(_linear_from(root[:, None] * vt[:rank], None),
                      _linear_from(u[:, :rank] * root, bias))


def factorize_linear(model: Module, rank: int) -> Module:
    """A copy of `model` with every Linear layer that rank `rank` makes smaller replaced by
    its rank-`rank` factorisation (the others are kept as they are)."""

    def factorize(name, layer):
        if not isinstance(layer, Linear):
            return None
        out_features, in_features = layer.weight.shape
        saves = rank * (in_features + out_features) < in_features * out_features
        return low_rank_linear(layer, rank) if saves and rank <= min(layer.weight.shape) else None

    return replace_layers(model, factorize)


__all__ = ["factorize_linear", "low_rank_linear"]
