"""The 8x8 digits that ship inside the package: present, checked, and with their licence."""

from importlib.resources import files

import numpy as np

from tinytorch.datasets import load_digits


def test_digits_ship_with_the_package_and_need_no_data_folder():
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16
    assert sorted(set(labels.tolist())) == list(range(10)) and np.bincount(labels).min() >= 170
    assert not images.flags.writeable and load_digits()[0] is images


def test_licence_note_sits_beside_the_data():
    note = (files("tinytorch.datasets") / "data" / "digits-LICENSE.txt").read_text()
    assert "CC BY 4.0" in note and "Alpaydin" in note and "Kaynak" in note and "UCI" in note
