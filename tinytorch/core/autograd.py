"""Module 05, Autograd: reverse-mode differentiation on a graph built as you compute.

Every differentiable operation is a `Function` (see `tinytorch.core.ops`): its `forward` maps
NumPy arrays to an array and saves what its `backward` will need; its `backward` maps the
gradient of the output to one gradient per input. Applying a Function to tensors that require
gradients records it as the output's `_ctx`, so the graph is simply the chain of `_ctx.inputs`.

`backward(root)` walks that graph once in reverse topological order. It is iterative (a chain of
10,000 ops must not hit Python's recursion limit), sums gradients where a tensor was used more
than once, reduces broadcast gradients back to each input's shape, and frees what each Function
saved, so the memory of the forward pass is returned as soon as it is no longer needed.

This module knows nothing of the `Tensor` class: it only reads the attributes `_ctx`,
`requires_grad`, `shape` and calls `_accumulate_grad`, so `tensor.py` can build on it without an
import cycle.
"""

from __future__ import annotations

import contextlib
import contextvars

import numpy as np

# The two switches, per thread and per asyncio task (PyTorch keeps grad mode per thread; marimo
# may run cells on more than one). ContextVars rather than a `threading.local`: in the browser,
# marimo replaces `threading.local` with a Python emulation keyed by its synthetic threads, where
# a read costs microseconds (~150 times a `ContextVar.get`), and every op reads the switches two
# or three times: with them in a `threading.local`, a small MLP's training step took 1.5 times
# as long in the browser's Python (bench/bench_grad_mode.py).
_grad_enabled = contextvars.ContextVar("tinytorch_grad_enabled", default=True)
_detect_anomaly = contextvars.ContextVar("tinytorch_detect_anomaly", default=False)

# The profilers listening to every op (`tinytorch.perf.profiling.profile`). Checked once per op
# forward and backward: while it is empty, profiling costs one list test.
profilers: list = []


def is_grad_enabled() -> bool:
    return _grad_enabled.get()


class _GradMode(contextlib.ContextDecorator):
    """Context manager and decorator that sets grad mode and restores it on exit."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __enter__(self):
        self.previous = _grad_enabled.get()
        _grad_enabled.set(self.enabled)

    def __exit__(self, *exc):
        _grad_enabled.set(self.previous)

    def _recreate_cm(self):
        """A fresh instance for each call of a decorated function: `previous` lives on the
        instance, so sharing one would let a recursive (or concurrent) call overwrite the outer
        call's saved mode and leave gradients switched off after it returns."""
        return type(self)(self.enabled)


def enable_autograd() -> None:
    """The MLSysBook textbook's switch that patches gradients into its Tensor. Here autograd is
    built into `Tensor` from the start, so there is nothing to switch on: a no-op, kept so the
    textbook's code runs. (To stop recording operations, use `no_grad()`.)"""


def no_grad() -> _GradMode:
    """Do not record operations: for evaluation and for optimizer updates.

    Use as `with no_grad(): ...` or as a decorator `@no_grad()`.
    """
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Record operations again inside a `no_grad()` block."""
    return _GradMode(True)


@contextlib.contextmanager
def detect_anomaly():
    """Check every forward output and every backward gradient for NaN or infinity, and every
    saved input for NumPy writes into `.data` between forward and backward.

    Off by default because the checks cost a pass over every array. When a non-finite value
    appears, a `FloatingPointError` names the operation that produced it and its input shapes,
    which is what you need to find where a loss turned into NaN. In-place changes through
    tinytorch (`x[i] = ...`, optimizer steps) are caught always, by version counters; a write
    straight into the NumPy array (`w.data[...] = ...`) bypasses them, so only here, where each
    input's bytes are hashed at forward, does backward see it.
    """
    previous = _detect_anomaly.get()
    _detect_anomaly.set(True)
    try:
        yield
    finally:
        _detect_anomaly.set(previous)


def is_anomaly_enabled() -> bool:
    return _detect_anomaly.get()


class Function:
    """One node of the graph: subclasses define `forward` and `backward` side by side.

    `forward(self, *arrays, **options)` receives the input tensors' NumPy arrays and returns the
    output array; it stores on `self` whatever `backward` needs. `backward(self, grad)` returns
    one gradient array (or None) per input, each either of the input's shape or of a shape that
    broadcasts to it (the engine sums broadcast dimensions away). `self.needs_input_grad` lets
    backward skip gradients nobody asked for. `released` turns True once backward has freed what
    forward saved: a slot of its own, so `__dict__` holds nothing but the saved values.
    """

    __slots__ = ("inputs", "needs_input_grad", "released", "input_versions", "output_version", "__dict__")

    def __init__(self, *inputs):
        self.inputs = inputs
        self.needs_input_grad = tuple(t.requires_grad for t in inputs)
        self.released = False
        # Compared at backward with the versions then: see `_check_saved_unmodified`.
        self.input_versions = [t._version_counter[0] for t in inputs]
        self.output_version = 0
        if _detect_anomaly.get():  # a list of tuples: not mistaken for arrays the op saved
            self.__dict__["input_digests"] = [(t.data, _digest(t.data)) for t in inputs]

    def forward(self, *arrays, **options) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray):
        raise NotImplementedError

    @property
    def name(self) -> str:
        """The op's name as graphs print it: `ReLUFunction` shows as `ReLU` (see `ops`)."""
        return type(self).__name__.removesuffix("Function")

    def release(self) -> None:
        """Drop what forward saved and the links to the inputs; called by the engine once
        backward has used them. Dropping the links matters for deep graphs: otherwise freeing
        the output frees a chain of thousands of nodes by recursion, which overflows the much
        smaller stack of the browser's WebAssembly Python."""
        self.__dict__.clear()
        self.released = True
        self.inputs = ()

    def __repr__(self) -> str:
        return f"<{self.name}Backward>"


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum `grad` over the dimensions that broadcasting added or stretched to reach `shape`.

    If `x` of shape (3, 1) was added to `y` of shape (2, 3, 4), the output and its gradient
    have shape (2, 3, 4); x's gradient is that summed over axis 0 (added) and axis 2 (stretched).
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra < 0 or any(n not in (1, g) for g, n in zip(grad.shape[extra:], shape, strict=True)):
        # An op's backward returned the wrong shape; reshaping it would hide a wrong gradient.
        raise ValueError(f"gradient of shape {grad.shape} does not broadcast to the input's shape {shape}")
    stretched = tuple(i + extra for i, n in enumerate(shape) if n == 1 and grad.shape[i + extra] != 1)
    grad = grad.sum(axis=tuple(range(extra)) + stretched, keepdims=True)
    return grad.reshape(shape)


