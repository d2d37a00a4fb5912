"""Milestone 1986: a multi-layer perceptron trained with backpropagation on full MNIST.

Rumelhart, Hinton and Williams showed in 1986 that backpropagation trains hidden layers.
This recipe trains tinytorch's MLP on all 60,000 MNIST training digits and reports test
accuracy on the 10,000 test digits after every epoch, with wall time. Target: >= 98.0%.

    python -m milestones.mlp_1986                 # the recorded run (docs/benchmarks.md)
    python -m milestones.mlp_1986 --epochs 2      # a quick look
    python -m milestones.mlp_1986 --torch         # also time the same recipe in PyTorch (CPU)
    python -m milestones.mlp_1986 --save mlp.npz  # keep the trained weights (a checkpoint)

Data comes through `tinytorch.datasets.load_mnist` (set TINYTORCH_DATA to a local mirror).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import tinytorch
import tinytorch.nn as nn
from milestones.common import BatchProgress, PrintEpoch
from tinytorch.core.checkpoint import save_checkpoint
from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.schedulers import CosineAnnealingLR
from tinytorch.core.training import Trainer
from tinytorch.core.transforms import Compose, Normalize, ToFloat
from tinytorch.datasets import load_mnist

MEAN, STD = 0.1307, 0.3081  # MNIST training-set pixel statistics (checked in tests/datasets)


def build_model(hidden: list[int], dropout: float) -> nn.Module:
    layers, width = [nn.Flatten()], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, 10))


def train_tinytorch(args, data, progress=None) -> dict:
    (x_train, y_train), (x_test, y_test) = data
    tinytorch.manual_seed(args.seed)
    normalize = Compose([ToFloat(), Normalize(MEAN, STD)])
    train = DataLoader(TensorDataset(x_train, y_train), args.batch_size, shuffle=True,
                       transform=normalize)
    test = DataLoader(TensorDataset(x_test, y_test), 1000, transform=normalize)
    model = build_model(args.hidden, args.dropout)
    optimizer = tinytorch.optim.Adam(model.parameters(), lr=args.lr)
    callbacks = [PrintEpoch()]
    if progress is not None:
        callbacks.append(BatchProgress(progress(total=args.epochs * len(train), unit="batches")))
    trainer = Trainer(model, optimizer, scheduler=CosineAnnealingLR(optimizer, args.epochs),
                      callbacks=callbacks)
    start = time.perf_counter()
    history = trainer.fit(train, test, epochs=args.epochs)
    if args.save:
        print(f"trained weights saved to {save_checkpoint(args.save, model)}")
    return {"accuracy": history[-1]["val_accuracy"], "seconds": time.perf_counter() - start,
            "epoch_seconds": float(np.median([h["seconds"] for h in history])), "epochs": len(history)}


def train_torch(args, data, epochs: int) -> dict:
    """The same recipe in PyTorch, for the time ratio (same model, optimizer, schedule, batches)."""
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    (x_train, y_train), (x_test, y_test) = data
    to_x = lambda a: (torch.from_numpy(np.array(a)).float().div(255) - MEAN) / STD  # noqa: E731
    xt, yt = to_x(x_train).reshape(-1, 784), torch.from_numpy(y_train)
    xv, yv = to_x(x_test).reshape(-1, 784), torch.from_numpy(y_test)
    layers, width = [], 784
    for h in args.hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU(), torch.nn.Dropout(args.dropout)]
        width = h
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, 10))
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.epochs)
    times, acc = [], 0.0
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        for idx in torch.randperm(len(xt)).split(args.batch_size):
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        model.eval()
        with torch.no_grad():
            acc = float((model(xv).argmax(1) == yv).float().mean())
        times.append(time.perf_counter() - start)
    return {"accuracy": acc, "epoch_seconds": float(np.median(times))}


def main(argv: list[str] | None = None, progress=None) -> dict:
    """Train and print the figures; returns them as values (tinytorch's, and PyTorch's under
    "torch" with --torch), for tests, benchmarks and `tinytorch milestone run`, which passes
    `progress(total=, unit=)`: a progress bar advanced after every batch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--hidden", type=int, nargs="+", default=[512, 256])
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--torch", action="store_true", help="also time PyTorch on the same recipe")
    parser.add_argument("--torch-epochs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="only the first N train and test images (a quick look)")
    parser.add_argument("--save", metavar="PATH", help="save the trained model as a checkpoint (.npz)")
    args = parser.parse_args(argv)

    data = tuple((x[:args.limit], y[:args.limit]) for x, y in (load_mnist("train"), load_mnist("test")))
    print(f"MLP 784-{'-'.join(map(str, args.hidden))}-10, Adam lr {args.lr} cosine, batch "
          f"{args.batch_size}, dropout {args.dropout}, {args.epochs} epochs, MNIST "
          f"({len(data[0][0])} train / {len(data[1][0])} test)")
    ours = train_tinytorch(args, data, progress)
    print(f"tinytorch: test accuracy {ours['accuracy']:.4f}, wall time {ours['seconds']:.1f} s, "
          f"median epoch {ours['epoch_seconds']:.2f} s")
    if args.torch:
        try:
            theirs = train_torch(args, data, args.torch_epochs)
        except ImportError:
            print("PyTorch not importable (pip install torch==2.13.0 for the CPU build)")
            return ours
        print(f"pytorch ({args.torch_epochs} epochs): median epoch {theirs['epoch_seconds']:.2f} s; "
              f"epoch time ratio tinytorch/pytorch = {ours['epoch_seconds'] / theirs['epoch_seconds']:.2f}")
        return ours | {"torch": theirs}
    return ours


if __name__ == "__main__":
    main()
