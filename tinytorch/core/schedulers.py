"""Learning-rate schedules: the learning rate as a function of the step (or epoch) count.

Every schedule here is a multiplier of each group's initial learning rate (`LambdaLR` with a
named factor), so a new schedule is one small function. Call `scheduler.step()` once per
epoch or per batch, after `optimizer.step()`, as in PyTorch.
"""

import math
from collections.abc import Callable

import numpy as np

from tinytorch.core.arguments import check_counts


class LambdaLR:
    """lr = initial_lr * factor(step). The other schedulers are named factors."""

    def __init__(self, optimizer, factor: Callable[[int], float]):
        if not callable(factor):
            raise TypeError(f"factor must be a function of the step, got {type(factor).__name__}")
        self.optimizer, self.factor = optimizer, factor
        self.base_lrs = [g["lr"] for g in optimizer.param_groups]
        self.last_step = 0
        self._apply()

    def step(self) -> None:
        self.last_step += 1
        self._apply()

    def _apply(self) -> None:
        f = self.factor(self.last_step)
        for group, base in zip(self.optimizer.param_groups, self.base_lrs, strict=True):
            group["lr"] = base * f

    def get_last_lr(self) -> list[float]:
        return [g["lr"] for g in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, np.ndarray]:
        return {"last_step": np.asarray(self.last_step), "base_lrs": np.asarray(self.base_lrs)}

    def load_state_dict(self, state: dict) -> None:
        """Restore the step and initial rates, all or nothing (see `check_state_dict`)."""
        self.check_state_dict(state)
        self.last_step = int(state["last_step"])
        self.base_lrs = [float(x) for x in state["base_lrs"]]
        self._apply()

    def check_state_dict(self, state: dict) -> None:
        """Raise unless `state` is a scheduler state for as many parameter groups as ours."""
        if "last_step" not in state or "base_lrs" not in state:
            raise KeyError(f"not a scheduler state_dict: expected 'last_step' and 'base_lrs', "
                           f"got {sorted(state)}")
        groups = np.asarray(state["base_lrs"]).size
        if groups != len(self.optimizer.param_groups):
            raise ValueError(f"the scheduler state has {groups} learning rates, the optimizer "
                             f"has {len(self.optimizer.param_groups)} parameter groups")


class StepLR(LambdaLR):
    """Multiply the learning rate by `gamma` every `step_size` steps."""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1):
        check_counts("StepLR", step_size=step_size)
        if not 0 < gamma <= 1:
            raise ValueError(f"StepLR: gamma must be in (0, 1], got {gamma!r}")
        super().__init__(optimizer, lambda t: gamma ** (t // step_size))


class CosineAnnealingLR(LambdaLR):
    """Glide from the initial rate to `min_factor` times it along half a cosine over `total` steps."""

    def __init__(self, optimizer, total_steps: int, min_factor: float = 0.0):
        check_counts("CosineAnnealingLR", total_steps=total_steps)
        if not 0 <= min_factor <= 1:
            raise ValueError(f"CosineAnnealingLR: min_factor must be in [0, 1], got {min_factor!r}")

        def factor(t):
            progress = min(t, total_steps) / total_steps
            return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * progress))

        super().__init__(optimizer, factor)


class LinearWarmupLR(LambdaLR):
    """Ramp linearly from ~0 to the initial rate over `warmup_steps`, then hold it, or follow
    a cosine decay to 0 by `total_steps` if given (the usual transformer recipe)."""

    def __init__(self, optimizer, warmup_steps: int, total_steps: int | None = None):
        check_counts("LinearWarmupLR", minimum=0, warmup_steps=warmup_steps)
        if total_steps is not None:
            check_counts("LinearWarmupLR", minimum=max(warmup_steps, 1), total_steps=total_steps)

        def factor(t):
            if t < warmup_steps:
                return (t + 1) / warmup_steps
            if total_steps is None:
                return 1.0
            progress = min(t - warmup_steps, total_steps - warmup_steps) / max(
                total_steps - warmup_steps, 1)
            return 0.5 * (1 + math.cos(math.pi * progress))

        super().__init__(optimizer, factor)
