"""Module 07, Training: the loop every model runs, written once.

    for each epoch:
        for each batch:  forward -> loss -> backward -> (every k batches) step, zero_grad
        evaluate on held-out data with gradients off and the model in eval mode

`Trainer` runs it and reports loss and accuracy. Everything else hooks in through callbacks
(live charts and progress bars in the course apps, early stopping, checkpoints), so the loop
itself stays short enough to read in one go.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from tinytorch.core.autograd import no_grad
from tinytorch.core.checkpoint import load_checkpoint, save_checkpoint
from tinytorch.core.losses import cross_entropy
from tinytorch.core.optimizers import clip_grad_norm_
from tinytorch.core.tensor import Tensor


class Callback:
    """Override what you need. `trainer.stop_training = True` ends training after the batch."""

    def on_train_begin(self, trainer: Trainer) -> None: ...

    def on_epoch_begin(self, trainer: Trainer, epoch: int) -> None: ...

    def on_batch_end(self, trainer: Trainer, batch: int, loss: float) -> None: ...

    def on_epoch_end(self, trainer: Trainer, epoch: int, logs: dict) -> None: ...

    def on_train_end(self, trainer: Trainer) -> None: ...


class StepSchedulePerBatch(Callback):
    """Advance a learning-rate schedule after every batch instead of every epoch (`Trainer`'s
    `scheduler`). Short runs need it: over one or two epochs a per-epoch schedule barely
    moves, while warm-up or a cosine decay to 0 over all the steps lets a large learning rate
    make fast progress early and settle late."""

    def __init__(self, scheduler):
        self.scheduler = scheduler

    def on_batch_end(self, trainer, batch, loss):
        self.scheduler.step()


class EarlyStopping(Callback):
    """Stop when `monitor` has not improved by `min_delta` for `patience` epochs."""

    def __init__(self, monitor: str = "val_loss", patience: int = 3, min_delta: float = 0.0,
                 mode: str = "min"):
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor, self.patience, self.min_delta, self.mode = monitor, patience, min_delta, mode
        self.best, self.waited = None, 0

    def on_epoch_end(self, trainer, epoch, logs):
        if self.monitor not in logs:
            raise KeyError(f"EarlyStopping monitors {self.monitor!r}, but the epoch logs only "
                           f"have {sorted(logs)}")
        value = logs[self.monitor]
        sign = 1 if self.mode == "min" else -1
        if self.best is None or sign * (self.best - value) > self.min_delta:
            self.best, self.waited = value, 0
            return
        self.waited += 1
        if self.waited >= self.patience:
            trainer.stop_training = True


class Checkpoint(Callback):
    """Save model, optimizer, scheduler, epoch and RNG state after every epoch."""

    def __init__(self, path):
        self.path = Path(path)

    def on_epoch_end(self, trainer, epoch, logs):
        trainer.save(self.path)


def accuracy(outputs: Tensor, targets) -> float:
    """Fraction of rows whose highest score is the target class."""
    targets = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
    return float((outputs.data.argmax(axis=-1) == targets).mean())


def _is_classification(outputs: Tensor, targets) -> bool:
    targets = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
    return outputs.ndim == 2 and targets.ndim == 1 and targets.dtype.kind in "iu"


class Trainer:
    """Train `model` with `optimizer` on batches of (inputs, targets).

    Data is any re-iterable of (x, y) pairs (a DataLoader, or a list of batches).
    `accumulate` > 1 sums gradients over that many batches before each step, to train with
    an effective batch size larger than fits in memory. `scheduler` is stepped once per epoch.
    """

    def __init__(self, model, optimizer, loss_fn=cross_entropy, scheduler=None,
                 callbacks=(), accumulate: int = 1, max_grad_norm: float | None = None):
        if accumulate < 1:
            raise ValueError(f"accumulate must be >= 1, got {accumulate}")
        self.model, self.optimizer, self.loss_fn = model, optimizer, loss_fn
        self.scheduler, self.callbacks = scheduler, list(callbacks)
        self.accumulate, self.max_grad_norm = accumulate, max_grad_norm
        self.epoch = 0
        self.history: list[dict] = []
        self.stop_training = self.interrupted = False

    def _emit(self, event: str, *args) -> None:
        for cb in self.callbacks:
            getattr(cb, event)(self, *args)

    def fit(self, train_data, val_data=None, epochs: int = 1, interruptible: bool = False) -> list[dict]:
        """Train until `self.epoch == epochs` (so a resumed trainer continues where it was).

        With `interruptible=True`, an interrupt (Ctrl-C, or marimo's stop button, both a
        KeyboardInterrupt) ends training cleanly instead of failing: `self.interrupted` is set
        and the model keeps what it learned, so the cells after it can still evaluate it.
        """
        self.stop_training = self.interrupted = False
        self._emit("on_train_begin")
        try:
            self._run_epochs(train_data, val_data, epochs)
        except KeyboardInterrupt:
            if not interruptible:
                raise
            self.interrupted = True
        self._emit("on_train_end")
        return self.history

    def _run_epochs(self, train_data, val_data, epochs: int) -> None:
        while self.epoch < epochs and not self.stop_training:
            self._emit("on_epoch_begin", self.epoch)
            start = time.perf_counter()
            logs = {"epoch": self.epoch, "lr": self.optimizer.param_groups[0]["lr"]}
            logs.update({f"train_{k}": v for k, v in self.train_epoch(train_data).items()})
            if val_data is not None:
                logs.update({f"val_{k}": v for k, v in self.evaluate(val_data).items()})
            logs["seconds"] = time.perf_counter() - start
            if self.scheduler is not None:
                self.scheduler.step()
            self.epoch += 1
            self.history.append(logs)
            self._emit("on_epoch_end", self.epoch - 1, logs)

    def train_epoch(self, data) -> dict:
        self.model.train()
        self.optimizer.zero_grad()
        totals = _Totals()
        pending = 0
        for batch, (x, y) in enumerate(data):
            outputs = self.model(x)
            loss = self.loss_fn(outputs, y)
            (loss / self.accumulate if self.accumulate > 1 else loss).backward()
            pending += 1
            if pending == self.accumulate:
                self._step(pending)
                pending = 0
            totals.add(loss, outputs, y)
            self._emit("on_batch_end", batch, float(loss.data))
            if self.stop_training:
                break
        if pending:
            self._step(pending)
        return totals.summary()

    def _step(self, batches: int) -> None:
        """Step on the gradients of `batches` batches. Each loss was divided by `accumulate`,
        so a last group of fewer batches (the epoch ran out) is rescaled to their mean."""
        if batches < self.accumulate:
            with no_grad():
                for p in self.optimizer.parameters():
                    if p.grad is not None:
                        p.grad = p.grad * (self.accumulate / batches)
        if self.max_grad_norm is not None:
            clip_grad_norm_(self.optimizer.parameters(), self.max_grad_norm)
        self.optimizer.step()
        self.optimizer.zero_grad()

    @no_grad()
    def evaluate(self, data) -> dict:
        """Loss (and accuracy, for classification) over `data`, in eval mode, without gradients."""
        was_training = self.model.training
        self.model.eval()
        totals = _Totals()
        try:
            for x, y in data:
                outputs = self.model(x)
                totals.add(self.loss_fn(outputs, y), outputs, y)
        finally:  # an error in a batch must not leave dropout and batch norm in eval mode
            self.model.train(was_training)
        return totals.summary()

    def save(self, path) -> Path:
        return save_checkpoint(path, self.model, self.optimizer, self.scheduler, self.epoch)

    def resume(self, path) -> int:
        """Load a checkpoint saved by `save`; the next `fit` continues from its epoch."""
        self.epoch = load_checkpoint(path, self.model, self.optimizer, self.scheduler)
        return self.epoch


class _Totals:
    """Running sums for an epoch, weighted by batch size so the last small batch counts less."""

    def __init__(self):
        self.loss = self.correct = 0.0
        self.count = 0
        self.classification = True

    def add(self, loss: Tensor, outputs: Tensor, targets) -> None:
        n = len(outputs)
        self.loss += float(loss.data) * n
        self.count += n
        self.classification = self.classification and _is_classification(outputs, targets)
        if self.classification:
            self.correct += accuracy(outputs, targets) * n

    def summary(self) -> dict:
        if not self.count:
            raise ValueError("no batches: the data given to the trainer is empty")
        out = {"loss": self.loss / self.count}
        if self.classification:
            out["accuracy"] = self.correct / self.count
        return out
