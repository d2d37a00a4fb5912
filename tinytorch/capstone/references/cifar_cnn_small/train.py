"""Train the vision reference's small CNN: Adam 2e-3 with cosine decay, batch 128, 3 epochs,
seed 0, on CIFAR-10's 50,000 training images scaled to [0, 1] (the architecture is the
submission's own `small_cnn`, so the two cannot drift apart)."""

import importlib.util
from pathlib import Path

import tinytorch
from tinytorch.capstone.reference import cifar10_training_set, train_classifier

_spec = importlib.util.spec_from_file_location("cifar_cnn_small", Path(__file__).with_name("submission.py"))
submission = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(submission)


def train(limit=None):
    tinytorch.manual_seed(0)
    model = submission.small_cnn()
    train_classifier(model, *cifar10_training_set(limit), epochs=3, lr=2e-3)
    return model.state_dict()
