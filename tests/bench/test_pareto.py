"""The Pareto front (tinytorch/bench/pareto.py)."""

import pytest

from tinytorch.bench.pareto import dominates, pareto_chart, pareto_front, points_from_results
from tinytorch.bench.results import BenchmarkResult

FP32 = {"name": "fp32", "accuracy": 0.98, "latency": 2e-3, "size": 400_000}
INT8 = {"name": "int8", "accuracy": 0.97, "latency": 1e-3, "size": 100_000}
PRUNED = {"name": "pruned", "accuracy": 0.96, "latency": 2e-3, "size": 400_000}  # worse than fp32
TIE = dict(FP32, name="tie")


def test_dominance_needs_one_strict_improvement():
    assert dominates(FP32, PRUNED) and not dominates(PRUNED, FP32)
    assert not dominates(FP32, INT8) and not dominates(INT8, FP32)
    assert not dominates(FP32, TIE) and not dominates(TIE, FP32)


def test_front_keeps_the_trade_offs_and_drops_the_dominated():
    assert [p["name"] for p in pareto_front([FP32, INT8, PRUNED, TIE])] == ["fp32", "int8", "tie"]
    with pytest.raises(ValueError, match="has no size"):
        pareto_front([{"name": "x", "accuracy": 1.0, "latency": 1.0}])


def test_points_come_from_results_p90_latency_and_size():
    r = BenchmarkResult("m", "single_stream", {"p90_latency_s": 0.002}, accuracy=0.9, samples=10,
                        model={"parameters": 10, "size_bytes": 40})
    assert points_from_results([r]) == [{"name": "m", "accuracy": 0.9, "latency": 0.002, "size": 40}]


def test_chart_marks_the_front():
    pytest.importorskip("altair")
    spec = pareto_chart([FP32, INT8, PRUNED]).to_dict()
    dots = spec["layer"][1]
    values = spec.get("datasets") or {}
    flat = [row for rows in values.values() for row in rows] if values else dots["data"]["values"]
    on_front = {row["name"]: row["on_front"] for row in flat if "on_front" in row}
    assert on_front == {"fp32": True, "int8": True, "pruned": False}
