"""Every differentiable operation in tinytorch, each a `Function` with its forward and backward
side by side.

A rule keeps the layers apart: the files here hold only the maths on NumPy arrays; the course
modules (`tinytorch.core.activations`, `.layers`, `.losses`, ...) hold the user-facing classes
and functions that apply these ops to tensors. To read how an op is differentiated, read it here.

An op whose name a Module also has (`nn.ReLU`, `nn.Linear`, `nn.LayerNorm`, ...) carries the
suffix `Function` (`ReLUFunction`, `LinearFunction`), so a bare `ReLU` always means the layer
you put in a model. Graph nodes print without the suffix, as PyTorch's do: `<ReLUBackward>`.
"""

from tinytorch.core.ops.elementwise import (
    Abs,
    Add,
    Cast,
    Clip,
    Div,
    Exp,
    GELUFunction,
    LeakyReLUFunction,
    Log,
    Maximum,
    Minimum,
    Mul,
    Neg,
    Pow,
    ReLUFunction,
    SigmoidFunction,
    SiLUFunction,
    Sqrt,
    Sub,
    TanhFunction,
    Where,
)
from tinytorch.core.ops.loss import BCE, BCEWithLogits, SoftmaxCrossEntropy
from tinytorch.core.ops.matmul import LinearFunction, MatMul
from tinytorch.core.ops.movement import Cat, Expand, Index, Permute, Reshape, Stack
from tinytorch.core.ops.reduce import LogSoftmaxFunction, Max, Mean, SoftmaxFunction, Sum, TakeAlongAxis

__all__ = [
    "BCE", "Abs", "Add", "BCEWithLogits", "Cast", "Cat", "Clip", "Div", "Exp", "Expand",
    "GELUFunction", "Index", "LeakyReLUFunction", "LinearFunction", "Log", "LogSoftmaxFunction",
    "MatMul", "Max", "Maximum", "Mean", "Minimum", "Mul", "Neg", "Permute", "Pow", "ReLUFunction",
    "Reshape", "SiLUFunction", "SigmoidFunction", "SoftmaxCrossEntropy", "SoftmaxFunction", "Sqrt",
    "Stack", "Sub", "Sum", "TakeAlongAxis", "TanhFunction", "Where",
]
