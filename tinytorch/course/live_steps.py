"""The live display and Stop button of `live.LiveTraining`, for a loop that is not a
`Trainer`: BPE merges, a sweep, any long run of steps.

    with LiveSteps(total=500, title="Training BPE", unit="merge", extra=lambda live: [...]) as run:
        for step in steps:
            ...
            if not run.step():   # False once the learner pressed Stop
                break
    run.view()                   # "Stopped after ..." or "Done: ..."

Why a subclass and not a second display: one progress bar, one Stop button, one throttling
rule for the whole course; only the words differ ("merge 120 / 500" instead of "batch").
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from tinytorch.course.live import LiveTraining, _duration


class LiveSteps(LiveTraining):
    def __init__(self, total: int, title: str, unit: str = "step", every: float = 1.0,
                 extra: Callable | None = None, chart_width: int = 330):
        super().__init__(total, title=title, every=every, extra=extra, show_loss=False,
                         chart_width=chart_width)
        self.unit = unit
        self._loop = SimpleNamespace(stop_training=False, interrupted=False, model=None)

    def __enter__(self) -> LiveSteps:
        self.on_train_begin(self._loop)
        return self

    def __exit__(self, *exc) -> None:
        self.on_train_end(self._loop)

    def step(self) -> bool:
        """Count one step and redraw when due; False once a stop was requested."""
        if self.done >= self.total:
            raise RuntimeError(f"{self.title}: step {self.done + 1} of a run of {self.total}")
        self.on_batch_end(self._loop, self.done, 0.0)
        return not self._loop.stop_training

    def status(self) -> str:
        seconds = self.seconds
        rate = self.done / seconds if seconds > 0 else 0.0
        speed = f"{rate:,.1f} {self.unit}s/s"
        if self.running:
            left = (self.total - self.done) / rate if rate > 0 else float("inf")
            eta = f", about {_duration(left)} left" if self.done and left != float("inf") else ""
            return f"**{self.title}**: {self.unit} {self.done:,} / {self.total:,}, {speed}{eta}"
        took = f"in {seconds:.1f} s ({speed})"
        if self.stopped:
            return f"**Stopped** after {self.done:,} of {self.total:,} {self.unit}s {took}"
        return f"**Done**: {self.done:,} {self.unit}s {took}"
