"""Train the latency reference's 784-128-10 MLP: Adam 2e-3 with cosine decay, batch 128,
5 epochs, seed 0, on MNIST's training digits scaled to [0, 1]."""

import tinytorch
import tinytorch.nn as nn
from tinytorch.capstone.reference import mnist_training_set, train_classifier


def train(limit=None):
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    train_classifier(model, *mnist_training_set(limit), epochs=5, lr=2e-3)
    return model.state_dict()
