"""What the milestone recipes share, so that no recipe imports another."""

from __future__ import annotations

import time

from tinytorch.core.training import Callback


class PrintEpoch(Callback):
    """Print each epoch's training loss and accuracy, test accuracy and wall time as it ends,
    flushed at once: the recipes run for minutes and their logs are the recorded figures."""

    def __init__(self):
        self.start = time.perf_counter()

    def on_epoch_end(self, trainer, epoch, logs):
        print(f"epoch {epoch + 1:2d}  train loss {logs['train_loss']:.4f}  "
              f"train acc {logs['train_accuracy']:.4f}  test acc {logs['val_accuracy']:.4f}  "
              f"epoch {logs['seconds']:5.1f} s  total {time.perf_counter() - self.start:6.1f} s",
              flush=True)


class BatchProgress(Callback):
    """Advance a progress bar (`tinytorch.cli.bar.Bar`, or anything with `update` and `close`)
    after every batch, showing the batch's loss: how `tinytorch milestone run` shows rate and
    time left while a recipe trains."""

    def __init__(self, bar):
        self.bar = bar

    def on_batch_end(self, trainer, batch, loss):
        self.bar.update(1, f"loss {loss:.3f}")

    def on_train_end(self, trainer):
        self.bar.close()
