"""The live-training display every course app that trains uses: a progress bar with rate and
time left, the loss curve, optional validation and custom charts, and a Stop button, all
redrawn in the output of the cell that trains while `Trainer.fit` runs.

Why its own Stop button: marimo's stop button (■) only works in the browser when the page is
cross-origin isolated, which many static hosts cannot arrange, and the view-only (embed) page
has none at all. And when it does work, marimo treats the cell as interrupted and refuses to
run the cells after it, so a stopped network would never be graded. A stop request that the
training loop reads between batches works everywhere, and training then ends normally:
the cells after it grade what the network has learned.

How a click reaches the loop in the browser: Python runs in a web worker that handles no
event while Python runs. The button lives in a small same-origin frame (`mo.iframe`, whose
scripts run; marimo strips scripts and event handlers from ordinary HTML output) and posts a
message on a `BroadcastChannel`; the loop, every `StopSignal.poll` seconds, lets the worker's
event loop run once (`pyodide.ffi.run_sync`, JavaScript promise integration) so the message is
delivered. Under `marimo edit` on a desktop, marimo's ■ sends SIGINT: while training runs the
signal is caught here and becomes the same clean stop.
"""

from __future__ import annotations

import asyncio
import html
import signal
import time
import uuid
from collections.abc import Callable

import numpy as np

from tinytorch.core.training import Callback
from tinytorch.course import charts
from tinytorch.course.recorded import in_browser


class StopSignal:
    """A stop request, from the run's Stop button (browser) or marimo's ■ (SIGINT)."""

    poll = 0.1  # seconds between two looks at the page's messages (each costs a few ms)

    def __init__(self):
        self.channel = f"tinytorch-stop-{uuid.uuid4().hex}"  # one per run: old buttons stop nothing
        self.reason: str | None = None
        self._listener = self._proxy = self._old_sigint = None
        self._last_look = 0.0

    def start(self) -> None:
        try:
            self._old_sigint = signal.signal(signal.SIGINT, lambda signum, frame: self.request("■"))
        except ValueError:  # not the main thread (`marimo run` serves each session in a thread)
            self._old_sigint = None
        if self.has_button():
            import js
            from pyodide.ffi import create_proxy

            self._proxy = create_proxy(lambda event: self.request("Stop"))
            self._listener = js.BroadcastChannel.new(self.channel)
            self._listener.onmessage = self._proxy

    def request(self, reason: str) -> None:
        self.reason = self.reason or reason

    @property
    def requested(self) -> bool:
        if self._listener is not None and time.perf_counter() - self._last_look >= self.poll:
            from pyodide.ffi import run_sync

            run_sync(asyncio.sleep(0))  # the worker's event loop runs: a click's message arrives
            self._last_look = time.perf_counter()
        return self.reason is not None

    def close(self) -> None:
        if self._old_sigint is not None:
            signal.signal(signal.SIGINT, self._old_sigint)
            self._old_sigint = None
        if self._listener is not None:
            self._listener.close()
            self._proxy.destroy()
            self._listener = self._proxy = None

    @staticmethod
    def has_button() -> bool:
        """Whether a Stop button can reach the loop: in the browser, with promise integration."""
        if not in_browser():
            return False
        from pyodide.ffi import can_run_sync

        return can_run_sync()

    def button(self):
        """The Stop button, in a frame of its own (see the module docstring)."""
        import marimo as mo

        script = (f"new BroadcastChannel({self.channel!r}).postMessage('stop');"
                  "this.disabled=true;this.textContent='Stopping after this batch…'")
        return mo.iframe(
            "<body style='margin:0;font:15px system-ui,sans-serif'>"
            f"<button class='tt-stop' onclick=\"{html.escape(script)}\" style='font:inherit;padding:6px 16px;"
            "border:1px solid #b91c1c;border-radius:6px;background:#fff;color:#b91c1c;cursor:pointer'>"
            "■ Stop training</button> <span style='color:#5b6570'>the network keeps what it has learned "
            "and is graded below</span></body>", height="44px")


