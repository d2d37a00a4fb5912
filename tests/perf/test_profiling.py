"""The profiler (tinytorch/perf/profiling.py): what it records, how it groups, the trace it
writes, and the model-level counts (parameters, FLOPs, memory, latency)."""

import json

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch.core import autograd
from tinytorch.core.optimizers import SGD, Adam
from tinytorch.perf.profiling import (
    count_flops,
    count_parameters,
    latency_percentiles,
    measure_latency,
    memory_report,
    profile,
    saved_for_backward,
)


def mlp():
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))


def test_every_op_is_recorded_forward_and_backward_with_shapes_and_bytes():
    model, x = mlp(), tinytorch.randn(5, 8)
    with profile() as prof:
        model(x).sum().backward()
    names = [(e.name, e.phase) for e in prof.events]
    assert names == [("Linear", "forward"), ("ReLU", "forward"), ("Linear", "forward"),
                     ("Sum", "forward"), ("Sum", "backward"), ("Linear", "backward"),
                     ("ReLU", "backward"), ("Linear", "backward")]
    first = prof.events[0]
    assert first.input_shapes == ((5, 8), (16, 8), (16,)) and first.output_shapes == ((5, 16),)
    assert first.bytes_read == (5 * 8 + 16 * 8 + 16) * 4 and first.bytes_written == 5 * 16 * 4
    assert all(e.duration >= 0 for e in prof.events)
    # the first layer's backward returns no gradient for x (it does not require one)
    last = prof.events[-1]
    assert last.output_shapes == ((16, 8), (16,))


def test_a_view_writes_no_bytes():
    x = tinytorch.randn(4, 6)
    with profile() as prof:
        x.reshape(6, 4)
    assert prof.events[0].bytes_written == 0


def test_ops_are_attributed_to_their_module_backward_included():
    model = mlp()
    with profile() as prof:
        model(tinytorch.randn(5, 8)).sum().backward()
    modules = {(e.name, e.phase, e.module) for e in prof.events}
    assert ("Linear", "forward", ("Sequential", "Sequential.0")) in modules
    assert ("Linear", "backward", ("Sequential", "Sequential.2")) in modules
    assert ("Sum", "forward", ()) in modules
    rows = {r.name: r for r in prof.rows(by="module")}
    assert rows["Sequential"].calls == 6 and rows["Sequential.1"].calls == 2
    assert rows["Sequential"].flops == rows["Sequential.0"].flops + rows["Sequential.1"].flops + \
        rows["Sequential.2"].flops
    assert len(prof.module_spans) == 4  # the Sequential and its three layers


def test_rows_and_table_sort_and_reject_unknown_keys():
    model = mlp()
    with profile() as prof:
        model(tinytorch.randn(64, 8)).sum().backward()
    by_flops = prof.rows(sort_by="flops")
    assert [r.flops for r in by_flops] == sorted((r.flops for r in by_flops), reverse=True)
    assert by_flops[0].name == "Linear (backward)"
    assert prof.rows(phase="forward")[0].name.endswith("(forward)")
    text = prof.table(sort_by="flops")
    assert text.splitlines()[1].startswith("Linear (backward)")
    assert "Sequential.0" in prof.table(by="module")
    with pytest.raises(ValueError, match="sort_by"):
        prof.rows(sort_by="speed")
    with pytest.raises(ValueError, match="by must be"):
        prof.table(by="layer")
    with pytest.raises(ValueError, match="phase"):
        prof.total_flops("sideways")


def test_chrome_trace_is_trace_event_json_with_modules_around_ops(tmp_path):
    model = mlp()
    with profile() as prof:
        model(tinytorch.randn(5, 8)).sum().backward()
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(path)
    trace = json.loads(path.read_text())
    complete = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    assert len(complete) == len(prof.events) + len(prof.module_spans)
    assert {"name", "ts", "dur", "pid", "tid"} <= set(complete[0])
    outer = next(e for e in complete if e["name"] == "Sequential")
    ops_inside = [e for e in complete if e["cat"] == "forward"
                  and outer["ts"] <= e["ts"] and e["ts"] + e["dur"] <= outer["ts"] + outer["dur"]]
    assert [e["name"] for e in ops_inside] == ["Linear", "ReLU", "Linear"]
    assert ops_inside[0]["args"]["flops"] == 2 * 5 * 8 * 16 + 5 * 16


def test_hooks_are_removed_on_exit_even_after_an_error_and_profiles_do_not_nest():
    with pytest.raises(KeyError, match="inside"), profile():
        raise KeyError("inside")
    assert autograd.profilers == []
    with profile(), pytest.raises(RuntimeError, match="already active"), profile():
        pass
    assert autograd.profilers == []


def test_count_parameters_and_flops_match_hand_counts():
    model = mlp()
    assert count_parameters(model) == 8 * 16 + 16 + 16 * 4 + 4
    model[0].bias.requires_grad = False
    assert count_parameters(model, trainable_only=True) == 8 * 16 + 16 * 4 + 4
    batch = 3
    want = (2 * batch * 8 * 16 + batch * 16) + batch * 16 + (2 * batch * 16 * 4 + batch * 4)
    assert count_flops(model, tinytorch.randn(batch, 8)) == want


def test_memory_report_shows_adams_two_copies_and_the_saved_activations():
    model, x = mlp(), tinytorch.randn(32, 8)
    params = sum(p.nbytes for p in model.parameters())
    adam = Adam(model.parameters())
    out = model(x).sum()
    out.backward(retain_graph=True)
    adam.step()
    report = memory_report(model, adam, out)
    assert report["parameters"] == params == report["gradients"]
    # m and v: one array each per parameter, plus a 0-d step counter (8 bytes) per parameter
    assert report["optimizer_state"] == 2 * params + 8 * len(list(model.parameters()))
    # Linear saves x (32, 8); ReLU its mask (32, 16) of bools; the second Linear its input (32, 16)
    assert report["activations"] == 32 * 8 * 4 + 32 * 16 * 1 + 32 * 16 * 4
    assert report["total"] == sum(v for k, v in report.items() if k != "total")
    sgd = SGD(model.parameters(), lr=0.1)
    sgd.step()
    assert memory_report(model, sgd)["optimizer_state"] == 0


def test_saved_activations_count_shared_buffers_once_and_vanish_after_backward():
    x = tinytorch.randn(100, requires_grad=True)
    y = x.exp()  # saves its output, which the next Mul saves again (the same array)
    z = y * y
    assert saved_for_backward(z) == 100 * 4
    z.sum().backward()
    assert saved_for_backward(z) == 0  # backward freed the graph's arrays


def test_latency_is_reported_as_percentiles():
    stats = measure_latency(mlp(), tinytorch.randn(4, 8), warmup=1, iters=25)
    assert stats["iters"] == 25
    assert stats["min"] <= stats["median"] <= stats["p90"] <= stats["p99"] <= stats["max"]
    assert latency_percentiles([1, 2, 3, 4, 100])["median"] == 3
    with pytest.raises(ValueError, match="iters"):
        measure_latency(mlp(), tinytorch.randn(4, 8), iters=0)
    with pytest.raises(ValueError, match="no timings"):
        latency_percentiles([])


def test_profiling_does_not_change_results():
    model, x = mlp(), tinytorch.randn(5, 8)
    plain = model(x).numpy()
    with profile():
        profiled = model(x).numpy()
    np.testing.assert_array_equal(plain, profiled)
