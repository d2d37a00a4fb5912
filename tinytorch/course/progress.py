"""Live training display for the apps: a progress bar and a loss/accuracy chart that redraw
while `Trainer.fit` runs, plus a clean stop when the learner interrupts the cell.

Redrawing is throttled (every `every` seconds), because drawing a chart costs far more than a
training step of a small model, in the browser most of all.
"""

from __future__ import annotations

import time

from tinytorch.core.training import Callback
from tinytorch.course.charts import line


class LiveTraining(Callback):
    """Show progress and a running loss chart in the output of the cell that trains."""

    def __init__(self, total_batches: int, title: str = "Training", every: float = 0.5,
                 smooth: int = 10):
        self.total, self.title, self.every, self.smooth = total_batches, title, every, smooth
        self.done, self.losses, self.epochs = 0, [], []
        self._last = 0.0

    def on_batch_end(self, trainer, batch, loss):
        self.done += 1
        self.losses.append(loss)
        now = time.perf_counter()
        if now - self._last >= self.every or self.done == self.total:
            self._last = now
            self.draw()

    def on_epoch_end(self, trainer, epoch, logs):
        self.epochs.append(logs)
        self.draw()

    def draw(self) -> None:
        import marimo as mo

        mo.output.replace(self.view())

    def view(self):
        import marimo as mo

        k = self.smooth
        rows = [{"batch": i + 1, "loss": sum(self.losses[max(0, i - k + 1):i + 1]) / min(k, i + 1)}
                for i in range(len(self.losses))]
        parts = [mo.Html(f"<b>{self.title}</b>: batch {self.done} / {self.total} "
                         f"<progress value='{self.done}' max='{self.total}' "
                         f"style='width: 40%'></progress>")]
        if self.epochs:
            last = self.epochs[-1]
            stats = ", ".join(f"{k} {v:.4f}" for k, v in last.items()
                              if k.startswith(("train_", "val_")))
            parts.append(mo.md(f"epoch {last['epoch'] + 1}: {stats}"))
        if rows:
            parts.append(line(rows, "batch", "loss", title=f"training loss (mean of last {k} batches)",
                              width=460, height=200))
        return mo.vstack(parts)


WAITING_CLASS = "tt-waiting"


def waiting(action: str):
    """The placeholder a button-gated cell shows until its button is pressed:
    `mo.stop(not button.value, waiting("measure"))`. Tests look for its class to prove that
    every gated cell really ran once its button was pressed."""
    import marimo as mo

    return mo.Html(f"<p class='{WAITING_CLASS}'><em>Press the button to {action}.</em></p>")
