"""Timing statistics (tinytorch/bench/stats.py) on synthetic timings whose truth is known."""

import numpy as np
import pytest

from tinytorch.bench.stats import (
    bootstrap_median_ci,
    bootstrap_ratio_ci,
    iqr,
    mean_interval,
    percentiles,
    permutation_test,
    quantile_interval,
    wilson_interval,
)

MEDIAN, SIGMA = 1e-3, 0.3  # lognormal timings: the median is exactly exp(mu)


def timings(rng, n, scale=1.0):
    return scale * rng.lognormal(np.log(MEDIAN), SIGMA, n)


def test_summaries_of_known_values():
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert percentiles(values)["p50"] == 3.0
    assert percentiles(values, (90,))["p90"] == pytest.approx(4.6)
    assert iqr(values) == 2.0
    with pytest.raises(ValueError, match="NaN"):
        percentiles([1.0, float("nan")])
    with pytest.raises(ValueError, match="no values"):
        iqr([])


def test_median_interval_covers_the_true_median_about_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    trials = 200
    covered = sum(low <= MEDIAN <= high
                  for low, high in (bootstrap_median_ci(timings(rng, 41), seed=t) for t in range(trials)))
    # 95% nominal; 200 trials have a standard error of 1.5 points
    assert 0.90 <= covered / trials <= 0.99


def test_ratio_interval_covers_the_true_ratio():
    rng = np.random.default_rng(2)
    trials = 150
    covered = 0
    for t in range(trials):
        low, high = bootstrap_ratio_ci(timings(rng, 40, 1.5), timings(rng, 40), seed=t)
        covered += low <= 1.5 <= high
    assert 0.88 <= covered / trials <= 0.995


def test_permutation_test_is_fooled_by_identical_systems_at_most_its_level():
    rng = np.random.default_rng(3)
    trials, alpha = 400, 0.05
    false_positives = sum(permutation_test(timings(rng, 30), timings(rng, 30), 500, seed=t) < alpha
                          for t in range(trials))
    # valid by construction (rate <= alpha); 2.5 standard errors of slack for 400 trials
    assert false_positives / trials <= alpha + 2.5 * np.sqrt(alpha * (1 - alpha) / trials)


def test_permutation_test_detects_a_real_difference():
    rng = np.random.default_rng(4)
    detected = sum(permutation_test(timings(rng, 30, 1.5), timings(rng, 30), 500, seed=t) < 0.05
                   for t in range(100))
    assert detected >= 90


def test_permutation_p_value_is_never_zero_and_checks_its_input():
    p = permutation_test([1.0, 1.1, 1.2], [5.0, 5.1, 5.2], permutations=100)
    assert 0 < p <= 1
    with pytest.raises(ValueError, match="positive"):
        permutation_test([1.0, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2"):
        permutation_test([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_median_ci([1.0, 2.0], confidence=95)


def test_large_samples_are_resampled_in_bounded_blocks(monkeypatch):
    from tinytorch.bench import stats

    rng = np.random.default_rng(6)
    a, b = timings(rng, 500), timings(rng, 500, 1.2)
    whole = (bootstrap_median_ci(a), permutation_test(a, b, 300))
    monkeypatch.setattr(stats, "_CHUNK_ELEMENTS", 7_000)  # 14 resamples of 500 per block
    blocked = (bootstrap_median_ci(a), permutation_test(a, b, 300))
    assert blocked[1] < 0.05 and whole[1] < 0.05
    assert blocked[0] == pytest.approx(whole[0], rel=0.02)


def test_wilson_interval_of_an_accuracy():
    low, high = wilson_interval(9700, 10_000)
    assert low < 0.97 < high and high - low < 0.01
    assert wilson_interval(0, 50)[0] == 0.0 and wilson_interval(50, 50)[1] == pytest.approx(1.0)
    assert wilson_interval(0, 50)[1] > 0  # no samples right is not proof of a zero rate


def test_quantile_interval_covers_the_true_p90():
    times = np.random.default_rng(0).exponential(1.0, 2000)
    low, high = quantile_interval(times, 0.9)
    assert low < np.log(10) < high  # the exponential's true p90
    assert low < np.percentile(times, 90) < high


def test_mean_interval_covers_the_true_mean_about_95_percent_of_the_time():
    rng = np.random.default_rng(2)
    covered = sum(low <= 1.0 <= high for low, high in (mean_interval(rng.exponential(1.0, 64))
                                                       for _ in range(400)))
    assert 0.90 <= covered / 400 <= 0.98
    assert mean_interval([2.0, 2.0, 2.0]) == (2.0, 2.0)
    with pytest.raises(ValueError, match="at least 2"):
        mean_interval([1.0])
