"""Module 18's speed-ups, each measured as a ratio from one run (tinytorch.perf.acceleration).

Every pair is checked to give the same result before it is timed; the two sides run
interleaved (tinytorch.bench.measure_interleaved), so a change of load on a shared machine hits
both alike, and each ratio comes with its 95% bootstrap interval.

    OPENBLAS_NUM_THREADS=1 python bench/bench_acceleration.py [--budget 2]

One BLAS thread is the fair setting on a shared machine: with two, every BLAS call that
follows non-BLAS work waits for a sleeping helper thread to be scheduled, which on a loaded
2-core machine costs milliseconds (docs/benchmarks-optimization-speed.md).

Targets (issue 11): loops -> vectorised matmul and conv2d >= 10x; `@` vs einsum 3.5x in the
browser (here natively; bench/pyodide_matmul.mjs in Pyodide); the rest are reported as measured.
"""

import argparse
import os

import numpy as np

import tinytorch
from tinytorch.bench import compare, measure_interleaved, system_info
from tinytorch.core.activations import ReLU, gelu
from tinytorch.core.autograd import no_grad
from tinytorch.core.layers import Linear, Sequential
from tinytorch.core.losses import cross_entropy
from tinytorch.core.transformer import layer_norm
from tinytorch.perf.acceleration import (
    DenseBuffers,
    block_products,
    conv2d_direct,
    conv2d_im2col,
    conv2d_loops,
    cross_entropy_unfused,
    dense_allocating,
    gelu_unfused,
    graph_nodes,
    layer_norm_unfused,
    matmul_blocked,
    matmul_loops,
    temporary_bytes,
)

BUDGET = 2.0
FIGURES: dict[str, float] = {}  # every ratio printed, by its label: what run() returns


def ratio_line(label: str, fast: str, slow: str, timings: dict, target: float | None = None) -> float:
    """Print slow/fast as a speed-up with its interval, record it in FIGURES, return it."""
    c = compare(timings[slow], timings[fast])
    low, high = c.ci
    met = target is not None and c.ratio >= target
    verdict = "" if target is None else f"  target >= {target:g}x: {'met' if met else 'NOT met'}"
    significance = "" if c.significant else "  (not significant)"
    print(f"  {label:<58} {c.ratio:8.2f}x [{low:.2f}, {high:.2f}]  "
          f"({timings[fast].median * 1e3:.3f} ms vs {timings[slow].median * 1e3:.3f} ms)"
          f"{verdict}{significance}")
    FIGURES[label] = c.ratio
    return c.ratio


def timed(systems: dict, **options) -> dict:
    return measure_interleaved(systems, time_budget=options.pop("budget", BUDGET), **options)


def loops_vs_vectorised(rng):
    print("1. Python loops vs vectorised NumPy")
    a, b = rng.standard_normal((2, 64, 64)).astype(np.float32)
    np.testing.assert_allclose(matmul_loops(a, b), a @ b, rtol=1e-4, atol=1e-4)
    t = timed({"loops": lambda: matmul_loops(a, b), "numpy": lambda: a @ b}, min_repeats=5, warmup=1)
    ratio_line("matmul 64x64x64: loops / a @ b", "numpy", "loops", t, target=10)
    x = rng.standard_normal((2, 3, 16, 16)).astype(np.float32)
    w = rng.standard_normal((8, 3, 3, 3)).astype(np.float32)
    np.testing.assert_allclose(conv2d_loops(x, w, 1, 1), conv2d_im2col(x, w, 1, 1), rtol=1e-4, atol=1e-4)
    t = timed({"loops": lambda: conv2d_loops(x, w, 1, 1), "im2col": lambda: conv2d_im2col(x, w, 1, 1)},
              min_repeats=5, warmup=1)
    ratio_line("conv2d 2x3x16x16, 8 filters 3x3, pad 1: loops / im2col", "im2col", "loops", t, target=10)


