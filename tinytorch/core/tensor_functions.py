"""PyTorch's function spellings of tensor methods: `torch.max(x, 1)` is `x.max(1)`.

PyTorch code calls many reductions and maths both ways (`torch.max(logits, 1)` is the
classic accuracy idiom, `torch.exp(x)`, `torch.sum(x, dim=0)`); each function here hands its
arguments to the method, so the two spellings cannot drift apart. The functions of several
tensors (`cat`, `stack`, `where`, `matmul`, `maximum`) live with `Tensor` in
`tinytorch.core.tensor`.
"""

import functools

from tinytorch.core.tensor import Tensor


def _method_as_function(name: str):
    method = getattr(Tensor, name)

    @functools.wraps(method)
    def function(input, *args, **kwargs):  # noqa: A002 - PyTorch's name for the first argument
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' must be a Tensor, not {type(input).__name__}")
        return getattr(input, name)(*args, **kwargs)

    function.__qualname__ = function.__name__ = name
    return function


# `max`, `min`, `sum`, `abs` and `pow` shadow the builtins in this module only: PyTorch's names.
max = _method_as_function("max")
min = _method_as_function("min")
amax, amin = _method_as_function("amax"), _method_as_function("amin")
argmax, argmin = _method_as_function("argmax"), _method_as_function("argmin")
topk = _method_as_function("topk")
sum, mean = _method_as_function("sum"), _method_as_function("mean")
var, std = _method_as_function("var"), _method_as_function("std")
exp, log, sqrt, abs = (_method_as_function(name) for name in ("exp", "log", "sqrt", "abs"))
clamp = _method_as_function("clamp")
softmax, log_softmax = _method_as_function("softmax"), _method_as_function("log_softmax")
squeeze, unsqueeze = _method_as_function("squeeze"), _method_as_function("unsqueeze")
reshape, transpose = _method_as_function("reshape"), _method_as_function("transpose")
masked_fill = _method_as_function("masked_fill")
tril, triu = _method_as_function("tril"), _method_as_function("triu")
pow = _method_as_function("pow")

__all__ = ["abs", "amax", "amin", "argmax", "argmin", "clamp", "exp", "log", "log_softmax", "masked_fill",
           "max", "mean", "min", "pow", "reshape", "softmax", "sqrt", "squeeze", "std", "sum", "topk",
           "transpose", "tril", "triu", "unsqueeze", "var"]
