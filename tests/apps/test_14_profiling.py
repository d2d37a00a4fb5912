"""Module 14 profiles a training step of the 1986 MLP and a LeNet, measures the roofline and
places every op on it, and checks the learner's FLOP count against the profiler's."""

import math

from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.apps.quick import SETTINGS
from tinytorch.course.exercises.profiling import conv2d_flops_solution

APP = APPS / "14_profiling.py"
BUTTONS = {"profile_button": Pressed(), "roofline_button": Pressed()}


def test_profile_memory_and_roofline_are_measured_and_the_hand_count_agrees():
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem] | {"conv2d_flops": conv2d_flops_solution})
    text = output_text(outputs)
    profiled = names["profile_results"]
    assert profiled["mlp_step_ms"] > 0 and profiled["lenet_step_ms"] > 0
    # Adam keeps two arrays per weight (plus its step counter): 2x the parameters
    assert math.isclose(profiled["mlp_adam_state_over_parameters"], 2.0, rel_tol=1e-3)
    # a convolution's feature maps outweigh its few weights; an MLP's are a fraction of its weights
    assert profiled["lenet_activations_over_parameters"] > profiled["mlp_activations_over_parameters"] > 0
    assert 0 < profiled["lenet_conv_share"] <= 1 and 0 < profiled["mlp_linear_share"] <= 1
    assert profiled["lenet_backward_over_forward_flops"] > 1
    roof = names["roofline_results"]
    assert roof["peak_gflops"] > 0 and roof["bandwidth_gbs"] > 0
    assert math.isclose(roof["ridge_point"], roof["peak_gflops"] / roof["bandwidth_gbs"])
    assert 0 <= roof["compute_bound_ops"] <= roof["ops_placed"] and roof["ops_placed"] >= 4
    assert [r["verdict"] for r in names["hand_counts"]] == ["agrees", "agrees"]
    assert "tt-results" in text and "bench/bench_profiling.py" in text


def test_a_wrong_count_is_shown_to_differ_from_the_profiler():
    def forgets_the_bias(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
        return conv2d_flops_solution(x_shape, out_channels, kernel_size, stride, padding, bias=False)

    _, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem] | {"conv2d_flops": forgets_the_bias})
    assert [r["verdict"] for r in names["hand_counts"]] == ["differs", "differs"]
