"""The commands that need the repository (apps, site builder, recipes) say so when tinytorch
was installed without it, and the apps' commands say how to get marimo."""

import pytest

from tinytorch.cli import checkout
from tinytorch.cli.errors import CliError


def test_a_missing_repository_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(checkout, "ROOT", tmp_path)
    with pytest.raises(CliError, match="needs a clone of the course repository") as raised:
        checkout.root("build_site.py")
    assert str(tmp_path) in str(raised.value)


def test_the_repository_is_found():
    assert (checkout.root("apps") / "apps" / "05_autograd.py").is_file()


def test_missing_marimo_is_named_with_its_install_command(monkeypatch):
    monkeypatch.setattr(checkout.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(CliError, match=r"tinytorch check needs marimo.*pip install"):
        checkout.require_marimo("tinytorch check")
