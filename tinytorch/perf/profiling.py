"""Module 14, Profiling: measure where the time, the FLOPs and the bytes go before optimising.

    with profile() as prof:
        loss = model(x).sum()
        loss.backward()
    print(prof.table(sort_by="time"))            # by op; prof.table(by="module") by layer
    prof.export_chrome_trace("trace.json")       # open in https://ui.perfetto.dev

While a `profile` is active, every op (each `Function` run through `tensor.apply`, and each
backward step of the engine) is timed and recorded with its exact FLOPs (`tinytorch.perf.flops`),
the bytes it read and wrote, its shapes, and the module whose forward ran it. The hooks are one
list test in the engine and in `Module.__call__`: with no profile active they cost nothing.
One profile is active at a time, and it sees the ops of every thread.

The other measurements a learner needs sit beside it: `count_parameters`, `count_flops` (one
forward pass), `memory_report` (parameters, gradients, optimizer state and the activations the
graph keeps for backward, all measured from the real arrays) and `measure_latency`.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass

import numpy as np

from tinytorch.core import autograd
from tinytorch.core.autograd import no_grad
from tinytorch.perf.flops import op_flops

SORT_KEYS = ("time", "flops", "bytes", "calls", "name")


@dataclass
class OpEvent:
    """One run of one op. Times in seconds from the start of the profile; `flops` is None for
    an op without a FLOP rule (see `tinytorch.perf.flops.register_flops`)."""

    name: str
    phase: str  # "forward" or "backward"
    module: tuple  # names of the modules running, outermost first
    start: float
    duration: float
    flops: int | None
    bytes_read: int
    bytes_written: int
    input_shapes: tuple
    output_shapes: tuple


@dataclass
class ModuleSpan:
    name: str
    start: float
    duration: float


@dataclass
class Row:
    """Totals of a group of events (an op kind or a module) in `profile.rows`."""

    name: str
    calls: int = 0
    seconds: float = 0.0
    flops: int = 0
    unknown_flops: int = 0  # calls of ops without a FLOP rule
    bytes: int = 0

    @property
    def gflops_per_second(self) -> float:
        return self.flops / self.seconds / 1e9 if self.seconds > 0 else float("nan")

    @property
    def intensity(self) -> float:
        """FLOPs per byte moved: where this group sits on the roofline's x axis."""
        return self.flops / self.bytes if self.bytes else float("nan")


