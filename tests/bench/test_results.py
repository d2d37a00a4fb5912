"""Benchmark results as JSON (tinytorch/bench/results.py): system info, schema, round trips."""

import json

import numpy as np
import pytest

import tinytorch.nn as nn
from tinytorch.bench.harness import Measurement
from tinytorch.bench.results import (
    RESULT_SCHEMA,
    BenchmarkResult,
    load_result,
    model_info,
    system_info,
    validate_result,
)
from tinytorch.bench.scenarios import offline
from tinytorch.core.spatial import BatchNorm1d


def test_system_info_names_what_timings_depend_on():
    info = system_info()
    assert info["platform"] in ("native", "pyodide")
    assert info["numpy"] == np.__version__ and info["cores"] >= 1
    assert info["matmul_kernel"] in ("blas", "einsum")
    assert isinstance(info["blas"], str)


def test_a_scenario_result_round_trips_through_json(tmp_path):
    model = nn.Linear(4, 3)
    inputs, labels = np.ones((6, 4), np.float32), np.zeros(6, np.int64)
    result = BenchmarkResult.from_scenario("linear", offline(model, inputs, labels), model)
    assert result.model == {"parameters": 15, "size_bytes": 60}
    path = tmp_path / "result.json"
    result.save(path)
    loaded = load_result(path)
    assert loaded == result
    assert json.loads(path.read_text())["schema"] == "tinytorch.bench.result/1"


def test_a_measurement_result_validates():
    m = Measurement.from_times([1e-3, 1.1e-3, 0.9e-3], "m")
    d = BenchmarkResult.from_measurement("m", m).to_dict()
    assert d["scenario"] == "measure" and d["accuracy"] is None
    assert d["metrics"]["stopped_by"] == "given"


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.pop("system"), "missing 'system'"),
    (lambda d: d.update(accuracy=1.5), "result.accuracy: 1.5 is above the maximum 1"),
    (lambda d: d.update(scenario="server"), "result.scenario: 'server' is not one of"),
    (lambda d: d["system"].update(cores="two"), "result.system.cores: expected integer"),
    (lambda d: d["metrics"].update(p90=[1]), "result.metrics.p90: expected number or string"),
    (lambda d: d.update(schema="other/2"), "result.schema: expected"),
    (lambda d: d.update(samples=True), "result.samples: expected integer or null"),
])
def test_a_corrupt_result_is_refused_naming_the_field(tmp_path, change, message):
    m = Measurement.from_times([1e-3, 2e-3], "m")
    d = BenchmarkResult.from_measurement("m", m).to_dict()
    change(d)
    with pytest.raises(ValueError, match=message):
        validate_result(d)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(d))
    with pytest.raises(ValueError, match=message):
        load_result(path)


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="is not JSON"):
        load_result(path)


def test_the_schema_is_itself_json_and_model_info_counts_buffers():
    json.dumps(RESULT_SCHEMA)
    bn = BatchNorm1d(4)
    assert model_info(bn) == {"parameters": 8, "size_bytes": 8 * 4 + 2 * 4 * 4}  # + running stats
