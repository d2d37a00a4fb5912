"""The Torch Olympics events: each a fixed task, a fixed held-out test set, a fixed measurement.

An event says what a submission is given (held-out inputs, never their labels), what it must
answer (scores of shape (N, classes)), which figure decides the ranking, and what it takes to
qualify. The harness (`tinytorch.capstone.harness`) does every measurement; an event only
names them, so no submission can bring its own number.

| event | task | ranked by | qualifies with |
|---|---|---|---|
| latency | MNIST digits | p90 single-image latency (lower) | accuracy >= 97% |
| lightweight | MNIST digits | bytes on disk of the submission (lower) | accuracy >= 97% |
| vision | CIFAR-10 | accuracy (higher) | p90 latency <= 10 ms, accuracy >= 30% |

Inputs are float32 images in [0, 1], NCHW (MNIST: (N, 1, 28, 28), CIFAR-10: (N, 3, 32, 32));
a model normalises them itself, so its preprocessing is part of what is measured. Vision's
30% floor only keeps out models that learned nothing (chance is 10%); its budget is the
constraint, and accuracy the race: 10 ms at the 90th percentile, 100 images a second one at a
time, which a small CNN meets (median 0.5 ms) with room for a loaded machine's long tail.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Task:
    """A held-out classification test set: the inputs a submission sees and the labels only
    the harness sees."""

    name: str
    dataset: str  # "mnist" or "cifar10"
    classes: int

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        """(inputs float32 NCHW in [0, 1], labels int64) of the held-out split."""
        from tinytorch.datasets import load_cifar10, load_mnist

        loaders = {"mnist": load_mnist, "cifar10": load_cifar10}
        images, labels = loaders[self.dataset]("test")
        images = np.asarray(images, dtype=np.float32) / np.float32(255)
        if images.ndim == 3:
            images = images[:, None]
        return images, np.asarray(labels, dtype=np.int64)

    def load_inputs(self) -> np.ndarray:
        return self.load()[0]


@dataclass(frozen=True)
class Event:
    """One event of the Olympics.

    `metric` is the figure the event ranks by ("p90_latency_s", "size_bytes", "accuracy"), `better`
    says which direction wins; `min_accuracy` is the accuracy to qualify and
    `max_p90_latency_s` an optional latency budget. `queries` single-image queries are timed;
    `time_limit_s` bounds the whole evaluation of one submission (loading, every held-out
    answer, the timed queries) in its own process.
    """

    name: str
    title: str
    task: Task
    metric: str
    better: str  # "lower" or "higher"
    min_accuracy: float
    max_p90_latency_s: float | None = None
    queries: int = 1000
    time_limit_s: float = 300.0

    def ratio_to(self, value: float, baseline: float) -> float:
        """How many times better `value` is than `baseline` (> 1: better), the all-around
        score's unit."""
        if value <= 0 or baseline <= 0:
            raise ValueError(f"{self.name}: figures must be positive to compare, got {value} and {baseline}")
        return baseline / value if self.better == "lower" else value / baseline


MNIST = Task("MNIST digits", "mnist", 10)
CIFAR10 = Task("CIFAR-10", "cifar10", 10)

EVENTS = {
    "latency": Event("latency", "Latency sprint", MNIST, "p90_latency_s", "lower", 0.97),
    "lightweight": Event("lightweight", "Lightweight", MNIST, "size_bytes", "lower", 0.97),
    "vision": Event("vision", "Vision", CIFAR10, "accuracy", "higher", 0.30, max_p90_latency_s=0.010),
}


def get_event(name: str) -> Event:
    if name not in EVENTS:
        raise ValueError(f"no event {name!r}; the events are {', '.join(EVENTS)}")
    return EVENTS[name]


__all__ = ["CIFAR10", "EVENTS", "MNIST", "Event", "Task", "get_event"]