class profile:  # noqa: N801 - a context manager named like torch.profiler.profile
    """Record every op run while the `with` block is active (see the module docstring)."""

    def __init__(self):
        self.events: list[OpEvent] = []
        self.module_spans: list[ModuleSpan] = []
        self._stack: list[str] = []
        self._names: dict[int, str] = {}
        self._origin = time.perf_counter()

    # ----- recording (called by the hooks in autograd, tensor.apply and Module) -------------
    def __enter__(self) -> profile:
        if autograd.profilers:
            raise RuntimeError("a profile is already active: nested profiles would each see "
                               "the other's overhead; profile the outer block once")
        self._origin = time.perf_counter()
        autograd.profilers.append(self)
        return self

    def __exit__(self, *exc) -> None:
        autograd.profilers.remove(self)

    def run(self, ctx, phase: str, arrays, options: dict):
        """Run `ctx.forward(*arrays, **options)` or `ctx.backward(grad)`, timed, and record it."""
        if phase == "forward":
            start = time.perf_counter()
            out = np.asarray(ctx.forward(*arrays, **options))
            duration = time.perf_counter() - start
            counted = op_flops(type(ctx), arrays, out, options, ctx.needs_input_grad)
            flops, backward_flops = counted if counted else (None, None)
            module = tuple(self._stack)
            # Backward runs later, maybe outside any module: remember where it came from and
            # what it will cost. `release()` clears this with the rest of the saved arrays.
            ctx.__dict__["_profiled"] = (module, backward_flops)
            inputs = arrays
            outputs = (out,)
        else:
            module, flops = ctx.__dict__.get("_profiled", ((), None))
            saved = [v for v in ctx.__dict__.values() if isinstance(v, np.ndarray)]
            start = time.perf_counter()
            out = ctx.backward(*arrays)
            duration = time.perf_counter() - start
            inputs = (*arrays, *saved)
            outputs = tuple(g for g in (out if isinstance(out, tuple) else (out,)) if g is not None)
        written = sum(o.nbytes for o in outputs
                      if not any(np.may_share_memory(o, a) for a in inputs))  # views write nothing
        event = OpEvent(ctx.name, phase, module, start - self._origin, duration, flops,
                        sum(a.nbytes for a in inputs), written,
                        tuple(np.shape(a) for a in arrays), tuple(o.shape for o in outputs))
        self.events.append(event)
        return out

    @contextlib.contextmanager
    def module_scope(self, module):
        """Attribute the ops run inside to `module`, named by its path in the outermost module
        called (`blocks.0.attn`), or by its class when called on its own."""
        if id(module) not in self._names:
            root = type(module).__name__
            for path, child in module.named_modules():
                self._names.setdefault(id(child), f"{root}.{path}" if path else root)
        self._stack.append(self._names[id(module)])
        start = time.perf_counter()
        try:
            yield
        finally:
            self.module_spans.append(ModuleSpan(self._stack.pop(), start - self._origin,
                                                time.perf_counter() - start))

    # ----- reading the results -----------------------------------------------------------------
    def total_flops(self, phase: str | None = None) -> int:
        """FLOPs of every recorded op (of one phase); raises if an op has no FLOP rule."""
        unknown = {e.name for e in self._events(phase) if e.flops is None}
        if unknown:
            raise ValueError(f"no FLOP rule for {sorted(unknown)}: register one with "
                             "tinytorch.perf.flops.register_flops")
        return sum(e.flops for e in self._events(phase))

    def total_seconds(self, phase: str | None = None) -> float:
        return sum(e.duration for e in self._events(phase))

    def _events(self, phase):
        if phase not in (None, "forward", "backward"):
            raise ValueError(f"phase must be 'forward', 'backward' or None, got {phase!r}")
        return [e for e in self.events if phase is None or e.phase == phase]

    def rows(self, by: str = "op", sort_by: str = "time", phase: str | None = None) -> list[Row]:
        """Totals per op kind and phase (`by="op"`) or per module, inclusive of the modules
        inside it (`by="module"`), largest first."""
        if by not in ("op", "module"):
            raise ValueError(f"by must be 'op' or 'module', got {by!r}")
        if sort_by not in SORT_KEYS:
            raise ValueError(f"sort_by must be one of {SORT_KEYS}, got {sort_by!r}")
        groups: dict[str, Row] = {}
        for e in self._events(phase):
            keys = [f"{e.name} ({e.phase})"] if by == "op" else list(e.module) or ["(no module)"]
            for key in keys:
                row = groups.setdefault(key, Row(key))
                row.calls += 1
                row.seconds += e.duration
                row.bytes += e.bytes_read + e.bytes_written
                if e.flops is None:
                    row.unknown_flops += 1
                else:
                    row.flops += e.flops
        order = {"time": lambda r: -r.seconds, "flops": lambda r: -r.flops,
                 "bytes": lambda r: -r.bytes, "calls": lambda r: -r.calls,
                 "name": lambda r: r.name}[sort_by]
        return sorted(groups.values(), key=order)

    def table(self, by: str = "op", sort_by: str = "time", phase: str | None = None,
              limit: int | None = 20) -> str:
        """A text table of `rows(...)`: calls, time and its share, FLOPs, GFLOP/s, bytes moved
        and arithmetic intensity."""
        rows = self.rows(by, sort_by, phase)
        total = sum(e.duration for e in self._events(phase)) or 1.0
        width = max([len(r.name) for r in rows] + [10])
        lines = [f"{'op' if by == 'op' else 'module':<{width}}  {'calls':>6}  {'ms':>9}  "
                 f"{'time%':>6}  {'MFLOP':>10}  {'GFLOP/s':>8}  {'MB':>9}  {'FLOP/B':>7}"]
        for r in rows[:limit]:
            mflop = f"{r.flops / 1e6:10.3f}" if not r.unknown_flops else f"{'?':>10}"
            lines.append(f"{r.name:<{width}}  {r.calls:>6}  {r.seconds * 1e3:9.3f}  "
                         f"{r.seconds / total * 100:6.1f}  "
                         f"{mflop}  {r.gflops_per_second:8.2f}  {r.bytes / 1e6:9.3f}  "
                         f"{r.intensity:7.2f}")
        if limit is not None and len(rows) > limit:
            lines.append(f"... {len(rows) - limit} more")
        return "\n".join(lines)

    def export_chrome_trace(self, path) -> None:
        """Write the Trace Event Format JSON that Perfetto (ui.perfetto.dev) and
        chrome://tracing open: one complete event ("ph": "X") per op and per module call,
        times in microseconds, so modules appear as spans around their ops."""
        events = [{"name": s.name, "cat": "module", "ph": "X", "ts": s.start * 1e6,
                   "dur": s.duration * 1e6, "pid": 1, "tid": 1} for s in self.module_spans]
        for e in self.events:
            events.append({
                "name": e.name, "cat": e.phase, "ph": "X", "ts": e.start * 1e6,
                "dur": e.duration * 1e6, "pid": 1, "tid": 1 if e.phase == "forward" else 2,
                "args": {"flops": e.flops, "bytes_read": e.bytes_read,
                         "bytes_written": e.bytes_written, "module": "/".join(e.module),
                         "input_shapes": [list(s) for s in e.input_shapes],
                         "output_shapes": [list(s) for s in e.output_shapes]},
            })
        names = [{"name": "thread_name", "ph": "M", "pid": 1, "tid": tid, "args": {"name": name}}
                 for tid, name in ((1, "forward"), (2, "backward"))]
        with open(path, "w") as f:
            json.dump({"traceEvents": names + events, "displayTimeUnit": "ms"}, f)