class LiveTraining(Callback):
    """Redraw progress, loss curve, validation and custom charts while `Trainer.fit` runs.

        live = LiveTraining(total_batches=len(loader) * epochs, batch_size=128,
                            validate=lambda model: {"accuracy": ...}, validate_every=50,
                            extra=lambda live: [my_chart(model)])   # show_loss=False: no batch curve
        trainer = Trainer(model, optimizer, callbacks=[live])
        trainer.fit(loader, epochs=epochs, interruptible=True)
        live.view()          # the final display: "Stopped after ..." or "Trained: ..."

    Redrawing is throttled: at most every `every` seconds, and never more often than keeps
    drawing under a sixth of the time, because a chart costs far more than a training step of
    a small model, in the browser most of all. The loss curve shows the mean of groups of
    batches, so it stays small however long the run.
    """

    def __init__(self, total_batches: int, title: str = "Training", every: float = 1.0,
                 batch_size: int | None = None, validate: Callable | None = None,
                 validate_every: int | None = None, extra: Callable | None = None,
                 show_loss: bool = True, chart_width: int = 330):
        if total_batches < 1:
            raise ValueError(f"total_batches must be >= 1, got {total_batches}")
        self.total, self.title, self.every, self.batch_size = total_batches, title, every, batch_size
        self.validate, self.extra, self.show_loss, self.chart_width = validate, extra, show_loss, chart_width
        self.validate_every = validate_every or max(1, total_batches // 20)
        self.group = max(1, total_batches // 80)
        self.stop = StopSignal()
        self.done, self.losses, self.validation, self.epochs = 0, [], [], []
        self.trainer = None
        self.running = False
        self.start = self.last = time.perf_counter()
        self.end: float | None = None
        self.draw_cost = 0.0

    # Trainer hooks
    def on_train_begin(self, trainer):
        self.trainer, self.running = trainer, True
        self.start = self.last = time.perf_counter()
        self.stop.start()
        self.draw()

    def on_batch_end(self, trainer, batch, loss):
        self.done += 1
        self.losses.append(loss)
        if self.validate is not None and (self.done % self.validate_every == 0 or self.done == self.total):
            trainer.model.eval()
            self.validation.append({"batch": self.done, **self.validate(trainer.model)})
            trainer.model.train()
        if self.stop.requested:
            trainer.stop_training = True
        self._maybe_draw()

    def on_epoch_end(self, trainer, epoch, logs):
        self.epochs.append(logs)
        self._maybe_draw()

    def on_train_end(self, trainer):
        self.running, self.end = False, time.perf_counter()
        self.stop.close()

    # What the learner sees
    @property
    def stopped(self) -> bool:
        return self.stop.reason is not None or bool(self.trainer and self.trainer.interrupted)

    @property
    def seconds(self) -> float:
        """Training time so far (the whole run's, once it has ended)."""
        return (self.end or time.perf_counter()) - self.start

    def _maybe_draw(self) -> None:
        now = time.perf_counter()
        if now - self.last >= max(self.every, 5 * self.draw_cost):
            self.draw()
            self.last = time.perf_counter()
            self.draw_cost = self.last - now

    def draw(self) -> None:
        import marimo as mo

        mo.output.replace(self.view())

    def status(self) -> str:
        """One line: where training is, how fast, how long left; or how it ended."""
        seconds = self.seconds
        rate = self.done / seconds if seconds > 0 else 0.0
        speed = (f"{rate * self.batch_size:,.0f} images/s" if self.batch_size else f"{rate:,.1f} batches/s")
        if self.running:
            left = (self.total - self.done) / rate if rate > 0 else float("nan")
            eta = f", about {_duration(left)} left" if np.isfinite(left) and self.done else ""
            return f"**{self.title}**: batch {self.done:,} / {self.total:,}, {speed}{eta}"
        batches = f"batches of {self.batch_size}" if self.batch_size else "batches"
        took = f"in {seconds:.1f} s ({speed})"
        if self.stopped:
            return (f"**Stopped** after {self.done:,} of {self.total:,} {batches} {took}; the network "
                    "keeps what it learned and is graded with it")
        return f"**Trained**: {self.done:,} {batches} {took}"

    def view(self):
        import marimo as mo

        share = 100 * self.done / self.total
        bar_colour = "#b45309" if self.stopped and not self.running else "#4c78a8"
        parts = [self.stop.button()] if self.running and self.stop.has_button() else []
        if self.running and not self.stop.has_button():
            parts.append(mo.md("*Press marimo's stop button (■) to end training early.*"))
        parts += [
            mo.md(self.status()),
            mo.Html(f"<div role='progressbar' aria-valuenow='{share:.0f}' aria-valuemin='0' "
                    "aria-valuemax='100' style='width: 60%; height: 8px; background: #e5e7eb; "
                    f"border-radius: 4px'><div style='width: {share:.1f}%; height: 8px; "
                    f"background: {bar_colour}; border-radius: 4px'></div></div>"),
        ]
        row = []
        if self.losses and self.show_loss:
            g = self.group
            rows = [{"batch": min(i + g, self.done), "loss": float(np.mean(self.losses[i:i + g]))}
                    for i in range(0, len(self.losses), g)]
            title = "training loss" + (f" (mean of {g} batches)" if g > 1 else "")
            row.append(charts.line(rows, "batch", "loss", width=self.chart_width, height=180, title=title))
        if self.validation:
            for key in (k for k in self.validation[0] if k != "batch"):
                row.append(charts.line([{"batch": v["batch"], key: v[key]} for v in self.validation],
                                       "batch", key, width=self.chart_width, height=180,
                                       title=f"validation {key}"))
        if row:
            parts.append(mo.hstack(row, justify="start", wrap=True))
        if self.extra is not None:
            parts += list(self.extra(self))
        return mo.vstack(parts)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"
