"""Every differentiable operation in tinytorch, each a `Function` with its forward and backward
side by side.

A rule keeps the layers apart: the files here hold only the maths on NumPy arrays; the course
modules (`tinytorch.core.activations`, `.layers`, `.losses`, ...) hold the user-facing classes
and functions that apply these ops to tensors. To read how an op is differentiated, read it here.
"""

from tinytorch.core.ops.elementwise import (
    GELU,
    Abs,
    Add,
    Cast,
    Clip,
    Div,
    Exp,
    LeakyReLU,
    Log,
    Maximum,
    Minimum,
    Mul,
    Neg,
    Pow,
    ReLU,
    Sigmoid,
    SiLU,
    Sqrt,
    Sub,
    Tanh,
    Where,
)
from tinytorch.core.ops.loss import BCE, BCEWithLogits, SoftmaxCrossEntropy
from tinytorch.core.ops.matmul import Linear, MatMul
from tinytorch.core.ops.movement import Cat, Expand, Index, Permute, Reshape, Stack
from tinytorch.core.ops.reduce import LogSoftmax, Max, Mean, Softmax, Sum

__all__ = [
    "BCE", "GELU", "Abs", "Add", "BCEWithLogits", "Cast", "Cat", "Clip", "Div", "Exp", "Expand",
    "Index", "LeakyReLU", "Linear", "Log", "LogSoftmax", "MatMul", "Max", "Maximum", "Mean",
    "Minimum", "Mul", "Neg", "Permute", "Pow", "ReLU", "Reshape", "SiLU", "Sigmoid", "Softmax",
    "SoftmaxCrossEntropy", "Sqrt", "Stack", "Sub", "Sum", "Tanh", "Where",
]
