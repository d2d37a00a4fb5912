"""One training step of a real model, profiled: module 14's measurements of the course's own
models (the 1986 MLP and a LeNet), with the profiler, FLOP counter, roofline and memory report of
`tinytorch.perf`, so the app only wires and draws.

Why untrained models: time, FLOPs and bytes depend on the shapes of the arrays, not on the
values of the weights, so a freshly initialised network costs exactly what a trained one does.
Why random pixels: the same, for the inputs (a digit costs what noise of its shape costs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from tinytorch.core import spatial
from tinytorch.core.activations import ReLU
from tinytorch.core.layers import Flatten, Linear, Sequential
from tinytorch.core.losses import cross_entropy
from tinytorch.core.optimizers import Adam
from tinytorch.core.tensor import Tensor
from tinytorch.course.recorded import PYODIDE_COMMAND, Recorded
from tinytorch.perf.profiling import memory_report, profile

_NATIVE = "OPENBLAS_NUM_THREADS=1 python bench/bench_profiling.py"
# What the benchmarks recorded (docs/benchmarks-optimization-speed.md), shown beside the live figures.
RECORDED = [
    Recorded("matmul peak, 512^3 float32, one BLAS thread (native)", "160 GFLOP/s", _NATIVE),
    Recorded("copy bandwidth, 64 MiB (native)", "6.2 GB/s", _NATIVE),
    Recorded("ridge point (native)", "25.9 FLOP/B", _NATIVE),
    Recorded("einsum matmul peak, 256^3 (Pyodide under Node)", "3.1 GFLOP/s", PYODIDE_COMMAND),
    Recorded("copy bandwidth (Pyodide under Node)", "7.6 GB/s", PYODIDE_COMMAND),
    Recorded("ridge point (Pyodide under Node)", "0.41 FLOP/B", PYODIDE_COMMAND),
    Recorded("Adam's state / parameter bytes, MLP 784-512-256-10", "2.00x", _NATIVE),
]


def mlp_1986(hidden: int = 128) -> Sequential:
    """The network of milestone 1986: 784 pixels -> `hidden` ReLU units -> 10 digits."""
    return Sequential(Flatten(), Linear(784, hidden), ReLU(), Linear(hidden, 10))


def lenet(filters: tuple[int, int] = (6, 16)) -> Sequential:
    """The LeNet of milestone 1998: conv 5x5 -> ReLU -> pool, twice, then one Linear layer."""
    first, second = filters
    return Sequential(spatial.Conv2d(1, first, 5), ReLU(), spatial.MaxPool2d(2),
                      spatial.Conv2d(first, second, 5), ReLU(), spatial.MaxPool2d(2),
                      Flatten(), Linear(second * 4 * 4, 10))


def digit_batch(batch: int, seed: int = 0) -> tuple[Tensor, np.ndarray]:
    """A batch shaped like normalised MNIST digits (N, 1, 28, 28) and its labels, random."""
    if batch < 1:
        raise ValueError(f"batch must be >= 1, got {batch}")
    rng = np.random.default_rng(seed)
    return Tensor(rng.standard_normal((batch, 1, 28, 28)).astype(np.float32)), rng.integers(0, 10, batch)


@dataclass
class ProfiledStep:
    """What one training step (forward, loss, backward, Adam update) of `name` cost.

    `prof` holds every op; `memory` is `memory_report` taken right after the forward pass, when
    the step holds the most: weights, gradients, Adam's state and the saved activations.
    `seconds` splits the step's wall time into the ops the profiler timed, the framework around
    them (Python, building and walking the graph, the profiler's own hooks) and the update,
    which works on raw arrays and so runs no ops."""

    name: str
    model: Sequential
    batch: int
    prof: profile
    memory: dict
    seconds: dict

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    def share(self, part: str) -> float:
        return self.seconds[part] / self.total_seconds


def profile_step(name: str, model, x: Tensor, y: np.ndarray, lr: float = 1e-3) -> ProfiledStep:
    """Profile one training step with Adam, after an unprofiled warm-up step (which creates the
    gradients and Adam's state, and pays first-call costs, as any step after the first)."""
    optimizer = Adam(model.parameters(), lr=lr)
    for _ in range(2):  # the warm-up step, then the one whose memory is measured
        loss = cross_entropy(model(x), y)
        memory = memory_report(model, optimizer, loss)
        loss.backward()
        optimizer.step()
    with profile() as prof:
        start = time.perf_counter()
        loss = cross_entropy(model(x), y)
        forward = time.perf_counter()
        loss.backward()
        backward = time.perf_counter()
    optimizer.step()
    update = time.perf_counter()
    forward_ops, backward_ops = prof.total_seconds("forward"), prof.total_seconds("backward")
    seconds = {"forward ops": forward_ops, "forward framework": max(forward - start - forward_ops, 0.0),
               "backward ops": backward_ops,
               "backward framework": max(backward - forward - backward_ops, 0.0),
               "Adam update": update - backward}
    return ProfiledStep(name, model, len(y), prof, memory, seconds)


def conv_layer_counts(step: ProfiledStep) -> list[dict]:
    """Each Conv2d of the profiled model: its settings, the input shape it saw in the profiled
    forward pass and the FLOPs the profiler counted for it, to check a hand count against."""
    root = type(step.model).__name__
    convs = {f"{root}.{path}": m for path, m in step.model.named_modules() if isinstance(m, spatial.Conv2d)}
    rows = []
    for e in step.prof.events:
        if e.phase == "forward" and e.module and e.module[-1] in convs and e.name == "Conv2d":
            layer = convs[e.module[-1]]
            rows.append({"layer": e.module[-1], "x_shape": tuple(e.input_shapes[0]),
                         "out_channels": layer.out_channels, "kernel_size": layer.kernel_size[0],
                         "stride": layer.stride[0], "padding": layer.padding[0],
                         "bias": layer.bias is not None, "profiler_flops": e.flops})
    return rows


def time_split_records(steps: list[ProfiledStep]) -> list[dict]:
    """Milliseconds per part of each step, as records for a stacked bar."""
    return [{"model": s.name, "part": part, "ms": 1e3 * sec}
            for s in steps for part, sec in s.seconds.items()]


def top_ops(step: ProfiledStep, limit: int = 6) -> list[dict]:
    """The op kinds that took the most time, with their share of the step's op time."""
    total = step.prof.total_seconds()
    return [{"model": step.name, "op": r.name, "share": r.seconds / total, "ms": 1e3 * r.seconds,
             "MFLOP": r.flops / 1e6} for r in step.prof.rows(sort_by="time")[:limit]]


def memory_records(steps: list[ProfiledStep]) -> list[dict]:
    """KiB of each kind of memory per model, as records for a stacked bar."""
    return [{"model": s.name, "memory": kind, "KiB": s.memory[kind] / 1024}
            for s in steps for kind in ("parameters", "gradients", "optimizer_state", "activations")]


__all__ = ["RECORDED", "ProfiledStep", "conv_layer_counts", "digit_batch", "lenet", "memory_records",
           "mlp_1986", "profile_step", "time_split_records", "top_ops"]
