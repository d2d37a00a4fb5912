"""CIFAR-10: 60,000 32x32 colour photos in ten classes, from the binary version of the dataset.

    images, labels = load_cifar10("train")  # uint8 (50000, 3, 32, 32), int64 (50000,)
    CIFAR10_CLASSES[labels[0]]              # 'frog'

The binary version, not the better-known Python version, because the Python version is a
pickle, and unpickling a file runs whatever code it contains. Each `.bin` batch is 10,000
records of 3,073 bytes: the label, then 1,024 red, 1,024 green and 1,024 blue pixel values, each
plane a row-major 32x32 image. That is already channels-first, so a whole batch becomes
`(N, 3, 32, 32)` NCHW (the layout `Conv2d` takes) with one reshape and no copying per image.
"""

import numpy as np

from tinytorch.datasets.errors import CorruptFileError, check_choice
from tinytorch.datasets.sources import fetch, remember

ARCHIVE = "cifar-10/cifar-10-binary.tar.gz"
BATCHES = {
    "train": tuple(f"cifar-10-batches-bin/data_batch_{i}.bin" for i in range(1, 6)),
    "test": ("cifar-10-batches-bin/test_batch.bin",),
}
# The same names, in label order, as the archive's batches.meta.txt.
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
RECORD_SIZE = 1 + 3 * 32 * 32
RECORDS_PER_BATCH = 10_000


def load_cifar10(split: str = "train", *, verify: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """`(images uint8 (N, 3, 32, 32), labels int64 (N,))`, N 50,000 (train) or 10,000 (test).

    `verify=False` skips the checksums, for a mirror holding files of your own (see `sources`).
    """
    check_choice("split", split, BATCHES)
    return load_cifar10_splits(verify)[split]


@remember
def load_cifar10_splits(verify: bool) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Both splits at once: each needs the whole archive decompressed (1.5 s), so do that once."""
    members = fetch(ARCHIVE, verify)
    missing = [name for names in BATCHES.values() for name in names if name not in members]
    if missing:
        raise CorruptFileError(f"{ARCHIVE} lacks {missing}; it has {sorted(members)}")
    return {split: join_batches([parse_batch(members[name], f"{ARCHIVE}: {name}") for name in names])
            for split, names in BATCHES.items()}


def join_batches(batches: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, 3, 32, 32) and int64 labels from batches of records, copying the pixels once."""
    images = np.concatenate([records[:, 1:].reshape(-1, 3, 32, 32) for records in batches])
    labels = np.concatenate([records[:, 0] for records in batches]).astype(np.int64)
    return images, labels


def parse_batch(data: bytes, name: str) -> np.ndarray:
    """One `.bin` batch as a (10000, 3073) uint8 array of records; `name` goes into errors."""
    if len(data) != RECORDS_PER_BATCH * RECORD_SIZE:
        raise CorruptFileError(
            f"{name} is {len(data):,} bytes, but a CIFAR-10 batch is {RECORDS_PER_BATCH:,} records "
            f"of {RECORD_SIZE:,} bytes = {RECORDS_PER_BATCH * RECORD_SIZE:,} bytes"
        )
    records = np.frombuffer(data, np.uint8).reshape(RECORDS_PER_BATCH, RECORD_SIZE)
    if records[:, 0].max() >= len(CIFAR10_CLASSES):
        raise CorruptFileError(f"{name} has label {records[:, 0].max()}; CIFAR-10 labels are 0 to 9")
    return records
