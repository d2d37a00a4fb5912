"""Shared test set-up: every test starts from the same seed, so failures reproduce."""

from pathlib import Path

import pytest

import tinytorch

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _seeded():
    tinytorch.manual_seed(0)
