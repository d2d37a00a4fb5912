"""Module 08, DataLoader: feed a model batches, shuffled, fast.

A `Dataset` answers two questions: how many samples (`len`) and what is sample i
(`dataset[i]`). A `DataLoader` turns it into batches. Asking for samples one at a time costs
a Python call per sample, which for MNIST's 60,000 images is most of an epoch's time in the
browser; so datasets backed by arrays (`TensorDataset`, and `Subset`s of them) also answer
`get_batch(indices)` with one NumPy fancy-indexing per array, and the loader uses it whenever
it exists. Batch transforms (`tinytorch.core.transforms`) likewise run once per batch.

Shuffling draws from the framework generator (`manual_seed`, checkpoints) unless the loader
is given its own `seed` or `generator`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from tinytorch.core.arguments import check_counts
from tinytorch.core.random import default_generator
from tinytorch.core.tensor import Tensor, _to_array


class Batch(NamedTuple):
    """An (inputs, targets) batch: unpacks as `x, y = batch` and reads as `batch.x`, `batch.y`.

    A named tuple, so code written either way works: PyTorch's `for data, target in loader` and
    the course text's `model(batch.x)`. Batches of datasets with one field or more than two
    stay plain tuples: there is no "x and y" to name.
    """

    x: Tensor
    y: Tensor


class Dataset:
    """Subclass and define `__len__` and `__getitem__` (returning a tuple of arrays/numbers)."""

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, index: int):
        raise NotImplementedError


class TensorDataset(Dataset):
    """Samples are rows of equally long arrays, e.g. `TensorDataset(images, labels)`."""

    def __init__(self, *arrays):
        if not arrays:
            raise ValueError("TensorDataset needs at least one array")
        # Tensor's dtype rules: Python floats become float32, a float64 array stays float64.
        self.arrays = tuple(a.data if isinstance(a, Tensor) else _to_array(a) for a in arrays)
        lengths = [len(a) for a in self.arrays]
        if len(set(lengths)) > 1:
            raise ValueError(f"TensorDataset arrays must have the same first dimension, got {lengths}")

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index):
        return tuple(a[index] for a in self.arrays)

    def get_batch(self, indices: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(a[indices] for a in self.arrays)


class Subset(Dataset):
    """The samples of `dataset` at `indices`, in that order."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]):
        self.dataset, self.indices = dataset, np.asarray(indices, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index):
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices: np.ndarray):
        return _fetch(self.dataset, self.indices[indices])


def random_split(dataset: Dataset, lengths: Sequence[float], seed: int | None = None) -> list[Subset]:
    """Split into non-overlapping random subsets of the given lengths (or fractions summing to 1).

    Fractions are turned into counts and any remainder goes to the first subsets, one each.
    """
    n = len(dataset)
    if all(0 <= f <= 1 for f in lengths) and abs(sum(lengths) - 1) < 1e-9:
        counts = [int(f * n) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
    else:
        counts = [int(c) for c in lengths]
    if sum(counts) != n:
        raise ValueError(f"split lengths {list(lengths)} add up to {sum(counts)}, the dataset has {n}")
    rng = default_generator() if seed is None else np.random.default_rng(seed)
    order = rng.permutation(n)
    bounds = np.cumsum([0, *counts])
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def default_collate(samples: list) -> tuple[np.ndarray, ...]:
    """Stack a list of sample tuples field by field: [(x0, y0), (x1, y1)] -> (X, Y)."""
    first = samples[0]
    if not isinstance(first, tuple):
        return (_stack(samples),)
    return tuple(_stack([s[i] for s in samples]) for i in range(len(first)))


def _stack(values: list) -> np.ndarray:
    """One field of a batch. Python numbers follow Tensor's rule (floats become float32, not
    NumPy's float64); NumPy values and tensors keep their dtype."""
    stacked = np.stack([np.asarray(v) for v in values])
    if isinstance(values[0], (np.ndarray, np.generic, Tensor)) or stacked.dtype.kind != "f":
        return stacked
    return stacked.astype(np.float32)


def _fetch(dataset: Dataset, indices: np.ndarray, collate_fn=default_collate):
    if hasattr(dataset, "get_batch"):
        return dataset.get_batch(indices)
    return collate_fn([dataset[int(i)] for i in indices])


class DataLoader:
    """Iterate over `dataset` in batches of tensors.

    `transform` runs on the first field (the inputs) of every batch, as a NumPy array of
    shape (batch, ...); see `tinytorch.core.transforms`. `collate_fn` combines samples for
    datasets that cannot index in bulk. With `drop_last`, a final short batch is skipped.
    Each batch of an (inputs, targets) dataset is a `Batch`: `x, y = batch` or `batch.x`.
    """

    def __init__(self, dataset: Dataset, batch_size: int = 1, shuffle: bool = False,
                 drop_last: bool = False, seed: int | None = None,
                 generator: np.random.Generator | None = None,
                 collate_fn: Callable = default_collate, transform: Callable | None = None):
        check_counts("DataLoader", batch_size=batch_size)
        if seed is not None and generator is not None:
            raise ValueError("give seed or generator, not both")
        self.dataset, self.batch_size, self.shuffle = dataset, batch_size, shuffle
        self.drop_last, self.collate_fn, self.transform = drop_last, collate_fn, transform
        self.generator = np.random.default_rng(seed) if seed is not None else generator

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        rng = self.generator or default_generator()
        order = rng.permutation(n) if self.shuffle else np.arange(n)
        stop = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop, self.batch_size):
            fields = _fetch(self.dataset, order[start:start + self.batch_size], self.collate_fn)
            if self.transform is not None:
                fields = (self.transform(fields[0]), *fields[1:])
            tensors = tuple(Tensor(f) for f in fields)
            yield Batch(*tensors) if len(tensors) == 2 else tensors
