"""Module 19, Benchmarking: time a function until the answer is trustworthy, then compare.

    m = measure(lambda: model(x), items=len(x))
    print(m)                      # median 1.23 ms [1.21, 1.25] 95% CI, p90, p99, throughput
    c = compare(measure(fast), measure(slow))
    print(c)                      # fast/slow = 0.41x [0.40, 0.43], p = 0.0005: significant

`measure` warms up first (caches, lazily built state, the first call's page faults), then
repeats until the bootstrap confidence interval of the median is narrower than `rel_ci` of
the median, or the time budget or repetition cap is reached; it says which one stopped it.
`compare` gives the ratio of medians with its bootstrap interval and a permutation test, and
says "not significant" when the data cannot tell the two apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tinytorch.bench.stats import (
    as_samples,
    bootstrap_median_ci,
    bootstrap_ratio_ci,
    iqr,
    percentiles,
    permutation_test,
)


def _format_seconds(s: float) -> str:
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"


@dataclass(frozen=True)
class Measurement:
    """Timings of one system (seconds per call) and their summary."""

    name: str
    times: np.ndarray
    items: int  # items processed per call: throughput = items / median
    confidence: float
    ci: tuple[float, float]
    stopped_by: str  # "interval", "time budget" or "max repeats"

    @classmethod
    def from_times(cls, times, name: str = "", items: int = 1, confidence: float = 0.95,
                   stopped_by: str = "given", seed: int = 0) -> Measurement:
        times = as_samples(times)
        if (times <= 0).any():
            raise ValueError("timings must be positive")
        if items < 1:
            raise ValueError(f"items per call must be >= 1, got {items}")
        return cls(name, times, items, confidence, bootstrap_median_ci(times, confidence, seed=seed),
                   stopped_by)

    @property
    def median(self) -> float:
        return float(np.median(self.times))

    @property
    def iqr(self) -> float:
        return iqr(self.times)

    @property
    def percentiles(self) -> dict[str, float]:
        """p50, p90 and p99 latency in seconds."""
        return percentiles(self.times)

    @property
    def throughput(self) -> float:
        """Items per second at the median time per call."""
        return self.items / self.median

    @property
    def repeats(self) -> int:
        return int(self.times.size)

    def summary(self) -> dict:
        """Plain numbers, for the JSON results (`tinytorch.bench.results`)."""
        return {"median_s": self.median, "ci_low_s": self.ci[0], "ci_high_s": self.ci[1],
                "confidence": self.confidence, "iqr_s": self.iqr,
                **{f"{k}_s": v for k, v in self.percentiles.items()},
                "throughput_per_s": self.throughput, "items_per_call": self.items,
                "repeats": self.repeats, "stopped_by": self.stopped_by}

    def __str__(self) -> str:
        p = self.percentiles
        return (f"{self.name or 'measurement'}: median {_format_seconds(self.median)} "
                f"[{_format_seconds(self.ci[0])}, {_format_seconds(self.ci[1])}] "
                f"{self.confidence:.0%} CI, IQR {_format_seconds(self.iqr)}, "
                f"p90 {_format_seconds(p['p90'])}, p99 {_format_seconds(p['p99'])}, "
                f"{self.throughput:.4g} items/s, {self.repeats} repeats (stopped by {self.stopped_by})")


def measure(fn: Callable[[], object], name: str = "", *, items: int = 1, warmup: int = 3,
            min_repeats: int = 10, max_repeats: int = 10_000, time_budget: float = 2.0,
            rel_ci: float = 0.02, confidence: float = 0.95, timer=time.perf_counter,
            seed: int = 0) -> Measurement:
    """Call `fn()` `warmup` times untimed, then time it until the `confidence` interval of the
    median is within `rel_ci` of the median (checked each time the count grows by half), the
    `time_budget` in seconds is spent, or `max_repeats` is reached, never fewer than
    `min_repeats` times. `timer` is injectable so the statistics can be tested on timings
    whose true distribution is known."""
    return measure_interleaved({name: fn}, items={name: items}, warmup=warmup,
                               min_repeats=min_repeats, max_repeats=max_repeats,
                               time_budget=time_budget, rel_ci=rel_ci, confidence=confidence,
                               timer=timer, seed=seed)[name]


def measure_interleaved(systems: dict[str, Callable[[], object]], *, items: dict | None = None,
                        warmup: int = 3, min_repeats: int = 10, max_repeats: int = 10_000,
                        time_budget: float = 5.0, rel_ci: float = 0.02, confidence: float = 0.95,
                        timer=time.perf_counter, seed: int = 0) -> dict[str, Measurement]:
    """Measure several systems in rounds, each round calling every system once in a fresh
    random order, until every interval is tight (as in `measure`) or the budget is spent.

    On a shared machine the load changes while you measure; timing A for a minute and then B
    for a minute compares A's minute with B's. Interleaved, both see the same minute, and the
    ratio between them stays fair even when the absolute times drift.
    """
    if not systems:
        raise ValueError("no systems to measure")
    if warmup < 0 or min_repeats < 2 or max_repeats < min_repeats:
        raise ValueError(f"need warmup >= 0 and 2 <= min_repeats <= max_repeats, got warmup="
                         f"{warmup}, min_repeats={min_repeats}, max_repeats={max_repeats}")
    if rel_ci <= 0 or time_budget <= 0:
        raise ValueError(f"rel_ci and time_budget must be > 0, got {rel_ci} and {time_budget}")
    names = list(systems)
    for _ in range(warmup):
        for name in names:
            systems[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    rng = np.random.default_rng(seed)
    rounds, next_check, stopped_by = 0, min_repeats, "max repeats"
    started = timer()
    while rounds < max_repeats:
        for k in rng.permutation(len(names)):
            start = timer()
            systems[names[k]]()
            times[names[k]].append(timer() - start)
        rounds += 1
        if timer() - started >= time_budget and rounds >= min_repeats:
            stopped_by = "time budget"
            break
        if rounds == next_check:
            intervals = [bootstrap_median_ci(t, confidence, resamples=500, seed=seed) for t in times.values()]
            if all(high - low <= rel_ci * float(np.median(t))
                   for (low, high), t in zip(intervals, times.values(), strict=True)):
                stopped_by = "interval"
                break
            next_check = max(next_check + 1, int(next_check * 1.5))
    items = items or {}
    return {name: Measurement.from_times(times[name], name, items.get(name, 1), confidence,
                                         stopped_by, seed) for name in names}


@dataclass(frozen=True)
class Comparison:
    """How `a` compares to `b`: ratio of median times (below 1: a is faster)."""

    a: Measurement
    b: Measurement
    ratio: float
    ci: tuple[float, float]
    p_value: float
    alpha: float

    @property
    def significant(self) -> bool:
        """The permutation test rejects "no difference" at `alpha` and the ratio's interval
        excludes 1. Requiring both keeps the verdict and the interval from contradicting each
        other on noisy data, and can only lower the test's false-positive rate."""
        return bool(self.p_value < self.alpha and not self.ci[0] <= 1 <= self.ci[1])

    @property
    def speedup(self) -> float:
        """How many times faster a is than b (b's median / a's median)."""
        return 1 / self.ratio

    def summary(self) -> dict:
        return {"a": self.a.name, "b": self.b.name, "ratio": self.ratio, "ci_low": self.ci[0],
                "ci_high": self.ci[1], "p_value": self.p_value, "alpha": self.alpha,
                "significant": self.significant}

    def __str__(self) -> str:
        a, b = self.a.name or "a", self.b.name or "b"
        verdict = (f"significant at {self.alpha:g}: {a} is {'faster' if self.ratio < 1 else 'slower'}"
                   if self.significant else
                   f"not significant at {self.alpha:g}: these timings cannot tell {a} and {b} apart")
        return (f"{a}/{b} = {self.ratio:.3g}x [{self.ci[0]:.3g}, {self.ci[1]:.3g}] "
                f"{self.a.confidence:.0%} CI, p = {self.p_value:.3g}, {verdict}")


def compare(a: Measurement, b: Measurement, alpha: float = 0.05, permutations: int = 2000,
            seed: int = 0) -> Comparison:
    """Ratio of median times per item a/b with its bootstrap interval, and a permutation test of
    whether the two differ at all (see `tinytorch.bench.stats`). Per item, so a batch of 64
    compares fairly with a batch of 1."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    per_item_a, per_item_b = a.times / a.items, b.times / b.items
    ci = bootstrap_ratio_ci(per_item_a, per_item_b, a.confidence, seed=seed)
    p = permutation_test(per_item_a, per_item_b, permutations, seed=seed)
    return Comparison(a, b, float(np.median(per_item_a) / np.median(per_item_b)), ci, p, alpha)


__all__ = ["Comparison", "Measurement", "compare", "measure", "measure_interleaved"]
