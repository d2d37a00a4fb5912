"""Module 19 exercise: a percentile-bootstrap confidence interval of the median.

The learner's `bootstrap_interval(values, confidence=0.95, resamples=2000, seed=0)` returns
(low, high): resample `values` with replacement `resamples` times (each resample as large as
the data), take each resample's median, and read the interval off the middle `confidence` of
those medians. Like `tinytorch.bench.stats.bootstrap_median_ci`, which the checks compare
against (within the bootstrap's own randomness); the last checks test what makes an interval
an interval: it covers the true median about as often as it claims, it narrows as the data
grows and widens with the confidence asked for.
"""

import numpy as np

from tinytorch.bench.stats import bootstrap_median_ci
from tinytorch.course.checks import Check, Exercise, expect_raises


def bootstrap_interval_solution(values, confidence=0.95, resamples=2000, seed=0):
    """Percentile-bootstrap interval of the median of `values`."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if values.size == 0 or not 0 < confidence < 1:
        raise ValueError(f"need values and 0 < confidence < 1, got {values.size} values and {confidence}")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, values.size, size=(resamples, values.size))  # with replacement
    medians = np.median(values[picks], axis=1)
    tail = (1 - confidence) / 2 * 100  # e.g. 2.5% cut off each side for 95%
    low, high = np.percentile(medians, [tail, 100 - tail])
    return float(low), float(high)


def _latencies(n, seed):
    """Timings shaped like real ones: a floor of 1 ms and a long right tail (lognormal)."""
    return 1e-3 * (1 + np.random.default_rng(seed).lognormal(-1.0, 1.0, n))


def _interval(candidate, values, **kwargs):
    result = candidate(values, **kwargs)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(f"return two numbers, (low, high), got {result!r}")
    low, high = (float(x) for x in result)
    if not low <= high:
        raise AssertionError(f"the interval ({low:.4g}, {high:.4g}) has low above high")
    return low, high


def _around_the_median(candidate):
    values = _latencies(301, seed=0)
    low, high = _interval(candidate, values)
    median, mean = np.median(values), values.mean()
    if not low <= median <= high:
        raise AssertionError(f"the interval [{low:.4g}, {high:.4g}] does not contain the sample median "
                             f"{median:.4g} (the mean is {mean:.4g}: is it the mean's interval?)")
    if low <= mean <= high:
        raise AssertionError(f"on this long-tailed sample the interval [{low:.4g}, {high:.4g}] contains "
                             f"the mean {mean:.4g}, which lies far above the median {median:.4g}")


def _matches_the_harness(candidate):
    values = _latencies(200, seed=1)
    low, high = _interval(candidate, values, confidence=0.9, resamples=4000, seed=2)
    want = bootstrap_median_ci(values, 0.9, resamples=4000, seed=2)
    tolerance = 0.15 * (want[1] - want[0])  # two bootstraps differ by their random draws only
    if abs(low - want[0]) > tolerance or abs(high - want[1]) > tolerance:
        raise AssertionError(f"90% interval [{low:.5g}, {high:.5g}], the harness's [{want[0]:.5g}, "
                             f"{want[1]:.5g}] (they may differ by about {tolerance:.2g})")


def _resamples_with_replacement(candidate):
    low, high = _interval(candidate, np.arange(1.0, 16.0), resamples=500)
    if high - low <= 0:
        raise AssertionError("the interval has no width: a resample must draw WITH replacement "
                             "(rng.integers), or every resample is the data reordered, with the same median")


def _narrows_with_more_data(candidate):
    small = np.subtract(*_interval(candidate, _latencies(50, seed=3), resamples=1000)[::-1])
    large = np.subtract(*_interval(candidate, _latencies(800, seed=3), resamples=1000)[::-1])
    if not large < small / 2:
        raise AssertionError(f"the interval of 800 timings is {large:.3g} s wide and of 50 timings "
                             f"{small:.3g} s: 16x more data should make it about 4x narrower")


def _wider_for_more_confidence(candidate):
    values = _latencies(100, seed=4)
    width = {c: np.subtract(*_interval(candidate, values, confidence=c, resamples=2000)[::-1])
             for c in (0.5, 0.99)}
    if not width[0.99] > 1.5 * width[0.5]:
        raise AssertionError(f"the 99% interval is {width[0.99]:.3g} wide, the 50% one {width[0.5]:.3g}: "
                             "cut (1 - confidence) / 2 off each tail of the resampled medians")


def _covers_the_true_median(candidate):
    true_median = 1e-3 * (1 + np.exp(-1.0))  # of the lognormal timings
    covered = sum(low <= true_median <= high for low, high in
                  (_interval(candidate, _latencies(41, seed=100 + trial), resamples=400, seed=trial)
                   for trial in range(60)))
    if not 50 <= covered <= 60:
        raise AssertionError(f"over 60 samples of 41 timings the 95% interval covered the true median "
                             f"{covered} times; about 57 expected (at least 50)")


def _same_seed_same_interval(candidate):
    values = _latencies(60, seed=5)
    first, second = (_interval(candidate, values, resamples=300, seed=9) for _ in range(2))
    if first != second:
        raise AssertionError(f"two calls with seed=9 gave {first} and {second}: draw from "
                             "np.random.default_rng(seed)")


def _refuses_bad_input(candidate):
    expect_raises(ValueError, candidate, _latencies(10, seed=6), 1.5, what="confidence=1.5")
    expect_raises(ValueError, candidate, np.array([]), what="an empty list of timings")


BOOTSTRAP_INTERVAL = Exercise(
    name="BOOTSTRAP_INTERVAL",
    checks=(
        Check("contains the median, not the mean, of long-tailed timings", _around_the_median,
              "np.median of each resample, not np.mean."),
        Check("agrees with the harness's bootstrap_median_ci (90%, 4,000 resamples)", _matches_the_harness,
              "Each resample as large as the data; the interval is np.percentile(medians, "
              "[tail, 100 - tail]) with tail = (1 - confidence) / 2 * 100."),
        Check("resamples with replacement", _resamples_with_replacement,
              "picks = rng.integers(0, n, size=(resamples, n)); values[picks] is every resample at once."),
        Check("narrows as the data grows", _narrows_with_more_data,
              "The interval is of the median of the data, not a range of the data itself: resample, "
              "then take the percentiles of the resampled medians."),
        Check("widens with the confidence asked for", _wider_for_more_confidence,
              "Use the `confidence` argument to choose the percentiles."),
        Check("covers the true median about 95% of the time", _covers_the_true_median,
              "The percentile bootstrap of the median: the checks above, put together."),
        Check("the same seed gives the same interval", _same_seed_same_interval,
              "rng = np.random.default_rng(seed), and draw only from rng."),
        Check("refuses a confidence outside (0, 1) and no timings", _refuses_bad_input,
              "raise ValueError for an empty `values` or a confidence not strictly between 0 and 1."),
    ),
    solution=bootstrap_interval_solution,
)
