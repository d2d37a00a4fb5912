"""The named tuples that reductions returning two tensors give, as `torch.return_types`.

`values, indices = x.max(dim=1)` unpacks them and `x.max(1).values` names the part wanted; a
plain tensor in their place would let `values, indices = x.max(dim=1)` silently unpack the two
rows of a 2-row result. Named after the function that returns them, as in PyTorch.
"""

from collections import namedtuple

# `max` and `min` shadow the builtins in this module only: they are PyTorch's names.
max = namedtuple("max", ["values", "indices"], module=__name__)
min = namedtuple("min", ["values", "indices"], module=__name__)
topk = namedtuple("topk", ["values", "indices"], module=__name__)

__all__ = ["max", "min", "topk"]
