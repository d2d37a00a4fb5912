"""Batches per second of `DataLoader` against plain NumPy fancy indexing of the same arrays
(MNIST-shaped: 60,000 x 28 x 28 uint8 images, int64 labels), shuffled, batch 128, with and
without a per-batch transform (ToFloat + Normalize). Prints the ratios from one run.

    python bench/bench_dataloader.py [--epochs 3]
"""

import argparse
import time

import numpy as np

from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.transforms import Compose, Normalize, ToFloat

BATCH = 128


def numpy_epoch(images, labels, rng, transform):
    order = rng.permutation(len(images))
    count = 0
    for start in range(0, len(order), BATCH):
        idx = order[start:start + BATCH]
        x, _ = images[idx], labels[idx]
        if transform is not None:
            x = transform(x)
        count += 1
    return count


def loader_epoch(loader):
    return sum(1 for _ in loader)


def best_rate(run, epochs):
    rates = []
    for _ in range(epochs):
        start = time.perf_counter()
        batches = run()
        rates.append(batches / (time.perf_counter() - start))
    return max(rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (60_000, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 60_000)
    normalize = Compose([ToFloat(), Normalize(0.1307, 0.3081)])
    for name, transform in (("raw uint8", None), ("ToFloat+Normalize", normalize)):
        loader = DataLoader(TensorDataset(images, labels), BATCH, shuffle=True, seed=0, transform=transform)
        ours = best_rate(lambda loader=loader: loader_epoch(loader), args.epochs)
        plain = best_rate(lambda t=transform: numpy_epoch(images, labels, rng, t), args.epochs)
        print(f"{name:18s} DataLoader {ours:9.0f} batches/s, NumPy indexing {plain:9.0f} batches/s, "
              f"ratio loader/numpy time = {plain / ours:.2f}")


if __name__ == "__main__":
    main()
