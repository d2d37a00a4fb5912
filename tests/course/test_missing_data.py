"""Loading a dataset an app needs, or saying what is missing: the loader's DatasetError becomes
a message (anything else still fails loudly), and the callout names the dataset, the files,
TINYTORCH_DATA, how the site provides it and the loader's words."""

import pytest

from tinytorch.course.missing_data import missing_callout, try_load
from tinytorch.datasets import DatasetNotFoundError


def test_try_load_returns_every_split_or_the_loaders_message():
    assert try_load(lambda split: split.upper(), "train", "test") == (["TRAIN", "TEST"], None)

    def absent(split):
        raise DatasetNotFoundError(f"no {split} file in /nowhere")

    assert try_load(absent, "train") == (None, "no train file in /nowhere")


def test_try_load_lets_other_errors_through():
    def broken(split):
        raise KeyError(split)

    with pytest.raises(KeyError):
        try_load(broken, "train")


def test_the_callout_says_what_is_missing_and_how_to_provide_it():
    text = missing_callout("CIFAR-10", "`cifar-10/x.tar.gz`", "looked in /a and /b", "build with --data all",
                           kind="warn").text
    for part in ("CIFAR-10 is not available", "cifar-10/x.tar.gz", "TINYTORCH_DATA", "build with --data all",
                 "looked in /a and /b"):
        assert part in text, part
