"""Lightweight reference: 784-96-10, dead inputs pruned, int8 weights, compressed on disk.

The event ranks bytes on disk, so the file holds as little as the model needs:
- structured pruning of inputs: pixels that are blank in (almost) every training digit never
  trained their weights; `pixels` lists the kept ones, their columns alone are stored;
- int8 weights, symmetric per output row (`w = q * scale[row]`, tinytorch.perf.quantization's
  QuantizedTensor): a quarter of float32;
- the .npz is deflated (train.py sets COMPRESSED).
At build time the weights are expanded back to float32 (dropped pixels get zero weights), so
it runs as an ordinary tinytorch MLP: smaller on disk, not faster."""

import numpy as np

import tinytorch.nn as nn
from tinytorch.perf.quantization import QuantizedTensor

TEAM = "reference"


def dequantize(q, scale):
    """Per-row symmetric int8 back to float32 (the zero points, all 0, are not stored)."""
    return QuantizedTensor(q, scale, np.zeros(scale.shape, np.int8), q.shape, bits=8, axis=0).dequantize()


def build_model(weights):
    first = np.zeros((weights["q1"].shape[0], 784), dtype=np.float32)
    first[:, weights["pixels"]] = dequantize(weights["q1"], weights["s1"])
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, first.shape[0]), nn.ReLU(),
                          nn.Linear(first.shape[0], 10))
    model.load_state_dict({"1.weight": first, "1.bias": weights["b1"],
                           "3.weight": dequantize(weights["q2"], weights["s2"]), "3.bias": weights["b2"]})
    return model
