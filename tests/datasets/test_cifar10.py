"""CIFAR-10's binary batches: NCHW images from one reshape, strict about bad files, real figures."""

import numpy as np
import pytest
from datafiles import tar_gz, write

from tinytorch.datasets import CIFAR10_CLASSES, CorruptFileError, load_cifar10
from tinytorch.datasets.cifar10 import BATCHES, RECORD_SIZE, RECORDS_PER_BATCH, parse_batch

TEST_BATCH = "cifar-10-batches-bin/test_batch.bin"


def batch(labels: np.ndarray, red: np.ndarray, green: np.ndarray, blue: np.ndarray) -> bytes:
    """A .bin batch: per record the label byte, then the red, green and blue 32x32 planes."""
    records = np.empty((len(labels), RECORD_SIZE), np.uint8)
    records[:, 0] = labels
    records[:, 1:] = np.stack([red, green, blue], axis=1).reshape(len(labels), -1)
    return records.tobytes()


@pytest.fixture(scope="module")
def test_batch() -> bytes:
    """A full-size batch whose pixels tell which record and plane they belong to."""
    n = RECORDS_PER_BATCH
    planes = np.broadcast_to((np.arange(n) % 50).astype(np.uint8)[:, None, None], (n, 32, 32))
    return batch(np.arange(n) % 10, planes, planes + 100, planes + 200)


def archive(test_batch: bytes, train_batch: bytes | None = None) -> bytes:
    """A .tar.gz like upstream's: five training batches (default: copies of test_batch) and a test one."""
    members = {name: train_batch or test_batch for name in BATCHES["train"]}
    return tar_gz({**members, TEST_BATCH: test_batch})


@pytest.fixture(scope="module")
def good_archive(test_batch) -> bytes:
    return archive(test_batch)


def write_archive(mirror, data: bytes) -> None:
    write(mirror / "cifar-10" / "cifar-10-binary.tar.gz", data)


def test_records_become_nchw_images_and_int64_labels(mirror, good_archive):
    write_archive(mirror, good_archive)
    images, labels = load_cifar10("test", verify=False)
    assert images.shape == (10_000, 3, 32, 32) and images.dtype == np.uint8 and images.flags.c_contiguous
    assert labels.dtype == np.int64 and labels[:12].tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
    assert images[7, :, 5, 9].tolist() == [7, 107, 207]  # red, green, blue planes in that order
    train_images, train_labels = load_cifar10("train", verify=False)
    assert train_images.shape == (50_000, 3, 32, 32) and train_labels[10_007] == 7


def test_a_missing_batch_is_named(mirror, test_batch):
    write_archive(mirror, tar_gz({TEST_BATCH: test_batch}))
    with pytest.raises(CorruptFileError, match="lacks.*data_batch_1.bin"):
        load_cifar10("test", verify=False)


def test_short_bin_names_file_and_sizes(mirror, test_batch):
    write_archive(mirror, archive(test_batch, train_batch=test_batch[:-RECORD_SIZE]))
    with pytest.raises(CorruptFileError, match=r"data_batch_1.bin is 30,726,927 bytes.*30,730,000 bytes"):
        load_cifar10("train", verify=False)


def test_label_out_of_range(test_batch):
    with pytest.raises(CorruptFileError, match="test_batch.bin has label 10"):
        parse_batch(b"\x0a" + test_batch[1:], "test_batch.bin")


def test_bad_split_names_the_valid_ones():
    with pytest.raises(ValueError, match="split must be one of 'train', 'test'"):
        load_cifar10("validation")


def test_real_cifar10_matches_the_published_figures(real_data):
    images, labels = load_cifar10("train")
    assert images.shape == (50_000, 3, 32, 32)
    means = images.mean(axis=(0, 2, 3)) / 255
    np.testing.assert_allclose(means, [0.4914, 0.4822, 0.4465], atol=5e-5)
    assert labels[:5].tolist() == [6, 9, 9, 4, 1] and CIFAR10_CLASSES[labels[0]] == "frog"
    assert load_cifar10("test")[1][:5].tolist() == [3, 8, 8, 0, 6]
