"""The core suite and the optimization tier's (tests/perf, tests/bench), run again inside
Pyodide under Node.js: the Python (3.14) and NumPy (2.4.3, no BLAS) that the course site runs
in the browser, with tinytorch's einsum matmul kernel active. What passes natively but not
there would break the course in the browser.

Needs Node.js, the npm package `pyodide` (installed here on first run from the npm registry),
pytest's wheels (downloaded from PyPI) and numpy's wasm wheel, which no registry reachable
here has: put it (`tinytorch/cli/numpy_wheel.py` names it) in the folder named by
TINYTORCH_WHEELS (default ~/.cache/tinytorch-wheels). Skips, saying which piece is missing.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tinytorch.cli import numpy_wheel

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NUMPY_WHEEL = numpy_wheel.FILE_NAME
PURE_WHEELS = ["pytest", "pluggy", "iniconfig", "packaging", "pygments", "hypothesis", "sortedcontainers",
               "attrs"]
CACHE = Path(os.environ.get("TINYTORCH_CACHE", Path.home() / ".cache" / "tinytorch"))


def wheels_dir() -> Path:
    return Path(os.environ.get("TINYTORCH_WHEELS", Path.home() / ".cache" / "tinytorch-wheels"))


def ensure_pyodide() -> None:
    if not (HERE / "node_modules" / "pyodide" / "pyodide.asm.wasm").exists():
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=HERE,
                              capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"npm install pyodide failed: {done.stderr[-500:]}")


def pure_wheels() -> list[Path]:
    target = CACHE / "pyodide-test-wheels"
    if not target.is_dir() or len(list(target.glob("*.whl"))) < len(PURE_WHEELS):
        target.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "--python-version", "3.14", "--platform", "any", "-d", str(target), *PURE_WHEELS],
            capture_output=True, text=True)
        if done.returncode:
            pytest.skip(f"could not download pytest's wheels from PyPI: {done.stderr[-500:]}")
    return sorted(target.glob("*.whl"))


SUITES = ["tests/core", "tests/perf", "tests/bench", "tests/capstone/test_in_process.py"]


def test_core_and_optimization_suites_pass_inside_pyodide():
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are needed to run Pyodide outside a browser")
    numpy_wheel = wheels_dir() / NUMPY_WHEEL
    if not numpy_wheel.is_file():
        pytest.skip(f"numpy's wasm wheel is missing: put {NUMPY_WHEEL} in {wheels_dir()} "
                    "(or point TINYTORCH_WHEELS at the folder that has it)")
    ensure_pyodide()
    wheels = [str(numpy_wheel), *map(str, pure_wheels())]
    done = subprocess.run(
        ["node", str(HERE / "run_in_pyodide.mjs"), str(REPO), *wheels, "--",
         *SUITES, "-m", "not slow"],
        cwd=HERE, capture_output=True, text=True, timeout=1800)
    tail = done.stdout[-3000:] + done.stderr[-2000:]
    assert done.returncode == 0, tail
    assert " passed" in done.stdout, tail
