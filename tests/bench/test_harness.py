"""The benchmark harness (tinytorch/bench/harness.py), driven by a synthetic clock so the true
distribution of the timings is known."""

import numpy as np
import pytest

from tinytorch.bench.harness import Comparison, Measurement, compare, measure, measure_interleaved


class SyntheticClock:
    """A timer whose calls of `work()` take lognormal time with a known median."""

    def __init__(self, median, sigma=0.3, seed=0):
        self.now, self.median, self.sigma = 0.0, median, sigma
        self.rng = np.random.default_rng(seed)

    def __call__(self):
        return self.now

    def work(self):
        self.now += self.rng.lognormal(np.log(self.median), self.sigma)


def test_measure_stops_when_the_interval_is_tight_and_reports_every_statistic():
    clock = SyntheticClock(1e-3, sigma=0.05)
    m = measure(clock.work, "work", items=8, timer=clock, rel_ci=0.05, time_budget=1e9)
    assert m.stopped_by == "interval"
    assert m.ci[0] <= m.median <= m.ci[1] and m.ci[1] - m.ci[0] <= 0.05 * m.median
    assert m.throughput == pytest.approx(8 / m.median)
    summary = m.summary()
    assert summary["p50_s"] <= summary["p90_s"] <= summary["p99_s"]
    assert summary["repeats"] == m.repeats >= 10
    assert f"median {m.median * 1e6:.3g} us" in str(m) and "stopped by interval" in str(m)


def test_measure_stops_at_the_time_budget_or_the_repeat_cap():
    clock = SyntheticClock(1.0, sigma=1.0)
    m = measure(clock.work, timer=clock, time_budget=20.0, rel_ci=1e-9, min_repeats=5)
    assert m.stopped_by == "time budget" and 5 <= m.repeats <= 25
    clock = SyntheticClock(1.0, sigma=1.0)
    m = measure(clock.work, timer=clock, time_budget=1e9, rel_ci=1e-9, min_repeats=5, max_repeats=7)
    assert m.stopped_by == "max repeats" and m.repeats == 7


def test_warmup_calls_are_not_timed():
    calls = []
    clock = SyntheticClock(1e-3)

    def work():
        calls.append(1)
        clock.work()

    m = measure(work, timer=clock, warmup=4, min_repeats=10, max_repeats=10)
    assert len(calls) == 14 and m.repeats == 10


def test_measure_interval_covers_the_true_median():
    trials, covered = 120, 0
    for t in range(trials):
        clock = SyntheticClock(2e-3, seed=t)
        m = measure(clock.work, timer=clock, min_repeats=30, max_repeats=30, seed=t)
        covered += m.ci[0] <= 2e-3 <= m.ci[1]
    assert covered / trials >= 0.88


def test_interleaved_rounds_alternate_systems_in_random_order():
    order = []
    clock = SyntheticClock(1e-3)

    def system(name):
        def run():
            order.append(name)
            clock.work()
        return run

    ms = measure_interleaved({"a": system("a"), "b": system("b")}, timer=clock, warmup=0,
                             min_repeats=20, max_repeats=20, items={"b": 4})
    assert ms["a"].repeats == ms["b"].repeats == 20 and ms["b"].items == 4
    pairs = [tuple(order[i:i + 2]) for i in range(0, 40, 2)]
    assert all(set(p) == {"a", "b"} for p in pairs)
    assert {("a", "b"), ("b", "a")} <= set(pairs)


def test_compare_reports_ratio_interval_and_significance():
    rng = np.random.default_rng(0)
    fast = Measurement.from_times(rng.lognormal(np.log(1e-3), 0.1, 50), "fast")
    slow = Measurement.from_times(rng.lognormal(np.log(3e-3), 0.1, 50), "slow")
    same = Measurement.from_times(rng.lognormal(np.log(1e-3), 0.1, 50), "same")
    c = compare(fast, slow)
    assert c.significant and c.ci[0] <= c.ratio <= c.ci[1]
    assert c.ratio == pytest.approx(1 / 3, rel=0.1) and c.speedup == pytest.approx(3, rel=0.1)
    assert "fast is faster" in str(c)
    c = compare(fast, same)
    assert not c.significant and "cannot tell fast and same apart" in str(c)
    assert c.summary()["significant"] is False


def test_compare_is_per_item_so_batches_compare_fairly():
    times = np.full(20, 1.0) + np.linspace(0, 0.01, 20)
    one = Measurement.from_times(times, "one")
    batch = Measurement.from_times(times * 4, "batch of 8", items=8)
    assert compare(batch, one).ratio == pytest.approx(0.5)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="min_repeats"):
        measure(lambda: None, min_repeats=1)
    with pytest.raises(ValueError, match="rel_ci"):
        measure(lambda: None, rel_ci=0)
    with pytest.raises(ValueError, match="positive"):
        Measurement.from_times([1.0, -1.0])
    with pytest.raises(ValueError, match="items"):
        Measurement.from_times([1.0, 2.0], items=0)
    with pytest.raises(ValueError, match="no systems"):
        measure_interleaved({})
    with pytest.raises(ValueError, match="alpha"):
        compare(Measurement.from_times([1.0, 2.0]), Measurement.from_times([1.0, 2.0]), alpha=5)


def test_compare_is_fooled_by_identical_systems_at_most_its_level():
    rng = np.random.default_rng(5)
    trials, alpha = 200, 0.05
    fooled = 0
    for t in range(trials):
        a = Measurement.from_times(rng.lognormal(np.log(1e-3), 0.3, 30))
        b = Measurement.from_times(rng.lognormal(np.log(1e-3), 0.3, 30))
        fooled += compare(a, b, alpha=alpha, permutations=500, seed=t).significant
    assert fooled / trials <= alpha + 2.5 * np.sqrt(alpha * (1 - alpha) / trials)


def test_a_verdict_never_contradicts_its_interval():
    m = Measurement.from_times([1.0, 2.0])
    assert not Comparison(m, m, 1.2, (0.9, 1.5), p_value=0.01, alpha=0.05).significant
    assert Comparison(m, m, 1.2, (1.1, 1.5), p_value=0.01, alpha=0.05).significant
    assert not Comparison(m, m, 1.2, (1.1, 1.5), p_value=0.2, alpha=0.05).significant
