"""The live-training display: progress, throttled charts, validation hook, and a stop that
ends training cleanly (the cells after it still grade the model) from either stop source."""

import os
import signal

import numpy as np
import pytest

import tinytorch
import tinytorch.nn as nn
from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.training import Callback, Trainer
from tinytorch.course.live import LiveTraining, StopSignal


def setup(epochs=2, **kwargs):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    loader = DataLoader(TensorDataset(x, y), batch_size=8)
    tinytorch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    live = LiveTraining(len(loader) * epochs, batch_size=8, **kwargs)
    trainer = Trainer(model, tinytorch.optim.SGD(model.parameters(), lr=0.1), callbacks=[live])
    return trainer, loader, live


class StopAt(Callback):
    """Asks for a stop at batch `at` through `ask` (a stop source), as a learner's click would."""

    def __init__(self, at, ask):
        self.at, self.ask, self.seen = at, ask, 0

    def on_batch_end(self, trainer, batch, loss):
        self.seen += 1
        if self.seen == self.at:
            self.ask()


def test_a_full_run_reports_trained_with_validation_and_a_frozen_time():
    calls = []

    def validate(model):
        calls.append(model.training)
        return {"accuracy": 0.5}

    trainer, loader, live = setup(validate=validate, validate_every=4)
    trainer.fit(loader, epochs=2, interruptible=True)
    assert live.done == live.total == 16 and not live.stopped
    assert [v["batch"] for v in live.validation] == [4, 8, 12, 16]
    assert calls == [False] * 4 and trainer.model.training  # validated in eval mode, then back
    assert live.status().startswith("**Trained**: 16 batches of 8 in ")
    assert live.seconds == live.seconds  # frozen once training has ended
    assert "Stop training" not in live.view().text  # no stop button once it has ended


def test_the_stop_button_signal_ends_training_after_the_batch_and_is_labelled():
    trainer, loader, live = setup(epochs=3)
    trainer.callbacks.insert(0, StopAt(5, lambda: live.stop.request("Stop")))
    history = trainer.fit(loader, epochs=3, interruptible=True)
    assert live.done == 5 and live.stopped and not trainer.interrupted
    assert len(history) == 1  # the stopped epoch is still evaluated, so the run can be graded
    assert live.status().startswith("**Stopped** after 5 of 24 batches of 8 in ")
    assert "graded" in live.status()


def test_marimos_stop_button_sigint_becomes_the_same_clean_stop():
    before = signal.getsignal(signal.SIGINT)
    trainer, loader, live = setup(epochs=3)
    trainer.callbacks.insert(0, StopAt(3, lambda: os.kill(os.getpid(), signal.SIGINT)))
    trainer.fit(loader, epochs=3, interruptible=False)  # no KeyboardInterrupt may escape
    assert live.stopped and live.stop.reason == "■" and live.done == 3
    assert signal.getsignal(signal.SIGINT) is before  # the handler is put back


def test_outside_the_browser_the_display_points_at_marimos_stop_button():
    trainer, loader, live = setup()
    live.running = True
    assert not StopSignal.has_button()
    assert "Press marimo's stop button" in live.view().text


def test_each_run_has_its_own_channel_so_an_old_button_stops_nothing():
    assert StopSignal().channel != StopSignal().channel


def test_extra_charts_hook_and_hidden_loss_chart():
    trainer, loader, live = setup(extra=lambda live: [f"EXTRA after {live.done}"], show_loss=False)
    trainer.fit(loader, epochs=2)
    text = live.view().text
    assert "EXTRA after 16" in text and "training loss" not in text


def test_total_must_be_positive():
    with pytest.raises(ValueError, match="total_batches must be >= 1"):
        LiveTraining(0)
