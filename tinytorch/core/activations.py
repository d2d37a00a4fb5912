"""Module 02, Activations: the nonlinearities that make a stack of layers more than one layer.

Each is a function (`relu(x)`) and a Module (`ReLU()`) for use in `Sequential`. The maths and
its derivative sit side by side in `tinytorch.core.ops.elementwise` (softmax: `ops.reduce`).
All are stable for large inputs: sigmoid is computed through tanh, softmax subtracts the max.
Integer inputs are computed as float32 (NumPy alone would give float64).
"""

from tinytorch.core import ops
from tinytorch.core.module import Module
from tinytorch.core.tensor import Tensor, accepts_dim, apply


def relu(x: Tensor) -> Tensor:
    return apply(ops.ReLUFunction, x)


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    return apply(ops.LeakyReLUFunction, x, negative_slope=negative_slope)


def sigmoid(x: Tensor) -> Tensor:
    return apply(ops.SigmoidFunction, x._as_float())


def tanh(x: Tensor) -> Tensor:
    return apply(ops.TanhFunction, x._as_float())


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """approximate='none' uses the exact normal CDF; 'tanh' the GPT-2 approximation."""
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu approximate must be 'none' or 'tanh', got {approximate!r}")
    return apply(ops.GELUFunction, x._as_float(), approximate=approximate)


def silu(x: Tensor) -> Tensor:
    return apply(ops.SiLUFunction, x._as_float())


@accepts_dim
def softmax(x: Tensor, axis: int = -1) -> Tensor:
    return apply(ops.SoftmaxFunction, x._as_float(), axis=axis)


@accepts_dim
def log_softmax(x: Tensor, axis: int = -1) -> Tensor:
    return apply(ops.LogSoftmaxFunction, x._as_float(), axis=axis)


class ReLU(Module):
    def forward(self, x):
        return relu(x)


class LeakyReLU(Module):
    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    def forward(self, x):
        return sigmoid(x)


class Tanh(Module):
    def forward(self, x):
        return tanh(x)


class GELU(Module):
    def __init__(self, approximate: str = "none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x):
        return gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    def forward(self, x):
        return silu(x)


class _AlongAxis(Module):
    """Shared by Softmax and LogSoftmax: a normalisation along one axis (`axis=` or `dim=`).

    A common base rather than LogSoftmax subclassing Softmax: a log-softmax is not a softmax,
    and `isinstance(layer, Softmax)` must not say it is.
    """

    @accepts_dim
    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = axis

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class Softmax(_AlongAxis):
    def forward(self, x):
        return softmax(x, self.axis)


class LogSoftmax(_AlongAxis):
    def forward(self, x):
        return log_softmax(x, self.axis)
