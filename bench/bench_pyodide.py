"""The browser's NumPy, measured: `@` vs einsum, tiling, float64 vs float32 and loops vs
vectorised, inside Pyodide (the course site's Python) under Node.js.

    TINYTORCH_WHEELS=/work/shared/wheels python bench/bench_pyodide.py [--budget 2]

Run natively, this script starts Node with tests/pyodide/run_in_pyodide.mjs (the runner of the
Pyodide test suite; `python3 dev.py test tests/pyodide` installs its npm package) and runs
itself inside Pyodide, where NumPy has no BLAS and one thread. Pyodide under Node runs the same
WebAssembly as the browser; Chromium's timings are close (docs/benchmarks-optimization-speed.md).

Target (issue 11): einsum 3.5x faster than `@` in Pyodide.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def measure_inside(budget: float) -> None:
    from tinytorch.bench import compare, measure_interleaved, system_info
    from tinytorch.core.kernels import matmul_einsum
    from tinytorch.perf.acceleration import matmul_blocked, matmul_loops
    from tinytorch.perf.roofline import Roofline

    print(f"system: {system_info()}")
    roof = Roofline.measure(matmul_size=256)
    print(f"roofline in Pyodide: matmul (einsum kernel, 256^3) {roof.peak_gflops:.2f} GFLOP/s, copy "
          f"bandwidth {roof.bandwidth_gbs:.2f} GB/s, ridge point {roof.ridge_point:.2f} FLOP/B")
    rng = np.random.default_rng(0)

    def line(label, fast, slow, t):
        c = compare(t[slow], t[fast])
        print(f"  {label:<46} {c.ratio:7.2f}x [{c.ci[0]:.2f}, {c.ci[1]:.2f}]  ({t[fast].median * 1e3:.2f} ms "
              f"vs {t[slow].median * 1e3:.2f} ms){'' if c.significant else '  (not significant)'}")
        return c.ratio

    print("`@` vs einsum, float32 (ratio = @ time / einsum time)")
    for n, k, m in ((128, 784, 128), (64, 64, 64), (128, 128, 128), (256, 256, 256), (512, 512, 512)):
        a = rng.standard_normal((n, k)).astype(np.float32)
        b = rng.standard_normal((k, m)).astype(np.float32)
        np.testing.assert_allclose(a @ b, np.einsum("ij,jk->ik", a, b), rtol=1e-3, atol=1e-3)
        t = measure_interleaved({"@": lambda a=a, b=b: a @ b,
                                 "einsum": lambda a=a, b=b: np.einsum("ij,jk->ik", a, b)},
                                time_budget=budget)
        ratio = line(f"({n}x{k}) @ ({k}x{m}): @ / einsum", "einsum", "@", t)
        gflops = {name: 2 * n * k * m / t[name].median / 1e9 for name in ("einsum", "@")}
        print(f"  {'':<46} einsum {gflops['einsum']:.2f} GFLOP/s, @ {gflops['@']:.2f} GFLOP/s"
              + (f"; target einsum >= 3.5x faster: {'met' if ratio >= 3.5 else 'NOT met'}"
                 if (n, k) == (128, 784) else ""))

    print("Blocked matmul 256x256x256 float32 without BLAS: tile vs one a @ b (ratio = blocked / @)")
    a, b = rng.standard_normal((2, 256, 256)).astype(np.float32)
    for k in (16, 32, 64, 128):
        np.testing.assert_allclose(matmul_blocked(a, b, k), a @ b, rtol=1e-3, atol=1e-3)
    systems = {"@": lambda: a @ b}
    systems.update({f"tile {k}": lambda k=k: matmul_blocked(a, b, k) for k in (16, 32, 64, 128)})
    t = measure_interleaved(systems, time_budget=2 * budget)
    for k in (16, 32, 64, 128):
        line(f"tile {k}: blocked / @", "@", f"tile {k}", t)

    print("Blocked einsum 256x256x256 float32: tile vs one einsum (ratio = blocked / einsum)")
    systems = {"einsum": lambda: matmul_einsum(a, b)}
    systems.update({f"tile {k}": lambda k=k: matmul_blocked(a, b, k, kernel=matmul_einsum)
                    for k in (32, 64, 128)})
    t = measure_interleaved(systems, time_budget=2 * budget)
    for k in (32, 64, 128):
        line(f"tile {k}: blocked einsum / einsum", "einsum", f"tile {k}", t)

    print("float64 vs float32 einsum matmul 256 (ratio = float64 / float32)")
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    t = measure_interleaved({"f32": lambda: np.einsum("ij,jk->ik", a, b),
                             "f64": lambda: np.einsum("ij,jk->ik", a64, b64)}, time_budget=budget)
    line("float64 / float32", "f32", "f64", t)

    print("Python loops vs vectorised matmul 48x48x48 (ratio = loops / einsum)")
    a, b = rng.standard_normal((2, 48, 48)).astype(np.float32)
    t = measure_interleaved({"loops": lambda: matmul_loops(a, b),
                             "einsum": lambda: np.einsum("ij,jk->ik", a, b)},
                            time_budget=budget, min_repeats=5, warmup=1)
    line("loops / einsum", "einsum", "loops", t)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per interleaved group")
    args = parser.parse_args()
    if sys.platform == "emscripten":
        measure_inside(args.budget)
        return 0
    from pyodide_runner import run_script_in_pyodide  # bench/, beside this script

    return run_script_in_pyodide("bench/bench_pyodide.py", ["--budget", str(args.budget)])


if __name__ == "__main__":
    sys.exit(main())
