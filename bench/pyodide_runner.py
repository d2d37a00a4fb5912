"""Run a benchmark script inside Pyodide (the course site's Python: NumPy without BLAS, one
thread) under Node.js, through the Pyodide test suite's runner (tests/pyodide/run_in_pyodide.mjs,
whose script mode mounts the repository at /repo so the script imports this tinytorch).

Why one helper: every benchmark with a browser figure starts Node the same way, and the
messages for what is missing (the npm package, numpy's wasm wheel) should read the same.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the scripts that import this one run from bench/

from tinytorch.cli import numpy_wheel  # noqa: E402

RUNNER = REPO / "tests" / "pyodide" / "run_in_pyodide.mjs"
NUMPY_WHEEL = numpy_wheel.FILE_NAME


def run_script_in_pyodide(script: str, args: list[str]) -> int:
    """Run `script` (a path relative to the repository) with `args` inside Pyodide; its output
    goes to ours and its exit code is returned."""
    if not (RUNNER.parent / "node_modules" / "pyodide").is_dir():
        sys.exit("the npm package pyodide is missing: run `python3 dev.py test tests/pyodide` once "
                 f"(or `npm install` in {RUNNER.parent})")
    wheels = Path(os.environ.get("TINYTORCH_WHEELS", Path.home() / ".cache" / "tinytorch-wheels"))
    wheel = wheels / NUMPY_WHEEL
    if not wheel.is_file():
        sys.exit(f"numpy's wasm wheel is missing: put {NUMPY_WHEEL} in {wheels} (TINYTORCH_WHEELS)")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Pyodide under Node {node}, {wheel.name}", flush=True)
    return subprocess.call(["node", str(RUNNER), str(REPO), str(wheel), "--", script, *args],
                           cwd=RUNNER.parent)
