"""numpy's Pyodide wheel is named once (`wasm/selfhost/numpy_wheel.py`) for dev.py, the Pyodide
test runner and the benchmarks: it must import with the bare standard library (dev.py runs it
before `.venv/` exists) and agree with the lock file of the Pyodide runtime marimo pins."""

import subprocess
import sys
from pathlib import Path

import pytest

from wasm.selfhost import numpy_wheel

REPO = Path(__file__).resolve().parents[2]


def test_imports_nothing_but_the_standard_library():
    probe = (
        "import sys; before = set(sys.modules); sys.path[:0] = [sys.argv[1]];"
        "import wasm.selfhost.numpy_wheel;"
        "print(sorted(m for m in set(sys.modules) - before"
        " if m.split('.')[0] not in sys.stdlib_module_names and m.split('.')[0] != 'wasm'))"
    )
    done = subprocess.run([sys.executable, "-I", "-S", "-c", probe, str(REPO)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_dev_py_reads_the_same_constants():
    probe = ("import sys; sys.path[:0] = [sys.argv[1]]; import dev;"
             "print(dev.NUMPY_WASM_WHEEL, dev.NUMPY_WASM_SHA256)")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", probe, str(REPO)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == [numpy_wheel.FILE_NAME, numpy_wheel.SHA256]


def test_matches_the_pyodide_lock_file_marimo_pins():
    from tests.wasm.conftest import cache_dir
    from wasm.selfhost.runtime import RuntimeUnavailable, fetch_pyodide, load_lock, marimo_pins

    try:
        runtime = fetch_pyodide(marimo_pins()[1], cache_dir())
    except (ImportError, RuntimeUnavailable) as e:
        pytest.skip(f"no Pyodide runtime to compare with: {e}")
    numpy = load_lock(runtime)["packages"]["numpy"]
    assert (numpy["file_name"], numpy["sha256"]) == (numpy_wheel.FILE_NAME, numpy_wheel.SHA256)
