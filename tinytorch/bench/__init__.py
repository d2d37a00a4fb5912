"""Module 19, Benchmarking: `import tinytorch.bench`.

    measure(fn)                    timings until the confidence interval is tight (harness)
    measure_interleaved({...})     several systems in alternating rounds, fair under drifting load
    compare(a, b)                  ratio with its interval, and whether it is significant
    single_stream(...), offline(...)   MLPerf-style scenarios, accuracy computed here (scenarios)
    BenchmarkResult, system_info   results as JSON with a schema (results)
    pareto_front, pareto_chart     accuracy vs latency vs size (pareto)

This is what the capstone builds on: its latency sprint is `single_stream` (p90), its
throughput event `offline`, and its accuracy is always the harness's own on held-out data.
"""

from tinytorch.bench.harness import Comparison, Measurement, compare, measure, measure_interleaved
from tinytorch.bench.pareto import dominates, pareto_chart, pareto_front, points_from_results
from tinytorch.bench.results import (
    RESULT_SCHEMA,
    BenchmarkResult,
    load_result,
    model_info,
    system_info,
    validate_result,
)
from tinytorch.bench.scenarios import ScenarioResult, accuracy, offline, single_stream

__all__ = [
    "RESULT_SCHEMA", "BenchmarkResult", "Comparison", "Measurement", "ScenarioResult", "accuracy",
    "compare", "dominates", "load_result", "measure", "measure_interleaved", "model_info", "offline",
    "pareto_chart", "pareto_front", "points_from_results", "single_stream", "system_info",
    "validate_result",
]
