"""MNIST and Fashion-MNIST: one IDX code path, strict about bad files, and the real figures."""

import gzip
import hashlib

import numpy as np
import pytest
from datafiles import idx_bytes, write, write_mnist

from tinytorch.datasets import ChecksumError, CorruptFileError, load_fashion_mnist, load_mnist

LOADERS = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist}


@pytest.fixture
def images_labels():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (7, 28, 28), dtype=np.uint8), rng.integers(0, 10, 7).astype(np.uint8)


@pytest.mark.parametrize("folder", LOADERS)
@pytest.mark.parametrize("split", ["train", "test"])
def test_small_files_load_with_documented_shapes_and_dtypes(mirror, images_labels, folder, split):
    write_mnist(mirror, folder, split, *images_labels)
    images, labels = LOADERS[folder](split, verify=False)
    assert images.dtype == np.uint8 and images.shape == (7, 28, 28)
    assert labels.dtype == np.int64 and labels.shape == (7,)
    np.testing.assert_array_equal(images, images_labels[0])
    np.testing.assert_array_equal(labels, images_labels[1])


def test_returned_arrays_are_shared_and_read_only(mirror, images_labels):
    write_mnist(mirror, "mnist", "test", *images_labels)
    images, labels = load_mnist("test", verify=False)
    assert load_mnist(split="test", verify=False)[0] is images
    with pytest.raises(ValueError, match="read-only"):
        images[0, 0, 0] = 1


@pytest.mark.parametrize("loader", LOADERS.values())
def test_bad_split_names_the_valid_ones(loader):
    with pytest.raises(ValueError, match="split must be one of 'train', 'test'; got 'val'"):
        loader("val")


def test_checksum_mismatch_names_file_expected_and_actual(mirror, images_labels):
    write_mnist(mirror, "mnist", "test", *images_labels)
    with pytest.raises(ChecksumError) as error:
        load_mnist("test")
    message = str(error.value)
    assert "t10k-images-idx3-ubyte.gz" in message
    assert "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7" in message  # expected
    assert hashlib.sha256(idx_bytes(images_labels[0])).hexdigest() in message  # actual


def test_truncated_gz_names_file_and_sizes(mirror, images_labels):
    write_mnist(mirror, "mnist", "train", *images_labels)
    path = mirror / "mnist" / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(CorruptFileError, match=r"train-images-idx3-ubyte\.gz is truncated.*47,040,016 bytes"):
        load_mnist("train", verify=False)


def test_idx_shorter_than_its_header_promises(mirror, images_labels):
    write_mnist(mirror, "fashion-mnist", "test", *images_labels)
    short_images = gzip.compress(idx_bytes(images_labels[0])[:-1])
    write(mirror / "fashion-mnist" / "t10k-images-idx3-ubyte.gz", short_images)
    with pytest.raises(CorruptFileError, match=r"t10k-images-idx3-ubyte\.gz is cut short.*5,504 bytes in"):
        load_fashion_mnist("test", verify=False)


def test_wrong_magic(mirror, images_labels):
    write_mnist(mirror, "mnist", "test", *images_labels)
    write(mirror / "mnist" / "t10k-labels-idx1-ubyte.gz", gzip.compress(b"\x08\x03" + bytes(20)))
    with pytest.raises(CorruptFileError, match="wrong IDX magic"):
        load_mnist("test", verify=False)


def test_images_and_labels_that_do_not_pair_up(mirror, images_labels):
    write_mnist(mirror, "mnist", "test", images_labels[0], images_labels[1][:5])
    with pytest.raises(CorruptFileError, match=r"do not pair up.*\(7, 28, 28\).*\(5,\)"):
        load_mnist("test", verify=False)


def test_real_mnist_matches_the_published_figures(real_data):
    images, labels = load_mnist("train")
    assert images.shape == (60_000, 28, 28) and labels.shape == (60_000,)
    assert images.mean() / 255 == pytest.approx(0.1307, abs=5e-5)
    assert np.bincount(labels)[:2].tolist() == [5923, 6742]
    assert load_mnist("test")[0].shape == (10_000, 28, 28)


def test_real_fashion_mnist_matches_the_published_figures(real_data):
    images, labels = load_fashion_mnist("train")
    assert images.mean() / 255 == pytest.approx(0.2860, abs=5e-5)
    assert np.bincount(labels).tolist() == [6000] * 10


@pytest.mark.parametrize("folder", LOADERS)
def test_a_label_outside_the_ten_classes_is_refused_even_unverified(mirror, images_labels, folder):
    images, labels = images_labels
    labels = labels.copy()
    labels[4] = 200
    write_mnist(mirror, folder, "test", images, labels)
    message = rf"{folder}/t10k-labels-idx1-ubyte.gz has label 200 at index 4 \(1 labels in all outside 0..9\)"
    with pytest.raises(CorruptFileError, match=message):
        LOADERS[folder]("test", verify=False)
