"""Module 19's pictures of timings: latency distributions, and each measurement's summary with
its intervals, as the app shows them.

Why draw the distribution at all: a benchmark's single number hides its shape. Timings have a
floor (the work itself) and a long right tail (the garbage collector, the operating system, the
other tabs); two systems whose medians differ by 10% can overlap almost entirely, and a p99
can be ten times the median. The histogram shows what the median, its interval and the tail
percentiles summarise; bins are shared by all systems so their shapes compare directly, and
the far tail (beyond `clip` of all timings) is counted in the last bin rather than stretching
the axis until the bulk is one bar.
"""

from __future__ import annotations

import numpy as np

from tinytorch.bench.stats import as_samples, quantile_interval


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
    with its distribution-free interval, p99 and how many timings, in units of 1/`scale` s."""
    rows = []
    for name, m in measurements.items():
        p90_low, p90_high = quantile_interval(m.times, 0.9)
        p = m.percentiles
        rows.append({"system": name, "median": m.median * scale, "median_low": m.ci[0] * scale,
                     "median_high": m.ci[1] * scale, "iqr": m.iqr * scale, "p90": p["p90"] * scale,
                     "p90_low": p90_low * scale, "p90_high": p90_high * scale, "p99": p["p99"] * scale,
                     "repeats": m.repeats, "stopped_by": m.stopped_by})
    return rows


def distribution_chart(samples: dict[str, np.ndarray], medians: dict[str, float], bins: int = 40,
                       title: str = "", width: int = 520, height: int = 220):
    """Overlaid histograms (microseconds) with each system's median as a vertical rule."""
    from tinytorch.course import charts

    alt = charts._alt()
    bars = (alt.Chart(charts.fast_data(histogram_records(samples, bins))).mark_bar(opacity=0.55)
            .encode(x=alt.X("start:Q", title="latency (µs); the last bin holds the slowest 1%"),
                    x2="end:Q", y=alt.Y("count:Q", stack=None, title="calls"),
                    color=alt.Color("system:N"), tooltip=["system:N", "start:Q", "end:Q", "count:Q"]))
    rules = (alt.Chart(charts.fast_data([{"system": n, "median": v * 1e6} for n, v in medians.items()]))
             .mark_rule(strokeWidth=2, strokeDash=[4, 2])
             .encode(x="median:Q", color="system:N", tooltip=["system:N", "median:Q"]))
    return (bars + rules).properties(title=title, width=width, height=height)


__all__ = ["distribution_chart", "histogram_records", "summary_rows"]
