"""Rosenblatt's perceptron (1957), run with its whole history, for milestone 1957's pictures and
measurements: every update (the point, the weights before and after) and the mistakes made in
each epoch, on tinytorch tensors.

Why the history: the milestone steps through the updates one by one and counts them against
the margin; the learner writes the rule itself in the milestone's exercise
(`tinytorch.course.exercises.perceptron`).
"""

from __future__ import annotations

import numpy as np

import tinytorch


def train(points, labels, lr: float, max_epochs: int = 40) -> dict:
    """Rosenblatt's rule from w = 0, b = 0, point by point in a fixed order, until an epoch
    makes no mistake or `max_epochs` have run. Labels are +1 / -1.

    Returns {"updates": [{"epoch", "index", "y", "score", "w", "b", "new_w", "new_b"}, ...],
    "mistakes": [{"epoch", "mistakes"}, ...], "w", "b", "converged"}."""
    points, labels = np.asarray(points), np.asarray(labels)
    if points.ndim != 2 or len(points) != len(labels) or not len(points):
        raise ValueError(f"points must be (n, d) with one label each, got points {points.shape} "
                         f"and labels {labels.shape}")
    if not set(np.unique(labels).tolist()) <= {-1, 1}:
        raise ValueError(f"labels must be +1 or -1, got {sorted(set(labels.tolist()))[:5]}")
    if not (lr > 0 and max_epochs >= 1):
        raise ValueError(f"lr must be > 0 and max_epochs >= 1, got lr={lr}, max_epochs={max_epochs}")
    x = tinytorch.tensor(points.astype(np.float64))
    w, b = tinytorch.zeros(points.shape[1], dtype=tinytorch.float64), 0.0
    updates, mistakes = [], []
    for epoch in range(1, max_epochs + 1):
        missed = 0
        for i in range(len(points)):
            y = int(labels[i])
            score = (w @ x[i] + b).item()
            if y * score <= 0:
                new_w, new_b = w + lr * y * x[i], b + lr * y
                updates.append({"epoch": epoch, "index": i, "y": y, "score": score, "w": w.numpy().copy(),
                                "b": b, "new_w": new_w.numpy().copy(), "new_b": new_b})
                w, b = new_w, new_b
                missed += 1
        mistakes.append({"epoch": epoch, "mistakes": missed})
        if missed == 0:
            break
    return {"updates": updates, "mistakes": mistakes, "w": w.numpy().copy(), "b": b,
            "converged": mistakes[-1]["mistakes"] == 0}
