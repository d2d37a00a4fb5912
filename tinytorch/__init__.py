"""tinytorch: a deep-learning framework small enough to read, built in the course's modules.

    import tinytorch
    import tinytorch.nn as nn
    x = tinytorch.randn(4, 3, requires_grad=True)
"""

from tinytorch import nn, optim, return_types, utils
from tinytorch.core.autograd import detect_anomaly, enable_grad, gradcheck, no_grad
from tinytorch.core.checkpoint import load, save
from tinytorch.core.random import manual_seed
from tinytorch.core.tensor import (
    Tensor,
    allclose,
    arange,
    bool_,
    cat,
    double,
    eye,
    flatten,
    float32,
    float64,
    full,
    full_like,
    int8,
    int64,
    long,
    matmul,
    maximum,
    minimum,
    multinomial,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    stack,
    tensor,
    uint8,
    where,
    zeros,
    zeros_like,
)
from tinytorch.core.tensor_functions import (  # noqa: F401 - abs, max, min, pow, sum: not in __all__
    abs,
    amax,
    amin,
    argmax,
    argmin,
    clamp,
    exp,
    log,
    log_softmax,
    masked_fill,
    max,
    mean,
    min,
    pow,
    reshape,
    softmax,
    sqrt,
    squeeze,
    std,
    sum,
    topk,
    transpose,
    tril,
    triu,
    unsqueeze,
    var,
)

# PyTorch's spellings `torch.float` and `torch.bool`; set here, not in tinytorch.core.tensor,
# where they would shadow the builtins its code calls. They, and `abs`, `max`, `min`, `pow` and
# `sum`, are left out of __all__, so that `from tinytorch import *` cannot shadow the builtins
# in your module: `tinytorch.max(x, 1)` works, a bare `max(...)` stays Python's.
float = float32
bool = bool_

__version__ = "0.1.0"

__all__ = [
    "Tensor", "allclose", "arange", "bool_", "cat", "detect_anomaly", "double", "enable_grad", "eye",
    "flatten", "float32", "float64", "full", "full_like", "gradcheck", "int8", "int64", "load", "long",
    "manual_seed", "matmul", "maximum", "minimum", "multinomial", "nn", "no_grad", "ones", "ones_like",
    "optim", "rand", "rand_like", "randint", "randn", "randn_like", "return_types", "save", "stack",
    "tensor", "uint8", "utils", "where", "zeros", "zeros_like",
    # PyTorch's function spellings of tensor methods (tinytorch.core.tensor_functions)
    "amax", "amin", "argmax", "argmin", "clamp", "exp", "log", "log_softmax", "masked_fill", "mean",
    "reshape", "softmax", "sqrt", "squeeze", "std", "topk", "transpose", "tril", "triu", "unsqueeze",
    "var",
]
