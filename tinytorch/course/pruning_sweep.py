"""Accuracy against sparsity: prune one trained model to several sparsities, three ways, and
grade each copy right after pruning and after a short fine-tuning (module 16).

The three ways are `tinytorch.perf.compression`'s: unstructured magnitude pruning with one
threshold for the whole network ("global") or the same fraction of every layer ("per layer"),
and structured pruning, which removes whole hidden neurons and leaves a smaller dense
network. They are compared on one axis, the fraction of the weights that are gone, since
removing a share of the *neurons* removes a different share of the weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from tinytorch.core.layers import Linear
from tinytorch.core.module import Module
from tinytorch.course import digits_mlp
from tinytorch.perf.compression import magnitude_prune, prune_structured, strip_pruning

METHODS: dict[str, Callable[[Module, float], Module]] = {
    "unstructured, global": lambda model, amount: magnitude_prune(model, amount, scope="global"),
    "unstructured, per layer": lambda model, amount: magnitude_prune(model, amount, scope="layer"),
    "structured (neurons)": prune_structured,
}


def kept_weights(model: Module) -> int:
    """Nonzero Linear weights (masks applied): what a sparse or smaller dense model stores."""
    return sum(int(np.count_nonzero(m.weight.data)) for m in strip_pruning(model).modules()
               if isinstance(m, Linear))


def sweep(model: Module, split: digits_mlp.DigitsSplit, amounts: Iterable[float],
          methods: Iterable[str] = tuple(METHODS), fine_tune_epochs: int = 3, lr: float = 1e-3,
          batch_size: int = 64, progress: Callable[[Iterable], Iterable] = iter) -> list[dict]:
    """One record per (method, amount): the share of weights removed and the test accuracy
    right after pruning and after `fine_tune_epochs` of Adam (the same batches for every copy).
    `model` is left unchanged; `progress` wraps the loop (e.g. a progress bar)."""
    methods, amounts = list(methods), list(amounts)
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        raise ValueError(f"unknown pruning methods {unknown}; choose from {list(METHODS)}")
    total = kept_weights(model)
    test = (split.test_x, split.test_y)
    rows = []
    for method, amount in progress([(m, a) for m in methods for a in amounts]):
        pruned = METHODS[method](model, amount)
        before = digits_mlp.accuracy(pruned, *test)
        digits_mlp.fine_tune(pruned, split, fine_tune_epochs, lr=lr, batch_size=batch_size)
        rows.append({"method": method, "amount": amount, "weights removed": 1 - kept_weights(pruned) / total,
                     "accuracy, pruned": before, "accuracy, fine-tuned": digits_mlp.accuracy(pruned, *test)})
    return rows


__all__ = ["METHODS", "kept_weights", "sweep"]
