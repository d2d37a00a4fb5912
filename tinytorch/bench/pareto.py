"""The Pareto front: the systems no other system beats on every axis at once.

Optimisation trades: INT8 is smaller and faster but may lose accuracy, pruning shrinks a model
and may not speed it up. A system is dominated when another is at least as good on accuracy,
latency and size and strictly better on one; the rest form the front, the only systems worth
choosing between. The chart shows accuracy against latency, size as the point's area.
"""

from __future__ import annotations

AXES = {"accuracy": "max", "latency": "min", "size": "min"}


def _values(point: dict) -> dict:
    missing = [axis for axis in AXES if point.get(axis) is None]
    if missing:
        raise ValueError(f"point {point.get('name', point)!r} has no {', '.join(missing)}")
    return {axis: float(point[axis]) for axis in AXES}


def dominates(a: dict, b: dict) -> bool:
    """True when `a` is at least as good as `b` on every axis and better on one."""
    va, vb = _values(a), _values(b)
    better_or_equal = all(va[k] >= vb[k] if goal == "max" else va[k] <= vb[k]
                          for k, goal in AXES.items())
    return better_or_equal and va != vb


def pareto_front(points: list[dict]) -> list[dict]:
    """The points ({"name", "accuracy", "latency", "size"}) no other point dominates, in order."""
    for p in points:
        _values(p)  # every point must have every axis, even one that nothing is compared with
    return [p for p in points if not any(dominates(q, p) for q in points if q is not p)]


def points_from_results(results) -> list[dict]:
    """Pareto points from `BenchmarkResult`s: accuracy, p90 latency (or median) and model size."""
    points = []
    for r in results:
        latency = r.metrics.get("p90_latency_s", r.metrics.get("median_s"))
        points.append({"name": r.name, "accuracy": r.accuracy, "latency": latency,
                       "size": (r.model or {}).get("size_bytes")})
    return points


def pareto_chart(points: list[dict]):
    """Accuracy against latency, point area by size, the front drawn as a line. altair is a
    course extra, imported only when a chart is asked for."""
    import altair as alt

    front = {id(p) for p in pareto_front(points)}
    rows = [{"name": p["name"], "accuracy": float(p["accuracy"]), "latency_ms": 1e3 * float(p["latency"]),
             "size_kb": float(p["size"]) / 1024, "on_front": id(p) in front} for p in points]
    data = alt.Data(values=rows)
    dots = alt.Chart(data).mark_circle(opacity=0.8).encode(
        x=alt.X("latency_ms:Q", title="latency (ms)"),
        y=alt.Y("accuracy:Q", title="accuracy", scale=alt.Scale(zero=False)),
        size=alt.Size("size_kb:Q", title="size (KB)"),
        color=alt.Color("on_front:N", title="on the Pareto front"),
        tooltip=["name:N", "accuracy:Q", "latency_ms:Q", "size_kb:Q"])
    line = alt.Chart(alt.Data(values=[r for r in rows if r["on_front"]])).mark_line(
        strokeDash=[4, 4]).encode(x="latency_ms:Q", y="accuracy:Q", order="latency_ms:Q")
    return line + dots


__all__ = ["dominates", "pareto_chart", "pareto_front", "points_from_results"]
