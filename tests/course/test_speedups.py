"""Module 18's races: contestants must agree before they are timed, and each race reports what
it measured (never a timing asserted: only shapes, counts and consistency)."""

import numpy as np
import pytest

from tinytorch.bench import Measurement
from tinytorch.course import speedups


def test_contestants_that_disagree_are_not_timed():
    with pytest.raises(ValueError, match="disagree"):
        speedups._agree({"a": np.zeros(3), "b": np.ones(3)})


def test_a_speedup_is_the_slow_median_over_the_fast_one():
    timings = {"slow": Measurement.from_times([2.0, 2.0, 2.2, 1.8]),
               "fast": Measurement.from_times([1.0, 1.0, 1.1])}
    s = speedups.speedup(timings, "slow", "fast")
    assert s["speedup"] == pytest.approx(2.0) and s["ci_low"] <= s["speedup"] <= s["ci_high"]
    assert s["slow_ms"] == pytest.approx(2000.0) and s["fast_ms"] == pytest.approx(1000.0)


def test_the_matmul_race_covers_every_kernel_and_size():
    race = speedups.matmul_kernels((8, 16), loops_size=4, time_budget=0.02)
    assert [(r["kernel"], r["n"]) for r in race["rows"]] == [
        ("@", 8), ("einsum", 8), ("@", 16), ("einsum", 16), ("Python loops", 4)]
    assert set(race["einsum_over_matmul"]) == {8, 16} and set(race["loops"]) == {"@", "einsum"}
    assert all(r["GFLOP/s"] > 0 for r in race["rows"])


def test_fusion_counts_nodes_and_temporaries():
    race = speedups.fusion((2, 4, 8), time_budget=0.02)
    assert race["nodes"] == {"fused": 1, "unfused": 9}
    assert race["temporary_bytes"]["unfused"] > race["temporary_bytes"]["fused"] > 0


def test_throughput_is_per_sample():
    rows = speedups.batch_throughput((1, 4), time_budget=0.02)
    assert [r["batch"] for r in rows] == [1, 4] and rows[0]["vs batch 1"] == 1.0
    for r in rows:
        assert r["samples/s"] == pytest.approx(r["batch"] / (r["ms per batch"] / 1e3))
