"""Every command runs as a learner runs it: `python -m tinytorch ...` in its own process, with
the progress file (`TINYTORCH_PROGRESS`) in the test's own folder, never the user's."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinytorch import datasets


class Tinytorch:
    def __init__(self, tmp_path: Path):
        self.progress = tmp_path / "progress.json"
        self.env = {**os.environ, "TINYTORCH_PROGRESS": str(self.progress), "OPENBLAS_NUM_THREADS": "1"}

    def __call__(self, *args, env: dict | None = None, timeout: float = 120, cwd=None):
        """The finished process (stdout, stderr as text, returncode)."""
        return subprocess.run([sys.executable, "-m", "tinytorch", *map(str, args)], capture_output=True,
                              text=True, env={**self.env, **(env or {})}, timeout=timeout, cwd=cwd)

    def popen(self, *args, env: dict | None = None, **kwargs):
        return subprocess.Popen([sys.executable, "-m", "tinytorch", *map(str, args)], text=True,
                                env={**self.env, **(env or {})}, **kwargs)

    def record(self) -> dict:
        return json.loads(self.progress.read_text())


@pytest.fixture
def tinytorch_cli(tmp_path):
    return Tinytorch(tmp_path)


def no_traceback(process) -> None:
    assert "Traceback" not in process.stderr + process.stdout, process.stderr


@pytest.fixture(scope="session")
def mnist_data():
    try:
        datasets.load_mnist("test")
    except datasets.DatasetError as error:
        pytest.skip(f"MNIST is not available ({type(error).__name__}): set TINYTORCH_DATA to the data "
                    "mirror (../shared/data)")
