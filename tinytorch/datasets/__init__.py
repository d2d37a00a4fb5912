"""Real datasets as NumPy arrays, with no pickle anywhere.

    from tinytorch.datasets import load_mnist
    images, labels = load_mnist("train")   # uint8 (60000, 28, 28), int64 (60000,)

| loader | returns |
|---|---|
| `load_mnist(split)`, `load_fashion_mnist(split)` | uint8 (N, 28, 28), int64 (N,); N 60,000 / 10,000 |
| `load_cifar10(split)` | uint8 (N, 3, 32, 32) NCHW, int64 (N,); N 50,000 / 10,000; `CIFAR10_CLASSES` |
| `load_digits()` | uint8 (1797, 8, 8) values 0..16, int64 (1797,); ships inside tinytorch |
| `load_text(name)` | str; name "moby_dick" or "shakespeare_sonnets"; ships inside tinytorch |

Files come from the local mirror `TINYTORCH_DATA`, else the cache `~/.cache/tinytorch`
(`TINYTORCH_CACHE`), else a checked download; in the browser, from the course site
(`set_data_url`). See `sources` for the details. Every file's content is checked against the
published sha256 (`catalog`); each dataset is decoded once per process and returned as
read-only arrays shared by every caller: `images.copy()` gives one you may change.

Why no pickle: unpickling runs code stored in the file. IDX, CIFAR-10's binary batches, CSV
and text are plain bytes that NumPy reads directly.
"""

from tinytorch.datasets.cifar10 import CIFAR10_CLASSES, load_cifar10
from tinytorch.datasets.digits import load_digits
from tinytorch.datasets.errors import (
                                       ChecksumError,
                                       CorruptFileError,
                                       DatasetError,
                                       DatasetNotFoundError,
                                       UnreadableFileError,
)
from tinytorch.datasets.mnist import FASHION_MNIST_CLASSES, load_fashion_mnist, load_mnist
from tinytorch.datasets.sources import set_data_url
from tinytorch.datasets.text import TEXTS, load_text

__all__ = [
    "CIFAR10_CLASSES", "ChecksumError", "CorruptFileError", "DatasetError", "DatasetNotFoundError",
    "FASHION_MNIST_CLASSES", "TEXTS", "load_cifar10", "load_digits", "load_fashion_mnist", "load_mnist",
    "UnreadableFileError", "load_text", "set_data_url",
]
