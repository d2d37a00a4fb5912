"""Train the baseline 784-256-128-10 MLP: Adam 1e-3 with cosine decay, batch 128, 4 epochs,
seed 0, on MNIST's training digits scaled to [0, 1]."""

import tinytorch
import tinytorch.nn as nn
from tinytorch.capstone.reference import mnist_training_set, train_classifier


def train(limit=None):
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10))
    train_classifier(model, *mnist_training_set(limit), epochs=4)
    return model.state_dict()
