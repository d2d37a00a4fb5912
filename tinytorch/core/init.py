"""Weight initialisation: start each layer so signals neither vanish nor explode.

For a layer with `fan_in` inputs, the variance of each output is fan_in * Var(w) * Var(x).
Xavier/Glorot keeps it near 1 for tanh-like activations (Var(w) = 2 / (fan_in + fan_out));
Kaiming/He doubles it for ReLU, which zeroes half the signal (Var(w) = 2 / fan_in). Uniform
variants use the bound sqrt(3 * Var), since U(-a, a) has variance a^2 / 3.
All draw from the seeded generator, so `manual_seed` makes initialisation repeatable.
"""

import math

import numpy as np

from tinytorch.core.random import default_generator
from tinytorch.core.tensor import Tensor


def fans(shape: tuple) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight: (out, in) for Linear, (out, in, kh, kw) for Conv2d."""
    if len(shape) < 2:
        raise ValueError(f"fan-in and fan-out need a weight with 2 or more dims, got {shape}")
    receptive = int(np.prod(shape[2:]))
    return shape[1] * receptive, shape[0] * receptive


def _fill(t: Tensor, values: np.ndarray) -> Tensor:
    t.data[...] = values
    t._mark_modified()
    return t


def uniform_(t: Tensor, low: float = 0.0, high: float = 1.0) -> Tensor:
    return _fill(t, default_generator().uniform(low, high, t.shape))


def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    return _fill(t, default_generator().normal(mean, std, t.shape))


def zeros_(t: Tensor) -> Tensor:
    return _fill(t, 0)


def xavier_uniform_(t: Tensor, gain: float = 1.0) -> Tensor:
    fan_in, fan_out = fans(t.shape)
    bound = gain * math.sqrt(6 / (fan_in + fan_out))
    return uniform_(t, -bound, bound)


def xavier_normal_(t: Tensor, gain: float = 1.0) -> Tensor:
    fan_in, fan_out = fans(t.shape)
    return normal_(t, 0.0, gain * math.sqrt(2 / (fan_in + fan_out)))


def kaiming_uniform_(t: Tensor, nonlinearity: str = "relu") -> Tensor:
    fan_in, _ = fans(t.shape)
    bound = _gain(nonlinearity) * math.sqrt(3 / fan_in)
    return uniform_(t, -bound, bound)


def kaiming_normal_(t: Tensor, nonlinearity: str = "relu") -> Tensor:
    fan_in, _ = fans(t.shape)
    return normal_(t, 0.0, _gain(nonlinearity) / math.sqrt(fan_in))


def _gain(nonlinearity: str) -> float:
    """How much an activation shrinks the signal's scale: sqrt(2) for ReLU, 1 for linear."""
    gains = {"relu": math.sqrt(2), "linear": 1.0, "tanh": 5 / 3, "sigmoid": 1.0}
    if nonlinearity not in gains:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}; choose one of {sorted(gains)}")
    return gains[nonlinearity]
