"""MLPerf-style scenarios: the questions a deployed model is asked, answered with its accuracy.

- single-stream: one query at a time, the next sent when the previous answer arrives (a phone
  classifying the photo you just took). The metric is the 90th-percentile latency: nine
  queries in ten are answered at least this fast.
- offline: every query available at once, batched as the system likes (labelling a photo
  archive overnight). The metric is throughput in samples per second.

Either way the harness computes the accuracy itself, from the model's outputs on held-out data
it is given, and a result holds no other accuracy: a figure the model's author states is never
part of a benchmark (the best-known course of this kind reports made-up accuracies).
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

import numpy as np

from tinytorch.bench.stats import percentiles
from tinytorch.core.autograd import no_grad
from tinytorch.core.module import Module
from tinytorch.core.tensor import Tensor


@dataclass
class ScenarioResult:
    scenario: str
    accuracy: float
    samples: int
    metrics: dict = field(default_factory=dict)

    def __str__(self) -> str:
        shown = ", ".join(f"{k} {v:.4g}" for k, v in self.metrics.items() if isinstance(v, float))
        return f"{self.scenario}: accuracy {self.accuracy:.2%} on {self.samples} samples, {shown}"


def accuracy(outputs, labels) -> float:
    """Share of correct answers: `outputs` are scores (N, classes), argmax taken, or class ids (N,)."""
    outputs = np.asarray(outputs.data if isinstance(outputs, Tensor) else outputs)
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels).reshape(-1)
    predicted = outputs.argmax(axis=-1) if outputs.ndim == 2 else outputs.reshape(-1)
    if predicted.shape != labels.shape:
        raise ValueError(f"{predicted.shape[0]} predictions for {labels.shape[0]} labels "
                         f"(outputs of shape {outputs.shape})")
    if labels.size == 0:
        raise ValueError("accuracy of an empty set is undefined")
    return float((predicted == labels).mean())


@contextlib.contextmanager
def _serving(model):
    """A callable on NumPy batches: a Module runs in eval mode without a graph (its mode is
    restored afterwards); any other callable is used as it is."""
    if not isinstance(model, Module):
        yield model
        return
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            yield lambda batch: model(Tensor(batch)).data
    finally:
        model.train(was_training)


def _check_data(inputs, labels) -> tuple[np.ndarray, np.ndarray]:
    inputs = np.asarray(inputs.data if isinstance(inputs, Tensor) else inputs)
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if len(inputs) != len(labels) or len(inputs) == 0:
        raise ValueError(f"need as many held-out inputs as labels, at least one: got "
                         f"{len(inputs)} inputs and {len(labels)} labels")
    return inputs, labels


def single_stream(model, inputs, labels, *, warmup: int = 5) -> ScenarioResult:
    """Send every held-out sample as its own query, one after the other; report p50/p90/p99
    latency (p90 is the scenario's metric) and the accuracy of the answers."""
    inputs, labels = _check_data(inputs, labels)
    outputs, latencies = [], []
    with _serving(model) as predict:
        for i in range(min(warmup, len(inputs))):
            predict(inputs[i:i + 1])
        for i in range(len(inputs)):
            start = time.perf_counter()
            out = predict(inputs[i:i + 1])
            latencies.append(time.perf_counter() - start)
            outputs.append(np.asarray(out)[0])
    p = percentiles(latencies)
    return ScenarioResult("single_stream", accuracy(np.stack(outputs), labels), len(inputs), {
        "p50_latency_s": p["p50"], "p90_latency_s": p["p90"], "p99_latency_s": p["p99"],
        "mean_latency_s": float(np.mean(latencies)), "queries": len(inputs)})


def offline(model, inputs, labels, *, batch_size: int = 256) -> ScenarioResult:
    """Answer every held-out sample in batches of `batch_size` (after one warm-up batch);
    report throughput (the scenario's metric) and the accuracy of the answers."""
    inputs, labels = _check_data(inputs, labels)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    outputs = []
    with _serving(model) as predict:
        predict(inputs[:batch_size])
        start = time.perf_counter()
        for i in range(0, len(inputs), batch_size):
            outputs.append(np.asarray(predict(inputs[i:i + batch_size])))
        seconds = time.perf_counter() - start
    return ScenarioResult("offline", accuracy(np.concatenate(outputs), labels), len(inputs), {
        "throughput_per_s": len(inputs) / seconds, "total_s": seconds, "batch_size": batch_size})


__all__ = ["ScenarioResult", "accuracy", "offline", "single_stream"]
