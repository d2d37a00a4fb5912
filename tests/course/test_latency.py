"""The latency pictures of module 19: histograms over shared bins that count every timing,
and summaries whose intervals hold their estimates."""

import numpy as np
import pytest

from tinytorch.bench import Measurement
from tinytorch.course import latency


def _times(seed, n=500, scale=1.0):
    return scale * 1e-4 * (1 + np.random.default_rng(seed).lognormal(-1, 1, n))


def test_histograms_share_their_bins_and_count_every_timing_the_tail_in_the_last_bin():
    samples = {"a": _times(0), "b": _times(1, n=300, scale=1.5)}
    records = latency.histogram_records(samples, bins=20)
    by_system = {name: [r for r in records if r["system"] == name] for name in samples}
    edges = {name: [(r["start"], r["end"]) for r in rows] for name, rows in by_system.items()}
    assert edges["a"] == edges["b"]
    assert sum(r["count"] for r in by_system["a"]) == 500 and sum(r["count"] for r in by_system["b"]) == 300
    pooled = np.concatenate(list(samples.values())) * 1e6
    assert by_system["a"][0]["start"] == pytest.approx(pooled.min())
    assert by_system["a"][-1]["end"] == pytest.approx(np.quantile(pooled, 0.99))
    tail = (samples["b"] * 1e6 >= np.quantile(pooled, 0.99)).sum()
    assert by_system["b"][-1]["count"] >= tail


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="no timings"):
        latency.histogram_records({})
    with pytest.raises(ValueError, match="bins >= 1"):
        latency.histogram_records({"a": _times(0)}, bins=0)
    with pytest.raises(ValueError, match="NaN"):
        latency.histogram_records({"a": [1.0, float("nan")]})


def test_summary_rows_hold_estimates_inside_their_intervals():
    m = Measurement.from_times(_times(2), name="model")
    (row,) = latency.summary_rows({"model": m})
    assert row["median_low"] <= row["median"] <= row["median_high"]
    assert row["p90_low"] <= row["p90"] <= row["p90_high"]
    assert row["median"] == pytest.approx(1e6 * np.median(m.times)) and row["repeats"] == 500


def test_distribution_chart_draws_both_systems():
    chart = latency.distribution_chart({"a": _times(0), "b": _times(1)}, {"a": 1e-4, "b": 2e-4})
    spec = chart.to_dict()
    assert len(spec["layer"]) == 2


class SteppingClock:
    """A clock that ticks every 5 us and advances `per_read` seconds per reading, like a
    browser's coarsened performance.now() around work of known length."""

    def __init__(self, per_read: float, tick: float = 5e-6):
        self.now, self.per_read, self.tick = 0.0, per_read, tick

    def __call__(self) -> float:
        self.now += self.per_read
        return self.now // self.tick * self.tick


def test_timer_tick_is_the_clocks_step():
    assert latency.timer_tick(SteppingClock(per_read=1e-6)) == pytest.approx(5e-6)
    assert latency.timer_tick() > 0  # this machine's clock moves


def test_calls_per_timing_spans_enough_ticks():
    clock = SteppingClock(per_read=1e-9)

    def call():  # a call that takes 40 us: 200 ticks of 5 us take 25 of them
        clock.now += 40e-6

    assert latency.calls_per_timing(call, 5e-6, ticks=200, timer=clock) == 25
    assert latency.calls_per_timing(lambda: None, 0.0) == 1
    with pytest.raises(ValueError, match="ticks >= 1"):
        latency.calls_per_timing(lambda: None, 1e-6, ticks=0)


def test_repeated_calls_the_function_that_many_times():
    count = []
    latency.repeated(lambda: count.append(1), 7)()
    assert len(count) == 7
    with pytest.raises(ValueError, match="calls must be >= 1"):
        latency.repeated(lambda: None, 0)
