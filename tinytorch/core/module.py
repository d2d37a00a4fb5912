"""`Module` and `Parameter`: how layers hold their weights and find each other's.

A Module registers whatever you assign to it: a `Parameter` becomes one of its parameters, a
Module becomes a child, and a buffer (`register_buffer`, e.g. BatchNorm's running mean) is state
that is saved but not trained. Everything else (`parameters()`, `state_dict()`, `train()`) is a
walk over that tree, so a model is exactly as deep as the attributes you set.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from tinytorch.core import autograd
from tinytorch.core.tensor import Tensor, float32, float64, to_arguments, zero_grads


class Parameter(Tensor):
    """A tensor that is a trainable weight: requires grad, and Modules register it."""

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True):
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """Base class of every layer and model. Subclasses set attributes and define `forward`."""

    def __init__(self):
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"assign {name!r} after calling super().__init__() in {type(self).__name__}.__init__"
            )
        registries = (self._parameters, self._modules, self._buffers)
        if isinstance(value, (Parameter, Module)) or value is None:
            for registry in registries:
                registry.pop(name, None)
            if value is not None:
                registries[0 if isinstance(value, Parameter) else 1][name] = value
        elif name in self._buffers and isinstance(value, Tensor):
            self._buffers[name] = value
        else:
            # A registered name given something else would silently drop out of parameters()
            # (the optimizer would stop updating it) or state_dict(): refuse, as PyTorch does.
            for registry, kind, expected in zip(registries, ("parameter", "child module", "buffer"),
                                                ("Parameter", "Module", "Tensor"), strict=True):
                if name in registry:
                    raise TypeError(f"cannot assign {type(value).__name__!r} as {kind} {name!r} "
                                    f"({expected} or None expected)")
        object.__setattr__(self, name, value)

    def register_buffer(self, name: str, value: Tensor) -> None:
        """State that belongs in `state_dict()` but is not trained (no gradient)."""
        setattr(self, name, value)
        self._buffers[name] = value

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        if autograd.profilers:  # attribute the ops to this module (tinytorch.perf.profiling)
            with autograd.profilers[0].module_scope(self):
                return self.forward(*args, **kwargs)
        return self.forward(*args, **kwargs)

    # ----- walking the tree -------------------------------------------------------------
    def named_children(self) -> Iterator[tuple[str, Module]]:
        yield from self._modules.items()

    def children(self) -> Iterator[Module]:
        yield from self._modules.values()

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_parameters(self) -> Iterator[tuple[str, Parameter]]:
        """Every parameter once, named by its path ('0.weight', 'encoder.fc.bias')."""
        seen = set()
        for prefix, module in self.named_modules():
            for name, p in module._parameters.items():
                if id(p) not in seen:
                    seen.add(id(p))
                    yield (f"{prefix}.{name}" if prefix else name), p

    def parameters(self) -> Iterator[Parameter]:
        for _, p in self.named_parameters():
            yield p

    def named_buffers(self) -> Iterator[tuple[str, Tensor]]:
        for prefix, module in self.named_modules():
            for name, b in module._buffers.items():
                yield (f"{prefix}.{name}" if prefix else name), b

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    # ----- modes and gradients ----------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Training mode: dropout drops, batch norm uses batch statistics."""
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        zero_grads(self.parameters(), set_to_none)

    # ----- dtype ------------------------------------------------------------------------
    def to(self, *args, dtype=None, device=None) -> Module:
        """Convert every floating-point parameter and buffer (and gradient) to `dtype`, in
        place, and return self, as PyTorch's `module.to(dtype)`. The Parameter objects stay
        the same, so an optimizer built before keeps updating them. Integer buffers keep their
        dtype. float64 is for gradient checks (`gradcheck`): finite differences in float32
        are too noisy to compare against."""
        dtype = to_arguments(args, dtype, device)  # to("cpu") is accepted and changes nothing
        if dtype is None:
            return self
        if dtype.kind != "f":
            raise TypeError(f"Module.to converts floating-point state; {dtype} is not a float dtype")
        for t in [*self.parameters(), *(b for _, b in self.named_buffers())]:
            if t.dtype.kind == "f" and t.dtype != dtype:
                grad = t.grad
                t.grad = None
                t.data = t.data.astype(dtype)
                if grad is not None:
                    t.grad = grad.to(dtype)
        return self

    def float(self) -> Module:
        return self.to(float32)

    def double(self) -> Module:
        return self.to(float64)

    # ----- saving and loading -----------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter and buffer, by path: plain arrays, safe to `np.savez`."""
        state = {name: p.data.copy() for name, p in self.named_parameters()}
        state.update({name: b.data.copy() for name, b in self.named_buffers()})
        return state

    def load_state_dict(self, state: dict, strict: bool = True) -> None:
        """Copy values in place, all or nothing: every name, shape and dtype is checked (see
        `check_state_dict`) before the first value is written, so a mismatch leaves the model
        exactly as it was instead of half loaded."""
        for target, value in self.check_state_dict(state, strict):
            target.data[...] = value
            target._mark_modified()

    def check_state_dict(self, state: dict, strict: bool = True) -> list[tuple[Tensor, np.ndarray]]:
        """Raise if `state` does not fit this model; otherwise return (tensor, value) pairs to
        copy. A shape mismatch names the parameter and both shapes; with `strict`, missing and
        unexpected names are listed."""
        own = dict(self.named_parameters())
        own.update(self.named_buffers())
        if strict:
            missing = sorted(set(own) - set(state))
            unexpected = sorted(set(state) - set(own))
            if missing or unexpected:
                raise KeyError(f"state_dict does not match {type(self).__name__}: "
                               f"missing {missing}, unexpected {unexpected}")
        pairs = []
        for name, target in own.items():
            if name not in state:
                continue
            value = np.asarray(state[name])
            if value.shape != target.shape:
                raise ValueError(f"cannot load {name!r}: checkpoint has shape {value.shape}, "
                                 f"the model has {target.shape}")
            if not np.can_cast(value.dtype, target.dtype, casting="same_kind"):
                raise TypeError(f"cannot load {name!r}: checkpoint has dtype {value.dtype}, "
                                f"the model has {target.dtype}")
            pairs.append((target, value))
        return pairs

    # ----- display ----------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The layer's own settings, shown in the tree repr (e.g. 'in=784, out=128')."""
        return ""

    def __repr__(self) -> str:
        lines = [f"({name}): " + repr(child).replace("\n", "\n  ")
                 for name, child in self._modules.items()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"
