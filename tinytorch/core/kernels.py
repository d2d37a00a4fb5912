"""The one place where tinytorch chooses its matrix-multiply kernel.

Natively, `np.matmul` calls an optimised BLAS (OpenBLAS: about 190 GFLOP/s on this project's
2-core machine for the products of an MNIST MLP step, 10-20x einsum). In the browser,
Pyodide's NumPy has no BLAS and its `matmul` falls back to a plain loop, while `np.einsum` uses
NumPy's vectorised sum-of-products loop: for the same products einsum is 2.1x faster there
(2.05 vs 0.96 GFLOP/s; 2.5x on the largest layer, 784 -> 128). So the kernel depends on the
platform, and both kernels are tested to agree.

`bench/bench_matmul.py` measures both kernels, product by product, on the Python that runs it;
`node tests/pyodide/run_in_pyodide.mjs . <numpy wasm wheel> -- bench/bench_matmul.py` runs it
in Pyodide.
The figures above are from one run of each (docs/benchmarks.md has the conditions).
"""

import sys

import numpy as np


def matmul_blas(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`a @ b` through NumPy's matmul (BLAS when NumPy has one); batch dims broadcast."""
    return np.matmul(a, b)


def matmul_einsum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`a @ b` through einsum's sum-of-products loop, which beats a BLAS-less matmul.

    1-d operands follow `np.matmul` (a row / a column, dropped from the result), as the two
    kernels must be interchangeable: `ops.LinearFunction` multiplies a single feature vector.
    """
    if a.ndim == 2 and b.ndim == 2:
        return np.einsum("ij,jk->ik", a, b)
    row = "...ij" if a.ndim > 1 else "j"
    column = "...jk" if b.ndim > 1 else "j"
    result = ("...i" if a.ndim > 1 else "...") + ("k" if b.ndim > 1 else "")
    return np.einsum(f"{row},{column}->{result}", a, b)


KERNELS = {"blas": matmul_blas, "einsum": matmul_einsum}
DEFAULT_KERNEL = "einsum" if sys.platform == "emscripten" else "blas"
_active = KERNELS[DEFAULT_KERNEL]


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Multiply with the kernel chosen for this platform (see the module docstring)."""
    return _active(a, b)


def use_matmul_kernel(name: str) -> None:
    """Switch kernel, e.g. to compare them in a benchmark: 'blas' or 'einsum'."""
    global _active
    if name not in KERNELS:
        raise ValueError(f"unknown matmul kernel {name!r}; choose one of {sorted(KERNELS)}")
    _active = KERNELS[name]


def active_matmul_kernel() -> str:
    return next(name for name, fn in KERNELS.items() if fn is _active)
