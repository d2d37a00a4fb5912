"""Small 2-D classification datasets for the apps that train live (TensorFlow Playground style):
two interleaved spirals, two moons, two circles. Seeded NumPy only, so the same points come up
on every machine and in the browser.
"""

from __future__ import annotations

import numpy as np

KINDS = ("spirals", "moons", "circles")


def _spirals(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    labels = np.arange(n) % 2
    t = rng.uniform(0.02, 1.0, n) ** 0.5 * 3.5 * np.pi  # sqrt: evenly spread along the arm
    angle = t + np.pi * labels
    radius = t / (3.5 * np.pi) * 2
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1), labels


def _moons(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    labels = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    points = np.where(labels[:, None] == 0, upper, lower) - [0.5, 0.25]
    return points, labels


def _circles(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    labels = np.arange(n) % 2
    t = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(labels == 0, 1.5, 0.6)
    return np.stack([radius * np.cos(t), radius * np.sin(t)], axis=1), labels


def make_2d(kind: str, n: int, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` points of shape (n, 2), float32, in roughly [-2, 2]², and labels 0/1 (int64), half each,
    shuffled. `noise` is the standard deviation of the Gaussian jitter added to every point."""
    makers = {"spirals": _spirals, "moons": _moons, "circles": _circles}
    if kind not in makers:
        raise ValueError(f"unknown dataset {kind!r}; choose one of {KINDS}")
    rng = np.random.default_rng(seed)
    points, labels = makers[kind](rng, n)
    points = points + rng.normal(scale=noise, size=points.shape)
    order = rng.permutation(n)
    return points[order].astype(np.float32), labels[order].astype(np.int64)


def split(points: np.ndarray, labels: np.ndarray, train_fraction: float):
    """The first `train_fraction` of the (already shuffled) points for training, the rest for
    validation; at least 2 points on each side."""
    k = int(np.clip(round(len(points) * train_fraction), 2, len(points) - 2))
    return (points[:k], labels[:k]), (points[k:], labels[k:])
