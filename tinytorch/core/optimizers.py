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
from tinytorch.core.tensor import Tensor, zero_grads

# The allowed range of each hyperparameter, whichever optimizer has it (PyTorch's checks).
_RANGES = {"lr": (0.0, math.inf), "eps": (0.0, math.inf), "weight_decay": (0.0, math.inf),
           "momentum": (0.0, math.inf), "alpha": (0.0, math.inf), "dampening": (0.0, 1.0)}


def check_hyperparameters(owner: str, group: dict) -> None:
    """Refuse values that would train silently wrong: a negative or NaN learning rate walks
    uphill or poisons every weight, betas of 1 divide by zero in Adam's bias correction."""
    for key, (low, high) in _RANGES.items():
        value = group.get(key)
        if value is not None and not (isinstance(value, (int, float, np.number))
                                      and math.isfinite(value) and low <= value <= high):
            raise ValueError(f"{owner}: invalid {key} {value!r}, expected a number in "
                             f"[{low:g}, {high:g}]")
    betas = group.get("betas")
    if betas is not None and (len(betas) != 2 or not all(
            isinstance(b, (int, float, np.number)) and 0 <= b < 1 for b in betas)):
        raise ValueError(f"{owner}: invalid betas {betas!r}, expected two numbers in [0, 1)")
    if group.get("nesterov") and (group.get("momentum", 0) <= 0 or group.get("dampening", 0)):
        raise ValueError(f"{owner}: Nesterov momentum needs momentum > 0 and zero dampening")


class Optimizer:
    """Base class: holds parameter groups and per-parameter state."""

    def __init__(self, params, defaults: dict):
        name = type(self).__name__
        if isinstance(params, Tensor):
            raise TypeError(f"{name} takes an iterable of tensors (or of parameter-group "
                            f"dicts), got a single tensor: pass [tensor]")
        params = list(params)
        if not params:
            raise ValueError(f"{name} got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        if not all(isinstance(g, dict) and "params" in g for g in groups):
            raise TypeError(f"{name} takes tensors or parameter-group dicts with a 'params' key, "
                            "not a mixture")
        self.defaults = defaults
        self.param_groups = [{**defaults, **g, "params": list(g["params"])} for g in groups]
        seen = set()
        for group in self.param_groups:
            check_hyperparameters(name, group)
            for p in group["params"]:
                if not isinstance(p, Tensor) or not p.is_leaf:
                    what = type(p).__name__ if not isinstance(p, Tensor) else "a non-leaf tensor"
                    raise TypeError(f"{name} can only optimize leaf tensors (parameters), got {what}")
                if id(p) in seen:
                    raise ValueError(f"{name}: a parameter of shape {p.shape} is given more than "
                                     "once; it would be updated twice per step")
                seen.add(id(p))
        self.state: dict[int, dict[str, np.ndarray]] = {}
        self.step_count = 0

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients (see `tensor.zero_grads`)."""
        zero_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

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
        out = {"step_count": np.asarray(self.step_count), "type": np.asarray(type(self).__name__)}
        for gi, group in enumerate(self.param_groups):
            for key, value in group.items():
                if key != "params":
                    out[f"group{gi}.{key}"] = np.asarray(value)
        for pi, p in enumerate(self.parameters()):
            for key, value in self.state.get(id(p), {}).items():
                out[f"param{pi}.{key}"] = value.copy()
        return out

    def load_state_dict(self, state: dict) -> None:
        """Restore hyperparameters and state, all or nothing (see `check_state_dict`)."""
        groups, per_param = self.check_state_dict(state)
        self.step_count = int(state["step_count"])
        for group, loaded in zip(self.param_groups, groups, strict=True):
            group.update(loaded)
        self.state = per_param

    def check_state_dict(self, state: dict) -> tuple[list[dict], dict]:
        """Raise unless `state` was saved by an optimizer of this type over parameters of
        these shapes; otherwise return (each group's hyperparameters, the per-parameter state).
        Nothing is changed, so a mismatch leaves this optimizer as it was."""
        name = type(self).__name__
        if "step_count" not in state:
            raise KeyError(f"not an optimizer state_dict: no 'step_count' (keys: {sorted(state)[:5]})")
        saved_type = str(state["type"]) if "type" in state else None
        groups = []
        for gi, group in enumerate(self.param_groups):
            prefix = f"group{gi}."
            loaded = {k[len(prefix):]: np.asarray(v) for k, v in state.items() if k.startswith(prefix)}
            foreign = sorted(set(loaded) - set(group))
            if saved_type not in (None, name) or foreign:
                raise ValueError(f"cannot load the state of {saved_type or 'another optimizer'} "
                                 f"(hyperparameters {sorted(loaded)}) into {name} "
                                 f"(hyperparameters {sorted(set(group) - {'params'})})")
            loaded = {k: v.item() if v.ndim == 0 else tuple(v.tolist()) for k, v in loaded.items()}
            check_hyperparameters(name, {**group, **loaded})
            groups.append(loaded)
        if any(k.startswith(f"group{len(groups)}.") for k in state):
            raise ValueError(f"the state has more parameter groups than {name}'s {len(groups)}")
        params = list(self.parameters())
        per_param = {}
        for key, value in state.items():
            if not key.startswith("param"):
                continue
            index, _, entry = key[len("param"):].partition(".")
            if not index.isdigit() or int(index) >= len(params):
                raise ValueError(f"the state has {key!r}, but {name} has {len(params)} parameters")
            p = params[int(index)]
            value = np.array(value)
            if value.shape != p.shape and value.ndim:
                raise ValueError(f"optimizer state {entry!r} of parameter {index} has shape "
                                 f"{value.shape}, the parameter has {p.shape}")
            per_param.setdefault(id(p), {})[entry] = value
        return groups, per_param

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v}" for k, v in self.param_groups[0].items() if k != "params")
        return f"{type(self).__name__}({hyper})"


class SGD(Optimizer):
    """w -= lr * g, optionally with momentum v = mu v + (1 - dampening) g (and Nesterov's
    look-ahead), and weight decay (L2: g + wd * w)."""

    def __init__(self, params, lr: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0, dampening: float = 0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum, nesterov=nesterov,
                                      weight_decay=weight_decay, dampening=dampening))

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
                v += (1 - group["dampening"]) * g if group["dampening"] else g
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
    if not max_norm >= 0:  # also refuses NaN
        raise ValueError(f"max_norm must be >= 0, got {max_norm}: a negative one flips every gradient")
    grads = [p for p in parameters if p.grad is not None]
    total = math.sqrt(sum(float(np.vdot(p.grad.data, p.grad.data)) for p in grads))
    if total > max_norm:
        scale = max_norm / (total + 1e-6)
        for p in grads:
            p.grad.data = p.grad.data * np.asarray(scale, dtype=p.grad.dtype)
    return total
