"""Module 18's races, run in the learner's session: the same computation written two or more
ways (`tinytorch.perf.acceleration`), checked to agree, then timed interleaved
(`tinytorch.bench.measure_interleaved`: every round runs each way once, in a random order), so a
change of load in the browser or on the machine hits all of them alike. A speed-up is the slow
way's median time over the fast way's, with its 95% bootstrap interval (`tinytorch.bench.compare`).
"""

from __future__ import annotations

import numpy as np

import tinytorch
from tinytorch.bench import compare, measure_interleaved
from tinytorch.core.activations import ReLU, gelu
from tinytorch.core.autograd import no_grad
from tinytorch.core.kernels import matmul_blas, matmul_einsum
from tinytorch.core.layers import Linear, Sequential
from tinytorch.course.recorded import PYODIDE_COMMAND, Recorded
from tinytorch.perf.acceleration import gelu_unfused, graph_nodes, matmul_loops, temporary_bytes

_NATIVE = "OPENBLAS_NUM_THREADS=1 python bench/bench_acceleration.py --budget 2"
# What the benchmarks recorded (docs/benchmarks-optimization-speed.md), shown beside each race.
RECORDED = {
    "kernels": [
        Recorded("matmul 64^3: Python loops / `@` (native, BLAS)", "361x", _NATIVE),
        Recorded("matmul 48^3: Python loops / einsum (Pyodide under Node)", "140x", PYODIDE_COMMAND),
        Recorded("128^2: einsum time / `@` time (native: `@` is faster)", "7.8x", _NATIVE),
        Recorded("128^3: `@` time / einsum time (Pyodide: einsum is faster)", "1.72x", PYODIDE_COMMAND),
        Recorded("256^3: `@` time / einsum time (Pyodide)", "2.10x", PYODIDE_COMMAND),
        Recorded("(128x784) @ (784x128): `@` time / einsum time (Pyodide)", "2.25x", PYODIDE_COMMAND),
    ],
    "fusion": [Recorded("GELU (tanh) 64x128x256, forward + backward: unfused / fused (native)", "2.08x",
                        _NATIVE)],
    "batch": [Recorded("MLP 784-256-10 forward, batch 256: samples/s vs batch 1 (native)", "10.3x", _NATIVE)],
}


def _agree(results: dict[str, np.ndarray], rtol: float = 1e-3, atol: float = 1e-3) -> None:
    """Speed means nothing if the answers differ: every way must match the first."""
    (first, expected), *others = results.items()
    for name, got in others:
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            raise ValueError(f"{name} and {first} disagree (largest difference "
                             f"{float(np.max(np.abs(got - expected))):.3g}): not the same computation")


def timed(systems: dict, time_budget: float, items: dict | None = None) -> dict:
    """`measure_interleaved` with settings for slow systems: one warm-up, at least 5 rounds."""
    return measure_interleaved(systems, items=items, warmup=1, min_repeats=5, time_budget=time_budget)


def speedup(timings: dict, slow: str, fast: str) -> dict:
    """How many times faster `fast` ran than `slow`, with the interval and both medians."""
    c = compare(timings[slow], timings[fast])
    return {"speedup": c.ratio, "ci_low": c.ci[0], "ci_high": c.ci[1], "significant": c.significant,
            "fast_ms": 1e3 * timings[fast].median, "slow_ms": 1e3 * timings[slow].median}


def matmul_kernels(sizes, loops_size: int, time_budget: float, seed: int = 0) -> dict:
    """(n, n) @ (n, n) float32 through np.matmul (`@`) and np.einsum at every size in `sizes`,
    and through Python loops at `loops_size` (they would take minutes at the larger sizes).

    Returns `rows` (kernel, n, ms, GFLOP/s: for a chart), `einsum_over_matmul` (the speed-up
    of einsum over `@` per size: above 1 in the browser, far below natively) and `loops`
    (the speed-ups of `@` and einsum over the loops)."""
    rng = np.random.default_rng(seed)
    rows, einsum_over_matmul = [], {}
    for n in sizes:
        a, b = rng.standard_normal((2, n, n)).astype(np.float32)
        _agree({"@": matmul_blas(a, b), "einsum": matmul_einsum(a, b)})
        t = timed({"@": lambda a=a, b=b: matmul_blas(a, b), "einsum": lambda a=a, b=b: matmul_einsum(a, b)},
                  time_budget)
        rows += [{"kernel": k, "n": n, "ms": 1e3 * m.median, "GFLOP/s": 2 * n**3 / m.median / 1e9}
                 for k, m in t.items()]
        einsum_over_matmul[n] = speedup(t, "@", "einsum")
    a, b = rng.standard_normal((2, loops_size, loops_size)).astype(np.float32)
    _agree({"loops": matmul_loops(a, b), "@": matmul_blas(a, b), "einsum": matmul_einsum(a, b)})
    t = timed({"loops": lambda: matmul_loops(a, b), "@": lambda: matmul_blas(a, b),
               "einsum": lambda: matmul_einsum(a, b)}, time_budget)
    rows += [{"kernel": "Python loops", "n": loops_size, "ms": 1e3 * t["loops"].median,
              "GFLOP/s": 2 * loops_size**3 / t["loops"].median / 1e9}]
    return {"rows": rows, "einsum_over_matmul": einsum_over_matmul,
            "loops": {"@": speedup(t, "loops", "@"), "einsum": speedup(t, "loops", "einsum")}}


def fusion(shape, time_budget: float, seed: int = 0) -> dict:
    """GELU (tanh form), forward and backward, as one fused tinytorch op and as nine elementary
    ops (`gelu_unfused`): the speed-up, the graph nodes and the peak temporary bytes of each."""
    rng = np.random.default_rng(seed)
    x = tinytorch.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
    ways = {"fused": lambda: gelu(x, approximate="tanh"), "unfused": lambda: gelu_unfused(x)}
    _agree({name: fn().numpy() for name, fn in ways.items()}, rtol=1e-4, atol=1e-5)

    def step(fn):
        def run():
            x.grad = None
            fn().sum().backward()
        return run

    t = timed({name: step(fn) for name, fn in ways.items()}, time_budget)
    return {**speedup(t, "unfused", "fused"),
            "nodes": {name: graph_nodes(fn) for name, fn in ways.items()},
            "temporary_bytes": {name: temporary_bytes(step(fn)) for name, fn in ways.items()}}


def batch_throughput(batches, time_budget: float, seed: int = 0) -> list[dict]:
    """Samples per second of an MLP 784-256-10 forward pass (no graph) at each batch size."""
    rng = np.random.default_rng(seed)
    model = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
    data = rng.standard_normal((max(batches), 784)).astype(np.float32)
    inputs = {b: tinytorch.tensor(data[:b]) for b in batches}
    systems = {b: (lambda xb=inputs[b]: model(xb)) for b in batches}
    with no_grad():
        t = measure_interleaved(systems, items={b: b for b in batches}, warmup=1, min_repeats=5,
                                time_budget=time_budget)
    base = t[batches[0]].throughput
    return [{"batch": b, "samples/s": m.throughput, f"vs batch {batches[0]}": m.throughput / base,
             "ms per batch": 1e3 * m.median} for b, m in t.items()]


__all__ = ["RECORDED", "batch_throughput", "fusion", "matmul_kernels", "speedup", "timed"]
