import math

import numpy as np
import pytest

from tinytorch.core.layers import Linear
from tinytorch.core.optimizers import SGD
from tinytorch.core.schedulers import CosineAnnealingLR, LinearWarmupLR, StepLR


def lrs(make, steps):
    opt = SGD(Linear(1, 1).parameters(), lr=1.0)
    sched = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        sched.step()
    return out, sched


def test_step_lr():
    assert lrs(lambda o: StepLR(o, 2, gamma=0.5), 5)[0] == [1, 1, 0.5, 0.5, 0.25]


def test_cosine_goes_from_initial_to_min_and_stays():
    values, _ = lrs(lambda o: CosineAnnealingLR(o, 4, min_factor=0.1), 6)
    assert values[0] == 1 and values[2] == pytest.approx(0.55) and values[4:] == [pytest.approx(0.1)] * 2


def test_linear_warmup_then_cosine():
    values, _ = lrs(lambda o: LinearWarmupLR(o, 4, total_steps=8), 9)
    assert values[:4] == [0.25, 0.5, 0.75, 1.0]
    assert values[6] == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.5)))
    assert values[8] == pytest.approx(0)


def test_state_dict_resumes_the_schedule():
    _, sched = lrs(lambda o: StepLR(o, 2, gamma=0.5), 3)
    opt = SGD(Linear(1, 1).parameters(), lr=1.0)
    fresh = StepLR(opt, 2, gamma=0.5)
    fresh.load_state_dict(sched.state_dict())
    assert fresh.get_last_lr() == sched.get_last_lr() == [0.5]


@pytest.mark.parametrize(("make", "message"), [
    (lambda o: StepLR(o, step_size=0), "StepLR: step_size must be >= 1, got 0"),
    (lambda o: StepLR(o, step_size=1, gamma=0), "gamma must be in"),
    (lambda o: CosineAnnealingLR(o, total_steps=0), "total_steps must be >= 1"),
    (lambda o: CosineAnnealingLR(o, 10, min_factor=2), "min_factor must be in"),
    (lambda o: LinearWarmupLR(o, warmup_steps=-1), "warmup_steps must be >= 0"),
    (lambda o: LinearWarmupLR(o, warmup_steps=10, total_steps=5), "total_steps must be >= 10"),
])
def test_invalid_schedule_arguments_are_named(make, message):
    opt = SGD(Linear(1, 1).parameters(), lr=1.0)
    with pytest.raises(ValueError, match=message):
        make(opt)
    assert opt.param_groups[0]["lr"] == 1.0


def test_a_fractional_step_size_is_refused():
    with pytest.raises(TypeError, match="step_size must be an integer, got 2.5"):
        StepLR(SGD(Linear(1, 1).parameters(), lr=1.0), step_size=2.5)


def test_a_state_for_other_groups_is_refused_and_changes_nothing():
    opt = SGD(Linear(1, 1).parameters(), lr=1.0)
    sched = StepLR(opt, 1, gamma=0.5)
    sched.step()
    with pytest.raises(ValueError, match="2 learning rates, the optimizer has 1"):
        sched.load_state_dict({"last_step": np.asarray(5), "base_lrs": np.asarray([1.0, 2.0])})
    assert sched.last_step == 1 and opt.param_groups[0]["lr"] == 0.5
