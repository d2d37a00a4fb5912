"""Capstone tests evaluate submissions on the real held-out MNIST test set; without the data
mirror they skip, saying how to get it."""

import pytest

from tinytorch import datasets


@pytest.fixture(scope="session")
def mnist_test():
    try:
        return datasets.load_mnist("test")
    except datasets.DatasetError as error:
        pytest.skip(f"MNIST is not available ({type(error).__name__}): set TINYTORCH_DATA to the "
                    "data mirror (../shared/data) to run the capstone tests")
