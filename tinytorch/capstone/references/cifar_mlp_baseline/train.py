"""Train the vision baseline: 3072-256-10 MLP, Adam 1e-3 with cosine decay, batch 128,
3 epochs, seed 0, on CIFAR-10's 50,000 training images scaled to [0, 1]."""

import tinytorch
import tinytorch.nn as nn
from tinytorch.capstone.reference import cifar10_training_set, train_classifier


def train(limit=None):
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 256), nn.ReLU(), nn.Linear(256, 10))
    train_classifier(model, *cifar10_training_set(limit), epochs=3)
    return model.state_dict()
