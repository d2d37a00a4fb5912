"""Train, prune and quantize the lightweight reference: a 784-96-10 MLP (Adam 2e-3, cosine,
batch 128, 8 epochs, seed 0), then drop the input pixels that are ink in fewer than 0.5% of
the training digits, then int8 per output row with `tinytorch.perf.quantization` (symmetric:
the zero points are all 0 and are not stored). Every step on training data only."""

import numpy as np

import tinytorch
import tinytorch.nn as nn
from tinytorch.capstone.reference import mnist_training_set, train_classifier
from tinytorch.perf.quantization import QuantizedTensor

COMPRESSED = True
MIN_INK_SHARE = 0.005


def kept_pixels(images):
    """The input pixels that are ink in at least MIN_INK_SHARE of `images`."""
    ink_share = (images.reshape(len(images), -1) > 0).mean(axis=0)
    return np.flatnonzero(ink_share >= MIN_INK_SHARE).astype(np.uint16)


def train(limit=None):
    images, labels = mnist_training_set(limit)
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 96), nn.ReLU(), nn.Linear(96, 10))
    train_classifier(model, images, labels, epochs=8, lr=2e-3)
    state = model.state_dict()
    pixels = kept_pixels(images)
    first = QuantizedTensor.from_float(state["1.weight"][:, pixels], bits=8, symmetric=True, axis=0)
    second = QuantizedTensor.from_float(state["3.weight"], bits=8, symmetric=True, axis=0)
    return {"pixels": pixels, "q1": first.data, "s1": first.scale, "b1": state["1.bias"].astype(np.float32),
            "q2": second.data, "s2": second.scale, "b2": state["3.bias"].astype(np.float32)}
