"""A small MLP on the 8x8 digits, trained in seconds, for the optimization apps to quantize,
prune and distil (modules 15 and 16).

Why the 8x8 digits: they ship inside tinytorch, so nothing is downloaded or decoded before the
first cell runs, and a 64-128-128-10 MLP learns them to about 97% test accuracy in a few
seconds even in the browser (Pyodide: no BLAS, one thread). That leaves the learner's time for
what the apps are about: many quantized, pruned and distilled variants of one trained model,
each graded on the same held-out digits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tinytorch.core.activations import ReLU
from tinytorch.core.autograd import no_grad
from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.layers import Linear, Sequential
from tinytorch.core.losses import cross_entropy
from tinytorch.core.module import Module
from tinytorch.core.optimizers import Adam
from tinytorch.core.tensor import Tensor
from tinytorch.core.training import Trainer
from tinytorch.datasets import load_digits
from tinytorch.perf.distillation import distillation_loss

PIXELS, CLASSES = 64, 10


@dataclass(frozen=True)
class DigitsSplit:
    """Training and test digits as float32 pixels in [0, 1] (rows of 64) and int64 labels."""

    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray


def load_split(test_fraction: float = 0.2, seed: int = 0) -> DigitsSplit:
    """The 1,797 digits shuffled once with `seed` and cut into training and test sets (the
    test digits are never trained on: they grade every variant of the model)."""
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    images, labels = load_digits()
    order = np.random.default_rng(seed).permutation(len(labels))
    x = (images.reshape(-1, PIXELS)[order] / 16).astype(np.float32)  # pixels count 0..16
    y = labels[order]
    n_test = round(test_fraction * len(y))
    return DigitsSplit(x[n_test:], y[n_test:], x[:n_test], y[:n_test])


def mlp(hidden: Sequence[int]) -> Sequential:
    """64 -> hidden... -> 10 with ReLU between: every weight a Linear that the optimization
    tier's tools quantize and prune."""
    widths = [PIXELS, *hidden, CLASSES]
    layers: list[Module] = []
    for i, (n_in, n_out) in enumerate(zip(widths, widths[1:], strict=False)):
        layers.append(Linear(n_in, n_out))
        if i < len(widths) - 2:
            layers.append(ReLU())
    return Sequential(*layers)


def loader(split: DigitsSplit, batch_size: int, seed: int = 0) -> DataLoader:
    """The training digits in shuffled batches, the same order for every model given `seed`."""
    return DataLoader(TensorDataset(split.train_x, split.train_y), batch_size=batch_size,
                      shuffle=True, seed=seed)


def logits(model: Module, x: np.ndarray, batch: int = 512) -> np.ndarray:
    """The model's scores for `x`, in eval mode, without gradients."""
    model.eval()
    with no_grad():
        return np.concatenate([model(Tensor(x[i:i + batch])).numpy() for i in range(0, len(x), batch)])


def accuracy(model: Module, x: np.ndarray, y: np.ndarray) -> float:
    return float((logits(model, x).argmax(axis=1) == y).mean())


def fine_tune(model: Module, split: DigitsSplit, epochs: int, lr: float = 1e-3, batch_size: int = 64,
              seed: int = 0, callbacks=()) -> Trainer:
    """Train `model` (in place) on the training digits with Adam; a pruned model keeps its
    zeros, since its layers multiply by their masks in every forward pass."""
    trainer = Trainer(model, Adam(model.parameters(), lr=lr), callbacks=list(callbacks))
    trainer.fit(loader(split, batch_size, seed), epochs=epochs, interruptible=True)
    return trainer


def train_student(student: Module, split: DigitsSplit, epochs: int, lr: float = 1e-3,
                  batch_size: int = 64, seed: int = 0, teacher: Module | None = None,
                  temperature: float = 4.0, alpha: float = 0.9) -> Module:
    """Train `student` on the labels alone (`teacher=None`) or distilled from `teacher`'s
    softened predictions (`tinytorch.perf.distillation.distillation_loss`). Both ways run the
    same batches in the same order with the same optimizer, so the loss is the only difference
    between two students that start from the same weights."""
    if teacher is not None:
        soft_targets = logits(teacher, split.train_x)  # the teacher is fixed: its scores once
    dataset = TensorDataset(split.train_x, split.train_y, np.arange(len(split.train_y)))
    batches = DataLoader(dataset, batch_size=batch_size, shuffle=True, seed=seed)
    optimizer = Adam(student.parameters(), lr=lr)
    student.train()
    for _ in range(epochs):
        for x, y, rows in batches:
            scores = student(Tensor(x))
            loss = (cross_entropy(scores, y) if teacher is None else
                    distillation_loss(scores, soft_targets[rows], y, temperature, alpha))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return student.eval()


__all__ = ["DigitsSplit", "accuracy", "fine_tune", "load_split", "logits", "loader", "mlp",
           "train_student"]
