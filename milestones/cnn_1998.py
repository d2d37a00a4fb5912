"""Milestone 1998: convolutional networks, LeNet on MNIST and a small VGG-style net on CIFAR-10.

LeCun, Bottou, Bengio and Haffner's "Gradient-based learning applied to document
recognition" (1998) trained LeNet-5: convolutions share weights across positions, pooling
shrinks the image, and a few fully connected layers classify. This recipe trains tinytorch's
Conv2d, MaxPool2d and BatchNorm2d on 2 CPU cores and prints test accuracy after every epoch,
with wall time.

    python -m milestones.cnn_1998 --dataset mnist      # LeNet-style, target >= 99.0%
    python -m milestones.cnn_1998 --dataset cifar10    # augmented CNN, target >= 75%
    python -m milestones.cnn_1998 --save lenet.npz     # keep the trained weights (a checkpoint)

CIFAR-10 images are augmented per batch (random crop after 4 pixels of zero padding, random
horizontal flip; see `tinytorch.core.transforms`), and the learning rate follows a one-cycle
schedule (linear warm-up, then cosine decay to 0) stepped after every batch.
Data comes through `tinytorch.datasets` (set TINYTORCH_DATA to a local mirror).
"""

from __future__ import annotations

import argparse
import time

import tinytorch
import tinytorch.nn as nn
from milestones.common import BatchProgress, PrintEpoch
from tinytorch.core import spatial
from tinytorch.core.checkpoint import save_checkpoint
from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.losses import cross_entropy
from tinytorch.core.optimizers import SGD, Adam
from tinytorch.core.schedulers import LinearWarmupLR
from tinytorch.core.training import StepSchedulePerBatch, Trainer
from tinytorch.core.transforms import (
    Compose,
    Normalize,
    RandomCrop,
    RandomHorizontalFlip,
    ToFloat,
)
from tinytorch.datasets import load_cifar10, load_mnist

# Training-set pixel statistics (the CIFAR figures are in the data mirror's README).
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081
CIFAR_MEAN, CIFAR_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


def lenet(dropout: float) -> nn.Module:
    """LeNet-5's layout (two conv + pool stages, three fully connected layers), with ReLU and
    max pooling as modern versions use, and wider convolutions (16 and 32 maps)."""
    return nn.Sequential(
        spatial.Conv2d(1, 16, 5, padding=2), nn.ReLU(), spatial.MaxPool2d(2),   # 16 x 14 x 14
        spatial.Conv2d(16, 32, 5), nn.ReLU(), spatial.MaxPool2d(2),             # 32 x 5 x 5
        nn.Flatten(),
        nn.Linear(32 * 5 * 5, 120), nn.ReLU(), nn.Dropout(dropout),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def vgg_style(widths: list[str]) -> nn.Module:
    """3x3 conv + BatchNorm + ReLU for every number in `widths`, a 2x2 max pool for every
    'p', then global average pooling and one Linear layer to the 10 classes."""
    layers, channels = [], 3
    for item in widths:
        if item == "p":
            layers.append(spatial.MaxPool2d(2))
            continue
        width = int(item)
        layers += [spatial.Conv2d(channels, width, 3, padding=1, bias=False),
                   spatial.BatchNorm2d(width), nn.ReLU()]
        channels = width
    return nn.Sequential(*layers, spatial.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(channels, 10))


def main(argv: list[str] | None = None, progress=None) -> dict:
    """Run the recipe; returns the dataset and the measured figures. `progress(total=, unit=)`
    makes a progress bar advanced after every batch (`tinytorch milestone run` passes one)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["mnist", "cifar10"], default="mnist")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--lr", type=float)
    parser.add_argument("--widths", default="32,p,64,64,p,128,128,p,256",
                        help="CIFAR net: conv widths and 'p' for pooling, comma-separated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, help="only the first N train and test images (a quick look)")
    parser.add_argument("--save", metavar="PATH", help="save the trained model as a checkpoint (.npz)")
    args = parser.parse_args(argv)
    tinytorch.manual_seed(args.seed)

    if args.dataset == "mnist":
        epochs, batch_size = args.epochs or 10, args.batch_size or 128
        (x_train, y_train), (x_test, y_test) = load_mnist("train"), load_mnist("test")
        x_train, x_test = x_train[:, None], x_test[:, None]  # (N, 1, 28, 28)
        normalize = Compose([ToFloat(), Normalize(MNIST_MEAN, MNIST_STD)])
        augment = Compose([RandomCrop(28, padding=2), normalize])
        model = lenet(dropout=0.2)
        optimizer = Adam(model.parameters(), lr=args.lr or 2e-3)
        loss_fn = cross_entropy
    else:
        epochs, batch_size = args.epochs or 4, args.batch_size or 128
        (x_train, y_train), (x_test, y_test) = load_cifar10("train"), load_cifar10("test")
        normalize = Compose([ToFloat(), Normalize(CIFAR_MEAN, CIFAR_STD)])
        augment = Compose([RandomCrop(32, padding=4), RandomHorizontalFlip(), normalize])
        model = vgg_style(args.widths.split(","))
        optimizer = SGD(model.parameters(), lr=args.lr or 0.1, momentum=0.9, nesterov=True,
                        weight_decay=5e-4)

        def loss_fn(logits, y):
            return cross_entropy(logits, y, label_smoothing=0.1)

    x_train, y_train, x_test, y_test = (a[:args.limit] for a in (x_train, y_train, x_test, y_test))
    train = DataLoader(TensorDataset(x_train, y_train), batch_size, shuffle=True,
                       transform=augment)
    test = DataLoader(TensorDataset(x_test, y_test), 1000, transform=normalize)
    print(f"{args.dataset}: {len(x_train)} train / {len(x_test)} test images, "
          f"{model.num_parameters():,} parameters, batch {batch_size}, {epochs} epochs, "
          f"{type(optimizer).__name__} peak lr {optimizer.param_groups[0]['lr']:.3g}, one-cycle",
          flush=True)
    steps = epochs * len(train)
    schedule = LinearWarmupLR(optimizer, warmup_steps=max(steps // 5, 1), total_steps=steps)
    print(model, flush=True)
    callbacks = [StepSchedulePerBatch(schedule), PrintEpoch()]
    if progress is not None:
        callbacks.append(BatchProgress(progress(total=steps, unit="batches")))
    trainer = Trainer(model, optimizer, loss_fn=loss_fn, callbacks=callbacks)
    start = time.perf_counter()
    history = trainer.fit(train, test, epochs=epochs)
    results = {"dataset": args.dataset, "test_accuracy": history[-1]["val_accuracy"],
               "seconds": time.perf_counter() - start, "epochs": len(history)}
    print(f"final test accuracy {results['test_accuracy']:.4f}, wall time {results['seconds']:.1f} s",
          flush=True)
    if args.save:
        print(f"trained weights saved to {save_checkpoint(args.save, model)}")
    return results


if __name__ == "__main__":
    main()
