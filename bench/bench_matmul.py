"""Both matrix-multiply kernels of `tinytorch.core.kernels` on the Python that runs this script:
GFLOP/s of `np.matmul` (BLAS when NumPy has one) and of `np.einsum`, and their ratio, for the
float32 products of an MNIST MLP step (784-128-64-10, batch 128: forward, and backward's two
products per layer).

    python bench/bench_matmul.py [--repeats 20]

Natively the BLAS kernel wins by far. Inside Pyodide (the browser's Python, whose NumPy has no
BLAS) einsum wins, which is why it is the kernel there; the same script runs in Pyodide
unchanged under Node, through the Pyodide test suite's runner:

    node tests/pyodide/run_in_pyodide.mjs . <numpy wasm wheel> -- bench/bench_matmul.py
"""

import argparse
import platform
import sys
import time

import numpy as np

from tinytorch.core.kernels import matmul_blas, matmul_einsum

BATCH, SIZES = 128, (784, 128, 64, 10)


def products(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """(a, b) pairs of one training step: x @ W.T forward, g @ W and g.T @ x backward."""
    pairs = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        x = rng.standard_normal((BATCH, fan_in), dtype=np.float32)
        w = rng.standard_normal((fan_out, fan_in), dtype=np.float32)
        g = rng.standard_normal((BATCH, fan_out), dtype=np.float32)
        pairs += [(x, np.ascontiguousarray(w.T)), (g, w), (np.ascontiguousarray(g.T), x)]
    return pairs


def gflops(kernel, pairs, repeats: int) -> float:
    """Best of `repeats` passes over all products, as GFLOP/s (2 m k n per product)."""
    flops = sum(2 * a.shape[0] * a.shape[1] * b.shape[1] for a, b in pairs)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for a, b in pairs:
            kernel(a, b)
        best = min(best, time.perf_counter() - start)
    return flops / best / 1e9


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    pairs = products(np.random.default_rng(0))
    for a, b in pairs:  # the kernels must agree before their speeds mean anything
        np.testing.assert_allclose(matmul_einsum(a, b), matmul_blas(a, b), rtol=1e-3, atol=1e-3)
    print(f"{sys.platform} {platform.machine()}, Python {platform.python_version()}, "
          f"NumPy {np.__version__}; float32 products of one MLP step, batch {BATCH}")
    print(f"{'product':>22} {'matmul GFLOP/s':>15} {'einsum GFLOP/s':>15} {'einsum/matmul':>14}")
    for a, b in pairs:
        blas, einsum = (gflops(kernel, [(a, b)], args.repeats) for kernel in (matmul_blas, matmul_einsum))
        print(f"{str(a.shape) + ' @ ' + str(b.shape):>22} {blas:15.2f} {einsum:15.2f} {einsum / blas:14.2f}")
    blas, einsum = (gflops(kernel, pairs, args.repeats) for kernel in (matmul_blas, matmul_einsum))
    print(f"{'whole step':>22} {blas:15.2f} {einsum:15.2f} {einsum / blas:14.2f}")

if __name__ == "__main__":
    main()
