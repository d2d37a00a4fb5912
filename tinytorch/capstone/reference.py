"""Reference submissions: shipped as source (`submission.py`) and a seeded training script
(`train.py`), trained into a cache on first use, so the repository holds no weights and every
figure reproduces from a clone.

    folder = materialize("mnist_mlp_baseline")     # trains once (about a minute), then cached
    evaluate(folder, "latency")

`train.py` defines `train(limit=None) -> dict[str, np.ndarray]`, the arrays `build_model`
receives (`limit`: only the first N training images, or about N training characters, for
quick runs). A reference listed in `WEIGHTS_FROM` has no `train.py`: it serves another
reference's weights differently (the generation reference: the baseline's GPT with a KV
cache), so the comparison is between two ways of running one model. The cache folder's name
carries a hash of the files (and of the recipe whose weights it borrows) and of `limit`, so a
changed recipe or a quick run never passes for the full one. `TINYTORCH_CAPSTONE_CACHE` moves
the cache (default ~/.cache/tinytorch/capstone).

| reference | events | what it is |
|---|---|---|
| mnist_mlp_baseline | latency, lightweight | 784-256-128-10 MLP, float32, tinytorch Modules |
| mnist_mlp_fast | latency | 784-128-10, served by one fused float32 NumPy forward |
| mnist_mlp_int8 | lightweight | 784-96-10, blank input pixels pruned, int8 per row, compressed .npz |
| cifar_mlp_baseline | vision | 3072-256-10 MLP, float32 |
| cifar_cnn_small | vision | two conv3x3-ReLU-maxpool stages (16, 32 maps) and one Linear |
| moby_gpt_baseline | generation | character GPT, 2 layers, 64 wide, context 256, greedy without a cache |
| moby_gpt_cached | generation | the same weights, greedy with the KV cache (`GPT.generate(use_cache=True)`) |
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from pathlib import Path

import numpy as np

import tinytorch
from tinytorch.capstone.rules import SOURCE_FILE, WEIGHTS_FILE, load_weights
from tinytorch.core.checkpoint import _write_npz
from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.optimizers import AdamW, clip_grad_norm_
from tinytorch.core.schedulers import CosineAnnealingLR, LinearWarmupLR
from tinytorch.core.training import Trainer
from tinytorch.core.transforms import ToFloat

REFERENCES_DIR = Path(__file__).parent / "references"
TRAIN_FILE = "train.py"
BASELINES = {"latency": "mnist_mlp_baseline", "lightweight": "mnist_mlp_baseline",
             "vision": "cifar_mlp_baseline", "generation": "moby_gpt_baseline"}
OPTIMIZED = {"latency": "mnist_mlp_fast", "lightweight": "mnist_mlp_int8", "vision": "cifar_cnn_small",
             "generation": "moby_gpt_cached"}
WEIGHTS_FROM = {"moby_gpt_cached": "moby_gpt_baseline"}  # same weights, served another way


def references() -> list[str]:
    return sorted(p.name for p in REFERENCES_DIR.iterdir() if (p / SOURCE_FILE).is_file())


def cache_dir() -> Path:
    return Path(os.environ.get("TINYTORCH_CAPSTONE_CACHE", Path.home() / ".cache" / "tinytorch" / "capstone"))


def _recipe_key(name: str, limit: int | None) -> str:
    source, h = REFERENCES_DIR / name, hashlib.sha256()
    h.update((source / SOURCE_FILE).read_bytes())
    if name in WEIGHTS_FROM:
        h.update(_recipe_key(WEIGHTS_FROM[name], limit).encode())
    else:
        h.update((source / TRAIN_FILE).read_bytes())
    h.update(repr(limit).encode())
    return h.hexdigest()[:12]


def materialize(name: str, limit: int | None = None, cache: Path | None = None) -> Path:
    """A complete submission folder (submission.py + weights.npz) for reference `name`,
    training it first if the cache does not hold this exact recipe yet."""
    if name not in references():
        raise ValueError(f"no reference {name!r}; the references are {', '.join(references())}")
    source = REFERENCES_DIR / name
    suffix = "" if limit is None else f"-limit{limit}"
    folder = Path(cache or cache_dir()) / f"{name}{suffix}-{_recipe_key(name, limit)}"
    if (folder / WEIGHTS_FILE).is_file() and (folder / SOURCE_FILE).is_file():
        return folder
    if name in WEIGHTS_FROM:
        weights, compressed = load_weights(materialize(WEIGHTS_FROM[name], limit, cache)), False
    else:
        spec = importlib.util.spec_from_file_location(f"capstone_train_{name}", source / TRAIN_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        weights, compressed = module.train(limit=limit), getattr(module, "COMPRESSED", False)
    # The weights file, written atomically and last, marks the folder complete: a process that
    # materializes the same reference at the same time never reads a half-written folder.
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{SOURCE_FILE}.{os.getpid()}.tmp"
    shutil.copyfile(source / SOURCE_FILE, partial)
    os.replace(partial, folder / SOURCE_FILE)
    _write_npz(folder / WEIGHTS_FILE, weights, compressed=compressed)
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


def train_language_model(model, *, steps: int, batch_size: int, lr: float, limit: int | None = None,
                         seed: int = 0):
    """Train a GPT on random windows of the generation event's training text (the first 90%
    of Moby Dick, never the held-out part), each as long as the model's context: AdamW with
    weight decay 0.1 on the matrices only (shrinking LayerNorm gains or biases regularises
    nothing), linear warm-up over the first 5% of the steps then cosine decay, gradients
    clipped to norm 1 (the milestone 2017 recipe). `limit` stops after about that many
    training characters (at least one step). Seeded; call `tinytorch.manual_seed` before
    building the model."""
    from tinytorch.capstone.events import MOBY_DICK

    text, window = MOBY_DICK.split()[0], model.context_length
    if limit is not None:
        steps = max(1, min(steps, limit // (batch_size * window)))
    matrices = [p for p in model.parameters() if p.ndim == 2]
    others = [p for p in model.parameters() if p.ndim < 2]
    optimizer = AdamW([{"params": matrices, "weight_decay": 0.1}, {"params": others, "weight_decay": 0.0}],
                      lr=lr, betas=(0.9, 0.99))
    schedule = LinearWarmupLR(optimizer, warmup_steps=steps // 20, total_steps=steps)
    rng = np.random.default_rng(seed)
    model.train()
    for _ in range(steps):
        positions = rng.integers(0, len(text) - window - 1, batch_size)[:, None] + np.arange(window)
        loss = model.loss(text[positions], text[positions + 1])
        optimizer.zero_grad()
        loss.backward()
        clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
    return model.eval()


__all__ = ["BASELINES", "OPTIMIZED", "WEIGHTS_FROM", "cifar10_training_set", "materialize",
           "mnist_training_set", "references", "train_classifier", "train_language_model"]
