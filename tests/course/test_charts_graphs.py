"""The chart helpers added for modules 05-07 (a layered graph, stacked bars), and the chart
data path every helper shares, which keeps records out of altair's per-record validation."""

import json

import numpy as np

from tinytorch.course import charts


def test_dag_puts_each_node_right_of_its_inputs():
    nodes = [{"id": i, "text": f"n{i}\nvalue 1", "kind": "operation"} for i in range(5)]
    edges = [(0, 2), (1, 2), (2, 3), (4, 3), (0, 3)]  # 4 is a late constant, 0 is used twice
    spec = charts.dag(nodes, edges).to_dict()
    boxes = next(v for v in spec["datasets"].values() if v and "cx" in v[0])
    column = {b["id"]: b["cx"] for b in boxes}
    assert column[0] == column[1] == 0 and column[2] == 1 and column[3] == 2
    assert column[4] == 1  # just left of its only user, not far left
    lines = next(v for v in spec["datasets"].values() if v and "cx" not in v[0] and "x2" in v[0])
    assert len(lines) == len(edges) and all(line["x"] < line["x2"] for line in lines)


def test_stacked_bar_keeps_the_order_parts_first_appear_in():
    rows = [{"opt": o, "MB": mb, "part": p} for o in ("SGD", "Adam")
            for p, mb in (("weights", 1.0), ("state", 2.0 if o == "Adam" else 0.0))]
    spec = charts.stacked_bar(rows, "opt", "MB", "part").to_dict()
    assert spec["encoding"]["color"]["sort"] == ["weights", "state"]
    assert spec["encoding"]["y"]["stack"] == "zero"


def test_chart_data_skips_per_record_validation_and_keeps_every_record():
    points = np.random.default_rng(0).normal(size=(20, 2))
    labels = (points[:, 0] > 0).astype(int)
    spec = charts.decision_boundary(lambda g: (g[:, 0] > 0).astype(int), points, labels,
                                    resolution=10).to_dict()
    background, scatter = (json.loads(layer["data"]["values"]) for layer in spec["layer"])
    assert all(layer["data"]["format"] == {"type": "json"} for layer in spec["layer"])
    assert len(background) == 100 and len(scatter) == 20
