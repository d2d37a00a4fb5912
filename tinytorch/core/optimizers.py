"""Module 06, Optimizers: turn gradients into better weights.

Each optimizer updates every parameter in place, with NumPy `out=` operations so a step makes
no temporary copies of the weights, and keeps its per-parameter state (momentum, Adam's moment
estimates) in `self.state`. `memory()` measures what that state costs: Adam holds two extra
arrays per parameter, so parameters + gradients + state = 4x the parameter bytes, where plain
SGD needs 2x. The course shows this number as measured, not as stated.

Like PyTorch, parameters are kept in `param_groups` (a list of dicts with their own
hyperparameters), which is what learning-rate schedulers adjust.
"""

from __future__ import annotations

import math

import numpy as np

from tinytorch.core.autograd import no_grad


class Optimizer:
    """Base class: holds parameter groups and per-parameter state."""

    def __init__(self, params, defaults: dict):
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        self.defaults = defaults
        self.param_groups = [{**defaults, **g, "params": list(g["params"])} for g in groups]
        self.state: dict[int, dict[str, np.ndarray]] = {}
        self.step_count = 0

    def zero_grad(self) -> None:
        """Forget the gradients (set to None, so the next backward starts fresh)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    @no_grad()
    def step(self) -> None:
        self.step_count += 1
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    self.update(p.data, p.grad.data, self.state.setdefault(id(p), {}), group)
                    p._mark_modified()

    def update(self, w: np.ndarray, g: np.ndarray, state: dict, group: dict) -> None:
        """Change `w` in place given its gradient `g`; never write into `g` (it may be shared)."""
        raise NotImplementedError

    def parameters(self):
        for group in self.param_groups:
            yield from group["params"]

    # ----- memory -----------------------------------------------------------------------
    def memory(self) -> dict[str, int]:
        """Bytes held now by parameters, their gradients and this optimizer's state."""
        params = list(self.parameters())
        return {
            "parameters": sum(p.nbytes for p in params),
            "gradients": sum(p.grad.nbytes for p in params if p.grad is not None),
            "optimizer_state": sum(a.nbytes for s in self.state.values() for a in s.values()),
        }

    # ----- saving and loading -----------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Flat name -> array mapping (saveable with `np.savez`, no pickle): hyperparameters
        of each group and each parameter's state, addressed by the parameter's position."""
        out = {"step_count": np.asarray(self.step_count)}
        for gi, group in enumerate(self.param_groups):
            for key, value in group.items():
                if key != "params":
                    out[f"group{gi}.{key}"] = np.asarray(value)
        for pi, p in enumerate(self.parameters()):
            for key, value in self.state.get(id(p), {}).items():
                out[f"param{pi}.{key}"] = value.copy()
        return out

    def load_state_dict(self, state: dict) -> None:
        self.step_count = int(state["step_count"])
        for gi, group in enumerate(self.param_groups):
            for key in group:
                if key != "params" and f"group{gi}.{key}" in state:
                    value = np.asarray(state[f"group{gi}.{key}"])
                    group[key] = value.item() if value.ndim == 0 else tuple(value.tolist())
        self.state = {}
        for pi, p in enumerate(self.parameters()):
            prefix = f"param{pi}."
            entries = {k[len(prefix):]: np.array(v) for k, v in state.items() if k.startswith(prefix)}
            for key, value in entries.items():
                if value.shape != p.shape and value.ndim:
                    raise ValueError(f"optimizer state {key!r} of parameter {pi} has shape "
                                     f"{value.shape}, the parameter has {p.shape}")
            if entries:
                self.state[id(p)] = entries

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v}" for k, v in self.param_groups[0].items() if k != "params")
        return f"{type(self).__name__}({hyper})"


class SGD(Optimizer):
    """w -= lr * g, optionally with momentum v = mu v + g (and Nesterov's look-ahead), and
    weight decay (L2: g + wd * w)."""

    def __init__(self, params, lr: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0):
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum needs momentum > 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov,
                                      weight_decay=weight_decay))

    def update(self, w, g, state, group):
        if group["weight_decay"]:
            g = g + group["weight_decay"] * w
        mu = group["momentum"]
        if mu:
            if "velocity" not in state:
                state["velocity"] = g.copy()
            else:
                v = state["velocity"]
                v *= mu
                v += g
            g = g + mu * state["velocity"] if group["nesterov"] else state["velocity"]
        w -= group["lr"] * g


class Adam(Optimizer):
    """Adaptive moments: m tracks the gradient's mean, v its mean square, both bias-corrected;
    each weight moves by lr * m_hat / (sqrt(v_hat) + eps). `weight_decay` here is L2 added to the
    gradient (as in PyTorch's Adam); AdamW decouples it."""

    decoupled = False

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay))

    def update(self, w, g, state, group):
        lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        if wd and self.decoupled:
            w *= 1 - lr * wd
        elif wd:
            g = g + wd * w
        if "m" not in state:
            state["m"], state["v"], state["t"] = np.zeros_like(w), np.zeros_like(w), np.zeros(())
        m, v = state["m"], state["v"]
        state["t"] += 1
        t = float(state["t"])
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * (g * g)
        # Fold both bias corrections into one step size: lr * sqrt(1-b2^t) / (1-b1^t).
        step = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        denom = np.sqrt(v)
        denom += eps * math.sqrt(1 - b2**t)
        w -= step * (m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay: w shrinks by lr * wd each step, outside the adaptive
    scaling, which regularises large and small-gradient weights alike."""

    decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas: tuple = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps, weight_decay)


class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of the gradient."""

    def __init__(self, params, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8,
                 momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, momentum=momentum,
                                      weight_decay=weight_decay))

    def update(self, w, g, state, group):
        if group["weight_decay"]:
            g = g + group["weight_decay"] * w
        alpha = group["alpha"]
        if "square_avg" not in state:
            state["square_avg"] = np.zeros_like(w)
        sq = state["square_avg"]
        sq *= alpha
        sq += (1 - alpha) * (g * g)
        step = g / (np.sqrt(sq) + group["eps"])
        if group["momentum"]:
            buf = state.setdefault("momentum_buffer", np.zeros_like(w))
            buf *= group["momentum"]
            buf += step
            step = buf
        w -= group["lr"] * step


def clip_grad_norm_(parameters, max_norm: float) -> float:
    """Scale all gradients together so their global L2 norm is at most `max_norm`.

    Returns the norm before clipping (log it: a spiking norm is an early sign of divergence).
    Gradients are replaced, not written into, because one gradient array may be shared.
    """
    grads = [p for p in parameters if p.grad is not None]
    total = math.sqrt(sum(float(np.vdot(p.grad.data, p.grad.data)) for p in grads))
    if total > max_norm:
        scale = max_norm / (total + 1e-6)
        for p in grads:
            p.grad.data = p.grad.data * np.asarray(scale, dtype=p.grad.dtype)
    return total
