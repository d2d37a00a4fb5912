"""numpy's Pyodide wheel is named once (`tinytorch/cli/numpy_wheel.py`) for `tinytorch doctor`,
the Pyodide test runner and the benchmarks: it must agree with the lock file of the Pyodide
runtime marimo pins, which is where the site builder reads it."""

import pytest

from tinytorch.cli import doctor, numpy_wheel


def test_the_doctor_checks_this_wheel():
    assert (doctor.NUMPY_WASM_WHEEL, doctor.NUMPY_WASM_SHA256) == (numpy_wheel.FILE_NAME, numpy_wheel.SHA256)


def test_matches_the_pyodide_lock_file_marimo_pins():
    from tests.wasm.conftest import cache_dir
    from wasm.selfhost.runtime import RuntimeUnavailable, fetch_pyodide, load_lock, marimo_pins

    try:
        runtime = fetch_pyodide(marimo_pins()[1], cache_dir())
    except (ImportError, RuntimeUnavailable) as e:
        pytest.skip(f"no Pyodide runtime to compare with: {e}")
    numpy = load_lock(runtime)["packages"]["numpy"]
    assert (numpy["file_name"], numpy["sha256"]) == (numpy_wheel.FILE_NAME, numpy_wheel.SHA256)