def _topological_order(root) -> list:
    """Tensors reachable from `root` that require grad, each after every tensor it feeds.

    An explicit stack instead of recursion, so depth is limited by memory, not by Python.
    """
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        ctx = node._ctx
        if ctx is not None:
            for parent in ctx.inputs:
                if parent.requires_grad and id(parent) not in visited:
                    stack.append((parent, False))
    order.reverse()
    return order


def backward(root, grad: np.ndarray, retain_graph: bool = False) -> None:
    """Propagate `grad` (d something / d root) to every leaf that requires grad.

    Leaves (tensors made by the user, parameters) accumulate into `.grad`; intermediate tensors
    only do so if `retain_grad()` was called on them.
    """
    pending = {id(root): grad}
    for node in _topological_order(root):
        g = pending.pop(id(node), None)
        if g is None:
            continue
        ctx = node._ctx
        if ctx is None or node._retains_grad:
            node._accumulate_grad(g)
        if ctx is None:
            continue
        if ctx.released:
            raise RuntimeError(
                f"backward() through {ctx.name} a second time: the first backward() freed the "
                "graph's saved arrays. Pass retain_graph=True to the first backward() if you "
                "need to go through the graph again."
            )
        if (node._version_counter[0] != ctx.output_version
                or [t._version_counter[0] for t in ctx.inputs] != ctx.input_versions):
            _check_saved_unmodified(ctx, node)
        if "input_digests" in ctx.__dict__:
            _check_saved_bytes(ctx)
        input_grads = profilers[0].run(ctx, "backward", (g,), {}) if profilers else ctx.backward(g)
        if not isinstance(input_grads, tuple):
            input_grads = (input_grads,)
        if _detect_anomaly.get():
            _check_finite(ctx, input_grads, "backward")
        for parent, needs, pg in zip(ctx.inputs, ctx.needs_input_grad, input_grads, strict=True):
            if not needs or pg is None:
                continue
            pg = unbroadcast(pg, parent.shape)
            key = id(parent)
            pending[key] = pending[key] + pg if key in pending else pg
        if not retain_graph:
            ctx.release()


def _check_saved_unmodified(ctx: Function, output) -> None:
    """Raise if an input or output of `ctx` was changed in place after the op ran and the op
    kept its values for backward (the gradient would silently use the new values).

    Called only when a version moved, so the usual step pays for two list comparisons. An op
    that did not keep the changed array (Add keeps nothing) is not affected, as in PyTorch.
    """
    saved = [v for v in ctx.__dict__.values() if isinstance(v, np.ndarray)]
    changed = [(f"input {i}", t, expected) for i, (t, expected)
               in enumerate(zip(ctx.inputs, ctx.input_versions, strict=True))
               if t._version_counter[0] != expected]
    if output._version_counter[0] != ctx.output_version:
        changed.append(("the output", output, ctx.output_version))
    for role, t, expected in changed:
        if any(np.may_share_memory(t.data, array) for array in saved):
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: {role} of {ctx.name} (a {t.dtype} tensor of shape {t.shape}) "
                f"is at version {t._version_counter[0]}; expected version {expected} instead. "
                "Make in-place changes (x[...] = ..., optimizer.step()) after backward(), or "
                "change a .clone() instead."
            )


def _digest(array: np.ndarray) -> int:
    return hash(array.tobytes())


