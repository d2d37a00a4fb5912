import numpy as np
import pytest

import tinytorch
from tinytorch.core.activations import ReLU, Tanh
from tinytorch.core.layers import Dropout, Linear, Sequential
from tinytorch.core.losses import mse_loss
from tinytorch.core.optimizers import SGD, Adam
from tinytorch.core.random import default_generator
from tinytorch.core.training import Callback, Checkpoint, EarlyStopping, StepSchedulePerBatch, Trainer


class ShuffledBatches:
    """A minimal re-iterable loader that shuffles with the framework's generator."""

    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __iter__(self):
        order = default_generator().permutation(len(self.x))
        for i in range(0, len(order), self.batch_size):
            idx = order[i:i + self.batch_size]
            yield tinytorch.Tensor(self.x[idx]), tinytorch.Tensor(self.y[idx])


def blobs(n=64):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, n)
    x = (rng.standard_normal((n, 2)) + 3 * y[:, None]).astype(np.float32)
    return x, y


class Recorder(Callback):
    def __init__(self):
        self.events = []

    def on_train_begin(self, trainer):
        self.events.append("begin")

    def on_epoch_end(self, trainer, epoch, logs):
        self.events.append(("epoch", epoch, sorted(logs)))

    def on_train_end(self, trainer):
        self.events.append("end")


def test_xor_is_learned_to_100_percent():
    x = tinytorch.Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = tinytorch.Tensor([0, 1, 1, 0])
    model = Sequential(Linear(2, 8), Tanh(), Linear(8, 2))
    trainer = Trainer(model, Adam(model.parameters(), lr=0.05))
    history = trainer.fit([(x, y)], epochs=300)
    assert history[-1]["train_accuracy"] == 1.0
    assert trainer.evaluate([(x, y)])["accuracy"] == 1.0


def test_callbacks_see_every_epoch_with_train_and_val_logs():
    x, y = blobs()
    model = Sequential(Linear(2, 2))
    rec = Recorder()
    Trainer(model, SGD(model.parameters(), lr=0.1), callbacks=[rec]).fit(
        ShuffledBatches(x, y, 16), ShuffledBatches(x, y, 32), epochs=2)
    keys = ["epoch", "lr", "seconds", "train_accuracy", "train_loss", "val_accuracy", "val_loss"]
    assert rec.events == ["begin", ("epoch", 0, keys), ("epoch", 1, keys), "end"]


def test_gradient_accumulation_equals_one_big_batch():
    x, y = blobs(8)
    weights = {}
    for accumulate, batches in ((1, [(x, y)]), (2, [(x[:4], y[:4]), (x[4:], y[4:])])):
        tinytorch.manual_seed(5)
        model = Sequential(Linear(2, 3), ReLU(), Linear(3, 2))
        trainer = Trainer(model, SGD(model.parameters(), lr=0.5), accumulate=accumulate)
        trainer.fit([(tinytorch.Tensor(a), tinytorch.Tensor(b)) for a, b in batches], epochs=3)
        weights[accumulate] = [p.numpy().copy() for p in model.parameters()]
    for a, b in zip(weights[1], weights[2], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_last_partial_accumulation_group_steps_on_the_mean_of_its_batches():
    """5 batches with accumulate=2: the groups are (0, 1), (2, 3) and (4,) alone; each step
    must equal one SGD step on its group's mean loss (no other scaling)."""
    x, y = blobs(10)
    batches = [(tinytorch.Tensor(x[i:i + 2]), tinytorch.Tensor(y[i:i + 2])) for i in range(0, 10, 2)]
    tinytorch.manual_seed(5)
    model = Sequential(Linear(2, 3), ReLU(), Linear(3, 2))
    tinytorch.manual_seed(5)
    reference = Sequential(Linear(2, 3), ReLU(), Linear(3, 2))
    Trainer(model, SGD(model.parameters(), lr=0.5), accumulate=2).fit(batches, epochs=1)
    ref_trainer = Trainer(reference, SGD(reference.parameters(), lr=0.5))
    groups = [(0, 4), (4, 8), (8, 10)]
    ref_trainer.fit([(tinytorch.Tensor(x[a:b]), tinytorch.Tensor(y[a:b])) for a, b in groups],
                    epochs=1)
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-5, atol=1e-6)


def test_evaluate_restores_training_mode_after_an_error():
    model = Sequential(Linear(2, 2), Dropout(0.5))
    trainer = Trainer(model, SGD(model.parameters(), lr=0.1))
    bad = [(tinytorch.ones(3, 5), tinytorch.Tensor([0, 1, 0]))]  # 5 features, the model takes 2
    with pytest.raises(ValueError, match="features"):
        trainer.evaluate(bad)
    assert all(m.training for m in model.modules())


