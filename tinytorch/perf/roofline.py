"""The roofline: the fastest an op can run on this machine, given how many FLOPs it does per
byte it moves (its arithmetic intensity).

An op is limited either by arithmetic (the machine's peak FLOP/s) or by memory (bandwidth
times intensity), whichever is lower:

    attainable GFLOP/s = min(peak GFLOP/s, bandwidth GB/s * intensity FLOP/B)

The two roofs meet at the ridge point, peak / bandwidth FLOP/B. An elementwise op (intensity
well below 1) sits on the sloped memory roof: a faster multiply would not help it, fewer
passes over memory (fusion) would. A large matmul (intensity in the hundreds) sits under the
flat compute roof. Both roofs are measured here, on this machine, not taken from a data sheet:
peak as the GFLOP/s of a large matmul with tinytorch's kernel, bandwidth as a large array copy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from tinytorch.core.kernels import matmul


def _best_seconds(fn, repeats: int) -> float:
    """The fastest of `repeats` runs after one warm-up: the machine's capability, not its noise."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure_matmul_gflops(n: int = 512, repeats: int = 5, dtype=np.float32) -> float:
    """GFLOP/s of an (n, n) @ (n, n) product with tinytorch's matmul kernel (2 n^3 FLOPs)."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, n, n)).astype(dtype)
    return 2 * n**3 / _best_seconds(lambda: matmul(a, b), repeats) / 1e9


def measure_bandwidth(megabytes: int = 64, repeats: int = 5) -> float:
    """GB/s of copying a `megabytes` float32 array into another (bytes read + bytes written).

    Large enough that neither array fits in cache, so this is main memory's speed.
    """
    src = np.ones(megabytes * 2**20 // 4, dtype=np.float32)
    dst = np.empty_like(src)
    return 2 * src.nbytes / _best_seconds(lambda: np.copyto(dst, src), repeats) / 1e9


@dataclass(frozen=True)
class Roofline:
    peak_gflops: float
    bandwidth_gbs: float

    @classmethod
    def measure(cls, matmul_size: int = 512, megabytes: int = 64) -> Roofline:
        return cls(measure_matmul_gflops(matmul_size), measure_bandwidth(megabytes))

    @property
    def ridge_point(self) -> float:
        """The intensity (FLOP/B) above which an op can be compute bound."""
        return self.peak_gflops / self.bandwidth_gbs

    def attainable(self, intensity: float) -> float:
        return min(self.peak_gflops, self.bandwidth_gbs * intensity)

    def place(self, prof, phase: str | None = None) -> list[dict]:
        """Every op kind of a `profile` on this roofline: its intensity, achieved GFLOP/s, the
        roof above it, which roof that is, and how much of it the op reaches. Ops without
        FLOPs (reshapes, lookups) have no place on a roofline and are left out."""
        placed = []
        for row in prof.rows(by="op", phase=phase):
            if row.unknown_flops or row.flops == 0 or row.bytes == 0 or row.seconds == 0:
                continue
            roof = self.attainable(row.intensity)
            placed.append({
                "op": row.name, "calls": row.calls, "intensity": row.intensity,
                "achieved_gflops": row.gflops_per_second, "attainable_gflops": roof,
                "bound": "memory" if row.intensity < self.ridge_point else "compute",
                "fraction_of_roof": row.gflops_per_second / roof, "seconds": row.seconds,
            })
        return placed

    def table(self, placed: list[dict]) -> str:
        lines = [f"peak {self.peak_gflops:.1f} GFLOP/s, bandwidth {self.bandwidth_gbs:.1f} GB/s, "
                 f"ridge point {self.ridge_point:.1f} FLOP/B",
                 f"{'op':<32} {'FLOP/B':>8} {'GFLOP/s':>9} {'roof':>8} {'of roof':>8}  bound"]
        for p in placed:
            lines.append(f"{p['op']:<32} {p['intensity']:8.2f} {p['achieved_gflops']:9.2f} "
                         f"{p['attainable_gflops']:8.1f} {p['fraction_of_roof']:8.1%}  {p['bound']}")
        return "\n".join(lines)

    def chart(self, placed: list[dict]):
        """An altair chart (log-log) of the two roofs and the ops under them. altair is a
        course extra, imported only here."""
        import altair as alt

        intensities = [p["intensity"] for p in placed] or [self.ridge_point]
        low, high = min(intensities + [self.ridge_point]) / 4, max(intensities + [self.ridge_point]) * 4
        xs = np.geomspace(low, high, 64)
        roof = alt.Chart(alt.Data(values=[{"intensity": float(x), "gflops": self.attainable(x)}
                                          for x in xs])).mark_line(color="black").encode(
            x=alt.X("intensity:Q", scale=alt.Scale(type="log"), title="FLOPs per byte"),
            y=alt.Y("gflops:Q", scale=alt.Scale(type="log"), title="GFLOP/s"))
        points = alt.Chart(alt.Data(values=[{k: p[k] for k in ("op", "intensity", "achieved_gflops",
                                                                "bound")} for p in placed]))
        dots = points.mark_circle(size=80).encode(
            x="intensity:Q", y=alt.Y("achieved_gflops:Q", title="GFLOP/s"), color="bound:N",
            tooltip=["op:N", "intensity:Q", "achieved_gflops:Q"])
        return roof + dots


__all__ = ["Roofline", "measure_bandwidth", "measure_matmul_gflops"]