def _check_saved_bytes(ctx: Function) -> None:
    """Under detect_anomaly: raise if an input array the op kept changed its bytes since."""
    saved = [v for v in ctx.__dict__.values() if isinstance(v, np.ndarray)]
    for i, (array, digest) in enumerate(ctx.__dict__["input_digests"]):
        if any(np.may_share_memory(array, s) for s in saved) and _digest(array) != digest:
            raise RuntimeError(
                f"detect_anomaly: input {i} of {ctx.name} (shape {array.shape}) was changed in "
                "place after the op ran, by a write that bypassed tinytorch (into .data?); its "
                "gradient would use the new values. Change a tensor with x[...] = ... under "
                "no_grad(), after backward()."
            )


def _check_finite(ctx: Function, arrays, phase: str) -> None:
    for a in arrays:
        if a is not None and a.dtype.kind == "f" and not np.isfinite(a).all():
            shapes = ", ".join(str(t.shape) for t in ctx.inputs)
            raise FloatingPointError(
                f"detect_anomaly: {ctx.name} produced a non-finite value in its {phase} pass "
                f"(inputs of shape {shapes})."
            )


def check_forward(ctx: Function, out: np.ndarray) -> None:
    """Called on every op's output while `detect_anomaly()` is on."""
    _check_finite(ctx, (out,), "forward")


def gradcheck(fn, *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-4,
              seed: int = 0) -> bool:
    """Check autograd's gradients of `fn` at `inputs` against central finite differences.

    Works on any function of tensors, including ones you write yourself, and on a whole model
    (a Module, converted with `model.double()` first): then the gradient of every parameter is
    checked too. The float inputs are copied to float64 (float32 finite differences are too
    noisy to compare against); integer inputs (indices, class labels) are passed as they are.
    A non-scalar output is reduced with fixed random weights, so every output element counts.
    Every evaluation starts from the same random state, so dropout draws the same masks; the
    model's buffers (batch norm's running statistics) and gradients are restored afterwards.
    Returns True, or raises AssertionError naming the input or parameter and the worst element.
    """
    from tinytorch.core.random import get_rng_state, set_rng_state  # no cycle: numpy only

    xs = [x.detach().double().clone().requires_grad_() if x.dtype.kind == "f" else x.detach()
          for x in inputs]
    is_model = callable(getattr(fn, "named_parameters", None))
    named = dict(fn.named_parameters()) if is_model else {}
    buffers = [b for _, b in fn.named_buffers()] if is_model else []
    low = sorted(name for name, p in named.items() if p.dtype != np.float64)
    if low:
        raise TypeError(f"gradcheck needs a float64 model, but {low[:3]} are not float64: call "
                        ".double() on it first (finite differences in float32 are noise)")
    probes = [(f"input {i} (shape {x.shape})", x) for i, x in enumerate(xs) if x.requires_grad]
    probes += [(f"parameter {name!r} (shape {p.shape})", p) for name, p in named.items()
               if p.requires_grad]
    rng_state, saved_grads = get_rng_state(), {name: p.grad for name, p in named.items()}
    saved_buffers = [(b, b.data.copy()) for b in buffers]

    def evaluate():
        set_rng_state(rng_state)
        return fn(*xs)

    try:
        for p in named.values():
            p.grad = None
        out = evaluate()
        if out.dtype != np.float64:
            raise TypeError(f"gradcheck: fn returned {out.dtype} from float64 inputs, so a layer "
                            "cast them down and finite differences would be noise; convert the "
                            "model (or the parameters fn uses) with .double()")
        weights = np.random.default_rng(seed).standard_normal(out.shape)

        def objective() -> float:
            with no_grad():
                return float((evaluate().numpy() * weights).sum())

        (out * weights).sum().backward()
        for label, x in probes:
            _compare_with_finite_differences(label, x, objective, eps, atol, rtol)
    finally:
        for name, p in named.items():
            p.grad = saved_grads[name]
        for b, data in saved_buffers:
            b.data[...] = data
        set_rng_state(rng_state)
    return True


def _compare_with_finite_differences(label: str, x, objective, eps, atol, rtol) -> None:
    """Raise AssertionError if x.grad differs from (f(x + eps) - f(x - eps)) / 2 eps."""
    analytic = np.zeros(x.shape) if x.grad is None else x.grad.numpy()
    numeric = np.zeros(x.shape)
    flat = x.data.reshape(-1)
    for j in range(flat.size):
        saved = flat[j]
        flat[j] = saved + eps
        plus = objective()
        flat[j] = saved - eps
        minus = objective()
        flat[j] = saved
        numeric.flat[j] = (plus - minus) / (2 * eps)
    if not np.allclose(analytic, numeric, atol=atol, rtol=rtol):
        j = int(np.abs(analytic - numeric).argmax())
        raise AssertionError(
            f"gradcheck failed for {label}: at flat index {j} autograd gives "
            f"{analytic.flat[j]:.6g}, finite differences give {numeric.flat[j]:.6g}"
        )


__all__ = [
    "Function",
    "backward",
    "detect_anomaly",
    "enable_autograd",
    "enable_grad",
    "gradcheck",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "unbroadcast",
]