# ----- model-level measurements -----------------------------------------------------------------

def count_parameters(model, trainable_only: bool = False) -> int:
    """Number of parameter elements (each shared parameter once)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def count_flops(model, *inputs) -> int:
    """Exact FLOPs of one forward pass of `model(*inputs)`, run for real (without recording a
    graph), so every op the forward takes is counted, branches included."""
    with no_grad(), profile() as prof:
        model(*inputs)
    return prof.total_flops("forward")


def _owner(a: np.ndarray) -> np.ndarray:
    """The array that owns `a`'s memory (views point to it through `.base`)."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def saved_for_backward(output) -> int:
    """Bytes of the arrays the graph behind `output` keeps alive for its backward pass,
    each buffer once; leaves that require grad (parameters) are counted as parameters, not
    here. Backward frees these arrays, so after it the figure is 0."""
    owners, stack, seen_nodes, parameters = {}, [output], set(), set()
    while stack:
        node = stack.pop()
        ctx = node._ctx
        if ctx is None or id(ctx) in seen_nodes:
            continue
        seen_nodes.add(id(ctx))
        for value in ctx.__dict__.values():
            if isinstance(value, np.ndarray):
                owners[id(_owner(value))] = _owner(value)
        for parent in ctx.inputs:
            if parent._ctx is None and parent.requires_grad:
                parameters.add(id(_owner(parent.data)))
            stack.append(parent)
    return sum(a.nbytes for key, a in owners.items() if key not in parameters)


def memory_report(model, optimizer=None, output=None) -> dict[str, int]:
    """Bytes held now, measured from the real arrays: parameters, gradients, optimizer state
    (Adam: two arrays per parameter, so 2x the parameters) and, given the `output` of a
    forward pass that recorded a graph, the activations that graph saves for backward."""
    params = list(model.parameters())
    report = {
        "parameters": sum(p.nbytes for p in params),
        "gradients": sum(p.grad.nbytes for p in params if p.grad is not None),
        "optimizer_state": optimizer.memory()["optimizer_state"] if optimizer is not None else 0,
        "activations": saved_for_backward(output) if output is not None else 0,
    }
    report["total"] = sum(report.values())
    return report


def latency_percentiles(seconds) -> dict[str, float]:
    """Median, p90 and p99 (and mean, min, max) of a list of timings, in seconds."""
    t = np.asarray(seconds, dtype=np.float64)
    if t.size == 0:
        raise ValueError("no timings to summarise")
    p50, p90, p99 = np.percentile(t, [50, 90, 99])
    return {"median": float(p50), "p90": float(p90), "p99": float(p99), "mean": float(t.mean()),
            "min": float(t.min()), "max": float(t.max()), "iters": int(t.size)}


def measure_latency(model, x, warmup: int = 3, iters: int = 30) -> dict[str, float]:
    """Time `model(x)` (no graph recorded) `iters` times after `warmup` untimed runs.

    Reports percentiles, not the mean: a user waits for the slow calls too, and a single
    pause (garbage collection, another process) would drag a mean up without telling you.
    Call `model.eval()` first to time inference (dropout off).
    """
    if warmup < 0 or iters < 1:
        raise ValueError(f"need warmup >= 0 and iters >= 1, got warmup={warmup}, iters={iters}")
    times = []
    with no_grad():
        for i in range(warmup + iters):
            start = time.perf_counter()
            model(x)
            if i >= warmup:
                times.append(time.perf_counter() - start)
    return latency_percentiles(times)


__all__ = ["ModuleSpan", "OpEvent", "Row", "count_flops", "count_parameters", "latency_percentiles",
           "measure_latency", "memory_report", "profile", "saved_for_backward"]
