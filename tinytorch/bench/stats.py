"""The statistics of timing: robust summaries, bootstrap intervals and a permutation test.

Timings are not normal: they have a floor (the work itself) and a long right tail (the
operating system, the garbage collector, other processes on a shared machine). So the centre
is the median, the spread the interquartile range, and intervals come from the bootstrap,
which assumes nothing about the distribution's shape: resample the observed timings with
replacement many times, recompute the statistic each time, and read the interval off the
middle 95% of those recomputations.

Whether two systems differ is a separate question from by how much: `permutation_test`
answers it exactly. If both systems were the same, the labels "A" and "B" on the pooled
timings would be arbitrary; shuffling them shows how large a difference of medians arises by
chance alone, and the p-value is the share of shuffles at least as extreme as the observed
one. Its false-positive rate is at most its level by construction (tests/bench checks it).

The other intervals the capstone's harness reports: `wilson_interval` for an accuracy (a
proportion of held-out samples), `quantile_interval` for a p90 latency (order statistics, no
assumption about the tail) and `mean_interval` for a mean over independent pieces (a
validation loss averaged over separate windows of text).
"""

from __future__ import annotations

import math

import numpy as np


def as_samples(values, name: str = "timings") -> np.ndarray:
    """A 1-d float64 array of finite values, or an error that says what is wrong."""
    a = np.asarray(values, dtype=np.float64).reshape(-1)
    if a.size == 0:
        raise ValueError(f"{name}: no values")
    if not np.isfinite(a).all():
        raise ValueError(f"{name}: contains NaN or infinity")
    return a


def percentiles(values, qs=(50, 90, 99)) -> dict[str, float]:
    a = as_samples(values)
    return {f"p{q:g}": float(v) for q, v in zip(qs, np.percentile(a, qs), strict=True)}


def iqr(values) -> float:
    q1, q3 = np.percentile(as_samples(values), [25, 75])
    return float(q3 - q1)


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")


_CHUNK_ELEMENTS = 2_000_000  # resamples are drawn in blocks of this many values: 16 MB each


def _chunks(total: int, row_length: int):
    """Row counts that split `total` rows of `row_length` into blocks of bounded memory, so
    10,000 timings resampled 2,000 times do not need 160 MB at once (the browser has ~2 GB)."""
    rows = max(1, _CHUNK_ELEMENTS // max(row_length, 1))
    for start in range(0, total, rows):
        yield min(rows, total - start)


def _resampled_medians(a: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Median of each of `resamples` bootstrap resamples of `a`, vectorised block by block."""
    return np.concatenate([np.median(a[rng.integers(0, a.size, size=(rows, a.size))], axis=1)
                           for rows in _chunks(resamples, a.size)])


def bootstrap_median_ci(values, confidence: float = 0.95, resamples: int = 2000,
                        seed: int = 0) -> tuple[float, float]:
    """Percentile-bootstrap confidence interval of the median."""
    _check_confidence(confidence)
    medians = _resampled_medians(as_samples(values), resamples, np.random.default_rng(seed))
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(medians, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_ratio_ci(a, b, confidence: float = 0.95, resamples: int = 2000,
                       seed: int = 0) -> tuple[float, float]:
    """Interval of median(a) / median(b), each sample resampled independently."""
    _check_confidence(confidence)
    rng = np.random.default_rng(seed)
    ratios = (_resampled_medians(as_samples(a, "a"), resamples, rng)
              / _resampled_medians(as_samples(b, "b"), resamples, rng))
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(ratios, [tail, 100 - tail])
    return float(low), float(high)


def permutation_test(a, b, permutations: int = 2000, seed: int = 0) -> float:
    """Two-sided p-value of "a and b come from one distribution", by the difference of the
    medians of their logarithms (so a ratio of 2 counts as much as a ratio of 1/2).

    The p-value counts the observed labelling among the permutations, (1 + k) / (1 + R), which
    makes P(p <= alpha) <= alpha exactly when the systems are the same.
    """
    a, b = as_samples(a, "a"), as_samples(b, "b")
    if (a <= 0).any() or (b <= 0).any():
        raise ValueError("timings must be positive to compare them as ratios")
    x, y = np.log(a), np.log(b)
    if (x.size < 2) or (y.size < 2):
        raise ValueError("a permutation test needs at least 2 timings of each system")
    pooled = np.concatenate([x, y])
    observed = abs(np.median(x) - np.median(y))
    rng = np.random.default_rng(seed)
    diffs = []
    for rows in _chunks(permutations, pooled.size):
        shuffled = rng.permuted(np.broadcast_to(pooled, (rows, pooled.size)), axis=1)
        diffs.append(np.abs(np.median(shuffled[:, :x.size], axis=1)
                            - np.median(shuffled[:, x.size:], axis=1)))
    diffs = np.concatenate(diffs)
    # A tolerance for ties: shuffles equal to the observed split must count as "as extreme".
    extreme = np.count_nonzero(diffs >= observed - 1e-12 * max(1.0, abs(observed)))
    return float((1 + extreme) / (1 + permutations))


def wilson_interval(correct: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """95% interval of a proportion (Wilson score): an accuracy on 10,000 test images is known
    to about +-0.3 points, so two submissions 0.1 points apart are not told apart by it."""
    p = correct / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def quantile_interval(values, q: float, z: float = 1.959964) -> tuple[float, float]:
    """Distribution-free 95% interval of the q-quantile: the order statistics whose ranks are
    the binomial count's interval n*q +- z*sqrt(n*q*(1-q)) (no assumption about the latency
    distribution, which has a long right tail)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.size
    spread = z * math.sqrt(n * q * (1 - q))
    low, high = int(math.floor(n * q - spread)), int(math.ceil(n * q + spread))
    return float(x[max(low, 0)]), float(x[min(high, n - 1)])


def mean_interval(values, z: float = 1.959964) -> tuple[float, float]:
    """95% interval of the mean of independent values, mean +- z * sd / sqrt(n) (the central
    limit theorem: the mean of a few dozen independent pieces is close to normal whatever
    each piece's distribution). Needs at least 2 values."""
    x = as_samples(values, "values")
    if x.size < 2:
        raise ValueError(f"an interval of a mean needs at least 2 values, got {x.size}")
    half = z * float(x.std(ddof=1)) / math.sqrt(x.size)
    return float(x.mean()) - half, float(x.mean()) + half


__all__ = ["bootstrap_median_ci", "bootstrap_ratio_ci", "iqr", "percentiles", "permutation_test",
           "mean_interval", "quantile_interval", "wilson_interval"]
