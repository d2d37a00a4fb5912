"""Step time of the MNIST-shaped MLP (784-128-64-10, ReLU, Adam 1e-3, batch 128):
tinytorch against a hand-written NumPy forward/backward/Adam of the same network, and
against PyTorch on the CPU when it is importable. All run in one process, interleaved, from
the same initial weights on the same batches, and the script prints the ratios.

    python bench/bench_mlp.py [--steps 200] [--rounds 5]

Targets (issue 2): tinytorch / NumPy <= 1.25, tinytorch / PyTorch <= 1.5.
Real MNIST is used when `tinytorch.datasets` finds it (TINYTORCH_DATA), random data otherwise.
"""

import argparse
import math
import statistics
import time

import numpy as np

import tinytorch
import tinytorch.nn as nn
import tinytorch.nn.functional as F

SIZES = (784, 128, 64, 10)
BATCH, LR, BETAS, EPS = 128, 1e-3, (0.9, 0.999), 1e-8


def load_batches(steps: int, rng: np.random.Generator):
    """`steps` batches of (x float32 (128, 784) in [0, 1], y int64 (128,)), real MNIST if found."""
    source = "random"
    try:
        from tinytorch.datasets import load_mnist

        images, labels = load_mnist("train")
        x_all = images.reshape(len(images), -1).astype(np.float32) / 255
        y_all = labels.astype(np.int64)
        source = "MNIST"
    except Exception as error:  # no loader or no data: the benchmark still runs
        print(f"(real MNIST unavailable: {error}; using random data)")
        x_all = rng.random((BATCH * steps, 784), dtype=np.float32)
        y_all = rng.integers(0, 10, BATCH * steps)
    order = rng.permutation(len(x_all))[: BATCH * steps]
    return source, [(x_all[i], y_all[i]) for i in np.array_split(order, steps)]


class TinytorchMLP:
    def __init__(self):
        self.model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                                   nn.Linear(64, 10))
        self.opt = tinytorch.optim.Adam(self.model.parameters(), lr=LR, betas=BETAS, eps=EPS)

    def weights(self):
        return [p.data.copy() for p in self.model.parameters()]

    def step(self, x, y) -> float:
        loss = F.cross_entropy(self.model(tinytorch.Tensor(x)), y)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return float(loss.data)


class NumpyMLP:
    """What a careful person writes by hand: fused bias adds, in-place Adam, no framework."""

    def __init__(self, weights):
        self.params = [w.copy() for w in weights]  # W1, b1, W2, b2, W3, b3; W as (out, in)
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def step(self, x, y) -> float:
        W1, b1, W2, b2, W3, b3 = self.params
        h1 = x @ W1.T + b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ W2.T + b2
        a2 = np.maximum(h2, 0)
        logits = a2 @ W3.T + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        n = len(y)
        loss = -log_probs[np.arange(n), y].mean()
        d3 = np.exp(log_probs)
        d3[np.arange(n), y] -= 1
        d3 /= n
        d2 = (d3 @ W3) * (h2 > 0)
        d1 = (d2 @ W2) * (h1 > 0)
        grads = [d1.T @ x, d1.sum(0), d2.T @ a1, d2.sum(0), d3.T @ a2, d3.sum(0)]
        self.t += 1
        b1_, b2_ = BETAS
        step = LR * math.sqrt(1 - b2_**self.t) / (1 - b1_**self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m *= b1_
            m += (1 - b1_) * g
            v *= b2_
            v += (1 - b2_) * (g * g)
            denom = np.sqrt(v)
            denom += EPS * math.sqrt(1 - b2_**self.t)
            p -= step * (m / denom)
        return float(loss)


class TorchMLP:
    def __init__(self, weights):
        import torch

        self.torch = torch
        self.model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(),
                                         torch.nn.Linear(128, 64), torch.nn.ReLU(),
                                         torch.nn.Linear(64, 10))
        with torch.no_grad():
            for p, w in zip(self.model.parameters(), weights, strict=True):
                p.copy_(torch.from_numpy(w))
        self.opt = torch.optim.Adam(self.model.parameters(), lr=LR, betas=BETAS, eps=EPS)

    def step(self, x, y) -> float:
        torch = self.torch
        loss = torch.nn.functional.cross_entropy(self.model(torch.from_numpy(x)),
                                                 torch.from_numpy(y))
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return loss.item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200, help="steps per round")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; median is kept")
    args = parser.parse_args()

    tinytorch.manual_seed(0)
    source, batches = load_batches(args.steps, np.random.default_rng(0))
    runners = {"tinytorch": TinytorchMLP()}
    weights = runners["tinytorch"].weights()
    runners["numpy"] = NumpyMLP(weights)
    try:
        import torch

        torch.set_num_threads(2)
        runners["pytorch"] = TorchMLP(weights)
    except ImportError:
        print("(PyTorch not importable: pip install torch==2.13.0 for the PyTorch ratio)")

    # Same weights, same batches: the first losses must agree, or we are timing different work.
    first = {name: r.step(*batches[0]) for name, r in runners.items()}
    print("first-step loss:", ", ".join(f"{k} {v:.5f}" for k, v in first.items()))

    times = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, runner in runners.items():
            start = time.perf_counter()
            for x, y in batches:
                runner.step(x, y)
            times[name].append((time.perf_counter() - start) / len(batches))
    per_step = {name: statistics.median(t) for name, t in times.items()}

    print(f"MLP 784-128-64-10, Adam, batch {BATCH}, {source} data, {args.steps} steps x "
          f"{args.rounds} rounds, numpy {np.__version__}, kernel "
          f"{tinytorch.core.kernels.active_matmul_kernel()}")
    for name, t in per_step.items():
        print(f"  {name:10s} {t * 1e3:7.3f} ms/step")
    print(f"ratio tinytorch/numpy   = {per_step['tinytorch'] / per_step['numpy']:.3f}  (target <= 1.25)")
    if "pytorch" in per_step:
        print(f"ratio tinytorch/pytorch = {per_step['tinytorch'] / per_step['pytorch']:.3f}  "
              "(target <= 1.5)")


if __name__ == "__main__":
    main()