def direct_vs_im2col(rng):
    print("2. Direct convolution (loop over taps) vs im2col (one matmul), forward")
    for n, c, o, hw, k in [(32, 32, 64, 32, 3), (8, 3, 16, 64, 5), (32, 64, 64, 16, 1)]:
        x = rng.standard_normal((n, c, hw, hw)).astype(np.float32)
        w = rng.standard_normal((o, c, k, k)).astype(np.float32)
        pad = k // 2
        np.testing.assert_allclose(conv2d_direct(x, w, 1, pad), conv2d_im2col(x, w, 1, pad),
                                   rtol=1e-3, atol=1e-3)
        t = timed({"direct": lambda x=x, w=w, pad=pad: conv2d_direct(x, w, 1, pad),
                   "im2col": lambda x=x, w=w, pad=pad: conv2d_im2col(x, w, 1, pad)})
        extra = temporary_bytes(lambda x=x, w=w, pad=pad: conv2d_im2col(x, w, 1, pad)) / 2**20
        direct_extra = temporary_bytes(lambda x=x, w=w, pad=pad: conv2d_direct(x, w, 1, pad)) / 2**20
        ratio_line(f"batch {n}, {c}->{o}, {hw}x{hw}, {k}x{k}: direct / im2col", "im2col", "direct", t)
        print(f"  {'':<58} temporaries: im2col {extra:.1f} MiB, direct {direct_extra:.1f} MiB")


def blocked(rng):
    print("3. Blocked matmul 512x512x512 (float32): tile size vs one a @ b")
    a, b = rng.standard_normal((2, 512, 512)).astype(np.float32)
    systems = {"a @ b": lambda: a @ b}
    for tile in (32, 64, 128, 256):
        np.testing.assert_allclose(matmul_blocked(a, b, tile), a @ b, rtol=1e-3, atol=1e-3)
        systems[f"tile {tile}"] = lambda tile=tile: matmul_blocked(a, b, tile)
    t = timed(systems, budget=2 * BUDGET)
    for tile in (32, 64, 128, 256):
        ratio_line(f"tile {tile} ({block_products(512, 512, 512, tile)} block products): "
                   "blocked / a @ b", "a @ b", f"tile {tile}", t)


def matmul_vs_einsum(rng, torch):
    print("4. `@` (np.matmul, BLAS here) vs np.einsum, float32; ratio = einsum time / @ time")
    for n in (128, 512):
        a, b = rng.standard_normal((2, n, n)).astype(np.float32)
        np.testing.assert_allclose(np.einsum("ij,jk->ik", a, b), a @ b, rtol=1e-3, atol=1e-3)
        systems = {"@": lambda a=a, b=b: a @ b, "einsum": lambda a=a, b=b: np.einsum("ij,jk->ik", a, b)}
        if torch is not None:
            ta, tb = torch.from_numpy(a), torch.from_numpy(b)
            systems["torch"] = lambda ta=ta, tb=tb: ta @ tb
        t = timed(systems)
        ratio_line(f"{n}x{n}: einsum / @ (native: BLAS wins; in Pyodide einsum wins)", "@", "einsum", t)
        if torch is not None:
            ratio_line(f"{n}x{n}: numpy @ / torch @", "torch", "@", t)


def float64_vs_float32(rng):
    print("5. float64 vs float32")
    a, b = rng.standard_normal((2, 512, 512))
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    t = timed({"f32": lambda: a32 @ b32, "f64": lambda: a @ b})
    ratio_line("matmul 512: float64 / float32", "f32", "f64", t)
    x = tinytorch.tensor(rng.standard_normal((256, 4096)), dtype=tinytorch.float64)
    x32 = x.float()
    t = timed({"f32": lambda: gelu(x32, approximate="tanh"), "f64": lambda: gelu(x, approximate="tanh")})
    ratio_line("GELU (tanh) on 1M elements: float64 / float32", "f32", "f64", t)


