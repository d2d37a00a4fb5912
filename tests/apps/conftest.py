"""Fixtures for the app tests."""

import pytest

from tinytorch.datasets import sources


@pytest.fixture
def no_datasets(monkeypatch, tmp_path):
    """No dataset file anywhere: an empty mirror and cache, no course site, every download fails.
    For proving that an app still opens, and says what to do, on a machine without the data."""
    monkeypatch.setenv("TINYTORCH_DATA", str(tmp_path / "no-data"))
    monkeypatch.setenv("TINYTORCH_CACHE", str(tmp_path / "no-cache"))
    monkeypatch.delenv("TINYTORCH_DATA_URL", raising=False)

    def offline(url, *limits):
        raise OSError("offline (test)")

    monkeypatch.setattr(sources, "http_get", offline)


@pytest.fixture(scope="session")
def capstone_cache(tmp_path_factory):
    """One cache of quick-trained capstone references for the capstone apps' tests: each
    reference is trained once per run, not once per test."""
    return tmp_path_factory.mktemp("capstone-cache")


@pytest.fixture(scope="session")
def mnist_test():
    """MNIST's held-out digits, or a skip naming how to get them (the capstone apps' events)."""
    from tinytorch import datasets

    try:
        return datasets.load_mnist("test")
    except datasets.DatasetError as error:
        pytest.skip(f"MNIST is not available ({type(error).__name__}): set TINYTORCH_DATA to the mirror")
