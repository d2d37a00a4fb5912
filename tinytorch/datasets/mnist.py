"""MNIST and Fashion-MNIST: 70,000 28x28 grayscale images in ten classes, as IDX files.

The two datasets share a format and file names on purpose (Fashion-MNIST was made as a
drop-in replacement for MNIST), so one loader serves both:

    images, labels = load_mnist("train")        # uint8 (60000, 28, 28), int64 (60000,)
    images, labels = load_fashion_mnist("test")  # uint8 (10000, 28, 28), int64 (10000,)

Pixels stay uint8, 0 (background) to 255 (ink), a quarter of the memory of float32; scale them
with a transform when batching (`ToFloat`, `Normalize(0.1307, 0.3081)` for MNIST). Labels are
int64 because that is what `cross_entropy` takes as class indices.
"""

import numpy as np

from tinytorch.datasets.errors import CorruptFileError, check_choice
from tinytorch.datasets.idx import parse_idx
from tinytorch.datasets.sources import fetch, remember

SPLITS = {"train": "train", "test": "t10k"}  # split -> IDX file name prefix
N_CLASSES = 10  # both datasets: digits 0-9, or the ten FASHION_MNIST_CLASSES
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                         "Sneaker", "Bag", "Ankle boot")


def load_mnist(split: str = "train", *, verify: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Handwritten digits 0-9: `(images uint8 (N, 28, 28), labels int64 (N,))`, N 60,000 or 10,000.

    `verify=False` skips the checksums, for a mirror holding files of your own (see `sources`).
    """
    check_choice("split", split, SPLITS)
    return load_idx_dataset("mnist", split, verify)


def load_fashion_mnist(split: str = "train", *, verify: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Zalando's clothing photos, `FASHION_MNIST_CLASSES`; same shapes and dtypes as `load_mnist`."""
    check_choice("split", split, SPLITS)
    return load_idx_dataset("fashion-mnist", split, verify)


@remember
def load_idx_dataset(folder: str, split: str, verify: bool) -> tuple[np.ndarray, np.ndarray]:
    """Images and labels of one split of an MNIST-format dataset in the mirror folder `folder`."""
    arrays = []
    for kind in ("images-idx3-ubyte", "labels-idx1-ubyte"):
        path = f"{folder}/{SPLITS[split]}-{kind}.gz"
        (content,) = fetch(path, verify).values()
        arrays.append(parse_idx(content, path))
    images, labels = arrays
    if images.ndim != 3 or labels.ndim != 1 or images.dtype != np.uint8 or len(images) != len(labels):
        raise CorruptFileError(
            f"{folder} {split} files do not pair up: images {images.dtype} {images.shape}, "
            f"labels {labels.dtype} {labels.shape}; expected uint8 (N, rows, cols) and (N,)"
        )
    outside = np.flatnonzero((labels < 0) | (labels >= N_CLASSES))
    if outside.size:  # checked even with verify=False: a label 200 would index past the classes
        first = outside[0]
        raise CorruptFileError(
            f"{folder}/{SPLITS[split]}-labels-idx1-ubyte.gz has label {labels[first]} at index {first:,} "
            f"({outside.size:,} labels in all outside 0..{N_CLASSES - 1}); {folder} has {N_CLASSES} classes"
        )
    return images, labels.astype(np.int64)
