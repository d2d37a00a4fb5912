"""App 08's gallery can show MNIST instead of the shipped digits: it does when MNIST is there,
and says how to get it (naming TINYTORCH_DATA) and falls back to the digits when it is not."""

import pytest

from tests.apps.harness import APPS, output_text, run_app
from tinytorch import datasets

APP = APPS / "08_dataloader.py"


class ChoseMNIST:
    """Stands in for the image-source dropdown set to MNIST."""

    value = "mnist"


def test_without_mnist_the_gallery_says_why_and_shows_the_digits(no_datasets):
    outputs, names = run_app(APP, defs={"image_source": ChoseMNIST()})
    text = output_text(outputs)
    assert "MNIST is not available here" in text and "TINYTORCH_DATA" in text
    assert names["images"].shape[1:] == (8, 8)


def test_with_mnist_the_gallery_shows_mnist():
    try:
        datasets.load_mnist("test")
    except datasets.DatasetError as error:
        pytest.skip(f"MNIST is not available ({type(error).__name__}): set TINYTORCH_DATA to run this test")
    outputs, names = run_app(APP, defs={"image_source": ChoseMNIST()})
    assert names["images"].shape[1:] == (28, 28) and names["pixel_max"] == 255
    assert "not available" not in output_text(outputs)
