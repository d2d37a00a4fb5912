"""The course's profiled training step: the models are the milestones' shapes, the step's time
split and memory come from the real run, and the conv layers' counts are the profiler's."""

import math

import numpy as np
import pytest

from tinytorch.course import profiled_step
from tinytorch.course.exercises.profiling import conv2d_flops_solution


def test_the_models_have_the_milestones_shapes():
    assert profiled_step.mlp_1986(128).num_parameters() == 784 * 128 + 128 + 128 * 10 + 10
    lenet = profiled_step.lenet((6, 16))
    assert lenet.num_parameters() == (6 * 25 + 6) + (16 * 6 * 25 + 16) + (16 * 16 * 10 + 10)
    x, y = profiled_step.digit_batch(3)
    assert lenet(x).shape == (3, 10) and x.shape == (3, 1, 28, 28) and y.shape == (3,)


def test_an_empty_batch_is_an_error():
    with pytest.raises(ValueError, match="batch"):
        profiled_step.digit_batch(0)


def test_a_profiled_step_splits_its_time_and_measures_its_memory():
    x, y = profiled_step.digit_batch(4)
    step = profiled_step.profile_step("LeNet", profiled_step.lenet((2, 4)), x, y)
    assert set(step.seconds) == {"forward ops", "forward framework", "backward ops", "backward framework",
                                 "Adam update"}
    assert all(s >= 0 for s in step.seconds.values()) and step.total_seconds > 0
    assert math.isclose(sum(step.share(p) for p in step.seconds), 1.0)
    assert {e.phase for e in step.prof.events} == {"forward", "backward"}
    memory = step.memory
    assert memory["gradients"] == memory["parameters"]  # one gradient per weight, from the warm-up step
    assert math.isclose(memory["optimizer_state"] / memory["parameters"], 2.0, rel_tol=1e-2)
    assert memory["activations"] > 0
    assert {r["memory"] for r in profiled_step.memory_records([step])} == {
        "parameters", "gradients", "optimizer_state", "activations"}
    assert len(profiled_step.time_split_records([step])) == 5
    top = profiled_step.top_ops(step, 2)
    assert len(top) == 2 and top[0]["ms"] >= top[1]["ms"]


def test_the_conv_layers_carry_the_profilers_count():
    x, y = profiled_step.digit_batch(2)
    step = profiled_step.profile_step("LeNet", profiled_step.lenet((3, 5)), x, y)
    rows = profiled_step.conv_layer_counts(step)
    assert [r["x_shape"] for r in rows] == [(2, 1, 28, 28), (2, 3, 12, 12)]
    for r in rows:
        assert r["profiler_flops"] == conv2d_flops_solution(r["x_shape"], r["out_channels"], r["kernel_size"],
                                                            r["stride"], r["padding"], r["bias"])
    assert np.all([r["bias"] for r in rows])
