"""Module 19's pictures of timings: latency distributions, and each measurement's summary with
its intervals, as the app shows them.

Why draw the distribution at all: a benchmark's single number hides its shape. Timings have a
floor (the work itself) and a long right tail (the garbage collector, the operating system, the
other tabs); two systems whose medians differ by 10% can overlap almost entirely, and a p99
can be ten times the median. The histogram shows what the median, its interval and the tail
percentiles summarise; bins are shared by all systems so their shapes compare directly, and
the far tail (beyond `clip` of all timings) is counted in the last bin rather than stretching
the axis until the bulk is one bar.

And why time several calls at once: a clock has a tick. Browsers coarsen `performance.now()`,
which Pyodide's `time.perf_counter` reads, to 5 µs (100 µs on pages that are not
cross-origin isolated) against timing attacks; a 80 µs call then reads as 80 or 85 µs and
nothing in between, the median of a thousand timings is one tick value, and its bootstrap
interval collapses to zero width: a false precision. `timer_tick` measures the tick in the
session and `calls_per_timing` picks how many calls one timing must span to be `ticks` ticks
long, so the rounding is a small fraction of every timing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from tinytorch.bench.stats import as_samples, quantile_interval


def timer_tick(timer: Callable[[], float] = time.perf_counter, readings: int = 5000) -> float:
    """The clock's tick, measured: the smallest nonzero difference between consecutive readings
    (0.0 if it never moved, which no working clock does over 5,000 readings)."""
    values = np.array([timer() for _ in range(readings)])
    steps = np.diff(values)
    steps = steps[steps > 0]
    return float(steps.min()) if steps.size else 0.0


def calls_per_timing(fn: Callable[[], object], tick: float, ticks: int = 200,
                     timer: Callable[[], float] = time.perf_counter) -> int:
    """How many calls of `fn` one timing must span to last at least `ticks` ticks of the clock
    (1 when a single call already does), judged from the median of 5 timed runs of 10 calls."""
    if tick < 0 or ticks < 1:
        raise ValueError(f"need tick >= 0 and ticks >= 1, got {tick} and {ticks}")
    runs = []
    for _ in range(5):
        start = timer()
        for _ in range(10):
            fn()
        runs.append((timer() - start) / 10)
    per_call = max(float(np.median(runs)), 1e-9)
    return max(1, math.ceil(ticks * tick / per_call))


def repeated(fn: Callable[[], object], calls: int) -> Callable[[], None]:
    """`fn` called `calls` times in a row: one timing of the harness then spans them all (pass
    `items=calls` to it, so medians and comparisons stay per call)."""
    if calls < 1:
        raise ValueError(f"calls must be >= 1, got {calls}")

    def run():
        for _ in range(calls):
            fn()
    return run


def histogram_records(samples: dict[str, np.ndarray], bins: int = 40, clip: float = 0.99,
                      scale: float = 1e6) -> list[dict]:
    """Records {system, start, end, count} of a histogram per system over shared bins, times
    multiplied by `scale` (1e6: microseconds); timings above the `clip` quantile of all of them
    are counted in the last bin (its `end` says where it was cut)."""
    if not samples:
        raise ValueError("no timings to draw")
    if bins < 1 or not 0 < clip <= 1:
        raise ValueError(f"need bins >= 1 and 0 < clip <= 1, got bins={bins}, clip={clip}")
    arrays = {name: as_samples(times, name) * scale for name, times in samples.items()}
    pooled = np.concatenate(list(arrays.values()))
    low, high = float(pooled.min()), float(np.quantile(pooled, clip))
    if high <= low:
        high = low * 1.01 + 1e-12
    edges = np.linspace(low, high, bins + 1)
    records = []
    for name, a in arrays.items():
        counts, _ = np.histogram(np.clip(a, low, high), edges)
        records += [{"system": name, "start": float(s), "end": float(e), "count": int(c)}
                    for s, e, c in zip(edges[:-1], edges[1:], counts, strict=True)]
    return records


def summary_rows(measurements: dict, scale: float = 1e6) -> list[dict]:
    """One row per `tinytorch.bench.Measurement`: median with its bootstrap interval, IQR, p90
    with its distribution-free interval, p99 and how many timings, per item (a timing of
    `m.items` calls counts as that many) in units of 1/`scale` s."""
    rows = []
    for name, m in measurements.items():
        per = scale / m.items
        p90_low, p90_high = quantile_interval(m.times, 0.9)
        p = m.percentiles
        rows.append({"system": name, "median": m.median * per, "median_low": m.ci[0] * per,
                     "median_high": m.ci[1] * per, "iqr": m.iqr * per, "p90": p["p90"] * per,
                     "p90_low": p90_low * per, "p90_high": p90_high * per, "p99": p["p99"] * per,
                     "repeats": m.repeats, "items": m.items, "stopped_by": m.stopped_by})
    return rows


def distribution_chart(samples: dict[str, np.ndarray], medians: dict[str, float], bins: int = 40,
                       title: str = "", width: int = 520, height: int = 220):
    """Overlaid histograms (microseconds) with each system's median as a vertical rule."""
    from tinytorch.course import charts

    alt = charts.altair()
    bars = (alt.Chart(charts.fast_data(histogram_records(samples, bins))).mark_bar(opacity=0.55)
            .encode(x=alt.X("start:Q", title="µs per call; the last bin holds the slowest 1%"),
                    x2=alt.X2("end:Q"), y=alt.Y("count:Q", stack=None, title="calls"),
                    color=alt.Color("system:N"),
                    tooltip=charts.tooltips("system:N", "start:Q", "end:Q", "count:Q")))
    rules = (alt.Chart(charts.fast_data([{"system": n, "median": v * 1e6} for n, v in medians.items()]))
             .mark_rule(strokeWidth=2, strokeDash=[4, 2])
             .encode(x=alt.X("median:Q"), color=alt.Color("system:N"),
                     tooltip=charts.tooltips("system:N", "median:Q")))
    return (bars + rules).properties(title=title, width=width, height=height)


__all__ = ["calls_per_timing", "distribution_chart", "histogram_records", "repeated", "summary_rows",
           "timer_tick"]
