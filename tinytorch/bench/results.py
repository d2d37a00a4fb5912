"""Benchmark results as JSON: the figures, the system that produced them, and a schema.

A timing means little without the machine behind it: the same model runs 30x slower in the
browser (no BLAS, one thread) than natively. So every result carries `system_info()`, and a
result file is checked against `RESULT_SCHEMA` when it is written and when it is read: a
corrupt or hand-edited file is refused with the field that is wrong, never half-loaded.

    {
      "schema": "tinytorch.bench.result/1",
      "name": "mnist-mlp int8",              a label for this system
      "scenario": "single_stream",           "single_stream", "offline" or "measure"
      "created": "2026-11-30T07:00:00Z",     UTC
      "system": {"platform": "native" | "pyodide", "python": "3.11.7", "numpy": "2.3.4",
                 "blas": "scipy-openblas" | "none", "cores": 2, "machine": "x86_64",
                 "matmul_kernel": "blas" | "einsum"},
      "accuracy": 0.9712 | null,             computed by the harness on held-out data
      "samples": 10000 | null,               how many held-out samples it was computed on
      "metrics": {"p90_latency_s": 0.0004, ...},   numbers (or strings) by name
      "model": {"parameters": 101770, "size_bytes": 407080} | null
    }
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import numpy as np

from tinytorch.core.kernels import active_matmul_kernel

SCHEMA_ID = "tinytorch.bench.result/1"
SCENARIOS = ("single_stream", "offline", "measure")

RESULT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "type": "object",
    "required": ["schema", "name", "scenario", "created", "system", "accuracy", "samples",
                 "metrics", "model"],
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "name": {"type": "string", "minLength": 1},
        "scenario": {"enum": list(SCENARIOS)},
        "created": {"type": "string"},
        "system": {
            "type": "object",
            "required": ["platform", "python", "numpy", "blas", "cores", "machine", "matmul_kernel"],
            "properties": {
                "platform": {"enum": ["native", "pyodide"]},
                "python": {"type": "string"}, "numpy": {"type": "string"},
                "blas": {"type": "string"}, "cores": {"type": "integer", "minimum": 1},
                "machine": {"type": "string"}, "matmul_kernel": {"type": "string"},
            },
        },
        "accuracy": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "samples": {"type": ["integer", "null"], "minimum": 1},
        "metrics": {"type": "object", "additionalProperties": {"type": ["number", "string"]}},
        "model": {
            "type": ["object", "null"],
            "required": ["parameters", "size_bytes"],
            "properties": {"parameters": {"type": "integer", "minimum": 0},
                           "size_bytes": {"type": "integer", "minimum": 0}},
        },
    },
}


def system_info() -> dict:
    """What the timings depend on: platform (native or Pyodide), Python, NumPy and its BLAS,
    cores, CPU architecture and tinytorch's matmul kernel."""
    blas = (np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {}))
    return {
        "platform": "pyodide" if sys.platform == "emscripten" else "native",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas.get("name", "none") if blas.get("found") else "none",
        "cores": os.cpu_count() or 1,
        "machine": platform.machine() or "unknown",
        "matmul_kernel": active_matmul_kernel(),
    }


@dataclass
class BenchmarkResult:
    name: str
    scenario: str
    metrics: dict
    accuracy: float | None = None
    samples: int | None = None
    model: dict | None = None
    system: dict = field(default_factory=system_info)
    created: str = field(default_factory=lambda: datetime.now(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"))
    schema: str = SCHEMA_ID

    @classmethod
    def from_scenario(cls, name: str, result, model=None) -> BenchmarkResult:
        """From a `ScenarioResult`; `model` (a Module) adds its parameter count and size."""
        return cls(name, result.scenario, dict(result.metrics), result.accuracy, result.samples,
                   model_info(model) if model is not None else None)

    @classmethod
    def from_measurement(cls, name: str, measurement, model=None) -> BenchmarkResult:
        return cls(name, "measure", measurement.summary(),
                   model=model_info(model) if model is not None else None)

    def to_dict(self) -> dict:
        d = asdict(self)
        validate_result(d)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def save(self, path) -> None:
        text = self.to_json()
        with open(path, "w") as f:
            f.write(text)


def model_info(model) -> dict:
    """Parameter count and bytes of a Module's parameters and buffers, measured."""
    params = list(model.parameters())
    buffers = [b for _, b in model.named_buffers()]
    return {"parameters": int(sum(p.numel() for p in params)),
            "size_bytes": int(sum(t.nbytes for t in params + buffers))}


def load_result(path) -> BenchmarkResult:
    """Read and check a result file; a file that does not match the schema raises ValueError."""
    with open(path) as f:
        try:
            d = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path} is not JSON: {e}") from None
    validate_result(d)
    return BenchmarkResult(**d)


_JSON_TYPES = {"object": dict, "string": str, "integer": int, "number": (int, float),
               "null": type(None), "boolean": bool}


def _check(value, schema: dict, where: str) -> None:
    """The subset of JSON Schema that RESULT_SCHEMA uses (NumPy and the browser have no
    jsonschema package): type, const, enum, required, properties, additionalProperties,
    minimum, maximum, minLength."""
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        ok = any(isinstance(value, _JSON_TYPES[t]) and not (t in ("integer", "number")
                                                            and isinstance(value, bool))
                 for t in types)
        if not ok:
            raise ValueError(f"{where}: expected {' or '.join(types)}, got {type(value).__name__}")
    if "const" in schema and value != schema["const"]:
        raise ValueError(f"{where}: expected {schema['const']!r}, got {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        raise ValueError(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise ValueError(f"{where}: {value} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ValueError(f"{where}: {value} is above the maximum {schema['maximum']}")
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        raise ValueError(f"{where}: empty")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                raise ValueError(f"{where}: missing {key!r}")
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            if sub is not None:
                _check(item, sub, f"{where}.{key}")


def validate_result(d: dict) -> None:
    """Raise ValueError naming the first field of `d` that does not match RESULT_SCHEMA."""
    _check(d, RESULT_SCHEMA, "result")


__all__ = ["RESULT_SCHEMA", "BenchmarkResult", "load_result", "model_info", "system_info",
           "validate_result"]