def test_early_stopping_stops_when_the_metric_stalls():
    x, y = blobs()
    model = Sequential(Linear(2, 2))
    trainer = Trainer(model, SGD(model.parameters(), lr=0.0),  # lr 0: val_loss never improves
                      callbacks=[EarlyStopping("val_loss", patience=2)])
    history = trainer.fit(ShuffledBatches(x, y, 16), ShuffledBatches(x, y, 64), epochs=10)
    assert len(history) == 3


def test_early_stopping_names_missing_metric():
    x, y = blobs()
    model = Sequential(Linear(2, 2))
    trainer = Trainer(model, SGD(model.parameters(), lr=0.1), callbacks=[EarlyStopping("val_loss")])
    with pytest.raises(KeyError, match="val_loss.*train_loss"):
        trainer.fit(ShuffledBatches(x, y, 16), epochs=1)


def test_a_callback_can_stop_training_mid_epoch():
    class StopAfter(Callback):
        def __init__(self):
            self.batches = 0

        def on_batch_end(self, trainer, batch, loss):
            self.batches += 1
            if batch == 2:
                trainer.stop_training = True

    x, y = blobs()
    model = Sequential(Linear(2, 2))
    stopper = StopAfter()
    history = Trainer(model, SGD(model.parameters(), lr=0.1), callbacks=[stopper]).fit(
        ShuffledBatches(x, y, 8), epochs=5)
    assert stopper.batches == 3 and len(history) == 1


def test_regression_reports_loss_without_accuracy():
    x = tinytorch.randn(16, 3)
    y = x.sum(axis=1, keepdims=True)
    model = Linear(3, 1)
    history = Trainer(model, SGD(model.parameters(), lr=0.1), loss_fn=mse_loss).fit([(x, y)], epochs=50)
    assert "train_accuracy" not in history[-1] and history[-1]["train_loss"] < 1e-3


def test_resuming_from_a_checkpoint_reproduces_the_uninterrupted_run(tmp_path):
    x, y = blobs()

    def make():
        tinytorch.manual_seed(11)
        model = Sequential(Linear(2, 16), ReLU(), Dropout(0.3), Linear(16, 2))
        return Trainer(model, Adam(model.parameters(), lr=0.01))

    straight = make()
    straight.fit(ShuffledBatches(x, y, 8), epochs=4)

    first = make()
    first.callbacks.append(Checkpoint(tmp_path / "ckpt.npz"))
    first.fit(ShuffledBatches(x, y, 8), epochs=2)
    tinytorch.manual_seed(999)  # a new process would start from some other state
    resumed = make()
    assert resumed.resume(tmp_path / "ckpt.npz") == 2
    resumed.fit(ShuffledBatches(x, y, 8), epochs=4)

    for p, q in zip(straight.model.parameters(), resumed.model.parameters(), strict=True):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
    assert [h["train_loss"] for h in straight.history[2:]] == [h["train_loss"] for h in resumed.history]


def test_empty_data_is_an_error():
    model = Linear(2, 2)
    with pytest.raises(ValueError, match="empty"):
        Trainer(model, SGD(model.parameters(), lr=0.1)).fit([], epochs=1)


class Interrupt(Callback):
    def on_batch_end(self, trainer, batch, loss):
        if batch == 1:
            raise KeyboardInterrupt


def test_interruptible_fit_stops_cleanly_and_keeps_the_model():
    x, y = blobs()
    model = Sequential(Linear(2, 2))
    before = model[0].weight.numpy().copy()
    trainer = Trainer(model, SGD(model.parameters(), lr=0.1), callbacks=[Interrupt()])
    trainer.fit(ShuffledBatches(x, y, 8), epochs=3, interruptible=True)
    assert trainer.interrupted and trainer.history == []
    assert not np.array_equal(model[0].weight.numpy(), before)  # the two batches were learned


def test_interrupt_propagates_unless_asked():
    x, y = blobs()
    model = Sequential(Linear(2, 2))
    with pytest.raises(KeyboardInterrupt):
        Trainer(model, SGD(model.parameters(), lr=0.1), callbacks=[Interrupt()]).fit(ShuffledBatches(x, y, 8))


def test_a_schedule_stepped_per_batch_decays_over_all_the_steps():
    tinytorch.manual_seed(0)
    model = Linear(2, 1)
    optimizer = SGD(model.parameters(), lr=0.1)
    schedule = tinytorch.optim.lr_scheduler.CosineAnnealingLR(optimizer, 6)
    data = [(tinytorch.randn(4, 2), tinytorch.randn(4, 1))] * 3
    seen = []

    class Record(Callback):
        def on_batch_end(self, trainer, batch, loss):
            seen.append(optimizer.param_groups[0]["lr"])

    Trainer(model, optimizer, loss_fn=mse_loss, callbacks=[StepSchedulePerBatch(schedule), Record()]).fit(
        data, epochs=2)
    expected = [0.05 * (1 + np.cos(np.pi * step / 6)) for step in range(1, 7)]
    np.testing.assert_allclose(seen, expected, atol=1e-9)
    assert seen[-1] == pytest.approx(0.0, abs=1e-12)
