"""The roofline (tinytorch/perf/roofline.py): measured roofs and where ops land under them."""

import numpy as np
import pytest

import tinytorch
from tinytorch.perf.profiling import profile
from tinytorch.perf.roofline import Roofline, measure_bandwidth, measure_matmul_gflops


def test_roofs_are_measured_and_positive():
    assert measure_matmul_gflops(64, repeats=2) > 0
    assert measure_bandwidth(megabytes=4, repeats=2) > 0


def test_attainable_is_the_lower_roof_and_the_ridge_is_where_they_meet():
    roof = Roofline(peak_gflops=100.0, bandwidth_gbs=10.0)
    assert roof.ridge_point == 10.0
    assert roof.attainable(0.5) == 5.0
    assert roof.attainable(10.0) == 100.0
    assert roof.attainable(1000.0) == 100.0


def test_a_big_matmul_is_compute_bound_and_an_add_memory_bound():
    a, b = tinytorch.randn(128, 128), tinytorch.randn(128, 128)
    with profile() as prof:
        a @ b          # 2*128^3 FLOPs over 3*128*128*4 bytes: 21.3 FLOP/B
        a + b          # 1 FLOP per 12 bytes
        a.reshape(-1)  # no FLOPs: not placed
    roof = Roofline(peak_gflops=100.0, bandwidth_gbs=10.0)
    placed = {p["op"]: p for p in roof.place(prof)}
    assert set(placed) == {"MatMul (forward)", "Add (forward)"}
    assert placed["MatMul (forward)"]["intensity"] == pytest.approx(2 * 128**3 / (3 * 128 * 128 * 4))
    assert placed["MatMul (forward)"]["bound"] == "compute"
    assert placed["Add (forward)"]["intensity"] == pytest.approx(1 / 12)
    assert placed["Add (forward)"]["bound"] == "memory"
    add = placed["Add (forward)"]
    assert add["fraction_of_roof"] == pytest.approx(add["achieved_gflops"] / add["attainable_gflops"])
    assert "ridge point 10.0 FLOP/B" in roof.table(list(placed.values()))


def test_chart_draws_roof_and_ops():
    pytest.importorskip("altair")
    with profile() as prof:
        tinytorch.randn(64, 64) @ tinytorch.randn(64, 64)
    roof = Roofline(50.0, 5.0)
    spec = roof.chart(roof.place(prof)).to_dict()
    assert len(spec["layer"]) == 2
    assert np.isfinite(roof.place(prof)[0]["achieved_gflops"])
