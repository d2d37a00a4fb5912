"""Train, prune and quantize the lightweight reference: a 784-96-10 MLP (Adam 2e-3, cosine,
batch 128, 8 epochs, seed 0), then drop the input pixels that are ink in fewer than 0.5% of
the training digits, then int8 per output row. Every step on training data only."""

import numpy as np

import tinytorch
import tinytorch.nn as nn
from tinytorch.capstone.reference import mnist_training_set, train_classifier

COMPRESSED = True
MIN_INK_SHARE = 0.005


def quantize_rows(w):
    """Symmetric int8 per output row: scale = max|w| / 127, q = round(w / scale)."""
    scale = np.abs(w).max(axis=1) / 127
    scale[scale == 0] = 1
    return np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8), scale.astype(np.float32)


def train(limit=None):
    images, labels = mnist_training_set(limit)
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 96), nn.ReLU(), nn.Linear(96, 10))
    train_classifier(model, images, labels, epochs=8, lr=2e-3)
    state = model.state_dict()
    ink_share = (images.reshape(len(images), -1) > 0).mean(axis=0)
    pixels = np.flatnonzero(ink_share >= MIN_INK_SHARE).astype(np.uint16)
    q1, s1 = quantize_rows(state["1.weight"][:, pixels])
    q2, s2 = quantize_rows(state["3.weight"])
    return {"pixels": pixels, "q1": q1, "s1": s1, "b1": state["1.bias"].astype(np.float32),
            "q2": q2, "s2": s2, "b2": state["3.bias"].astype(np.float32)}
