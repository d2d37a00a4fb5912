"""Reference submissions: shipped as source (`submission.py`) and a seeded training script
(`train.py`), trained into a cache on first use, so the repository holds no weights and every
figure reproduces from a clone.

    folder = materialize("mnist_mlp_baseline")     # trains once (about a minute), then cached
    evaluate(folder, "latency")

`train.py` defines `train(limit=None) -> dict[str, np.ndarray]`, the arrays `build_model`
receives (`limit`: only the first N training images, for quick runs). The cache folder's name
carries a hash of both files and of `limit`, so a changed recipe or a quick run never passes
for the full one. `TINYTORCH_CAPSTONE_CACHE` moves the cache (default ~/.cache/tinytorch/capstone).

| reference | events | what it is |
|---|---|---|
| mnist_mlp_baseline | latency, lightweight | 784-256-128-10 MLP, float32, tinytorch Modules |
| mnist_mlp_fast | latency | 784-128-10, served by one fused float32 NumPy forward |
| mnist_mlp_int8 | lightweight | 784-96-10, blank input pixels pruned, int8 per row, compressed .npz |
| cifar_mlp_baseline | vision | 3072-256-10 MLP, float32 |
| cifar_cnn_small | vision | two conv3x3-ReLU-maxpool stages (16, 32 maps) and one Linear |
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from pathlib import Path

import numpy as np

import tinytorch
from tinytorch.capstone.rules import SOURCE_FILE, WEIGHTS_FILE
from tinytorch.core.checkpoint import _write_npz
from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.schedulers import CosineAnnealingLR
from tinytorch.core.training import Trainer
from tinytorch.core.transforms import ToFloat

REFERENCES_DIR = Path(__file__).parent / "references"
TRAIN_FILE = "train.py"
BASELINES = {"latency": "mnist_mlp_baseline", "lightweight": "mnist_mlp_baseline",
             "vision": "cifar_mlp_baseline"}
OPTIMIZED = {"latency": "mnist_mlp_fast", "lightweight": "mnist_mlp_int8", "vision": "cifar_cnn_small"}


def references() -> list[str]:
    return sorted(p.name for p in REFERENCES_DIR.iterdir() if (p / SOURCE_FILE).is_file())


def cache_dir() -> Path:
    return Path(os.environ.get("TINYTORCH_CAPSTONE_CACHE", Path.home() / ".cache" / "tinytorch" / "capstone"))


def _recipe_key(source: Path, limit: int | None) -> str:
    h = hashlib.sha256()
    for name in (SOURCE_FILE, TRAIN_FILE):
        h.update((source / name).read_bytes())
    h.update(repr(limit).encode())
    return h.hexdigest()[:12]


def materialize(name: str, limit: int | None = None, cache: Path | None = None) -> Path:
    """A complete submission folder (submission.py + weights.npz) for reference `name`,
    training it first if the cache does not hold this exact recipe yet."""
    source = REFERENCES_DIR / name
    if not (source / TRAIN_FILE).is_file():
        raise ValueError(f"no reference {name!r}; the references are {', '.join(references())}")
    suffix = "" if limit is None else f"-limit{limit}"
    folder = Path(cache or cache_dir()) / f"{name}{suffix}-{_recipe_key(source, limit)}"
    if (folder / WEIGHTS_FILE).is_file() and (folder / SOURCE_FILE).is_file():
        return folder
    spec = importlib.util.spec_from_file_location(f"capstone_train_{name}", source / TRAIN_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    weights = module.train(limit=limit)
    _write_npz(folder / WEIGHTS_FILE, weights, compressed=getattr(module, "COMPRESSED", False))
    shutil.copyfile(source / SOURCE_FILE, folder / SOURCE_FILE)
    return folder


def mnist_training_set(limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """MNIST's 60,000 training digits (never the held-out test set), uint8 (N, 28, 28)."""
    from tinytorch.datasets import load_mnist

    images, labels = load_mnist("train")
    return images[:limit], labels[:limit]


def cifar10_training_set(limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """CIFAR-10's 50,000 training images (never the held-out test set), uint8 (N, 3, 32, 32)."""
    from tinytorch.datasets import load_cifar10

    images, labels = load_cifar10("train")
    return images[:limit], labels[:limit]


def train_classifier(model, images, labels, *, epochs: int, lr: float = 1e-3, batch_size: int = 128,
                     seed: int = 0):
    """Adam with cosine decay on images scaled to [0, 1] (as the harness serves them); seeded
    (initialisation happens before, under the same seed: call `tinytorch.manual_seed` first)."""
    tinytorch.manual_seed(seed)
    loader = DataLoader(TensorDataset(images, labels), batch_size, shuffle=True, transform=ToFloat())
    optimizer = tinytorch.optim.Adam(model.parameters(), lr=lr)
    Trainer(model, optimizer, scheduler=CosineAnnealingLR(optimizer, epochs)).fit(loader, epochs=epochs)
    return model


__all__ = ["BASELINES", "OPTIMIZED", "cifar10_training_set", "materialize", "mnist_training_set",
           "references", "train_classifier"]