def fused_vs_unfused(rng):
    print("6. Fused vs unfused, forward + backward through tinytorch (float32)")
    x = tinytorch.tensor(rng.standard_normal((64, 128, 256)).astype(np.float32), requires_grad=True)
    weight = tinytorch.ones(256, requires_grad=True)
    bias = tinytorch.zeros(256, requires_grad=True)
    logits = tinytorch.tensor(rng.standard_normal((4096, 1000)).astype(np.float32), requires_grad=True)
    target = rng.integers(0, 1000, 4096)
    cases = {
        "GELU (tanh), 64x128x256": (lambda: gelu(x, approximate="tanh"), lambda: gelu_unfused(x)),
        "LayerNorm over 256, 64x128 rows": (lambda: layer_norm(x, (256,), weight, bias),
                                            lambda: layer_norm_unfused(x, weight, bias)),
        "softmax cross-entropy, 4096 x 1000 classes": (lambda: cross_entropy(logits, target),
                                                       lambda: cross_entropy_unfused(logits, target)),
    }
    for label, (fused, unfused) in cases.items():
        nodes = (graph_nodes(fused), graph_nodes(unfused))

        def step(fn):
            return lambda: fn().sum().backward()

        np.testing.assert_allclose(fused().numpy(), unfused().numpy(), rtol=1e-4, atol=1e-4)
        t = timed({"fused": step(fused), "unfused": step(unfused)})
        ratio_line(f"{label}: unfused / fused", "fused", "unfused", t)
        memory = (temporary_bytes(step(fused)) / 2**20, temporary_bytes(step(unfused)) / 2**20)
        print(f"  {'':<58} graph nodes {nodes[0]} vs {nodes[1]}; peak temporaries "
              f"{memory[0]:.1f} MiB vs {memory[1]:.1f} MiB ({memory[1] / memory[0]:.2f}x)")


def buffer_reuse(rng):
    print("7. Buffer reuse: relu(x @ W + b) into preallocated arrays vs fresh ones")
    for batch in (64, 1024):
        x = rng.standard_normal((batch, 256)).astype(np.float32)
        w = rng.standard_normal((256, 256)).astype(np.float32)
        b = rng.standard_normal(256).astype(np.float32)
        layer = DenseBuffers(batch, w, b)
        np.testing.assert_array_equal(layer(x), dense_allocating(x, w, b))
        t = timed({"buffers": lambda x=x, layer=layer: layer(x),
                   "allocating": lambda x=x, w=w, b=b: dense_allocating(x, w, b)})
        ratio_line(f"batch {batch}, 256 -> 256: allocating / buffers", "buffers", "allocating", t)
        print(f"  {'':<58} temporaries: {temporary_bytes(lambda x=x, layer=layer: layer(x)) / 1024:.0f} KiB"
              f" vs {temporary_bytes(lambda x=x, w=w, b=b: dense_allocating(x, w, b)) / 1024:.0f} KiB")


def batch_throughput(rng):
    print("8. Batch size vs throughput: MLP 784-256-10 forward (tinytorch, no graph)")
    model = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
    data = rng.standard_normal((512, 784)).astype(np.float32)
    systems, items = {}, {}
    for batch in (1, 4, 16, 64, 256):
        xb = tinytorch.tensor(data[:batch])
        systems[f"batch {batch}"] = lambda xb=xb: model(xb)
        items[f"batch {batch}"] = batch
    with no_grad():
        t = measure_interleaved(systems, items=items, time_budget=2 * BUDGET)
    base = t["batch 1"].throughput
    for name, m in t.items():
        FIGURES[f"MLP 784-256-10 forward, {name}: throughput / batch 1"] = m.throughput / base
        print(f"  {name:<10} {m.throughput:12.0f} samples/s  {m.throughput / base:7.1f}x batch 1  "
              f"({m.median * 1e3:.3f} ms per batch)")


def run(budget: float = 2.0) -> dict[str, float]:
    """Run every section, printing as it goes; return the ratios by label (for
    bench/bench_optimization.py, which prints every target of issue 11 from one run)."""
    global BUDGET
    BUDGET = budget
    FIGURES.clear()
    try:
        import torch

        torch.set_num_threads(int(os.environ.get("OPENBLAS_NUM_THREADS", "2")))
    except ImportError:
        torch = None
    info = system_info()
    print(f"system: {info}; OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
          f"; torch {torch.__version__ if torch else 'not importable'}; load average "
          f"{os.getloadavg()[0]:.1f}")
    rng = np.random.default_rng(0)
    tinytorch.manual_seed(0)
    loops_vs_vectorised(rng)
    direct_vs_im2col(rng)
    blocked(rng)
    matmul_vs_einsum(rng, torch)
    float64_vs_float32(rng)
    fused_vs_unfused(rng)
    buffer_reuse(rng)
    batch_throughput(rng)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return dict(FIGURES)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per interleaved group")
    run(parser.parse_args().budget)


if __name__ == "__main__":
    main()
