"""Model surgery: a copy of a model with some of its layers swapped for others.

Quantization swaps each Linear for a QuantizedLinear, structured pruning for a narrower
Linear, low-rank factorisation for two thin ones. Each works on a deep copy, so the model you
start from is never changed, and a swap keeps the layer's place among its siblings (a
`Sequential` runs its children in the order they were registered).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from tinytorch.core.module import Module


def replace_layers(model: Module, swap: Callable[[str, Module], Module | None]) -> Module:
    """A deep copy of `model` in which every module m (named by its path) for which
    `swap(name, m)` returns a module is replaced by it; the children of a replaced module
    are not visited. The root itself is never swapped."""
    model = copy.deepcopy(model)
    _swap_children(model, "", swap)
    return model


def _swap_children(parent: Module, prefix: str, swap) -> None:
    for name, child in list(parent._modules.items()):
        path = f"{prefix}.{name}" if prefix else name
        new = swap(path, child)
        if new is None:
            _swap_children(child, path, swap)
        else:
            parent._modules[name] = new  # same key: the order of the children is kept
            object.__setattr__(parent, name, new)


__all__ = ["replace_layers"]
