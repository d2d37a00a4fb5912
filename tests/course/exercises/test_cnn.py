"""Milestone 1998's exercises: the reference output size and parameter counts pass every
check, typical wrong ones fail at least one, and the app's check cells report both outcomes
(the app opens with or without MNIST, so this runs either way)."""

import pytest

from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import cnn

APP = "milestone_1998_cnn"


def _size_ignoring_padding(size, kernel_size, stride=1, padding=0):
    return (size - kernel_size) // stride + 1


def _size_padding_once(size, kernel_size, stride=1, padding=0):
    return (size + padding - kernel_size) // stride + 1


def _size_rounding_up(size, kernel_size, stride=1, padding=0):
    return -(-(size + 2 * padding - kernel_size) // stride) + 1


def _size_never_raising(size, kernel_size, stride=1, padding=0):
    return max((size + 2 * padding - kernel_size) // stride + 1, 0)


def _parameters_without_bias(in_channels, out_channels, kernel_size, height, width):
    conv, linear = cnn.conv_vs_linear_parameters_solution(in_channels, out_channels, kernel_size, height,
                                                          width)
    return conv - out_channels, linear


def _parameters_one_kernel_per_output(in_channels, out_channels, kernel_size, height, width):
    conv, linear = cnn.conv_vs_linear_parameters_solution(in_channels, out_channels, kernel_size, height,
                                                          width)
    return out_channels * kernel_size * kernel_size + out_channels, linear


def _linear_to_same_size(in_channels, out_channels, kernel_size, height, width):
    conv, _ = cnn.conv_vs_linear_parameters_solution(in_channels, out_channels, kernel_size, height, width)
    outputs = out_channels * height * width  # forgets that the maps shrink by k - 1
    return conv, in_channels * height * width * outputs + outputs


def _square_images_only(in_channels, out_channels, kernel_size, height, width):
    return cnn.conv_vs_linear_parameters_solution(in_channels, out_channels, kernel_size, height, height)


CASES = [
    (cnn.OUTPUT_SIZE, APP, "conv_output_size", [
        _size_ignoring_padding, _size_padding_once, _size_rounding_up, _size_never_raising]),
    (cnn.SHARED_WEIGHTS, APP, "conv_vs_linear_parameters", [
        _parameters_without_bias, _parameters_one_kernel_per_output, _linear_to_same_size,
        _square_images_only]),
]


@pytest.mark.parametrize(("exercise", "app", "name", "wrong"), CASES, ids=[c[2] for c in CASES])
def test_solution_passes_and_wrong_answers_fail(exercise, app, name, wrong):
    assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
