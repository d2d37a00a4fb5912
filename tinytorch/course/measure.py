"""Measurements the apps chart: time and memory as a size grows, taken on the learner's own
machine (or browser), never typed in."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterable


def best_time(fn: Callable[[], object], repeat: int = 5, min_seconds: float = 0.02) -> float:
    """Fastest of `repeat` timings, each looping `fn` long enough to be measurable."""
    loops, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds or loops >= 1 << 20:
            break
        loops *= 2
    best = elapsed / loops
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        best = min(best, (time.perf_counter() - start) / loops)
    return best


def peak_bytes(fn: Callable[[], object]) -> int:
    """Peak memory allocated while `fn` runs (NumPy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start


def scaling(make: Callable[[int], Callable[[], object]], sizes: Iterable[int], label: str = "",
            memory: bool = False) -> list[dict]:
    """Time (and optionally peak memory of) `make(n)()` for each n: records ready to chart."""
    rows = []
    for n in sizes:
        fn = make(n)
        row = {"n": n, "seconds": best_time(fn, repeat=3), "label": label}
        if memory:
            row["bytes"] = peak_bytes(fn)
        rows.append(row)
    return rows
