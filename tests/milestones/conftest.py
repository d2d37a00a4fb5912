"""The milestone recipes read real datasets; without the mirror their tests skip, saying how."""

import pytest

from tinytorch import datasets


@pytest.fixture
def needs():
    """needs(load, *args): load a dataset, or skip naming TINYTORCH_DATA when it is absent."""

    def load(loader, *args):
        try:
            return loader(*args)
        except datasets.DatasetError as error:
            pytest.skip(f"{loader.__name__}{args} is not available ({type(error).__name__}): set "
                        "TINYTORCH_DATA to the data mirror (../shared/data) to run this test")

    return load
