"""bench/bench_optimization.py --quick runs every part end to end on a slice of MNIST and
prints one line per issue target; the recorded full run is in
docs/benchmarks-optimization-size.md. Timings are printed, never asserted."""

import importlib.util
import re
import sys

import pytest

from tests.conftest import REPO
from tinytorch import datasets


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_optimization",
                                                  REPO / "bench" / "bench_optimization.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # about 50 s: a smoke run of a benchmark, outside the default 15-minute run
@pytest.mark.skipif(sys.platform == "emscripten", reason="a native smoke run: in Pyodide the "
                    "script is run by --pyodide, and the tests of what it measures are tests/perf")
def test_quick_run_measures_every_target(capsys, monkeypatch):
    try:
        datasets.load_mnist("test")
    except datasets.DatasetError:
        pytest.skip("MNIST is not available: set TINYTORCH_DATA to the data mirror")
    bench = load_bench()
    monkeypatch.setattr(bench, "TARGETS", [])
    bench.main(["--quick"])
    text = capsys.readouterr().out
    assert re.search(r"^ +1 +8 .* True", text, re.M)  # cached tokens equal uncached
    assert "int32 accumulation" in text and "CSR overtakes dense" in text
    summary = text.split("== Targets (issue 11), from this run:")[1]
    for what in ("mlp INT8 accuracy drop", "mlp INT8 file / float32 file", "lenet INT8 accuracy drop",
                 "lenet INT8 file / float32 file", "MLP 90% sparsity (global)",
                 "MLP pruned+INT8+CSR file / float32 file", "matmul 64x64x64: loops / a @ b",
                 "conv2d 2x3x16x16, 8 filters 3x3, pad 1: loops / im2col"):
        assert re.search(re.escape(what) + r".*: -?[0-9.e-]+ \(target [<>]= [0-9.]+: (met|NOT met)\)",
                         summary), what
