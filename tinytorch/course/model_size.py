"""What a model really costs to keep: the bytes of the arrays that hold it, and of its file.

The optimization apps (15 quantization, 16 compression) never compute a size from a formula
("4 bytes per float, 1 per int8, so 4x"): they add up the `nbytes` of the arrays a model
stores, and write the model to a real file and read the file's size, container overhead and
all. A quantized layer keeps its int8 weight (or int4 packed two per byte), one float32 scale
per tensor or per row, its zero points and its float32 bias; a model is only as small as all
of that together.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from tinytorch.core import checkpoint
from tinytorch.core.module import Module
from tinytorch.perf.compression import PrunedConv2d, PrunedLinear
from tinytorch.perf.quantization import _QuantizedLayer
from tinytorch.perf.quantized_checkpoint import load_quantized, save_quantized


def _check_unpruned(model: Module) -> None:
    if any(isinstance(m, (PrunedLinear, PrunedConv2d)) for m in model.modules()):
        raise ValueError("the model has pruned layers, which also store a float mask per weight: "
                         "bake the zeros in with tinytorch.perf.compression.strip_pruning first")


def array_bytes(model: Module) -> int:
    """The bytes of every array the model keeps its weights in: float parameters and buffers,
    and for each quantized layer its integer weight, scales, zero points and bias."""
    _check_unpruned(model)
    total = sum(value.nbytes for value in model.state_dict().values())
    for layer in model.modules():
        if isinstance(layer, _QuantizedLayer):
            total += layer.weight.nbytes + (0 if layer.bias is None else layer.bias.nbytes)
    return total


def file_bytes(save: Callable[[Path], Path]) -> int:
    """The size of the file `save(path)` writes (in a temporary folder, removed after)."""
    with tempfile.TemporaryDirectory() as folder:
        return save(Path(folder) / "model.npz").stat().st_size


def float_file_bytes(model: Module) -> int:
    """The size of the model's float32 weights saved as a state dict (`tinytorch.save`)."""
    _check_unpruned(model)
    return file_bytes(lambda path: checkpoint.save(model.state_dict(), path))


def stored_quantized(quantized: Module, architecture: Module, sparse: bool = False) -> tuple[int, Module]:
    """Save a quantized model (`save_quantized`, CSR integer weights if `sparse`), and return
    the file's size and the model loaded back from it into `architecture` (the float model it
    was quantized from, left unchanged): what the file holds is what gets graded."""
    with tempfile.TemporaryDirectory() as folder:
        path = save_quantized(Path(folder) / "quantized.npz", quantized, sparse=sparse)
        return path.stat().st_size, load_quantized(path, architecture)


__all__ = ["array_bytes", "file_bytes", "float_file_bytes", "stored_quantized"]
