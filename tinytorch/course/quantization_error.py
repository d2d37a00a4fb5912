"""How far each quantized weight landed from the float weight it stands for.

Rounding to a grid of step `scale` moves every weight by at most scale / 2, so the errors of a
layer spread evenly over [-scale/2, scale/2]: a histogram shows the grid's step directly. One
scale per tensor takes the step from the largest weight anywhere in the matrix; one per row
(per output channel) lets each row with small weights use a finer grid, which is what the
narrower histogram of per-channel quantization shows.
"""

from __future__ import annotations

import numpy as np

from tinytorch.core.module import Module
from tinytorch.perf.quantization import _QuantizedLayer


def weight_errors(float_model: Module, quantized: Module) -> dict[str, np.ndarray]:
    """Per quantized layer (by name): dequantized weight minus the float weight it came from."""
    floats = dict(float_model.named_modules())
    errors = {}
    for name, layer in quantized.named_modules():
        if isinstance(layer, _QuantizedLayer):
            original = floats[name].weight.data
            errors[name] = layer.weight.dequantize().reshape(original.shape) - original
    if not errors:
        raise ValueError("the second model has no quantized layer to compare")
    return errors


def rms(errors: dict[str, np.ndarray]) -> float:
    """Root-mean-square error over all the weights of all layers."""
    flat = np.concatenate([e.reshape(-1) for e in errors.values()]).astype(np.float64)
    return float(np.sqrt(np.mean(flat ** 2)))


def histogram_records(series: dict[str, np.ndarray], bins: int = 41) -> list[dict]:
    """Records {"error", "share of weights", "scheme"} of one histogram per series, on shared
    bins symmetric about 0, for `charts.line(..., color="scheme")`."""
    if bins < 3:
        raise ValueError(f"bins must be >= 3, got {bins}")
    edge = max(float(np.abs(values).max()) for values in series.values()) or 1.0
    edges = np.linspace(-edge, edge, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    records = []
    for scheme, values in series.items():
        counts, _ = np.histogram(values, edges)
        records += [{"error": float(c), "share of weights": float(n / values.size), "scheme": scheme}
                    for c, n in zip(centres, counts, strict=True)]
    return records


def row_ranges(weight: np.ndarray) -> np.ndarray:
    """max |w| of each output row: per-tensor quantization uses the largest for every row."""
    return np.abs(weight.reshape(weight.shape[0], -1)).max(axis=1)


__all__ = ["histogram_records", "rms", "row_ranges", "weight_errors"]
