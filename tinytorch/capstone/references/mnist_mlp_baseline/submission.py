"""Baseline for the MNIST events: the course's MLP as tinytorch Modules, float32 weights.

Every optimised submission is measured against this one (the all-around score's 1.0)."""

import tinytorch.nn as nn

TEAM = "baseline"
HIDDEN = (256, 128)


def build_model(weights):
    layers, width = [nn.Flatten()], 784
    for h in HIDDEN:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    model = nn.Sequential(*layers, nn.Linear(width, 10))
    model.load_state_dict(weights)
    return model
