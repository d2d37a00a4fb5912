"""Module 14's exercise: the reference FLOP count passes every check against the profiler,
typical miscounts fail at least one, and the app's check cell reports both outcomes."""

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import profiling

APP = "14_profiling"
solution = profiling.conv2d_flops_solution


def _multiply_adds_as_one(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    full = solution(x_shape, out_channels, kernel_size, stride, padding, bias=False)
    return full // 2 + (solution(x_shape, out_channels, kernel_size, stride, padding) - full)


def _bias_ignored(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    return solution(x_shape, out_channels, kernel_size, stride, padding, bias=False)


def _padding_ignored(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    return solution(x_shape, out_channels, kernel_size, stride, 0, bias)


def _stride_ignored(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    return solution(x_shape, out_channels, kernel_size, 1, padding, bias)


def _one_image(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    return solution((1, *x_shape[1:]), out_channels, kernel_size, stride, padding, bias)


def _one_channel(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    return solution((x_shape[0], 1, *x_shape[2:]), out_channels, kernel_size, stride, padding, bias)


def _no_error(x_shape, out_channels, kernel_size, stride=1, padding=0, bias=True):
    try:
        return solution(x_shape, out_channels, kernel_size, stride, padding, bias)
    except ValueError:
        return 0


CASES = [(profiling.CONV2D_FLOPS, APP, "conv2d_flops", [
    _multiply_adds_as_one, _bias_ignored, _padding_ignored, _stride_ignored, _one_image, _one_channel,
    _no_error])]


def test_solution_passes_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_the_profiler_counts_what_the_solution_counts_for_lenets_first_layer():
    assert profiling.profiled_conv2d_flops((1, 1, 28, 28), 6, 5) == 2 * 6 * 24 * 24 * 25 + 6 * 24 * 24


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, defs=SETTINGS[APP])
