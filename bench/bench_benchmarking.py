"""Module 19's harness on real models: MLPs of three widths trained on MNIST, then benchmarked
the MLPerf way with accuracy computed by the harness on the 10,000 held-out test digits.

    OPENBLAS_NUM_THREADS=1 python bench/bench_benchmarking.py [--epochs 1] [--out results/]

For each width: single-stream (one digit per query, p90 latency) on the first 1,000 test digits
and offline (batches of 256, throughput) on all 10,000, each saved as a JSON result with the
system's description; then the Pareto front over accuracy, p90 latency and size, and a
comparison of the two smallest models' single-query latency that says whether it is
significant. Data comes through `tinytorch.datasets.load_mnist` (TINYTORCH_DATA).
"""

import argparse
import os
from pathlib import Path

import numpy as np

import tinytorch
from tinytorch.bench import (
    BenchmarkResult,
    compare,
    measure_interleaved,
    offline,
    pareto_front,
    points_from_results,
    single_stream,
)
from tinytorch.core.activations import ReLU
from tinytorch.core.layers import Linear, Sequential
from tinytorch.core.losses import cross_entropy
from tinytorch.core.optimizers import Adam
from tinytorch.datasets import load_mnist

WIDTHS = (16, 64, 512)


def prepare(images: np.ndarray) -> np.ndarray:
    return ((images.reshape(len(images), -1) / 255.0 - 0.1307) / 0.3081).astype(np.float32)


def train(width: int, x: np.ndarray, y: np.ndarray, epochs: int, rng) -> Sequential:
    tinytorch.manual_seed(0)
    model = Sequential(Linear(784, width), ReLU(), Linear(width, 10))
    opt = Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), 128):
            batch = order[start:start + 128]
            opt.zero_grad()
            cross_entropy(model(tinytorch.tensor(x[batch])), y[batch]).backward()
            opt.step()
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="folder for the JSON results")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    train_x, train_y = load_mnist("train")
    test_x, test_y = load_mnist("test")
    train_x, test_x = prepare(train_x), prepare(test_x)
    print(f"load average {os.getloadavg()[0]:.1f}; OPENBLAS_NUM_THREADS="
          f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    results, models = [], {}
    for width in WIDTHS:
        model = train(width, train_x, train_y, args.epochs, rng)
        models[width] = model
        stream = BenchmarkResult.from_scenario(f"mlp-{width} single-stream",
                                               single_stream(model, test_x[:1000], test_y[:1000]), model)
        batch = BenchmarkResult.from_scenario(f"mlp-{width} offline",
                                              offline(model, test_x, test_y, batch_size=256), model)
        results.append(stream)
        ms = {k: stream.metrics[f"{k}_latency_s"] * 1e3 for k in ("p50", "p90", "p99")}
        print(f"MLP 784-{width}-10 ({stream.model['size_bytes'] / 1024:.0f} KiB): "
              f"single-stream accuracy {stream.accuracy:.2%} on {stream.samples}, p90 {ms['p90']:.3f} ms "
              f"(p50 {ms['p50']:.3f}, p99 {ms['p99']:.3f}); offline accuracy {batch.accuracy:.2%} on "
              f"{batch.samples}, {batch.metrics['throughput_per_s']:.0f} digits/s")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            stream.save(args.out / f"mlp-{width}-single-stream.json")
            batch.save(args.out / f"mlp-{width}-offline.json")
    front = pareto_front(points_from_results(results))
    print("Pareto front (accuracy, p90 latency, size):", ", ".join(p["name"] for p in front))
    one = tinytorch.tensor(test_x[:1])
    names = [f"mlp-{w}" for w in WIDTHS[:2]]
    small, large = (models[w].eval() for w in WIDTHS[:2])
    with tinytorch.no_grad():
        t = measure_interleaved({names[0]: lambda: small(one), names[1]: lambda: large(one)},
                                time_budget=3.0)
    print("single-query latency:", compare(t[names[0]], t[names[1]]))


if __name__ == "__main__":
    main()
