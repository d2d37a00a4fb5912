"""Grading a trained classifier on held-out images: its predictions, how sure it was, the test
accuracy, the confusion matrix and its most confident mistakes.

Why one place: every app that trains a classifier on images grades it the same way, and a
milestone's whole point is the honest figure, measured on images training never saw. The
images are graded in batches under `no_grad`, in evaluation mode (dropout off, batch norm on
its running statistics), so memory stays small in the browser however large the test set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Graded:
    """A classifier's answers on a labelled set; all arrays are aligned with `labels`."""

    predictions: np.ndarray  # int64 (N,): the class with the highest score
    confidence: np.ndarray  # float32 (N,): the softmax probability of that class
    labels: np.ndarray  # int64 (N,): the true classes
    num_classes: int

    @property
    def accuracy(self) -> float:
        return float((self.predictions == self.labels).mean())

    @property
    def right(self) -> int:
        return int((self.predictions == self.labels).sum())

    @property
    def confusion(self) -> np.ndarray:
        """`[i, j]` counts the images of true class i answered as class j."""
        k = self.num_classes
        return np.bincount(k * self.labels + self.predictions, minlength=k * k).reshape(k, k)

    def per_class(self) -> np.ndarray:
        """Share of each true class answered right (nan for a class with no images)."""
        confusion = self.confusion
        with np.errstate(invalid="ignore"):
            return np.diag(confusion) / confusion.sum(axis=1)

    def most_common_mistake(self) -> tuple[int, int, int] | None:
        """(true class, answer, count) of the most frequent confusion, or None if none."""
        off = self.confusion - np.diag(np.diag(self.confusion))
        if not off.any():
            return None
        true, answer = np.unravel_index(off.argmax(), off.shape)
        return int(true), int(answer), int(off.max())

    def mistakes(self, count: int) -> np.ndarray:
        """Indices of up to `count` wrong answers, the most confident first: the ones that
        say most about what the network has (mis)learned."""
        wrong = np.flatnonzero(self.predictions != self.labels)
        return wrong[np.argsort(-self.confidence[wrong], kind="stable")][:count]


def grade(model, images: np.ndarray, labels: np.ndarray, transform: Callable[[np.ndarray], np.ndarray],
          num_classes: int = 10, batch_size: int = 1000) -> Graded:
    """Run `model` on `transform(images)` batch by batch and compare with `labels`.

    `model` maps a float32 tensor batch to (batch, num_classes) scores; it is left in
    evaluation mode, as graded.
    """
    import tinytorch

    labels = np.asarray(labels)
    if len(images) != len(labels) or len(labels) == 0:
        raise ValueError(f"grade needs as many labels as images (and at least one), got {len(images)} "
                         f"images and {len(labels)} labels")
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(f"labels must be classes 0 to {num_classes - 1}, got {labels.min()} to "
                         f"{labels.max()}")
    model.eval()
    scores = []
    with tinytorch.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(tinytorch.tensor(transform(images[start:start + batch_size]))).numpy()
            if logits.ndim != 2 or logits.shape[1] != num_classes:
                raise ValueError(f"the model answered shape {logits.shape} for a batch of "
                                 f"{min(batch_size, len(images) - start)}; expected (batch, {num_classes})")
            scores.append(logits)
    logits = np.concatenate(scores).astype(np.float32)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    confidence = (shifted / shifted.sum(axis=1, keepdims=True)).max(axis=1)
    return Graded(logits.argmax(axis=1), confidence, labels.astype(np.int64), num_classes)
