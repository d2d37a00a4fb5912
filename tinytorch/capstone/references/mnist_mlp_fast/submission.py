"""Latency reference: a 784-128-10 MLP served by one fused float32 NumPy forward.

Where the time of one image goes in the baseline (784-256-128-10 as tinytorch Modules): a
Tensor and a graph-free op per layer, each a few microseconds of Python, around products of
only 784x256 multiply-adds. Two changes, each measured by `bench/bench_capstone.py`:
- a narrower network: 128 hidden units is the narrowest one-layer width that still
  qualifies (>= 97%) after the seeded training in train.py;
- inference frozen into plain NumPy: weights transposed once to (in, out) and made contiguous
  float32, bias added and ReLU applied in place into the product's own buffer, no Tensor, no
  Module call, no graph. The maths is exactly the trained model's."""

import numpy as np

TEAM = "reference"


def build_model(weights):
    w1 = np.ascontiguousarray(weights["1.weight"].T, dtype=np.float32)
    b1 = weights["1.bias"].astype(np.float32)
    w2 = np.ascontiguousarray(weights["3.weight"].T, dtype=np.float32)
    b2 = weights["3.bias"].astype(np.float32)

    def forward(batch):
        hidden = batch.reshape(len(batch), -1) @ w1
        hidden += b1
        np.maximum(hidden, 0, out=hidden)
        scores = hidden @ w2
        scores += b2
        return scores

    return forward
