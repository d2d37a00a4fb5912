"""Module 09's exercises: the reference convolutions pass every check, typical wrong ones
(a flipped kernel, a forgotten channel sum, stride or padding misapplied, a loop passed off as
vectorised) fail at least one, and the app's check cells report both outcomes."""

import numpy as np

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import convolutions

APP = "09_convolutions"


def _flipped_kernel(x, weight, stride=1, padding=0):
    return convolutions.conv2d_vectorised_solution(x, weight[:, :, ::-1, ::-1].copy(), stride, padding)


def _first_channel_only(x, weight, stride=1, padding=0):
    return convolutions.conv2d_vectorised_solution(x[:, :1], weight[:, :1], stride, padding)


def _stride_ignored(x, weight, stride=1, padding=0):
    return convolutions.conv2d_vectorised_solution(x, weight, 1, padding)


def _padding_ignored(x, weight, stride=1, padding=0):
    return convolutions.conv2d_vectorised_solution(x, weight, stride, 0)


def _no_channel_check(x, weight, stride=1, padding=0):
    c = min(x.shape[1], weight.shape[1])
    return convolutions.conv2d_vectorised_solution(x[:, :c], weight[:, :c], stride, padding)


def _loops_per_pixel_with_einsum(x, weight, stride=1, padding=0):
    """Right answers, but a Python loop over every output pixel."""
    full = convolutions.conv2d_vectorised_solution(x, weight, stride, padding)
    out = np.zeros_like(full)
    for i in range(full.shape[2]):
        for j in range(full.shape[3]):
            out[:, :, i, j] = full[:, :, i, j]
    return out


WRONG = [_flipped_kernel, _first_channel_only, _stride_ignored, _padding_ignored, _no_channel_check]

CASES = [
    (convolutions.CONV2D_LOOPS, APP, "conv2d_loops", WRONG),
    (convolutions.CONV2D_VECTORISED, APP, "conv2d_vectorised", WRONG + [_loops_per_pixel_with_einsum]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_the_loop_solution_is_right_but_not_vectorised():
    failed = [r.name for r in convolutions.CONV2D_VECTORISED.run(convolutions.conv2d_loops_solution)
              if not r.passed]
    assert failed == ["vectorised: no loop over images, filters or pixels"]


def test_python_lines_counts_loop_iterations():
    def loop(n):
        total = 0
        for i in range(n):
            total += i
        return total

    assert convolutions.python_lines(loop, 10)[0] == 45
    assert convolutions.python_lines(loop, 100)[1] - convolutions.python_lines(loop, 10)[1] == 2 * 90


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, SETTINGS[APP])
