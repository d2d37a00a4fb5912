"""numpy's Pyodide wheel, named in one place: the file Pyodide 314.0.0 publishes (its lock file's
entry), which no registry reachable from CI carries, so it is supplied by hand
(`TINYTORCH_WHEELS`, `../shared/wheels` in CI; docs/site.md).

Read by `tinytorch doctor` (which CI runs before the browser tests), the Pyodide test runner
and the benchmarks; `tests/wasm/test_wasm_numpy_wheel.py` checks it against the lock file.
"""

FILE_NAME = "numpy-2.4.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
SHA256 = "c90162c4b09a5d8ac3ce975e0b4282ed5df06de446e3d0aec7406821fc5346e1"
