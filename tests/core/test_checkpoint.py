import numpy as np
import pytest

import tinytorch
from tinytorch.core.checkpoint import load_checkpoint, save_checkpoint
from tinytorch.core.layers import Linear, Sequential
from tinytorch.core.optimizers import SGD, Adam
from tinytorch.core.random import get_rng_state
from tinytorch.core.schedulers import StepLR


def trained():
    model = Sequential(Linear(3, 4), Linear(4, 2))
    opt = Adam(model.parameters(), lr=0.01)
    sched = StepLR(opt, 1, gamma=0.5)
    model(tinytorch.randn(5, 3)).sum().backward()
    opt.step()
    sched.step()
    return model, opt, sched


def test_round_trip_restores_model_optimizer_scheduler_epoch_and_rng(tmp_path):
    model, opt, sched = trained()
    path = save_checkpoint(tmp_path / "run.npz", model, opt, sched, epoch=3)
    next_draw = tinytorch.rand(3).numpy()
    model2 = Sequential(Linear(3, 4), Linear(4, 2))
    opt2 = Adam(model2.parameters(), lr=1.0)
    sched2 = StepLR(opt2, 1, gamma=0.5)
    assert load_checkpoint(path, model2, opt2, sched2) == 3
    for (name, p), (_, q) in zip(model.named_parameters(), model2.named_parameters(), strict=True):
        np.testing.assert_array_equal(p.numpy(), q.numpy(), err_msg=name)
    assert opt2.param_groups[0]["lr"] == opt.param_groups[0]["lr"] == 0.005
    for key, value in opt.state_dict().items():
        np.testing.assert_array_equal(opt2.state_dict()[key], value, err_msg=key)
    np.testing.assert_array_equal(tinytorch.rand(3).numpy(), next_draw)


def test_file_holds_no_pickle(tmp_path):
    model, opt, _ = trained()
    path = save_checkpoint(tmp_path / "run.npz", model, opt)
    with np.load(path, allow_pickle=False) as f:
        assert all(f[k].dtype != object for k in f.files)
        assert "model/0.weight" in f.files and "meta/epoch" in f.files


def test_loading_into_another_shape_names_parameter_and_shapes(tmp_path):
    model, opt, _ = trained()
    path = save_checkpoint(tmp_path / "run.npz", model, opt)
    with pytest.raises(ValueError, match=r"'0.weight'.*\(4, 3\).*\(5, 3\)"):
        load_checkpoint(path, Sequential(Linear(3, 5), Linear(5, 2)))


def test_a_failed_write_leaves_the_previous_checkpoint_intact(tmp_path, monkeypatch):
    model, opt, _ = trained()
    path = save_checkpoint(tmp_path / "run.npz", model, opt, epoch=1)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(path, model, opt, epoch=2)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]


def test_a_file_that_is_not_a_checkpoint_is_refused(tmp_path):
    np.savez(tmp_path / "other.npz", x=np.zeros(2))
    with pytest.raises(ValueError, match="not a tinytorch checkpoint"):
        load_checkpoint(tmp_path / "other.npz", Linear(1, 1))


def test_save_and_load_a_state_dict_under_pytorchs_names(tmp_path):
    model, _, _ = trained()
    path = tinytorch.save(model.state_dict(), tmp_path / "model.pt")
    assert path == tmp_path / "model.pt" and [p.name for p in tmp_path.iterdir()] == ["model.pt"]
    state = tinytorch.load(path)
    assert list(state) == list(model.state_dict())
    fresh = Sequential(Linear(3, 4), Linear(4, 2))
    fresh.load_state_dict(state)
    x = tinytorch.randn(2, 3)
    np.testing.assert_array_equal(fresh(x).numpy(), model(x).numpy())
    tinytorch.save({"w": tinytorch.ones(2), "step": 3}, tmp_path / "mixed.pt")
    mixed = tinytorch.load(tmp_path / "mixed.pt")
    assert mixed["w"].tolist() == [1.0, 1.0] and int(mixed["step"]) == 3


@pytest.mark.parametrize("state, message", [
    (Linear(2, 2), "not the model"),
    ({"fc": {"weight": np.ones(2)}}, "entry 'fc' is a dict"),
    ({"fc": Linear(2, 2)}, "entry 'fc' is a Linear"),
])
def test_save_refuses_anything_but_a_state_dict(tmp_path, state, message):
    with pytest.raises(TypeError, match=message):
        tinytorch.save(state, tmp_path / "x.pt")
    assert not list(tmp_path.iterdir())


def _values(model, optimizer):
    return ({k: v.tobytes() for k, v in model.state_dict().items()},
            {k: v.tobytes() for k, v in optimizer.state_dict().items()})


@pytest.mark.parametrize("mismatch", ["optimizer", "scheduler", "rng"])
def test_a_mismatch_anywhere_leaves_model_optimizer_and_scheduler_unchanged(tmp_path, mismatch):
    model, opt, sched = trained()
    path = save_checkpoint(tmp_path / "run.npz", model, opt, sched, epoch=2)
    model2, opt2, sched2 = trained()
    if mismatch == "optimizer":  # the model part fits; an Adam state does not fit SGD
        opt2 = SGD(model2.parameters(), lr=0.3)
        sched2 = StepLR(opt2, 1)
    elif mismatch == "scheduler":
        with np.load(path) as f:
            arrays = dict(f)
        arrays["scheduler/base_lrs"] = np.asarray([0.01, 0.02])
        np.savez(path, **arrays)
    else:
        with np.load(path) as f:
            arrays = dict(f)
        arrays["meta/rng_state"] = np.asarray("{not json")
        np.savez(path, **arrays)
    before, lr, step = _values(model2, opt2), opt2.param_groups[0]["lr"], sched2.last_step
    rng = get_rng_state()
    with pytest.raises(ValueError):
        load_checkpoint(path, model2, opt2, sched2)
    assert _values(model2, opt2) == before and opt2.param_groups[0]["lr"] == lr
    assert sched2.last_step == step and get_rng_state() == rng
