"""The examples train on real MNIST; without the data mirror they skip, saying how to get it."""

import pytest

from tinytorch import datasets


@pytest.fixture(scope="module")
def mnist():
    """((train images, labels), (test images, labels)) as the loaders return them, or a skip
    naming TINYTORCH_DATA when the mirror is absent."""
    try:
        return datasets.load_mnist("train"), datasets.load_mnist("test")
    except datasets.DatasetError as error:
        pytest.skip(f"MNIST is not available ({type(error).__name__}: {error}); set TINYTORCH_DATA "
                    "to the data mirror (../shared/data) to run this test")
